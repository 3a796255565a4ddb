package dev.uring4j.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Blocking JDK datagram clients and small UDP helpers for the runtime's UDP tests. */
final class Udp {
    private Udp() {}

    /** A blocking client bound to an ephemeral port of {@code host}'s family, 10 s receive timeout. */
    static DatagramChannel client(InetSocketAddress host) {
        try {
            DatagramChannel c = DatagramChannel.open(host.getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            c.bind(new InetSocketAddress(host.getAddress(), 0));
            c.socket().setSoTimeout(10_000);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void send(DatagramChannel c, byte[] data, SocketAddress to) {
        try {
            int n = c.send(ByteBuffer.wrap(data), to);
            if (n != data.length) {
                throw new IllegalStateException("sent " + n + " of " + data.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One datagram and who sent it (blocking, with the channel's timeout). */
    record Received(byte[] data, InetSocketAddress from) {
    }

    static Received receive(DatagramChannel c) {
        try {
            ByteBuffer b = ByteBuffer.allocate(65_536);
            // DatagramChannel.receive ignores SO_TIMEOUT; the socket adaptor honours it.
            java.net.DatagramPacket p = new java.net.DatagramPacket(b.array(), b.capacity());
            c.socket().receive(p);
            return new Received(Arrays.copyOf(p.getData(), p.getLength()), (InetSocketAddress) p.getSocketAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetSocketAddress local(DatagramChannel c) {
        try {
            return (InetSocketAddress) c.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An address to send {@code endpoint}'s port on {@code host}. */
    static InetSocketAddress at(InetSocketAddress host, UdpEndpoint endpoint) {
        return new InetSocketAddress(host.getAddress(), endpoint.localAddress().getPort());
    }

    /**
     * Datagrams the kernel dropped on the way into the socket bound to {@code port} (the "drops"
     * column of /proc/net/udp and udp6): receive buffer full. Sums over every socket on the port.
     */
    static long kernelDrops(int port) {
        long drops = socketsOnPort(port, true);
        if (drops < 0) {
            throw new AssertionError("no UDP socket on port " + port + " in /proc/net/udp{,6}");
        }
        return drops;
    }

    /** Whether any UDP socket of this network namespace is bound to {@code port}. */
    static boolean isBound(int port) {
        return socketsOnPort(port, false) >= 0;
    }

    /** The drops (or, without {@code drops}, the number) of UDP sockets on {@code port}; -1 if none. */
    private static long socketsOnPort(int port, boolean drops) {
        long sum = 0;
        boolean seen = false;
        for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 13 || !f[1].contains(":")) {
                        continue;
                    }
                    int p = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    if (p == port) {
                        sum += drops ? Long.parseLong(f[f.length - 1]) : 1;
                        seen = true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seen ? sum : -1;
    }

    /** A handler that echoes every datagram to its sender and records the senders it saw. */
    static final class Echo implements DatagramHandler {
        final ConcurrentLinkedQueue<InetSocketAddress> senders = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        volatile boolean recordSenders = true;

        @Override
        public void onDatagram(UdpSocket socket, Datagram d, UdpAddress sender) {
            if (recordSenders) {
                senders.add(sender.toInetSocketAddress());
            }
            if (!socket.send(sender, d.buffer(), d.offset(), d.length())) {
                errors.add("send refused for " + d.length() + " bytes");
            }
        }

        @Override
        public void onError(UdpSocket socket, ConnectionException error) {
            errors.add(error.getMessage());
        }
    }

    static <T> T notNull(T t, String what) {
        assertNotNull(t, what);
        return t;
    }
}
