package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

/** Blocking loopback sockets for binding tests (liburing's test/helpers.h). */
final class Sockets {
    private Sockets() {}

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
        return fd;
    }

    /** A connected pair {client, server} over loopback TCP. */
    static int[] tcpPair() {
        int listener = listener();
        try {
            int client = connect(port(listener));
            int server = check(LibC.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, LibC.SOCK_CLOEXEC),
                    "accept4");
            return new int[] {client, server};
        } finally {
            LibC.close(listener);
        }
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

    /** Reads exactly {@code n} bytes (blocking). */
    static byte[] readFully(int fd, int n) {
        byte[] out = new byte[n];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(n, 1));
            int off = 0;
            while (off < n) {
                long r = LibC.read(fd, buf.asSlice(off), n - off);
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
