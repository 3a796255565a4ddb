package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests are answered in order: in batches, across arbitrary splits, and when earlier
 * responses complete later, from other threads, in any order. The pipeline depth and the staged
 * output are bounded by pausing input, and the paused octets are served on resume.
 */
class PipeliningTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Keeps every response of {@code GET /async}, to be completed by the test. */
    private static final class Parked {
        final List<HttpResponse> responses = new ArrayList<>();

        HttpHandler handler() {
            return (request, response) -> responses.add(response);
        }

        /** Completes response {@code i} with {@code body} from another thread, as a backend would. */
        void completeFromAnotherThread(int i, String body) throws InterruptedException {
            HttpResponse response = responses.get(i);
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            Thread t = new Thread(() -> {
                response.send(bytes);
                java.util.Arrays.fill(bytes, (byte) '#'); // off-loop writes are copied: this must not show
            });
            t.start();
            t.join();
        }
    }

    private static InMemoryTransport connect(HttpServer server) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(server);
        return t;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private static List<String> bodies(InMemoryTransport t) {
        return Responses.finals(t.output(), t.isClosed() || t.isOutputShutdown()).stream().map(Responses.Response::bodyText).toList();
    }

    @Test
    void theResponsesToABatchLeaveInOneWriteAndOneFlush() {
        InMemoryTransport t = connect(HttpServer.builder(TestApp.router()).build());
        t.receive(get("/plaintext").repeat(16));
        assertEquals(Collections.nCopies(16, "Hello, World!"), bodies(t));
        assertEquals(1, t.writes(), "transport writes for 16 small responses");
        assertEquals(1, t.flushes(), "flushes for 16 small responses");
    }

    @Test
    void aLargeResponseInsideABatchKeepsItsPlaceAndTheBatchOneFlush() {
        String large = "z".repeat(3 * ResponseWriter.GATHER_BYTES);
        InMemoryTransport t = connect(HttpServer.builder(TestApp.router()).build());
        t.receive(get("/plaintext").repeat(3) + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + large.length()
                + "\r\n\r\n" + large + get("/plaintext").repeat(3));
        List<String> expected = new ArrayList<>(Collections.nCopies(3, "Hello, World!"));
        expected.add(large);
        expected.addAll(Collections.nCopies(3, "Hello, World!"));
        assertEquals(expected, bodies(t));
        assertEquals(1, t.flushes());
    }

    @Test
    void aBatchOfMixedRequestsIsAnsweredInOrderHoweverItIsSplit() {
        StringBuilder batch = new StringBuilder();
        List<String> expected = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            switch (i % 4) {
                case 0 -> {
                    batch.append(get("/plaintext"));
                    expected.add("Hello, World!");
                }
                case 1 -> {
                    String body = "body-" + i + "-" + "x".repeat(random.nextInt(300));
                    batch.append("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: ").append(body.length()).append("\r\n\r\n").append(body);
                    expected.add(body);
                }
                case 2 -> {
                    batch.append("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nchunk\r\n")
                            .append(Integer.toHexString(i)).append("\r\n").append("y".repeat(i)).append("\r\n0\r\n\r\n");
                    expected.add("chunk" + "y".repeat(i));
                }
                default -> {
                    batch.append(get("/missing-" + i));
                    expected.add("404 Not Found\n");
                }
            }
        }
        byte[] input = batch.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 20; round++) {
            InMemoryTransport t = connect(HttpServer.builder(TestApp.router()).build());
            for (int at = 0; at < input.length; ) {
                int n = round == 0 ? input.length : Math.min(input.length - at, 1 + random.nextInt(round * 97));
                t.receive(input, at, n);
                at += n;
            }
            assertEquals(expected, bodies(t), "round " + round);
            assertFalse(t.isOutputShutdown());
            assertEquals(0, t.retainedBytes());
        }
    }

    @Test
    void anEarlierResponseCompletedLaterFromAnotherThreadStillLeavesFirst() throws Exception {
        Parked parked = new Parked();
        Router router = Router.builder().get("/async", parked.handler()).get("/fast", TestApp.PLAINTEXT).build();
        InMemoryTransport t = connect(HttpServer.builder(router).build());

        t.receive(get("/async") + get("/fast") + get("/fast"));
        assertEquals(1, parked.responses.size());
        assertEquals(0, t.output().length, "the fast answers wait behind the slow one");

        parked.completeFromAnotherThread(0, "slow");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of("slow", "Hello, World!", "Hello, World!"), bodies(t));
        assertEquals(0, t.unflushedBytes());
    }

    @Test
    void responsesCompletedInReverseOrderLeaveInRequestOrder() throws Exception {
        Parked parked = new Parked();
        InMemoryTransport t = connect(HttpServer.builder(Router.builder().get("/async", parked.handler()).build()).build());
        t.receive(get("/async") + get("/async") + get("/async") + get("/async"));
        assertEquals(4, parked.responses.size(), "all four dispatched before any is answered");

        parked.completeFromAnotherThread(3, "d");
        parked.completeFromAnotherThread(2, "c");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(0, t.output().length);

        parked.completeFromAnotherThread(0, "a");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of("a"), bodies(t), "b is not done, so c and d wait");

        parked.completeFromAnotherThread(1, "b");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of("a", "b", "c", "d"), bodies(t));
    }

    @Test
    void aFullPipelinePausesInputAndTheKeptRequestsAreServedOnResume() throws Exception {
        Parked parked = new Parked();
        HttpServer server = HttpServer.builder(Router.builder().get("/async", parked.handler()).build())
                .maxPipelinedRequests(2).build();
        InMemoryTransport t = connect(server);
        String five = get("/async").repeat(5);
        t.receive(five);
        assertEquals(2, parked.responses.size());
        assertTrue(t.isInputPaused());
        assertEquals(3 * get("/async").length(), t.retainedBytes(), "undispatched requests stay with the transport");

        for (int i = 0; i < 5; i++) {
            parked.completeFromAnotherThread(i, "r" + i);
            assertTrue(t.awaitTasks(WAIT));
            assertEquals(Math.min(5, i + 3), parked.responses.size(), "each answer lets one more request in");
        }
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), bodies(t));
        assertFalse(t.isInputPaused());
        assertEquals(0, t.retainedBytes());
    }

    @Test
    void outputStagedBehindASlowResponseIsBoundedByPausingInput() throws Exception {
        Parked parked = new Parked();
        Router router = Router.builder().get("/async", parked.handler()).post("/echo", TestApp.ECHO).build();
        InMemoryTransport t = connect(HttpServer.builder(router).maxBufferedResponseBytes(4096).build());
        byte[] body = new byte[100_000];
        new Random(7).nextBytes(body);
        t.receive(get("/async") + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
        for (int at = 0; at < body.length; at += 1000) {
            t.receive(body, at, 1000);
        }
        assertTrue(t.isInputPaused(), "the echo's output waits behind /async, so reading stopped");
        assertTrue(t.retainedBytes() > body.length - 4096 - 1000, "the body stays with the transport: " + t.retainedBytes());

        parked.completeFromAnotherThread(0, "first");
        assertTrue(t.awaitTasks(WAIT));
        List<Responses.Response> responses = Responses.finals(t.output(), false);
        assertEquals("first", responses.get(0).bodyText());
        assertArrayEquals(body, responses.get(1).body());
        assertEquals(0, t.retainedBytes());
    }

    @Test
    void aRefusedRequestIsAnsweredAfterTheEarlierOnesAndThenTheConnectionEnds() throws Exception {
        Parked parked = new Parked();
        InMemoryTransport t = connect(HttpServer.builder(Router.builder().get("/async", parked.handler()).build()).build());
        t.receive(get("/async") + "GET / HTTP/1.1\r\n\r\n" + get("/async"));
        assertEquals(1, parked.responses.size(), "nothing after the bad request is dispatched");
        assertEquals(0, t.output().length);
        assertFalse(t.isOutputShutdown());

        parked.completeFromAnotherThread(0, "ok");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of(200, 400), Responses.statuses(t.output(), true));
        assertTrue(t.isOutputShutdown());
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestsStillGetsEveryAnswer() throws Exception {
        Parked parked = new Parked();
        Router router = Router.builder().get("/async", parked.handler()).get("/", TestApp.PLAINTEXT).build();
        InMemoryTransport t = connect(HttpServer.builder(router).build());
        t.receive(get("/") + get("/async") + get("/"));
        t.receiveEof();
        assertFalse(t.isClosed(), "answers are still owed");
        parked.completeFromAnotherThread(0, "late");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of("Hello, World!", "late", "Hello, World!"), bodies(t));
        assertTrue(t.isClosed());
    }

    @Test
    void aClientThatHalfClosesWhileInputIsPausedStillGetsEveryAnswer() throws Exception {
        Parked parked = new Parked();
        HttpServer server = HttpServer.builder(Router.builder().get("/async", parked.handler()).build())
                .maxPipelinedRequests(2).build();
        InMemoryTransport t = connect(server);
        t.receive(get("/async").repeat(5) + "GET /never-complete");
        t.receiveEof();
        assertTrue(t.isInputPaused());
        for (int i = 0; i < 5; i++) {
            assertFalse(t.isClosed(), "request " + i + " is still owed");
            parked.completeFromAnotherThread(i, "r" + i);
            assertTrue(t.awaitTasks(WAIT));
        }
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), bodies(t));
        assertTrue(t.isClosed(), "the incomplete request can never complete: closed once the rest are answered");
    }

    @Test
    void anAnswerForAClientThatLeftIsDroppedQuietly() throws Exception {
        Parked parked = new Parked();
        InMemoryTransport t = connect(HttpServer.builder(Router.builder().get("/async", parked.handler()).build()).build());
        t.receive(get("/async") + "GET /partial");
        t.receiveEof();
        assertFalse(t.isClosed(), "the complete request is still owed an answer");
        parked.completeFromAnotherThread(0, "late");
        assertTrue(t.awaitTasks(WAIT));
        assertEquals(List.of("late"), bodies(t));
        assertTrue(t.isClosed());

        InMemoryTransport reset = connect(HttpServer.builder(Router.builder().get("/async", parked.handler()).build()).build());
        reset.receive(get("/async"));
        reset.receiveReset();
        parked.completeFromAnotherThread(1, "nobody listens");
        assertTrue(reset.awaitTasks(WAIT)); // the transport throws on a write after close: none happens
        assertEquals(0, reset.output().length);
    }
}
