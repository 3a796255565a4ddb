package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Output at the client's pace, on the in-memory transport with a client that reads only when the
 * test says so: a streaming handler is told to wait and is resumed as the client reads; output
 * staged behind an unfinished response is bounded and leaves in slices while the transport is
 * writable; a writer on another thread cannot queue more than the staging limit ahead of the loop;
 * and a writer left waiting is let go when the client leaves. The transport's queue is checked
 * against the watermark after every write, and a write past its output limit fails the test as the
 * runtime would refuse it.
 */
class BackPressureTest {
    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int CHUNK = 16 * 1024;

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    /** The client reads in small steps until nothing more comes; at most {@code maxSteps} steps. */
    private static void readUntilQuiet(InMemoryTransport t, int step, int maxSteps) {
        for (int i = 0; i < maxSteps; i++) {
            if (t.clientReads(step) == 0 && t.queued() == 0) {
                return;
            }
        }
        throw new AssertionError("the client read " + maxSteps + " steps and output still comes");
    }

    /** A connection whose one route, {@code /stream}, streams {@code length} octets to a client that reads when told. */
    private static InMemoryTransport slowClientOfAStream(long length, PacedWriter.Progress progress) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(Router.builder().get("/stream", PacedWriter.handler(length, CHUNK, progress)).build())
                .build());
        t.slowClient(LOW, HIGH, 4 << 20);
        return t;
    }

    private static void assertStreamedBody(byte[] body, long length, int chunk) {
        assertEquals(length, body.length);
        for (int i = 0; i < body.length; i++) {
            if (body[i] != PacedWriter.expected(i, chunk)) {
                throw new AssertionError("octet " + i + " of the streamed body differs");
            }
        }
    }

    @Test
    void aStreamingHandlerWaitsForASlowClientAndTheQueueStaysAtTheWatermark() {
        long length = 8 << 20;
        PacedWriter.Progress progress = new PacedWriter.Progress();
        Router router = Router.builder().get("/stream", PacedWriter.handler(length, CHUNK, progress))
                .get("/", TestApp.PLAINTEXT).build();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(router).build());
        t.slowClient(LOW, HIGH, 4 << 20);

        t.receive(get("/stream") + get("/"));
        assertTrue(progress.written.get() <= HIGH + CHUNK, "the writer stopped at the watermark: " + progress.written);
        readUntilQuiet(t, 8 * 1024, 10_000);

        List<Responses.Response> responses = Responses.finals(t.output(), false);
        assertEquals(2, responses.size());
        assertStreamedBody(responses.get(0).body(), length, CHUNK);
        assertEquals("Hello, World!", responses.get(1).bodyText(), "the pipelined request is answered after the stream");
        assertTrue(t.peakQueued() <= HIGH + CHUNK, "queued output never went past the watermark and one write: "
                + t.peakQueued());
        assertTrue(progress.waits.get() > 100, "the writer waited for the client: " + progress.waits);
        assertFalse(t.isClosed());
    }

    @Test
    void isWritableAnswersAsTheLastWriteDidOnTheLoopAndElsewhere() throws Exception {
        List<HttpResponse> parked = new ArrayList<>();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(Router.builder().get("/", (req, res) -> parked.add(res)).build()).build());
        t.slowClient(LOW, HIGH, 4 << 20);
        t.receive(get("/"));
        HttpResponse response = parked.getFirst().start(1 << 20);
        assertTrue(response.isWritable());
        boolean more = true;
        while (more) {
            more = response.write(new byte[CHUNK]);
            assertEquals(more, response.isWritable(), "the same answer the write gave");
        }
        // Another thread sees the loop's last word.
        assertFalse(CompletableFuture.supplyAsync(response::isWritable).get(10, TimeUnit.SECONDS));
        t.clientReads(HIGH);
        assertTrue(response.isWritable(), "the client read down to the low watermark");
        assertTrue(CompletableFuture.supplyAsync(response::isWritable).get(10, TimeUnit.SECONDS));
    }

    @Test
    void responsesStagedBehindASlowOneLeaveInSlicesAsTheClientReads() throws Exception {
        List<HttpResponse> parked = new ArrayList<>();
        byte[][] bodies = new byte[8][];
        Random random = new Random(3);
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = new byte[512 * 1024];
            random.nextBytes(bodies[i]);
        }
        int[] next = {0};
        Router router = Router.builder().get("/slow", (req, res) -> parked.add(res))
                .get("/big", (req, res) -> res.send(bodies[next[0]++])).build();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(router).maxBufferedResponseBytes(8 << 20).build());
        // Far below the 4 MiB staged: writing the staging at once would fail the test.
        int limit = HIGH + Pipeline.DRAIN_SLICE + 1024;
        t.slowClient(LOW, HIGH, limit);

        t.receive(get("/slow") + get("/big").repeat(bodies.length));
        assertEquals(bodies.length, next[0], "every request was dispatched and answered into the staging");
        assertEquals(0, t.output().length);

        parked.getFirst().send("first".getBytes(StandardCharsets.US_ASCII));
        t.runTasks();
        assertTrue(t.queued() <= limit && t.queued() > 0, "one slice went out: " + t.queued());
        readUntilQuiet(t, 8 * 1024, 10_000);

        List<Responses.Response> responses = Responses.finals(t.output(), false);
        assertEquals(1 + bodies.length, responses.size());
        assertEquals("first", responses.getFirst().bodyText());
        for (int i = 0; i < bodies.length; i++) {
            assertArrayEquals(bodies[i], responses.get(1 + i).body(), "response " + (1 + i) + ", in order and intact");
        }
        assertTrue(t.peakQueued() <= limit, "peak queued " + t.peakQueued());
    }

    @Test
    void aStreamBehindAnUnfinishedResponseStagesNoMoreThanTheLimitAndReadingPauses() {
        int staging = 64 * 1024;
        long length = 2 << 20;
        List<HttpResponse> parked = new ArrayList<>();
        PacedWriter.Progress progress = new PacedWriter.Progress();
        Router router = Router.builder().get("/slow", (req, res) -> parked.add(res))
                .get("/stream", PacedWriter.handler(length, CHUNK, progress)).get("/", TestApp.PLAINTEXT).build();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(router).maxBufferedResponseBytes(staging).build());
        t.slowClient(LOW, HIGH, HIGH + Pipeline.DRAIN_SLICE + 1024);

        t.receive(get("/slow") + get("/stream") + get("/"));
        assertEquals(0, t.output().length, "everything waits behind /slow");
        assertTrue(progress.written.get() <= staging + CHUNK, "the stream stopped at the staging limit: " + progress.written);
        assertEquals(1, progress.waits.get());
        assertTrue(t.isInputPaused(), "staging is full: the next request is not read");
        assertEquals(get("/").length(), t.retainedBytes());

        parked.getFirst().send("first".getBytes(StandardCharsets.US_ASCII));
        t.runTasks();
        readUntilQuiet(t, 8 * 1024, 10_000);

        List<Responses.Response> responses = Responses.finals(t.output(), false);
        assertEquals(3, responses.size());
        assertEquals("first", responses.get(0).bodyText());
        assertStreamedBody(responses.get(1).body(), length, CHUNK);
        assertEquals("Hello, World!", responses.get(2).bodyText());
        assertFalse(t.isInputPaused());
        assertEquals(1, progress.ended.get());
    }

    /**
     * A handler that ignores write's false behind an unfinished response cannot stage without
     * bound: an output limit past the staging limit, the connection is closed, as a write past the
     * output limit would be, and the staging is dropped.
     */
    @Test
    void aStreamThatIgnoresTheSignalBehindAnUnfinishedResponseClosesTheConnectionAtTheOutputLimit() {
        long limit = 1 << 20;
        List<HttpResponse> parked = new ArrayList<>();
        long[] accepted = new long[1];
        byte[] chunk = new byte[CHUNK];
        InMemoryTransport t = new InMemoryTransport();
        Router router = Router.builder().get("/slow", (req, res) -> parked.add(res)).get("/flood", (req, res) -> {
            res.start(8 * limit);
            for (long sent = 0; sent < 8 * limit && !t.isClosed(); sent += CHUNK) {
                res.write(chunk, 0, CHUNK);
                accepted[0] += CHUNK;
            }
        }).build();
        int staging = 64 * 1024;
        t.connect(HttpServer.builder(router).maxBufferedResponseBytes(staging).build());
        t.slowClient(LOW, HIGH, limit);

        t.receive(get("/slow") + get("/flood"));
        assertTrue(t.isClosed(), "staging past the limits closed the connection");
        assertTrue(accepted[0] <= staging + limit + CHUNK, "the flood stopped at the limits: " + accepted[0]);
        assertEquals(0, t.output().length, "nothing of the flood was sent ahead of /slow");
    }

    @Test
    void aWriterOnAnotherThreadQueuesNoMoreThanTheStagingLimitAheadOfTheLoop() throws Exception {
        int staging = 128 * 1024;
        long length = 4 << 20;
        AtomicReference<HttpResponse> parked = new AtomicReference<>();
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(Router.builder().get("/", (req, res) -> parked.set(res)).build())
                .maxBufferedResponseBytes(staging).build());
        t.slowClient(LOW, HIGH, 1 << 20);
        t.receive(get("/"));

        PacedWriter.Progress progress = new PacedWriter.Progress();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("off-loop writer").start(() -> {
            try {
                HttpResponse response = parked.get().start(length);
                byte[] data = new byte[CHUNK];
                for (long left = length; left > 0; left -= CHUNK) {
                    for (int i = 0; i < CHUNK; i++) {
                        data[i] = PacedWriter.expected(length - left + i, CHUNK);
                    }
                    boolean more = response.write(data);
                    progress.written.addAndGet(CHUNK);
                    if (!more && left > CHUNK) {
                        progress.waits.incrementAndGet();
                        CountDownLatch writable = new CountDownLatch(1);
                        response.onWritable(writable::countDown);
                        if (!writable.await(30, TimeUnit.SECONDS)) {
                            throw new AssertionError("never told to go on");
                        }
                    }
                }
                response.end();
            } catch (Throwable e) {
                failed.set(e);
            }
        });

        // The loop runs the posted writes but the client reads nothing: the writer must stop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (progress.waits.get() == 0 && System.nanoTime() < deadline) {
            t.awaitTasks(java.time.Duration.ofMillis(10));
        }
        // Once it waits on its latch the writer posts nothing more: then the loop takes all it posted.
        while (writer.getState() != Thread.State.TIMED_WAITING && writer.isAlive()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        t.runTasks();
        assertEquals(1, progress.waits.get(), "the writer waits");
        assertEquals(Thread.State.TIMED_WAITING, writer.getState(), "the writer waits for onWritable");
        assertTrue(progress.written.get() <= HIGH + staging + 2L * CHUNK,
                "the writer went at most the staging limit past the watermark: " + progress.written);

        while (writer.isAlive() || t.queued() > 0) {
            t.awaitTasks(java.time.Duration.ofMillis(1));
            t.clientReads(32 * 1024);
        }
        writer.join();
        if (failed.get() != null) {
            throw new AssertionError("the writer failed", failed.get());
        }
        assertStreamedBody(Responses.finals(t.output(), false).getFirst().body(), length, CHUNK);
        assertTrue(t.peakQueued() <= HIGH + staging + 2L * CHUNK, "peak queued " + t.peakQueued());
        assertTrue(progress.waits.get() > 10, "waits " + progress.waits);
    }

    @Test
    void aWriterLeftWaitingIsLetGoWhenTheClientLeaves() {
        long length = 8 << 20;
        PacedWriter.Progress progress = new PacedWriter.Progress();
        InMemoryTransport t = slowClientOfAStream(length, progress);
        t.receive(get("/stream"));
        assertEquals(1, progress.waits.get());
        t.receiveReset();
        assertEquals(length, progress.written.get(), "woken, its writes are taken and discarded to the end");
        assertEquals(1, progress.ended.get());
    }

    @Test
    void aStreamToAHeadRequestNeverWaits() {
        long length = 8 << 20;
        PacedWriter.Progress progress = new PacedWriter.Progress();
        InMemoryTransport t = slowClientOfAStream(length, progress);
        t.receive("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(0, progress.waits.get(), "a HEAD response's body is discarded, so nothing piles up");
        assertEquals(1, progress.ended.get());
        assertEquals(String.valueOf(length), Responses.finals(t.output(), false, true).getFirst().header("Content-Length"));
    }

    @Test
    void aHeadAnswerEndsRightAfterItsDeclaredLengthAndTheConnectionGoesOn() {
        HttpHandler declareOnly = (request, response) -> {
            response.start(1L << 30);
            response.end();
        };
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(Router.builder().get("/big", declareOnly).get("/", TestApp.PLAINTEXT).build()).build());
        t.receive("HEAD /big HTTP/1.1\r\nHost: a\r\n\r\n" + get("/"));
        List<Responses.Response> answers = Responses.finals(t.output(), false, true, false);
        assertEquals(2, answers.size(), "the HEAD answer and the next one");
        assertEquals(String.valueOf(1L << 30), answers.get(0).header("Content-Length"));
        assertEquals(200, answers.get(1).status());
        assertFalse(t.isClosed(), "a HEAD answer declares a length it does not send");

        InMemoryTransport g = new InMemoryTransport();
        g.connect(HttpServer.builder(Router.builder().get("/big", declareOnly).build()).build());
        g.receive(get("/big"));
        assertTrue(g.isOutputShutdown() || g.isClosed(), "a GET answer shorter than its Content-Length leaves the client no framing: closed");
    }
}
