package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.uring4j.http.HttpNetworkCases.Response;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;

/**
 * {@link StaticFiles} under the loads that matter for memory: a 1 GiB file (sparse, so nothing is
 * written to disk) to a client that reads slowly, where the server must read the file only as fast
 * as the client takes it, holding one buffer and its connection's bounded output, and must stop
 * reading when the client goes; and many files fetched at once by many connections, each arriving
 * intact. Memory is judged by the server's own counters (queued output, buffers handed out, bytes
 * read from disk), never by time. Runs on both transports (see the pom).
 */
@ExtendWith(DefaultTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticFilesLargeNetworkTest {
    private static final long GIB = 1L << 30;
    @TempDir
    static Path root;
    private StaticFiles files;
    private TcpServer server;
    /** The same files with every body above the threshold sent from the file by the connection. */
    private TcpServer regions;

    @BeforeAll
    void start() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(GIB);
        }
        // Every body read and written, whatever its size: the path whose buffers these tests count.
        files = StaticFiles.builder(root).sendFileThreshold(Long.MAX_VALUE).build();
        server = HttpServer.builder(files).build().serve(TcpServer.builder().threads(2));
        regions = HttpServer.builder(StaticFiles.builder(root).build()).build().serve(TcpServer.builder().threads(2));
    }

    @AfterAll
    void stop() {
        server.close();
        regions.close();
    }

    /** {buffers handed out, bytes read from files}, summed over the loops, each read on its loop. */
    private long[] usage() throws Exception {
        long[] sum = new long[2];
        for (StaticFiles.LoopState s : files.states) {
            CompletableFuture<long[]> f = new CompletableFuture<>();
            s.loop.execute(() -> f.complete(new long[] {s.buffersInUse, s.bytesRead}));
            long[] u = f.get(10, TimeUnit.SECONDS);
            sum[0] += u[0];
            sum[1] += u[1];
        }
        return sum;
    }

    @Test
    void aSlowReaderOfAGibibyteFileCostsConstantMemory() throws Exception {
        LoopOptions options = server.group().options();
        long outputBound = options.maxPendingOutput() / 3;
        long readBefore = usage()[1];
        long taken = 16L << 20;
        try (OutputSampler output = new OutputSampler(server); Socket s = new Socket()) {
            requestBig(s, server);
            output.await(options.highWatermark());
            long[] maxBuffers = {0};
            readZeros(s, taken, () -> maxBuffers[0] = Math.max(maxBuffers[0], usage()[0]));
            long read = usage()[1] - readBefore;
            System.out.println("slow reader of 1 GiB: took " + taken + " bytes, the server read " + read
                    + " from disk; output peaked at " + output.peak() + " bytes; buffers in use at most " + maxBuffers[0]);
            assertTrue(output.peak() <= outputBound, "queued output stayed bounded (" + outputBound + "): " + output.peak());
            assertTrue(maxBuffers[0] <= 1, "one read buffer for one response: " + maxBuffers[0]);
            // What was read but not taken sits in the connection's queue and the kernel's socket buffers.
            assertTrue(read <= taken + options.maxPendingOutput() + (8 << 20),
                    "the file is read at the client's pace: " + read + " bytes read for " + taken + " taken");
        }
        // The client left mid-body: the transfer stops and hands its buffer back, far short of 1 GiB.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (usage()[0] != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the buffer of a transfer whose client left was never returned");
            LockSupport.parkNanos(1_000_000);
        }
        long read = usage()[1] - readBefore;
        assertTrue(read < GIB / 8, "reading stopped when the client left: " + read + " bytes read");
    }

    /**
     * The same slow reader, its body sent from the file (a splice on io_uring, sendfile on NIO):
     * the server's memory for output stays that of a short response while the client holds back
     * a gibibyte, and when the client leaves mid-file the connection gives the file back (its
     * descriptor closes).
     */
    @Test
    void aSlowReaderOfAGibibyteFileSentFromTheFileCostsNoOutputMemory() throws Exception {
        long pipesBefore = openFds("pipe:");
        long taken = 16L << 20;
        try (OutputSampler output = new OutputSampler(regions); Socket s = new Socket()) {
            requestBig(s, regions);
            readZeros(s, taken, () -> { });
            LoopOptions options = regions.group().options();
            System.out.println("slow reader of 1 GiB sent from the file: output memory peaked at " + output.peak() + " bytes");
            // Reading the file a piece at a time (TLS, or io_uring without SPLICE) holds one 256 KiB piece.
            assertTrue(output.peak() <= options.lowWatermark() + (256 << 10), "output memory stayed small: " + output.peak());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openFds(root.resolve("big.bin").toString()) > 0 || openFds("pipe:") > pipesBefore) {
            assertTrue(System.nanoTime() - deadline < 0, "the file, or the pipe it was spliced through, of a transfer whose"
                    + " client left stayed open: " + openFds(root.resolve("big.bin").toString()) + " of the file, "
                    + openFds("pipe:") + " pipes (" + pipesBefore + " before)");
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Ranges and HEAD of a file above the threshold, through the server that sends from files: each
     * range is exactly its bytes, pipelined behind a whole-file response and ahead of a HEAD.
     */
    @Test
    void rangesAndHeadOfAFileSentFromTheFile() throws Exception {
        byte[] content = new byte[700_001];
        new Random(3).nextBytes(content);
        Files.write(root.resolve("ranged.bin"), content);
        try (Socket s = new Socket()) {
            s.connect(regions.localAddress());
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /ranged.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /ranged.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=4097-600000\r\n\r\n"
                    + "GET /ranged.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=-70000\r\n\r\n"
                    + "HEAD /ranged.bin HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /ranged.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=1-1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            Response whole = HttpNetworkCases.read(in);
            assertEquals(200, whole.status());
            assertArrayEquals(content, whole.body());
            Response middle = HttpNetworkCases.read(in);
            assertEquals(206, middle.status());
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 4097, 600_001), middle.body());
            Response tail = HttpNetworkCases.read(in);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, content.length - 70_000, content.length), tail.body());
            String head = readHead(in);
            assertTrue(head.contains("Content-Length: " + content.length + "\r\n"), head);
            Response one = HttpNetworkCases.read(in);
            assertArrayEquals(new byte[] {content[1]}, one.body());
        }
    }

    /** The descriptors of this process whose target starts with {@code prefix}. */
    private static long openFds(String prefix) throws IOException {
        long n = 0;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith(prefix)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor closed between the listing and the look: it is not open.
                }
            }
        }
        return n;
    }

    /** Asks {@code srv} for the gibibyte through {@code s}, with a small receive buffer: a slow reader. */
    private static void requestBig(Socket s, TcpServer srv) throws IOException {
        s.setReceiveBufferSize(16 * 1024);
        s.connect(srv.localAddress());
        s.setSoTimeout(30_000);
        s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Something done after each mebibyte read. */
    private interface EveryMebibyte {
        void run() throws Exception;
    }

    /** Reads the response's head, then {@code taken} bytes of its body, each a zero. */
    private static void readZeros(Socket s, long taken, EveryMebibyte probe) throws Exception {
        InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
        String head = readHead(in);
        assertTrue(head.contains("Content-Length: " + GIB + "\r\n"), head);
        byte[] chunk = new byte[8192];
        for (long got = 0; got < taken; ) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, taken - got));
            assertTrue(n > 0, "the body ended early");
            for (int i = 0; i < n; i++) {
                assertEquals(0, chunk[i], "a sparse file reads as zeros");
            }
            got += n;
            if ((got & ((1 << 20) - 1)) < n) {
                probe.run();
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertTrue(c >= 0, "the connection ended in the head");
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void manyFilesFetchedAtOnceArriveIntact() throws Exception {
        Random random = new Random(17);
        Path dir = Files.createDirectories(root.resolve("many"));
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] b = new byte[i % 10 == 0 ? 0 : random.nextInt(300_000)];
            random.nextBytes(b);
            Files.write(dir.resolve("f" + i + ".bin"), b);
            contents.add(b);
        }
        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int seed = c;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    try (Socket s = new Socket()) {
                        s.connect(server.localAddress());
                        s.setSoTimeout(30_000);
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        for (int i = 0; i < 30; i++) {
                            int f = r.nextInt(contents.size());
                            // Two requests per write: pipelined, so responses queue behind each other too.
                            int g = r.nextInt(contents.size());
                            s.getOutputStream().write(("GET /many/f" + f + ".bin HTTP/1.1\r\nHost: t\r\n\r\n"
                                    + "GET /many/f" + g + ".bin HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            for (int k : new int[] {f, g}) {
                                Response resp = HttpNetworkCases.read(in);
                                assertEquals(200, resp.status());
                                assertArrayEquals(contents.get(k), resp.body(), "f" + k + ".bin");
                                checked++;
                            }
                        }
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(clients * 60, total);
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (usage()[0] != 0) {
            assertTrue(System.nanoTime() - deadline < 0, "buffers were not all returned");
            LockSupport.parkNanos(1_000_000);
        }
    }
}
