package dev.uring4j.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;

/**
 * File regions in the output queue ({@link Connection#writeFile}), in every way they are sent:
 * spliced through a pipe on io_uring (sendfile on NIO), read into memory a piece at a time
 * ({@link UringOptions.Path#SPLICE} off), and read then encrypted under TLS. The bytes arrive in
 * order with ordinary writes, a slow reader costs no more memory than a short file, and a peer's
 * reset, an abort or a file shorter than its region ends the connection with the cause named,
 * giving the file back (the loops' leak detection fails the test otherwise).
 */
class FileRegionTest {
    /** How the regions are sent. */
    enum Mode { DIRECT, READ, TLS }

    @TempDir
    Path dir;

    /** A server of one connection, with its client (a plain or a TLS socket). */
    private static final class Peer implements AutoCloseable {
        final Recorder server = new Recorder();
        final EventLoopGroup group;
        final TcpServer srv;
        final Socket client;
        /** The TCP socket under {@link #client}: resetting it resets the connection, without a close_notify. */
        final Socket raw;
        final Connection c;

        Peer(Mode mode, int receiveBuffer) throws Exception {
            LoopOptions options = mode == Mode.READ
                    ? LoopOptions.builder().uring(UringOptions.builder().disable(UringOptions.Path.SPLICE).build()).build()
                    : LoopOptions.defaults();
            group = EventLoopGroup.builder().threads(1).options(options).build();
            TcpServer.Builder b = TcpServer.builder().group(group).handler(() -> server);
            srv = (mode == Mode.TLS ? b.tls(TlsPeers.server().build()) : b).start();
            raw = receiveBuffer > 0 ? Net.connect(srv.localAddress(), receiveBuffer) : Net.connect(srv.localAddress());
            if (mode == Mode.TLS) {
                javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) TlsPeers.jdkContext(null).getSocketFactory()
                        .createSocket(raw, "localhost", srv.localAddress().getPort(), true);
                tls.setSoTimeout(30_000);
                tls.startHandshake();
                client = tls;
            } else {
                client = raw;
            }
            c = server.opened.get(10, TimeUnit.SECONDS);
        }

        /** Opens {@code path} on the connection's loop. */
        LoopFile open(Path path) throws Exception {
            CompletableFuture<LoopFile> f = new CompletableFuture<>();
            LoopFile.open(c.eventLoop(), path, (file, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(file);
                }
            });
            return f.get(10, TimeUnit.SECONDS);
        }

        /** Runs {@code work} on the loop and returns its answer. */
        <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            c.eventLoop().execute(() -> {
                try {
                    f.complete(work.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            return f.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            Net.closeQuietly(client);
            srv.close();
            group.close();
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] read(Socket s, int n) throws IOException {
        byte[] b = new byte[n];
        InputStream in = s.getInputStream();
        for (int at = 0; at < n; ) {
            int r = in.read(b, at, n - at);
            if (r < 0) {
                throw new IOException("EOF after " + at + " of " + n + " bytes");
            }
            at += r;
        }
        return b;
    }

    /**
     * Files of several sizes, none a multiple of a pipe's size but one, whole and in ranges, each
     * between ordinary writes, as pipelined responses would be: the peer gets exactly the bytes in
     * the order they were queued. The files are closed right after their regions are queued: the
     * close waits for them.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void regionsOfSeveralSizesArriveInOrderWithWrites(Mode mode) throws Exception {
        int[] sizes = {1, 4095, 64 * 1024, 64 * 1024 + 1, 256 * 1024 + 7, 3 * 1024 * 1024 + 13};
        try (Peer p = new Peer(mode, 0)) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < sizes.length; i++) {
                byte[] content = Net.pattern(sizes[i], 31 + i);
                LoopFile f = p.open(file("f" + i, content));
                byte[] head = ("head " + i + "\n").getBytes();
                long from = sizes[i] > 2000 ? 1000 : 0;
                long length = sizes[i] > 2000 ? sizes[i] - 1999 : sizes[i];
                int index = i;
                assertTrue(p.onLoop(() -> {
                    boolean queued = p.c.write(head) && p.c.writeFile(f, 0, sizes[index]) && p.c.write(head)
                            && p.c.writeFile(f, from, length);
                    f.close();
                    p.c.flush();
                    return queued;
                }), () -> "queued, the connection open: " + p.server.closes);
                expected.write(head);
                expected.write(content);
                expected.write(head);
                expected.write(content, (int) from, (int) length);
            }
            byte[] want = expected.toByteArray();
            assertArrayEquals(want, read(p.client, want.length));
            Loops.settle(p.c.eventLoop());
            assertEquals(0, p.c.pendingOutputBytes());
            assertTrue(p.server.closes.isEmpty(), "no failure: " + p.server.closes);
        }
    }

    /**
     * A large sparse file to a peer that reads slowly: the region counts in the pending bytes (so
     * the connection is not writable) but not against the output limit, and the loop's memory stays
     * that of a short file while the peer holds back; every byte arrives once it reads on.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSlowReaderOfALargeFileKeepsMemoryConstant(Mode mode) throws Exception {
        long size = mode == Mode.TLS ? 64L << 20 : 256L << 20;
        Path sparse = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(size);
            raf.seek(size - 4);
            raf.write(new byte[] {1, 2, 3, 4});
        }
        try (Peer p = new Peer(mode, 16 * 1024)) {
            LoopFile f = p.open(sparse);
            assertTrue(p.onLoop(() -> {
                boolean queued = p.c.writeFile(f, 0, size);
                p.c.flush();
                return queued && !p.c.isWritable() && p.c.write(new byte[1024]);
            }), "queued, not writable, yet within the output limit");
            read(p.client, 1 << 20);
            long peak = 0;
            for (int i = 0; i < 20; i++) {
                Loops.settle(p.c.eventLoop());
                LoopStats s = p.c.eventLoop().stats();
                peak = Math.max(peak, s.pooledBytes());
            }
            assertTrue(p.c.pendingOutputBytes() > size / 2, "most of the file waits: " + p.c.pendingOutputBytes());
            assertTrue(peak < 8L << 20, "the loop's blocks stay small while the peer holds back: " + peak);
            InputStream in = p.client.getInputStream();
            byte[] chunk = new byte[1 << 16];
            long left = size - (1 << 20) + 1024;
            byte[] last = new byte[4 + 1024];
            while (left > 0) {
                int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                assertTrue(r > 0, "EOF with " + left + " bytes to come");
                left -= r;
                if (left < last.length) {
                    // The tail: the file's last four bytes, then the ordinary write's zeros.
                    int keep = (int) Math.min(r, last.length - left);
                    System.arraycopy(chunk, r - keep, last, (int) (last.length - left - keep), keep);
                }
            }
            assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOf(last, 4));
            f.close();
            f.close();
        }
    }

    /** A peer that resets in the middle of a large region: the connection fails naming the errno, and gives the file back. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aResetMidFileFailsTheConnectionAndReleasesTheFile(Mode mode) throws Exception {
        Path big = file("big", Net.pattern(32 << 20, 5));
        try (Peer p = new Peer(mode, 16 * 1024)) {
            long fdsBefore = Net.openFds();
            LoopFile f = p.open(big);
            assertTrue(p.onLoop(() -> {
                boolean queued = p.c.writeFile(f, 0, 32 << 20);
                f.close();
                p.c.flush();
                return queued;
            }));
            read(p.client, 256 * 1024);
            p.raw.setSoLinger(true, 0);
            p.raw.close();
            Throwable cause = p.server.closed.get(10, TimeUnit.SECONDS);
            int errno = assertInstanceOf(ErrnoException.class, cause).errno();
            assertTrue(errno == Errno.ECONNRESET || errno == Errno.EPIPE, "ECONNRESET or EPIPE: " + cause);
            Net.await(Duration.ofSeconds(10), "the file and the connection's descriptors closed",
                    () -> Net.openFds() <= fdsBefore - 1);
        }
    }

    /**
     * An abort while the peer reads nothing, so a splice out to the socket waits for room: the
     * connection closes at once, without waiting for the peer, and the file is given back.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAbortWhileAFileIsInFlightClosesAtOnce(Mode mode) throws Exception {
        Path big = file("big", Net.pattern(16 << 20, 9));
        try (Peer p = new Peer(mode, 4096)) {
            LoopFile f = p.open(big);
            assertTrue(p.onLoop(() -> {
                boolean queued = p.c.writeFile(f, 0, 16 << 20);
                p.c.flush();
                return queued;
            }));
            Net.await(Duration.ofSeconds(10), "the socket to fill", () -> {
                try {
                    Loops.settle(p.c.eventLoop());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return p.c.eventLoop().stats().bytesWritten() > 0;
            });
            p.c.abort();
            assertEquals(null, p.server.closed.get(10, TimeUnit.SECONDS), "an abort is no failure");
            f.close();
            assertTrue(p.server.closes.size() == 1);
        }
    }

    /** A graceful close sends the regions first, then the FIN; a region past the file's end fails naming EIO. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void closeSendsTheRegionFirstAndAShortFileFails(Mode mode) throws Exception {
        byte[] content = Net.pattern(700_001, 3);
        LoopFile f;
        try (Peer p = new Peer(mode, 0)) {
            f = p.open(file("f", content));
            assertTrue(p.onLoop(() -> p.c.writeFile(f, 0, content.length)));
            p.c.close();
            assertFalse(p.onLoop(() -> p.c.writeFile(f, 0, 1)), "refused once closing");
            assertArrayEquals(content, read(p.client, content.length));
            assertEquals(-1, p.client.getInputStream().read());
            assertEquals(null, p.server.closed.get(10, TimeUnit.SECONDS));
        }
        try (Peer p = new Peer(mode, 0)) {
            LoopFile g = p.open(file("g", content));
            assertTrue(p.onLoop(() -> {
                boolean queued = p.c.writeFile(g, 0, content.length + 5000L);
                g.close();
                p.c.flush();
                return queued;
            }));
            Throwable cause = p.server.closed.get(10, TimeUnit.SECONDS);
            assertEquals(Errno.EIO, assertInstanceOf(ErrnoException.class, cause).errno(), String.valueOf(cause));
            assertTrue(cause.getMessage().contains(dir.resolve("g").getFileName().toString()), cause.getMessage());
        }
    }

    /** A region of a closed file, of a file on another loop, or at a negative offset is refused by exception. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void misuseIsRefusedByException(Mode mode) throws Exception {
        try (Peer p = new Peer(mode, 0); EventLoopGroup other = EventLoopGroup.builder().threads(1).build()) {
            Path path = file("f", Net.pattern(10, 1));
            LoopFile f = p.open(path);
            assertThrows(IllegalArgumentException.class, () -> p.c.writeFile(f, -1, 1));
            CompletableFuture<LoopFile> elsewhere = new CompletableFuture<>();
            LoopFile.open(other.next(), path, (g, e) -> elsewhere.complete(g));
            LoopFile g = elsewhere.get(10, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> p.c.writeFile(g, 0, 1));
            g.close();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> p.onLoop(() -> {
                        f.close();
                        return p.c.writeFile(f, 0, 1);
                    }));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }
}
