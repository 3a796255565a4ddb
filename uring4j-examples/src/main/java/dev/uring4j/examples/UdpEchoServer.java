package dev.uring4j.examples;

import java.net.InetSocketAddress;

import dev.uring4j.runtime.Datagram;
import dev.uring4j.runtime.DatagramHandler;
import dev.uring4j.runtime.UdpAddress;
import dev.uring4j.runtime.UdpEndpoint;
import dev.uring4j.runtime.UdpSocket;

/**
 * A UDP echo server: the smallest datagram handler, and why it allocates nothing.
 *
 * <p>The datagram and its sender are views into the provided buffer the kernel filled; both are
 * valid only during {@code onDatagram}. {@code send} copies the payload and the sender's address
 * into the socket's send queue, so replying needs neither a Java address object nor a table
 * entry: a flood of new source addresses costs no memory. Everything queued in one loop iteration
 * goes out together before the loop waits again. Run: {@code ./uring4j udp-echo --port 9000}.
 */
public final class UdpEchoServer {
    private UdpEchoServer() {}

    /** Sends every datagram back to where it came from. */
    public static final class Echo implements DatagramHandler {
        @Override
        public void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender) {
            // A full send queue refuses the reply (false): for UDP, dropping it is the answer.
            socket.send(sender, datagram.buffer(), datagram.offset(), datagram.length());
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        try (UdpEndpoint server = UdpEndpoint.builder().port(port).handler(new Echo()).start()) {
            InetSocketAddress bound = server.localAddress();
            System.out.println("listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
            Thread.currentThread().join();
        }
    }
}
