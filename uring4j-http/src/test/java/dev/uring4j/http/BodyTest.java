package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Request bodies: several MiB by Content-Length and chunked, echoed back as they stream through
 * without the engine holding them; trailers; 100-continue; and the ways a body can fail, each
 * reaching the listener as an abort.
 */
class BodyTest {
    private static final int MIB = 1024 * 1024;
    private static final HttpServer SERVER = HttpServer.builder(TestApp.router()).maxBodyBytes(64L * MIB).build();

    private static InMemoryTransport connect(HttpServer server) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(server);
        return t;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anEightMiBContentLengthBodyIsEchoedAsItStreams() {
        byte[] body = random(8 * MIB, 1);
        InMemoryTransport t = connect(SERVER);
        t.receive("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
        int head = t.output().length;
        for (int at = 0; at < body.length; at += 65536) {
            t.receive(body, at, 65536);
            // Each piece is written back before the next arrives: nothing accumulates in the engine.
            assertEquals(head + at + 65536, t.output().length);
            assertEquals(0, t.retainedBytes());
        }
        Responses.Response r = Responses.finals(t.output(), false).getFirst();
        assertEquals(String.valueOf(body.length), r.header("Content-Length"));
        assertArrayEquals(body, r.body());
    }

    @Test
    void anEightMiBChunkedBodyWithRandomChunksAndSplitsIsEchoed() {
        Random random = new Random(2);
        byte[] body = random(8 * MIB, 3);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(ascii("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
        for (int at = 0; at < body.length; ) {
            int n = Math.min(body.length - at, 1 + random.nextInt(200_000));
            wire.writeBytes(ascii(Integer.toHexString(n) + (random.nextBoolean() ? ";ext=v" : "") + "\r\n"));
            wire.write(body, at, n);
            wire.writeBytes(ascii("\r\n"));
            at += n;
        }
        wire.writeBytes(ascii("0\r\nX-Checksum: abc\r\n\r\n"));
        byte[] input = wire.toByteArray();
        InMemoryTransport t = connect(SERVER);
        for (int at = 0; at < input.length; ) {
            int n = Math.min(input.length - at, 1 + random.nextInt(100_000));
            t.receive(input, at, n);
            at += n;
            assertTrue(t.retainedBytes() < 100, "only a partial size line or trailer is ever kept: " + t.retainedBytes());
        }
        Responses.Response r = Responses.finals(t.output(), false).getFirst();
        assertEquals("chunked", r.header("Transfer-Encoding"));
        assertArrayEquals(body, r.body());
    }

    @Test
    void aFiveMiBBodyReachesTheListenerInFullWithItsTrailers() {
        byte[] body = random(5 * MIB, 4);
        InMemoryTransport t = connect(SERVER);
        t.receive("POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        t.receive(ascii(Integer.toHexString(body.length) + "\r\n"));
        t.receive(body);
        t.receive("\r\n0\r\nX-A: 1\r\nX-B:  two words \r\n\r\n");
        assertEquals("len=" + body.length + " trailers=X-A=1,X-B=two words", Responses.finals(t.output(), false).getFirst().bodyText());
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItArrives() {
        InMemoryTransport t = connect(SERVER);
        t.receive("POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + "4000000\r\n");
        assertEquals(0, t.output().length, "exactly 64 MiB is allowed");
        t.receive(random(64 * MIB, 5));
        t.receive("\r\n1\r\n");
        assertEquals(List.of(413), Responses.statuses(t.output(), true), "the 64 MiB + 1st octet is refused from its size line");
        assertTrue(t.isOutputShutdown());
    }

    /** A listener recording what it hears, answering at the end. */
    private static class Recorder implements HttpBodyListener {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
            data.writeBytes(buffer.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }

        @Override
        public void onEnd(HttpRequest request, HttpHeaders trailers) {
            events.add("end");
            request.response().send(data.toByteArray());
        }

        @Override
        public void onAbort(HttpRequest request, IOException cause) {
            events.add("abort: " + cause.getMessage());
        }
    }

    @Test
    void aPausedBodyIsKeptByTheTransportAndDeliveredOnResume() {
        HttpRequest[] paused = new HttpRequest[1];
        Recorder recorder = new Recorder() {
            @Override
            public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
                assertNull(paused[0], "no data while paused");
                super.onData(request, buffer, offset, length);
                request.pauseBody();
                paused[0] = request;
            }
        };
        InMemoryTransport t = connect(HttpServer.builder((req, res) -> req.onBody(recorder)).build());
        t.receive("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
        assertEquals("abc", recorder.data.toString(StandardCharsets.ISO_8859_1));
        assertTrue(t.isInputPaused());
        assertTrue(t.retainedBytes() > 0, "the rest waits in the transport, not in the engine");
        assertEquals(0, t.output().length);
        take(paused).resumeBody();
        t.runTasks();
        assertEquals("abcdefg", recorder.data.toString(StandardCharsets.ISO_8859_1), "the next chunk, then paused again");
        assertEquals(0, t.output().length);
        // The end of the chunked body comes after its last data: only on resume. The second request's
        // only part pauses it too, but all of that body has arrived: its end follows and lifts the pause.
        take(paused).resumeBody();
        t.runTasks();
        assertEquals(List.of("end", "end"), recorder.events);
        List<Responses.Response> answers = Responses.finals(t.output(), false);
        assertEquals(List.of("abcdefg", "abcdefghi"), answers.stream().map(Responses.Response::bodyText).toList());
        assertFalse(t.isInputPaused());
        take(paused).resumeBody(); // after the end: nothing to lift
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(3, Responses.finals(t.output(), false).size(), "the connection reads on");
    }

    private static HttpRequest take(HttpRequest[] holder) {
        HttpRequest r = holder[0];
        holder[0] = null;
        return r;
    }

    @Test
    void aClientThatLeavesMidBodyAbortsTheListener() {
        Recorder recorder = new Recorder();
        InMemoryTransport t = connect(HttpServer.builder((req, res) -> req.onBody(recorder)).build());
        t.receive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
        t.receiveEof();
        assertEquals(List.of("abort: the client ended the connection before the request body was complete"), recorder.events);
        assertTrue(t.isClosed());
        assertEquals(0, t.output().length);
    }

    @Test
    void aBrokenChunkAbortsTheListenerAndIsAnswered400() {
        Recorder recorder = new Recorder();
        InMemoryTransport t = connect(HttpServer.builder((req, res) -> req.onBody(recorder)).build());
        t.receive("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX");
        assertEquals(List.of("abort: chunk data not followed by CRLF"), recorder.events);
        assertEquals("abc", recorder.data.toString(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(400), Responses.statuses(t.output(), true));
    }

    @Test
    void aListenerThatThrowsGets500AndTheConnectionCloses() {
        HttpBodyListener failing = new HttpBodyListener() {
            @Override
            public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onEnd(HttpRequest request, HttpHeaders trailers) {
            }
        };
        InMemoryTransport t = connect(HttpServer.builder((req, res) -> req.onBody(failing)).build());
        t.receive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of(500), Responses.statuses(t.output(), true));
        assertTrue(t.isOutputShutdown());
    }

    @Test
    void theBodyOfARequestTheHandlerIgnoresIsDiscardedAndTheNextRequestServed() {
        InMemoryTransport t = connect(SERVER);
        byte[] body = random(3 * MIB, 6);
        t.receive("POST /plaintext HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
        t.receive(body);
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of(405, 200), Responses.statuses(t.output(), false));
    }

    @Test
    void expectContinueIsSentOnlyWhenTheHandlerAsksForTheBody() {
        // Refusing without reading: no 100, and the connection closes since the body may or may not follow.
        InMemoryTransport refused = connect(HttpServer.builder((req, res) -> res.status(401).send()).build());
        refused.receive("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
        List<Responses.Response> responses = Responses.parse(refused.output(), true);
        assertEquals(List.of(401), responses.stream().map(Responses.Response::status).toList());
        assertTrue(responses.getFirst().closes());
        assertTrue(refused.isOutputShutdown());

        // Asking for the body: 100 Continue first, at once, before any of the body.
        InMemoryTransport accepted = connect(SERVER);
        accepted.receive("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-CONTINUE\r\nContent-Length: 3\r\n\r\n");
        assertTrue(accepted.outputText().startsWith("HTTP/1.1 100 Continue\r\n\r\n"), accepted.outputText());
        accepted.receive("abc");
        List<Responses.Response> all = Responses.parse(accepted.output(), false);
        assertEquals(List.of(100, 200), all.stream().map(Responses.Response::status).toList());
        assertEquals("abc", all.get(1).bodyText());
        assertFalse(all.get(1).closes());

        // No body to ask for: no 100.
        InMemoryTransport empty = connect(SERVER);
        empty.receive("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of(200), Responses.parse(empty.output(), false).stream().map(Responses.Response::status).toList());
        assertFalse(empty.isOutputShutdown());
    }

    @Test
    void anHttp10ClientGetsAStreamedBodyDelimitedByClose() {
        InMemoryTransport t = connect(SERVER);
        t.receive("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nbody");
        Responses.Response r = Responses.finals(t.output(), true).getFirst();
        assertEquals("4", r.header("Content-Length"), "a declared length is kept");
        assertEquals("keep-alive", r.header("Connection"));
        assertFalse(t.isOutputShutdown());

        InMemoryTransport chunkedFor10 = connect(HttpServer.builder((req, res) -> {
            res.startChunked().write(ascii("one "));
            res.write(ascii("two"));
            res.end();
        }).build());
        chunkedFor10.receive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Responses.Response streamed = Responses.finals(chunkedFor10.output(), true).getFirst();
        assertNull(streamed.header("Transfer-Encoding"), "HTTP/1.0 knows no chunked coding");
        assertEquals("close", streamed.header("Connection"));
        assertEquals("one two", streamed.bodyText());
        assertTrue(chunkedFor10.isOutputShutdown(), "the close ends the body");
    }
}
