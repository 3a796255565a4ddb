package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance table: valid and invalid requests with the answer each must get, every one fed
 * whole, in two pieces split at every octet boundary, and octet by octet. The output must be the
 * same octets in every feeding (the clock is fake, so even {@code Date} is), the statuses the
 * expected ones, and the connection must end exactly when expected. Limits are small here so each
 * is reached with a short input; {@link DefaultLimitsTest} covers the default sizes.
 */
class ConformanceTest {
    private static final String HOST = "Host: a\r\n";

    private record Case(String name, String input, List<Integer> statuses, boolean closes, Rejection rejection,
                        String lastBody, boolean head) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    /** A request answered normally; the connection stays open unless {@code closes}. */
    private static void ok(String name, String input, boolean closes, String lastBody, Integer... statuses) {
        CASES.add(new Case(name, input, List.of(statuses), closes, null, lastBody, false));
    }

    private static void ok(String name, String input, Integer... statuses) {
        ok(name, input, false, null, statuses);
    }

    /** The last request is refused with {@code why}, after {@code before} normal answers; the connection ends. */
    private static void rejected(String name, String input, Rejection why, Integer... before) {
        List<Integer> statuses = new ArrayList<>(List.of(before));
        statuses.add(why.status);
        CASES.add(new Case(name, input, statuses, true, why, null, false));
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n";
    }

    private static String sink(String headers, String body) {
        return "POST /sink HTTP/1.1\r\n" + HOST + headers + "\r\n" + body;
    }

    private static String chunkedSink(String body) {
        return sink("Transfer-Encoding: chunked\r\n", body);
    }

    static {
        // ---- Valid requests.
        ok("GET", get("/plaintext"), false, "Hello, World!", 200);
        ok("GET /", get("/"), 200);
        ok("query", get("/plaintext?x=1&y"), 200);
        ok("absolute-form", "GET http://a/plaintext HTTP/1.1\r\n" + HOST + "\r\n", 200);
        ok("absolute-form without path is /", "GET HTTP://a?q HTTP/1.1\r\n" + HOST + "\r\n", 200);
        ok("leading empty lines are ignored", "\r\n\r\n" + get("/"), 200);
        ok("HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n", true, "Hello, World!", 200);
        ok("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200);
        ok("Connection: close", "GET / HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n", true, null, 200);
        ok("Connection list with close", "GET / HTTP/1.1\r\n" + HOST + "Connection: foo, Close\r\n\r\n", true, null, 200);
        ok("HTTP/1.2 is served as 1.1", "GET / HTTP/1.2\r\n" + HOST + "\r\n", 200);
        CASES.add(new Case("HEAD gets headers, no body", "HEAD /plaintext HTTP/1.1\r\n" + HOST + "\r\n",
                List.of(200), false, null, "", true));
        ok("field value OWS is trimmed", "GET / HTTP/1.1\r\nHost:\t a \t\r\nX: \t v \t\r\n\r\n", 200);
        ok("empty field value", "GET / HTTP/1.1\r\n" + HOST + "X:\r\n\r\n", 200);
        ok("obs-text in a field value", "GET / HTTP/1.1\r\n" + HOST + "X: caf\u00e9\r\n\r\n", 200);
        ok("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200);
        ok("Host with port and IPv6", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 200);
        ok("unknown path", get("/nope"), 404);
        ok("unknown method on a known path", "BREW / HTTP/1.1\r\n" + HOST + "\r\n", 405);
        ok("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", 404);
        ok("Content-Length body", sink("Content-Length: 5\r\n", "hello"), false, "len=5 trailers=", 200);
        ok("Content-Length with leading zeros", sink("Content-Length: 005\r\n", "hello"), false, "len=5 trailers=", 200);
        ok("Content-Length: 0", sink("Content-Length: 0\r\n", ""), false, "len=0 trailers=", 200);
        ok("echo", "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello", false, "hello", 200);
        ok("chunked with extensions and trailers", chunkedSink(
                "5;a=b;c=\"q\\\"x\" ; d\r\nhello\r\n000A\r\n0123456789\r\n0;z\r\nX-T: t\r\nY: u\r\n\r\n"),
                false, "len=15 trailers=X-T=t,Y=u", 200);
        ok("chunked echo", "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
                false, "abc0123456789", 200);
        ok("Transfer-Encoding is case-insensitive, empty list elements ignored",
                sink("Transfer-Encoding: , Chunked\r\n", "0\r\n\r\n"), false, "len=0 trailers=", 200);
        ok("Expect: 100-continue", "POST /echo HTTP/1.1\r\n" + HOST + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
                false, "hi", 100, 200);
        ok("Expect in HTTP/1.0 is ignored", "POST /sink HTTP/1.0\r\nExpect: x\r\nContent-Length: 0\r\n\r\n", true, null, 200);
        ok("GET with a body: body read and discarded", "GET / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\n\r\nabc" + get("/"), 200, 200);
        ok("pipelined", get("/") + get("/plaintext") + sink("Content-Length: 1\r\n", "x") + get("/nope"), 200, 200, 200, 404);
        ok("nothing after Connection: close is read",
                "GET / HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n" + get("/") + "garbage", true, null, 200);

        // ---- Limits, exactly at and one over.
        String line64 = "GET /plaintext?" + "a".repeat(40) + " HTTP/1.1";
        ok("request line at the limit", line64 + "\r\n" + HOST + "\r\n", 200);
        rejected("request line over the limit", "GET /plaintext?" + "a".repeat(41) + " HTTP/1.1\r\n" + HOST + "\r\n",
                Rejection.REQUEST_LINE_TOO_LONG);
        rejected("request line over the limit, unterminated", "GET /" + "a".repeat(80), Rejection.REQUEST_LINE_TOO_LONG);
        rejected("leading empty lines count toward the request line", "\r\n".repeat(30) + "GET / HTTP/1.1\r\n" + HOST + "\r\n",
                Rejection.REQUEST_LINE_TOO_LONG);
        rejected("empty lines alone beyond the request line limit", "\r\n".repeat(33), Rejection.TOO_MANY_EMPTY_LINES);
        rejected("empty lines after a request beyond the request line limit", get("/") + "\r\n".repeat(33),
                Rejection.TOO_MANY_EMPTY_LINES, 200);
        ok("header section at the limit", "GET / HTTP/1.1\r\n" + HOST + "X: " + "v".repeat(114) + "\r\n\r\n", 200);
        rejected("header section over the limit", "GET / HTTP/1.1\r\n" + HOST + "X: " + "v".repeat(115) + "\r\n\r\n",
                Rejection.HEADER_SECTION_TOO_LARGE);
        rejected("header section over the limit, unterminated", "GET / HTTP/1.1\r\n" + HOST + "X: " + "v".repeat(200),
                Rejection.HEADER_SECTION_TOO_LARGE);
        ok("field count at the limit", "GET / HTTP/1.1\r\n" + HOST + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", 200);
        rejected("field count over the limit", "GET / HTTP/1.1\r\n" + HOST + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
                Rejection.TOO_MANY_HEADER_FIELDS);
        ok("Content-Length at the limit", sink("Content-Length: 32\r\n", "b".repeat(32)), false, "len=32 trailers=", 200);
        rejected("Content-Length over the limit", sink("Content-Length: 33\r\n", "b".repeat(33)), Rejection.BODY_TOO_LARGE);
        rejected("Content-Length of 2^63-1", sink("Content-Length: 9223372036854775807\r\n", ""), Rejection.BODY_TOO_LARGE);
        ok("chunked body at the limit", chunkedSink("14\r\n" + "c".repeat(20) + "\r\nc\r\n" + "c".repeat(12) + "\r\n0\r\n\r\n"),
                false, "len=32 trailers=", 200);
        rejected("chunked body over the limit", chunkedSink("14\r\n" + "c".repeat(20) + "\r\nd\r\n" + "c".repeat(13) + "\r\n0\r\n\r\n"),
                Rejection.BODY_TOO_LARGE);
        rejected("trailer fields over the limit", chunkedSink("0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n"),
                Rejection.TOO_MANY_TRAILER_FIELDS);
        rejected("trailer section over the limit", chunkedSink("0\r\nX: " + "t".repeat(130) + "\r\n\r\n"),
                Rejection.TRAILER_SECTION_TOO_LARGE);

        // ---- Framing that could smuggle a request: 400, then close.
        rejected("Content-Length and Transfer-Encoding", sink("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                Rejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        rejected("Transfer-Encoding and Content-Length", sink("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"),
                Rejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
        rejected("duplicate Content-Length, same value", sink("Content-Length: 1\r\nContent-Length: 1\r\n", "x"),
                Rejection.DUPLICATE_CONTENT_LENGTH);
        rejected("duplicate Content-Length, different values", sink("Content-Length: 1\r\nContent-Length: 2\r\n", "xy"),
                Rejection.DUPLICATE_CONTENT_LENGTH);
        rejected("Content-Length list", sink("Content-Length: 1, 1\r\n", "x"), Rejection.BAD_CONTENT_LENGTH);
        rejected("Content-Length with sign", sink("Content-Length: +1\r\n", "x"), Rejection.BAD_CONTENT_LENGTH);
        rejected("negative Content-Length", sink("Content-Length: -1\r\n", ""), Rejection.BAD_CONTENT_LENGTH);
        rejected("hex Content-Length", sink("Content-Length: 0x1\r\n", "x"), Rejection.BAD_CONTENT_LENGTH);
        rejected("space inside Content-Length", sink("Content-Length: 1 1\r\n", "x"), Rejection.BAD_CONTENT_LENGTH);
        rejected("empty Content-Length", sink("Content-Length:\r\n", ""), Rejection.BAD_CONTENT_LENGTH);
        rejected("Content-Length overflowing 2^63", sink("Content-Length: 9223372036854775808\r\n", ""),
                Rejection.BAD_CONTENT_LENGTH);
        rejected("chunked not final", sink("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), Rejection.CHUNKED_NOT_FINAL);
        rejected("chunked twice", sink("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                Rejection.CHUNKED_NOT_FINAL);
        rejected("coding without chunked", sink("Transfer-Encoding: gzip\r\n", ""), Rejection.CHUNKED_NOT_FINAL);
        rejected("unsupported coding before chunked", sink("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"),
                Rejection.UNSUPPORTED_TRANSFER_CODING);
        rejected("unsupported coding in an earlier field", sink("Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                Rejection.UNSUPPORTED_TRANSFER_CODING);
        rejected("empty Transfer-Encoding", sink("Transfer-Encoding:\r\n", ""), Rejection.BAD_TRANSFER_ENCODING);
        rejected("Transfer-Encoding with parameters", sink("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"),
                Rejection.BAD_TRANSFER_ENCODING);
        rejected("quoted Transfer-Encoding", sink("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n"), Rejection.BAD_TRANSFER_ENCODING);
        rejected("Transfer-Encoding in HTTP/1.0", "POST /sink HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                Rejection.TRANSFER_ENCODING_IN_HTTP_1_0);
        rejected("obs-fold", "GET / HTTP/1.1\r\n" + HOST + "X: a\r\n b\r\n\r\n", Rejection.OBS_FOLD);
        rejected("obs-fold with tab", "GET / HTTP/1.1\r\n" + HOST + "X: a\r\n\tb\r\n\r\n", Rejection.OBS_FOLD);
        rejected("whitespace before the first field", "GET / HTTP/1.1\r\n " + HOST + "\r\n", Rejection.WHITESPACE_BEFORE_FIRST_FIELD);
        rejected("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", Rejection.WHITESPACE_BEFORE_COLON);
        rejected("tab before the colon", "GET / HTTP/1.1\r\n" + HOST + "Content-Length\t: 0\r\n\r\n", Rejection.WHITESPACE_BEFORE_COLON);
        rejected("missing Host", "GET / HTTP/1.1\r\n\r\n", Rejection.MISSING_HOST);
        rejected("duplicate Host", "GET / HTTP/1.1\r\n" + HOST + HOST + "\r\n", Rejection.DUPLICATE_HOST);
        rejected("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", Rejection.BAD_HOST);
        rejected("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", Rejection.BAD_HOST);

        // ---- Control characters and line endings.
        rejected("NUL in a field value", "GET / HTTP/1.1\r\n" + HOST + "X: a\u0000b\r\n\r\n", Rejection.BAD_FIELD_VALUE);
        rejected("DEL in a field value", "GET / HTTP/1.1\r\n" + HOST + "X: a\u007fb\r\n\r\n", Rejection.BAD_FIELD_VALUE);
        rejected("control character in a field name", "GET / HTTP/1.1\r\n" + HOST + "X\u0001Y: a\r\n\r\n", Rejection.BAD_FIELD_NAME);
        rejected("empty field name", "GET / HTTP/1.1\r\n" + HOST + ": a\r\n\r\n", Rejection.BAD_FIELD_NAME);
        rejected("non-token field name", "GET / HTTP/1.1\r\n" + HOST + "X(Y): a\r\n\r\n", Rejection.BAD_FIELD_NAME);
        rejected("bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n", Rejection.BAD_LINE_ENDING);
        rejected("bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", Rejection.BAD_LINE_ENDING);
        rejected("bare CR inside a field value", "GET / HTTP/1.1\r\n" + HOST + "X: a\rb\r\n\r\n", Rejection.BAD_LINE_ENDING);
        rejected("bare LF inside a field value", "GET / HTTP/1.1\r\n" + HOST + "X: a\nb\r\n\r\n", Rejection.BAD_LINE_ENDING);
        rejected("bare LF before the request line", "\nGET / HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_LINE_ENDING);
        rejected("CR not followed by LF at the end", "GET / HTTP/1.1\r\n" + HOST + "\rX", Rejection.BAD_LINE_ENDING);

        // ---- Request line.
        rejected("double space", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_REQUEST_LINE);
        rejected("no version (HTTP/0.9 style)", "GET /\r\n\r\n", Rejection.BAD_REQUEST_LINE);
        rejected("tab as separator", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_METHOD);
        rejected("non-token method", "G(T / HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_METHOD);
        rejected("NUL in the method", "GE\u0000T / HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_METHOD);
        rejected("lowercase version", "GET / http/1.1\r\n" + HOST + "\r\n", Rejection.BAD_VERSION);
        rejected("space after the version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", Rejection.BAD_VERSION);
        rejected("two-digit minor version", "GET / HTTP/1.10\r\n" + HOST + "\r\n", Rejection.BAD_VERSION);
        rejected("HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", Rejection.VERSION_NOT_SUPPORTED);
        rejected("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", Rejection.VERSION_NOT_SUPPORTED);
        rejected("relative target", "GET a HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("asterisk-form for GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("fragment in the target", "GET /a#b HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("control character in the target", "GET /a\u0001 HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("non-ASCII target", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("absolute-form without host", "GET http:///x HTTP/1.1\r\n" + HOST + "\r\n", Rejection.BAD_TARGET);
        rejected("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", Rejection.CONNECT_NOT_SUPPORTED);
        rejected("unknown expectation", "GET / HTTP/1.1\r\n" + HOST + "Expect: 200-ok\r\n\r\n", Rejection.EXPECTATION_FAILED);

        // ---- Chunked framing.
        rejected("non-hex chunk size", chunkedSink("g\r\n"), Rejection.BAD_CHUNK_SIZE);
        rejected("empty chunk size", chunkedSink("\r\n"), Rejection.BAD_CHUNK_SIZE);
        rejected("negative chunk size", chunkedSink("-1\r\n"), Rejection.BAD_CHUNK_SIZE);
        rejected("0x chunk size", chunkedSink("0x5\r\nhello\r\n0\r\n\r\n"), Rejection.BAD_CHUNK_SIZE);
        rejected("chunk size overflow", chunkedSink("1" + "0".repeat(16) + "\r\n"), Rejection.CHUNK_SIZE_OVERFLOW);
        rejected("chunk size overflow to zero", chunkedSink("1" + "0".repeat(16) + "5\r\nhello\r\n0\r\n\r\n"),
                Rejection.CHUNK_SIZE_OVERFLOW);
        rejected("space after chunk size", chunkedSink("5 \r\nhello\r\n0\r\n\r\n"), Rejection.BAD_CHUNK_EXTENSION);
        rejected("empty chunk extension", chunkedSink("5;\r\nhello\r\n0\r\n\r\n"), Rejection.BAD_CHUNK_EXTENSION);
        rejected("bare LF in a quoted chunk extension", chunkedSink("5;a=\"\n\"\r\nhello\r\n0\r\n\r\n"), Rejection.BAD_CHUNK_EXTENSION);
        rejected("chunk size line too long", chunkedSink("5;a=" + "x".repeat(ChunkedDecoder.MAX_CHUNK_LINE_BYTES) + "\r\n"),
                Rejection.CHUNK_LINE_TOO_LONG);
        rejected("bare LF after chunk size", chunkedSink("5\nhello\r\n0\r\n\r\n"), Rejection.BAD_LINE_ENDING);
        rejected("chunk longer than its size", chunkedSink("5\r\nhelloX\r\n0\r\n\r\n"), Rejection.BAD_CHUNK_TERMINATOR);
        rejected("chunk data followed by bare LF", chunkedSink("5\r\nhello\n0\r\n\r\n"), Rejection.BAD_CHUNK_TERMINATOR);
        rejected("obs-fold in trailers", chunkedSink("0\r\nX: a\r\n b\r\n\r\n"), Rejection.OBS_FOLD);
        rejected("bad trailer name", chunkedSink("0\r\nX Y: a\r\n\r\n"), Rejection.WHITESPACE_BEFORE_COLON);

        // ---- Rejections after pipelined requests: earlier answers stay, in order.
        rejected("good then bad", get("/") + "GET / HTTP/1.1\r\n\r\n", Rejection.MISSING_HOST, 200);
        rejected("good, body, then smuggling", sink("Content-Length: 2\r\n", "ab") + get("/")
                + sink("Content-Length: 1\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
                Rejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING, 200, 200);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseFedWholeSplitAtEveryOctetAndOctetByOctet() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> check(c)));
    }

    @Test
    void everyRejectionLeavesTheServerServingItsOtherConnections() {
        HttpServer server = TestApp.smallLimits();
        InMemoryTransport healthy = new InMemoryTransport();
        healthy.connect(server);
        int rejections = 0;
        for (Case c : CASES) {
            if (c.rejection == null) {
                continue;
            }
            InMemoryTransport refused = new InMemoryTransport();
            refused.connect(server);
            refused.receive(c.input);
            assertTrue(refused.isOutputShutdown(), c.name);
            healthy.receive(get("/plaintext"));
            rejections++;
            assertEquals(Collections.nCopies(rejections, 200), Responses.statuses(healthy.output(), false), c.name);
        }
        assertTrue(rejections > 80, "the table has " + rejections + " rejections");
    }

    private static void check(Case c) {
        byte[] input = c.input.getBytes(StandardCharsets.ISO_8859_1);
        Run whole = Run.feed(input, new int[] {input.length});
        List<Responses.Response> responses = Responses.parse(whole.output, whole.ended, c.head);
        List<Integer> statuses = responses.stream().map(Responses.Response::status).toList();
        assertEquals(c.statuses, statuses, c.name + ": statuses; output:\n" + text(whole.output));
        assertEquals(c.closes, whole.ended, c.name + ": whether the connection ends");
        Responses.Response last = responses.getLast();
        if (c.rejection != null) {
            assertEquals(c.rejection.status, last.status());
            assertArrayEquals(c.rejection.body, last.body(), c.name + ": the rejection names its cause");
            assertTrue(last.closes(), c.name + ": a rejection announces Connection: close");
        }
        if (c.lastBody != null) {
            assertEquals(c.lastBody, last.bodyText(), c.name + ": body");
        }
        for (int split = 1; split < input.length; split++) {
            Run run = Run.feed(input, new int[] {split, input.length - split});
            assertSame(whole, run, c.name + ", split at " + split);
        }
        int[] octets = new int[input.length];
        Arrays.fill(octets, 1);
        assertSame(whole, Run.feed(input, octets), c.name + ", octet by octet");
    }

    /**
     * Same responses: status, headers and body. Octets may differ only where the echo streams a
     * chunked body back as it arrives, so chunk boundaries follow the input's.
     */
    private static void assertSame(Run expected, Run actual, String what) {
        if (!Arrays.equals(expected.output, actual.output)
                && !full(expected).equals(full(actual))) {
            throw new AssertionError(what + ": output differs from feeding it whole\nwhole:\n" + text(expected.output)
                    + "\nthis:\n" + text(actual.output));
        }
        assertEquals(expected.ended, actual.ended, what + ": whether the connection ends");
    }

    private static List<String> full(Run run) {
        return Responses.parse(run.output, run.ended).stream().map(Responses.Response::full).toList();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** One feeding of an input: its output and whether the server ended the connection. */
    private record Run(byte[] output, boolean ended) {
        static Run feed(byte[] input, int[] pieces) {
            InMemoryTransport transport = new InMemoryTransport();
            transport.connect(TestApp.smallLimits());
            int at = 0;
            for (int piece : pieces) {
                transport.receive(input, at, piece);
                at += piece;
            }
            assertEquals(0, transport.unflushedBytes(), "everything written is flushed");
            return new Run(transport.output(), transport.isOutputShutdown() || transport.isClosed());
        }
    }
}
