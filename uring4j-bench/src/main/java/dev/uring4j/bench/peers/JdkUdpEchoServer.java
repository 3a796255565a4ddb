package dev.uring4j.bench.peers;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Set;

/**
 * UDP echo on a JDK {@link DatagramChannel}: one thread in a blocking {@code receive}/{@code send}
 * loop with a direct buffer, the simplest efficient JDK server for one socket (a selector adds a
 * system call per wakeup and buys nothing with a single channel). {@code receive} returns the
 * sender as a new {@code InetSocketAddress} unless it is the previous one: the JDK's own cost.
 */
public final class JdkUdpEchoServer {
    private JdkUdpEchoServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("JdkUdpEchoServer", args, Set.of("--rcvbuf"));
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, peer.rcvbuf(4 << 20));
        channel.bind(peer.address());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                channel.close();
            } catch (java.io.IOException ignored) {
                // exiting anyway
            }
        }, "shutdown"));
        peer.announce((InetSocketAddress) channel.getLocalAddress());
        ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer, from);
            }
        } catch (ClosedChannelException closed) {
            // SIGTERM
        }
    }
}
