package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Blocking JDK sockets and small waits for runtime tests (liburing's helpers.h, for the runtime). */
final class Net {
    private Net() {}

    static Socket connect(InetSocketAddress address) {
        return connect(address, 0);
    }

    /** A client whose receive buffer is {@code receiveBuffer} bytes from the start (0: the default), so a reader that stops fills up fast. */
    static Socket connect(InetSocketAddress address, int receiveBuffer) {
        try {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.connect(address, 5000);
            s.setSoTimeout(30_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Socket s, byte[] data) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Socket s, int n) {
        try {
            byte[] b = new byte[n];
            new DataInputStream(s.getInputStream()).readFully(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until EOF. */
    static byte[] readToEnd(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed * 0x9E3779B9 + 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** Open file descriptors of this process. */
    static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many connections with both ends in this process fit under its descriptor limit, at most
     * {@code wanted}. On NIO each end holds a descriptor; on io_uring the server's end lives in a
     * direct descriptor, which takes no descriptor number (its table is bounded by the same limit).
     */
    static int connectionsThatFit(int wanted) {
        long limit = dev.uring4j.ring.sys.LibC.rlimit(dev.uring4j.ring.sys.LibC.RLIMIT_NOFILE)[0];
        long spare = limit < 0 ? Long.MAX_VALUE : limit - openFds() - 500;
        int perConnection = Transports.ioUring() ? 1 : 2;
        int fit = (int) Math.min(wanted, spare / perConnection);
        if (fit < wanted) {
            System.out.println("RLIMIT_NOFILE=" + limit + " holds " + fit + " of the " + wanted
                    + " connections asked for, with both ends in this process on " + Transports.current());
        }
        return fit;
    }

    /** Open socket descriptors of this process (what leaks when a connection is not closed). */
    static long openSockets() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // best effort in test teardown
        }
    }
}
