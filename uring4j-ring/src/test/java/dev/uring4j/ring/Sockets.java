package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

/** Blocking loopback sockets for binding tests (liburing's test/helpers.h). */
final class Sockets {
    private Sockets() {}

    /** {@code SO_RCVTIMEO}/{@code SO_SNDTIMEO} from asm-generic/socket.h (not needed by the binding itself). */
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDTIMEO = 21;

    static int check(int r, String what) {
        if (r < 0) {
            throw new AssertionError(what + ": " + Errno.describe(r));
        }
        return r;
    }

    /** A listening TCP socket on 127.0.0.1 and an ephemeral port. */
    static int listener() {
        int fd = check(LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket");
        check(LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1), "SO_REUSEADDR");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            check(LibC.bind(fd, addr, len), "bind");
        }
        check(LibC.listen(fd, 128), "listen");
        return fd;
    }

    /** A UDP socket bound to 127.0.0.1 and an ephemeral port. */
    static int udp() {
        int fd = check(LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0), "socket");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            check(LibC.bind(fd, addr, len), "bind");
        }
        return withTimeouts(fd);
    }

    /** Sends {@code data} as one datagram from {@code fd} to 127.0.0.1:{@code port}. */
    static void sendTo(int fd, int port, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            MemorySegment buf = a.allocateFrom(JAVA_BYTE, data);
            long n = LibC.sendto(fd, buf, data.length, 0, addr, len);
            assertEquals(data.length, n, () -> "sendto: " + Errno.describe((int) n));
        }
    }

    static int port(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment len = a.allocateFrom(JAVA_INT, SockAddr.SIZEOF_STORAGE);
            check(LibC.getsockname(fd, addr, len), "getsockname");
            return SockAddr.port(addr);
        }
    }

    /** A blocking TCP client connected to 127.0.0.1:port. */
    static int connect(int port) {
        int fd = check(LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            check(LibC.connect(fd, addr, len), "connect");
        }
        return withTimeouts(fd);
    }

    /**
     * Bounds blocking reads and writes on {@code fd} by the tests' deadline, so that a feature
     * that fails to deliver fails the test instead of hanging it.
     */
    static int withTimeouts(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment timeval = a.allocate(JAVA_LONG, 2);
            timeval.setAtIndex(JAVA_LONG, 0, TimeUnit.NANOSECONDS.toSeconds(Completions.DEADLINE_NS));
            check(LibC.setsockopt(fd, LibC.SOL_SOCKET, SO_RCVTIMEO, timeval, (int) timeval.byteSize()), "SO_RCVTIMEO");
            check(LibC.setsockopt(fd, LibC.SOL_SOCKET, SO_SNDTIMEO, timeval, (int) timeval.byteSize()), "SO_SNDTIMEO");
        }
        return fd;
    }

    /** A connected pair {client, server} over loopback TCP. */
    static int[] tcpPair() {
        int listener = listener();
        try {
            int client = connect(port(listener));
            int server = check(LibC.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, LibC.SOCK_CLOEXEC),
                    "accept4");
            return new int[] {client, withTimeouts(server)};
        } finally {
            LibC.close(listener);
        }
    }

    /** Closes {@code fd} with {@code SO_LINGER} 0, so the peer gets a RST instead of a FIN. */
    static void abort(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment linger = a.allocate(JAVA_INT, 2);
            linger.setAtIndex(JAVA_INT, 0, 1);
            linger.setAtIndex(JAVA_INT, 1, 0);
            check(LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_LINGER, linger, (int) linger.byteSize()), "SO_LINGER");
        }
        close(fd);
    }

    static void writeAll(int fd, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocateFrom(JAVA_BYTE, data);
            long off = 0;
            while (off < data.length) {
                long n = LibC.write(fd, buf.asSlice(off), data.length - off);
                assertTrue(n > 0, () -> "write: " + Errno.describe((int) n));
                off += n;
            }
        }
    }

    /**
     * Reads exactly {@code n} bytes (blocking). A read interrupted before it got data is retried:
     * on a ring set up without {@code COOP_TASKRUN} or {@code DEFER_TASKRUN}, the kernel runs its
     * completion work in this thread by interrupting the system call it sleeps in ({@code EINTR}).
     */
    static byte[] readFully(int fd, int n) {
        byte[] out = new byte[n];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(n, 1));
            int off = 0;
            while (off < n) {
                long r = LibC.read(fd, buf.asSlice(off), n - off);
                if (r == -Errno.EINTR) {
                    continue;
                }
                assertTrue(r > 0, () -> "read: " + (r == 0 ? "EOF" : Errno.describe((int) r)));
                off += (int) r;
            }
            MemorySegment.copy(buf, JAVA_BYTE, 0, out, 0, n);
        }
        return out;
    }

    static void close(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                assertEquals(0, LibC.close(fd), "close(" + fd + ")");
            }
        }
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
