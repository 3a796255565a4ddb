package dev.uring4j.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Echo server as the JDK runs blocking code today: {@link ServerSocket} and a virtual thread per
 * connection, each reading and writing its {@link Socket} (the JDK parks the virtual thread on
 * {@code EAGAIN} and its epoll poller wakes it). The peer of uring4j's blocking sockets.
 */
public final class VirtualThreadEchoServer {
    private VirtualThreadEchoServer() {}

    public static void main(String[] args) throws IOException {
        serveForever(PeerArgs.parse("VirtualThreadEchoServer", args, Set.of()), VirtualThreadEchoServer::echo);
    }

    /**
     * Binds the peer's address, announces it, and serves each accepted connection with
     * {@code serve} on a virtual thread of its own, as the JDK's virtual-thread servers do.
     */
    static void serveForever(PeerArgs peer, Consumer<Socket> serve) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(peer.address(), 4096);
        peer.announce((InetSocketAddress) listener.getLocalSocketAddress());
        while (true) {
            Socket s = listener.accept();
            Thread.ofVirtual().start(() -> serve.accept(s));
        }
    }

    private static void echo(Socket s) {
        byte[] buffer = new byte[16 * 1024];
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the peer went away
        }
    }
}
