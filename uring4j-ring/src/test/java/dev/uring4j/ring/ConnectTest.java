package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client side through the ring: {@code socket}, {@code connect}, a send linked to a
 * {@code shutdown}, {@code close}; and the refusal a closed port gives.
 */
class ConnectTest {
    private static int write(MemorySegment addr, int port) {
        return SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void socketConnectSendShutdownAndClose(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SOCKET);
        int listener = Sockets.listener();
        int server = -1;
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepSocket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, 0).userData(1);
            int fd = cqes.expect(1).res();
            assertTrue(fd >= 0, () -> "socket: " + Errno.describe(fd));

            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            int len = write(addr, Sockets.port(listener));
            ring.getSqe().prepConnect(fd, addr.address(), len).userData(2);
            assertEquals(0, cqes.expect(2).res(), "connected");
            server = Sockets.withTimeouts(Sockets.check(
                    LibC.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, LibC.SOCK_CLOEXEC), "accept4"));

            byte[] sent = Sockets.pattern(25, 4);
            MemorySegment buf = arena.allocateFrom(JAVA_BYTE, sent);
            // Linked: the FIN goes out only after the data.
            ring.getSqe().prepSend(fd, buf.address(), sent.length, 0).addFlags(IOSQE_IO_LINK).userData(3);
            ring.getSqe().prepShutdown(fd, LibC.SHUT_WR).userData(4);
            assertEquals(sent.length, cqes.expect(3).res());
            assertEquals(0, cqes.expect(4).res());
            assertArrayEquals(sent, Sockets.readFully(server, sent.length));
            assertEquals(0, LibC.read(server, buf, 1), "then EOF");

            ring.getSqe().prepClose(fd).userData(5);
            assertEquals(0, cqes.expect(5).res());
            assertEquals(-Errno.EBADF, LibC.fcntl(fd, LibC.F_GETFL, 0), "the fd is gone");
        } finally {
            Sockets.close(server);
            Sockets.close(listener);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aPortNobodyListensOnRefuses(RingConfig config) throws Exception {
        config.assumeSupported();
        int closed = Sockets.listener();
        int port = Sockets.port(closed);
        Sockets.close(closed);
        int fd = Sockets.check(LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket");
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            ring.getSqe().prepConnect(fd, addr.address(), write(addr, port)).userData(1);
            assertEquals(-Errno.ECONNREFUSED, new Completions(ring).expect(1).res());
        } finally {
            Sockets.close(fd);
        }
    }
}
