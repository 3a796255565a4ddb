package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.runtime.TcpServer;

/**
 * Handlers on virtual threads ({@link BlockingHandler}) over real sockets, on io_uring and on NIO:
 * blocking handlers overlap while a route on the loop answers at once; a large upload read with
 * blocking calls and a large response written with them both go at the slower side's pace with
 * bounded memory; a connection's handlers run one after another, other connections' meanwhile;
 * pipelined answers keep request order; a handler that throws gets a 500; and none
 * of it pins a carrier thread (JFR's {@code jdk.VirtualThreadPinned}).
 */
@ExtendWith(DefaultTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualThreadNetworkTest {
    private static final int SLEEPERS = 200;
    private static final long SLEEP_MILLIS = 200;
    private static final int UPLOAD_BYTES = 20 << 20;
    private static final long DOWNLOAD_BYTES = 64L << 20;
    /** Unconsumed input the server's loops may hold for one connection whose handler reads slowly. */
    private static final long QUEUED_BOUND = 1 << 20;

    private HttpServer http;
    private TcpServer server;
    private final ExecutorService perRequest = Executors.newVirtualThreadPerTaskExecutor();
    /** What the /hold and /mark handlers did, in the order they did it. */
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch held;
    private volatile CountDownLatch release;

    /** Whether the handlers' virtual threads are the loops' own ({@link BlockingHandler#onLoopVirtualThreads}). */
    boolean onLoops() {
        return false;
    }

    private BlockingHandler blocking(HttpHandler handler) {
        return onLoops() ? BlockingHandler.onLoopVirtualThreads(handler) : BlockingHandler.onVirtualThreads(handler);
    }

    @BeforeAll
    void start() throws IOException {
        Router router = Router.builder()
                .get("/plaintext", TestApp.PLAINTEXT)
                .get("/sleep", blocking((request, response) -> {
                    Thread.sleep(SLEEP_MILLIS);
                    response.send(request.target().getBytes(StandardCharsets.US_ASCII));
                }))
                .get("/delay", BlockingHandler.on(perRequest, (request, response) -> {
                    // A task per request, so later requests finish first: the answers must still leave in request order.
                    int n = Integer.parseInt(request.query());
                    Thread.sleep(50 - n * 5L);
                    response.header("X-N", request.headers().get("X-N")).send(("n=" + n).getBytes(StandardCharsets.US_ASCII));
                }))
                .post("/upload", blocking(VirtualThreadNetworkTest::upload))
                .get("/download", blocking(VirtualThreadNetworkTest::download))
                .get("/small", blocking((request, response) -> {
                    // A body of declared length that fits the stream's buffer: sent in one step when complete.
                    byte[] digits = "0123456789".getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = response.outputStream(10);
                    out.write(digits, 0, 5);
                    if (request.query().equals("whole")) {
                        // Held until complete, so the head can still change after a refused write.
                        IOException tooMuch = assertThrowsIo(() -> out.write(digits, 0, 6));
                        response.header("X-Refused", tooMuch.getMessage());
                        out.write(digits, 5, 5);
                    }
                    out.close(); // short of 10 octets: the connection closes
                }))
                .get("/hold", blocking((request, response) -> {
                    events.add("hold " + request.query());
                    held.countDown();
                    release.await();
                    events.add("released " + request.query());
                    response.send();
                }))
                .get("/mark", blocking((request, response) -> {
                    events.add("mark " + request.query());
                    response.send();
                }))
                .get("/inline", BlockingHandler.on(Runnable::run, (request, response) -> response.send()))
                .get("/fail", blocking((request, response) -> {
                    throw new IllegalStateException("a handler that fails on purpose");
                }))
                .build();
        http = HttpServer.builder(router).maxBodyBytes(UPLOAD_BYTES).build();
        server = http.serve(TcpServer.builder().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
        perRequest.close();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static IOException assertThrowsIo(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no IOException");
    }

    /** Reads the body slowly with blocking calls, tracking what waits for it; answers its length and CRC. */
    private static void upload(HttpRequest request, HttpResponse response) throws Exception {
        InputStream body = request.body();
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[8192];
        long length = 0;
        long peakQueued = 0;
        for (int n; (n = body.read(buffer)) > 0; ) {
            peakQueued = Math.max(peakQueued, body.available());
            crc.update(buffer, 0, n);
            length += n;
            if (length % (1 << 20) < n) {
                Thread.sleep(2); // a consumer slower than the network: the loop must stop reading for it
            }
        }
        response.send(("length=" + length + " crc=" + crc.getValue() + " peak=" + peakQueued)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@link #DOWNLOAD_BYTES} with blocking calls, in pieces of several sizes. */
    private static void download(HttpRequest request, HttpResponse response) throws Exception {
        response.start(DOWNLOAD_BYTES);
        byte[] pattern = pattern(1 << 20);
        try (OutputStream out = response.outputStream()) {
            for (long sent = 0; sent < DOWNLOAD_BYTES; sent += pattern.length) {
                out.write(pattern, 0, 1000);
                out.write(pattern[1000]);
                out.write(pattern, 1001, pattern.length - 1001);
            }
        }
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + i / 977);
        }
        return b;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(server.localAddress());
        s.setSoTimeout(30_000);
        return s;
    }

    private static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void sleepingHandlersOverlapWhileTheLoopAnswersAtOnce() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(SLEEPERS)) {
            for (int i = 0; i < SLEEPERS; i++) {
                sockets.add(connect());
            }
            long started = System.nanoTime();
            List<Future<HttpNetworkCases.Response>> answers = new ArrayList<>();
            for (int i = 0; i < SLEEPERS; i++) {
                Socket s = sockets.get(i);
                int id = i;
                answers.add(clients.submit(() -> {
                    send(s, "GET /sleep?" + id + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    return HttpNetworkCases.read(new BufferedInputStream(s.getInputStream()));
                }));
            }
            // While the sleepers sleep, the loop is free: a route on it answers at once.
            try (Socket quick = connect()) {
                long asked = System.nanoTime();
                send(quick, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
                HttpNetworkCases.Response r = HttpNetworkCases.read(new BufferedInputStream(quick.getInputStream()));
                long quickMillis = (System.nanoTime() - asked) / 1_000_000;
                assertEquals(200, r.status());
                assertTrue(quickMillis < SLEEP_MILLIS, "the loop route answered in " + quickMillis + " ms, behind the sleepers");
            }
            for (int i = 0; i < SLEEPERS; i++) {
                HttpNetworkCases.Response r = answers.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, r.status());
                assertEquals("/sleep?" + i, r.text());
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%s: %d handlers sleeping %d ms answered in %d ms%n", server.group().transport(),
                    SLEEPERS, SLEEP_MILLIS, millis);
            // One after another they would take 40 s; overlapping, little more than one sleep.
            assertTrue(millis < 20 * SLEEP_MILLIS, SLEEPERS + " sleeping handlers took " + millis + " ms: they did not overlap");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aLargeUploadIsReadWithBlockingCallsInBoundedMemory() throws Exception {
        byte[] body = pattern(UPLOAD_BYTES);
        CRC32 crc = new CRC32();
        crc.update(body);
        try (OutputSampler queued = new OutputSampler(server); Socket s = connect()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    send(s, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n");
                    s.getOutputStream().write(body);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            HttpNetworkCases.Response r = HttpNetworkCases.read(new BufferedInputStream(s.getInputStream()));
            writer.join();
            assertEquals(200, r.status());
            String[] facts = r.text().split(" ");
            assertEquals("length=" + body.length, facts[0]);
            assertEquals("crc=" + crc.getValue(), facts[1], "the body arrived intact");
            long peakQueued = Long.parseLong(facts[2].substring("peak=".length()));
            System.out.printf("%s: 20 MiB upload read on a virtual thread; at most %d bytes waited for it, the loops "
                    + "held at most %d%n", server.group().transport(), peakQueued, queued.peak());
            // The window, plus the one receive that crossed it.
            assertTrue(peakQueued <= BlockingBody.WINDOW + (256 << 10), "the handler had " + peakQueued
                    + " bytes waiting for it: the loop did not stop reading");
            assertTrue(queued.peak() <= QUEUED_BOUND, "the loops held " + queued.peak() + " bytes");
        }
    }

    @Test
    void aLargeResponseIsWrittenWithBlockingCallsAtASlowReadersPace() throws Exception {
        byte[] pattern = pattern(1 << 20);
        try (OutputSampler queued = new OutputSampler(server); Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(server.localAddress());
            s.setSoTimeout(30_000);
            send(s, "GET /download HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200 ") && head.contains("Content-Length: " + DOWNLOAD_BYTES), head);
            byte[] piece = new byte[pattern.length];
            for (long got = 0; got < DOWNLOAD_BYTES; got += piece.length) {
                in.readNBytes(piece, 0, piece.length);
                assertArrayEquals(pattern, piece, "the response at " + got);
                if (got % (8 << 20) == 0) {
                    Thread.sleep(20); // a slow reader: the writer must wait for it
                }
            }
            // The watermark, plus what the writer may post ahead of the loop (two slices, the one that
            // crossed that, and its 16 KiB buffer), which the loop hands on even past the watermark,
            // counted in the loop's blocks of 64 KiB.
            long bound = server.group().options().highWatermark() + (5 * 64 << 10);
            System.out.printf("%s: 64 MiB written with blocking calls; the loops held at most %d bytes (bound %d)%n",
                    server.group().transport(), queued.peak(), bound);
            assertTrue(queued.peak() <= bound, "the loops held " + queued.peak() + " bytes of output");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed inside a response head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndKeepAlive() throws Exception {
        try (Socket s = connect()) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int round = 0; round < 2; round++) {
                StringBuilder batch = new StringBuilder();
                for (int n = 0; n < 10; n++) {
                    batch.append("GET /delay?").append(n).append(" HTTP/1.1\r\nHost: t\r\nX-N: ").append(n).append("\r\n\r\n");
                    batch.append("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
                }
                send(s, batch.toString());
                for (int n = 0; n < 10; n++) {
                    HttpNetworkCases.Response r = HttpNetworkCases.read(in);
                    assertEquals("n=" + n, r.text(), "round " + round + ", response " + n);
                    assertEquals(String.valueOf(n), r.headers().get("x-n"));
                    assertEquals("Hello, World!", HttpNetworkCases.read(in).text());
                }
            }
        }
    }

    @Test
    void aBlockedHandlerDelaysTheNextRequestOfItsConnectionButNoOtherConnection() throws Exception {
        events.clear();
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Socket a = connect(); Socket b = connect()) {
            InputStream inA = new BufferedInputStream(a.getInputStream());
            send(a, "GET /hold?a HTTP/1.1\r\nHost: t\r\n\r\nGET /mark?a HTTP/1.1\r\nHost: t\r\n\r\n");
            assertTrue(held.await(30, TimeUnit.SECONDS), "the first handler never ran");
            // Another connection is answered while the first one's handler blocks.
            send(b, "GET /mark?b HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpNetworkCases.read(new BufferedInputStream(b.getInputStream())).status());
            release.countDown();
            assertEquals(200, HttpNetworkCases.read(inA).status());
            assertEquals(200, HttpNetworkCases.read(inA).status());
            // The second request of the blocked connection ran only once the first handler returned.
            assertEquals(List.of("hold a", "mark b", "released a", "mark a"), List.copyOf(events));
        }
    }

    @Test
    void anAnswerLeavesWhileTheNextHandlerOfItsConnectionBlocks() throws Exception {
        events.clear();
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Socket a = connect()) {
            a.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(a.getInputStream());
            send(a, "GET /mark?a HTTP/1.1\r\nHost: t\r\n\r\nGET /hold?a HTTP/1.1\r\nHost: t\r\n\r\n");
            // The first answer is not held back behind the second handler, which waits to be released.
            assertEquals(200, HttpNetworkCases.read(in).status());
            assertTrue(held.await(30, TimeUnit.SECONDS), "the second handler never ran");
            assertEquals(List.of("mark a", "hold a"), List.copyOf(events));
            release.countDown();
            assertEquals(200, HttpNetworkCases.read(in).status());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSmallBodyOfDeclaredLengthLeavesWholeAndAShortOneClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /small?whole HTTP/1.1\r\nHost: t\r\n\r\nGET /small?short HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpNetworkCases.Response whole = HttpNetworkCases.read(in);
            assertEquals("0123456789", whole.text());
            assertEquals("10", whole.headers().get("content-length"));
            assertTrue(whole.headers().get("x-refused").contains("exceed the declared Content-Length 10"),
                    whole.headers().toString());
            String head = readHead(in);
            assertTrue(head.contains("Content-Length: 10"), head);
            assertArrayEquals("01234".getBytes(StandardCharsets.US_ASCII), in.readAllBytes(),
                    "five octets, then the connection closes: the client cannot mistake them for the whole body");
        }
    }

    @Test
    void aHandlerThatThrowsGets500AndTheConnectionCloses() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /fail HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertEquals(200, HttpNetworkCases.read(in).status());
            HttpNetworkCases.Response failed = HttpNetworkCases.read(in);
            assertEquals(500, failed.status());
            assertEquals("close", failed.headers().get("connection"));
            assertEquals(-1, in.read(), "the connection closed after the 500");
        }
        try (Socket s = connect()) {
            // An executor that runs the handler on the loop itself would hang its blocking reads.
            send(s, "GET /inline HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(500, HttpNetworkCases.read(new BufferedInputStream(s.getInputStream())).status());
        }
        try (Socket s = connect()) {
            send(s, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
            assertEquals(200, HttpNetworkCases.read(new BufferedInputStream(s.getInputStream())).status(),
                    "other connections are served after a handler failed");
        }
    }

    @Test
    void theServerWideOptionRunsEveryHandlerOnAVirtualThreadAndAsksForContinuedBodies() throws Exception {
        HttpHandler echo = (request, response) -> {
            InputStream body = request.body(); // before the response starts: this sends 100 Continue
            response.header("X-Virtual", String.valueOf(Thread.currentThread().isVirtual()))
                    .header("X-Test", request.headers().get("X-Test"))
                    .startChunked();
            try (OutputStream out = response.outputStream()) {
                body.transferTo(out);
            }
        };
        HttpServer.Builder builder = HttpServer.builder(Router.builder().post("/echo", echo).build());
        try (TcpServer virtual = (onLoops() ? builder.virtualThreadsOnLoops(true) : builder.virtualThreads(true)).build()
                .serve(TcpServer.builder().threads(1));
                Socket s = new Socket()) {
            s.connect(virtual.localAddress());
            s.setSoTimeout(30_000);
            send(s, "POST /echo HTTP/1.1\r\nHost: t\r\nX-Test: kept\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", readHead(in), "the client is asked for the body");
            send(s, "hello");
            HttpNetworkCases.Response r = HttpNetworkCases.read(in);
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
            assertEquals("true", r.headers().get("x-virtual"));
            assertEquals("kept", r.headers().get("x-test"));
            assertEquals(null, r.headers().get("connection"), "the connection stays open");
        }
    }

    @Test
    void blockingHandlersDoNotPinTheirCarriers() throws Exception {
        Path file = Files.createTempFile("uring4j-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            sleepingHandlersOverlapWhileTheLoopAnswersAtOnce();
            aLargeUploadIsReadWithBlockingCallsInBoundedMemory();
            aLargeResponseIsWrittenWithBlockingCallsAtASlowReadersPace();
            pipelinedRequestsAreAnsweredInOrderAndKeepAlive();
            theServerWideOptionRunsEveryHandlerOnAVirtualThreadAndAsksForContinuedBodies();
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                    .toList();
            assertEquals(List.of(), pinned, "virtual threads pinned their carriers");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
