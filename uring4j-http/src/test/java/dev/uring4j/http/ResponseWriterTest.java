package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The response writer: framing, HEAD, bodiless statuses, header checks, and misuse. */
class ResponseWriterTest {
    private static InMemoryTransport serve(HttpHandler handler, String request) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(handler).build());
        t.receive(request);
        return t;
    }

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String HEAD = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void headGetsTheHeadersAGetWouldWithoutTheBody() {
        byte[] big = new byte[10_000];
        HttpHandler fixed = (req, res) -> res.header("X-Kind", "fixed").send(big);
        InMemoryTransport get = serve(fixed, GET);
        InMemoryTransport head = serve(fixed, HEAD + GET);
        List<Responses.Response> headResponses = Responses.finals(head.output(), false, true, false);
        assertEquals("10000", headResponses.get(0).header("Content-Length"));
        assertEquals("fixed", headResponses.get(0).header("X-Kind"));
        assertEquals(10_000, headResponses.get(1).body().length, "the connection is still in sync after HEAD");
        String getHead = get.outputText().substring(0, get.output().length - 10_000);
        assertTrue(head.outputText().startsWith(getHead + "HTTP/1.1 200"), "HEAD's head is GET's, octet for octet");

        HttpHandler chunked = (req, res) -> {
            res.startChunked().write(big);
            res.end();
        };
        InMemoryTransport headChunked = serve(chunked, HEAD + GET);
        List<Responses.Response> r = Responses.finals(headChunked.output(), false, true, false);
        assertEquals("chunked", r.get(0).header("Transfer-Encoding"));
        assertEquals(10_000, r.get(1).body().length);
    }

    @Test
    void noContentAndNotModifiedCarryNoBodyAndNoLength() {
        InMemoryTransport t = serve((req, res) -> res.status(204).header("X", "y").send(), GET + GET);
        List<Responses.Response> r = Responses.finals(t.output(), false);
        assertEquals(List.of(204, 204), r.stream().map(Responses.Response::status).toList());
        assertNull(r.getFirst().header("Content-Length"));

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        serve((req, res) -> {
            res.status(304);
            thrown.set(assertThrows(IllegalStateException.class, () -> res.send(new byte[1])));
            res.send();
        }, GET);
        assertEquals("a 304 response has no body", thrown.get().getMessage());
    }

    @Test
    void largeAndSmallBodiesFromArraysAndSegmentsAreSentExactly() {
        byte[] bytes = new byte[1 << 20];
        new Random(1).nextBytes(bytes);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(bytes.length + 10);
            MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 10, bytes.length);
            HttpHandler handler = (req, res) -> {
                switch (req.path()) {
                    case "/array" -> res.send(bytes, 5, 100);
                    case "/segment" -> res.send(segment, 10, bytes.length);
                    default -> {
                        res.start(bytes.length).write(segment, 10, 1000);
                        res.write(bytes, 1000, bytes.length - 1000);
                        res.end();
                    }
                }
            };
            InMemoryTransport t = serve(handler, "GET /array HTTP/1.1\r\nHost: a\r\n\r\nGET /segment HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /streamed HTTP/1.1\r\nHost: a\r\n\r\n");
            List<Responses.Response> r = Responses.finals(t.output(), false);
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 5, 105), r.get(0).body());
            assertArrayEquals(bytes, r.get(1).body());
            assertArrayEquals(bytes, r.get(2).body());
        }
    }

    @Test
    void headersThatCouldSplitTheResponseOrFightTheEngineAreRefused() {
        AtomicReference<String> failures = new AtomicReference<>("");
        serve((req, res) -> {
            for (String[] bad : new String[][] {
                    {"X", "a\r\nInjected: yes"}, {"X", "a\nb"}, {"X", "nul\0"}, {"Bad Name", "v"}, {"", "v"},
                    {"X", "\u20ac"}, {"Content-Length", "5"}, {"transfer-encoding", "chunked"}, {"Connection", "close"},
                    {"Date", "today"}}) {
                try {
                    res.header(bad[0], bad[1]);
                    failures.set(failures.get() + " accepted " + bad[0] + "=" + bad[1]);
                } catch (IllegalArgumentException expected) {
                    // refused, as it must be
                }
            }
            assertThrows(IllegalArgumentException.class, () -> res.status(100));
            assertThrows(IllegalArgumentException.class, () -> res.status(600));
            res.header("X-Ok", "caf\u00e9\tok").send();
        }, GET);
        assertEquals("", failures.get());
        assertThrows(IllegalArgumentException.class, () -> HttpHeader.of("X", "\r"));
    }

    @Test
    void misuseThrowsInTheCallersThread() {
        AtomicReference<String> log = new AtomicReference<>("");
        InMemoryTransport t = serve((req, res) -> {
            assertThrows(IllegalStateException.class, () -> res.write(new byte[1]), "write before start");
            assertThrows(IllegalStateException.class, res::end, "end before start");
            res.start(3).write(new byte[2]);
            assertThrows(IllegalStateException.class, () -> res.write(new byte[2]), "past the declared length");
            assertThrows(IllegalStateException.class, () -> res.header("X", "late"), "header after start");
            assertThrows(IllegalStateException.class, res::send, "send after start");
            res.write(new byte[1]);
            res.end();
            assertThrows(IllegalStateException.class, res::end, "end twice");
            log.set("done");
        }, GET);
        assertEquals("done", log.get());
        assertEquals(List.of(200), Responses.statuses(t.output(), false));
    }

    @Test
    void aResponseEndedShortOfItsLengthClosesTheConnection() {
        InMemoryTransport t = serve((req, res) -> {
            res.start(10).write(new byte[4]);
            IllegalStateException e = assertThrows(IllegalStateException.class, res::end);
            assertTrue(e.getMessage().contains("declared Content-Length 10 but wrote 4"), e.getMessage());
        }, GET + GET);
        assertTrue(t.isOutputShutdown(), "the client cannot find the next response: only closing tells it");
        assertThrows(Responses.Truncated.class, () -> Responses.finals(t.output(), true));
    }

    @Test
    void aHandlerThatThrowsGets500AndOthersAreUnaffected() {
        HttpServer server = HttpServer.builder(Router.builder()
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("handler bug");
                })
                .get("/", TestApp.PLAINTEXT).build()).build();
        InMemoryTransport broken = new InMemoryTransport();
        broken.connect(server);
        InMemoryTransport healthy = new InMemoryTransport();
        healthy.connect(server);
        broken.receive("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
        healthy.receive(GET);
        assertEquals(List.of(500), Responses.statuses(broken.output(), true));
        assertTrue(broken.isOutputShutdown());
        assertEquals(List.of(200), Responses.statuses(healthy.output(), false));
    }

    @Test
    void theRequestHeadCannotBeReadAfterHandleReturns() {
        AtomicReference<HttpRequest> kept = new AtomicReference<>();
        InMemoryTransport t = serve((req, res) -> {
            kept.set(req);
            assertEquals("/p", req.path());
            assertEquals("q=1", req.query());
            assertEquals("/p?q=1", req.target());
            HttpHeaders h = req.headers();
            assertEquals("v", h.get("x-TEST"));
            assertEquals(4, h.size());
            int x = h.indexOf("X-Test");
            assertEquals(1, x, "the first of repeated fields");
            assertTrue(h.nameEquals(x, "x-test"));
            assertEquals("X-Test", h.name(x), "names as sent");
            assertTrue(h.valueEquals(x, "v"));
            assertTrue(!h.valueEquals(x, "V") && h.valueEqualsIgnoreCase(x, "V"));
            assertEquals("second value", h.value(2));
            byte[] copy = new byte[20];
            assertEquals(12, h.copyValue(2, copy, 3));
            assertEquals("second value", new String(copy, 3, 12, StandardCharsets.ISO_8859_1));
            assertEquals(0, h.valueLength(3));
            assertTrue(h.contains("EMPTY") && !h.contains("absent"));
            assertEquals(null, h.get("absent"));
            assertThrows(IndexOutOfBoundsException.class, () -> h.value(4));
            res.send();
        }, "GET /p?q=1 HTTP/1.1\r\nHost: a\r\nX-Test: v\r\nx-test:   second value  \r\nEmpty:\r\n\r\n");
        assertEquals(List.of(200), Responses.statuses(t.output(), false));
        assertEquals("GET", kept.get().method(), "facts stay readable");
        assertThrows(IllegalStateException.class, () -> kept.get().target());
        assertThrows(IllegalStateException.class, () -> kept.get().headers());
    }

    @Test
    void theDateHeaderIsTheServerClocksAndChangesOncePerSecond() {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(TestApp.PLAINTEXT).build());
        t.setWallClock(784_111_777_000L); // Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example
        t.receive(GET);
        t.advance(Duration.ofMillis(999));
        t.receive(GET);
        t.advance(Duration.ofMillis(1));
        t.receive(GET);
        List<String> dates = Responses.finals(t.output(), false).stream().map(r -> r.header("Date")).toList();
        assertEquals(List.of("Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:38 GMT"), dates);
    }

    @Test
    void writesFromAnotherThreadAreCopiedAndPostedToTheLoop() throws Exception {
        AtomicReference<HttpResponse> parked = new AtomicReference<>();
        InMemoryTransport t = serve((req, res) -> parked.set(res), GET);
        byte[] part = "part".getBytes(StandardCharsets.US_ASCII);
        Thread writer = new Thread(() -> {
            HttpResponse res = parked.get();
            res.startChunked();
            for (int i = 0; i < 100; i++) {
                res.write(part);
            }
            part[0] = 'X';
            res.end();
        });
        writer.start();
        writer.join();
        assertEquals(0, t.output().length, "nothing is written off the loop");
        t.awaitTasks(Duration.ofSeconds(10));
        assertEquals("part".repeat(100), Responses.finals(t.output(), false).getFirst().bodyText());
    }
}
