package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header, idle and linger timeouts, on the in-memory transport's fake clock: nothing here waits
 * for real time, and the outcome is decided by the clock's value, not by how fast the machine is.
 */
class TimeoutTest {
    private static final Duration HEADER = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final Duration MS = Duration.ofMillis(1);

    private static HttpServer server(HttpHandler handler) {
        return HttpServer.builder(handler).headerTimeout(HEADER).idleTimeout(IDLE).lingerTimeout(LINGER).build();
    }

    private static InMemoryTransport connect(HttpHandler handler) {
        InMemoryTransport t = new InMemoryTransport();
        t.connect(server(handler));
        return t;
    }

    @Test
    void aTricklingHeadGets408WhenTheHeaderTimeoutExpiresCountedFromItsFirstOctet() {
        InMemoryTransport t = connect(TestApp.router());
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        t.receive(head.substring(0, 1));
        for (int i = 1; i < 10; i++) {
            t.advance(Duration.ofSeconds(1).minus(MS)); // always active, never idle for long
            t.receive(head.substring(i, i + 1));
        }
        assertEquals(0, t.output().length, "8.991 s after the first octet, the last one just now");
        t.advance(Duration.ofMillis(1008));
        assertEquals(0, t.output().length, "9.999 s");
        t.advance(MS);
        assertEquals(List.of(408), Responses.statuses(t.output(), true), "10 s after the first octet, however busy");
        assertTrue(t.isOutputShutdown());
        assertFalse(t.isClosed(), "lingers, reading, so the client can read its 408");

        t.receive("more octets are read and dropped");
        t.advance(LINGER.minus(MS));
        assertFalse(t.isClosed());
        t.advance(MS);
        assertTrue(t.isClosed(), "closed when the linger timeout ends");
    }

    @Test
    void aSlowHeadThatCompletesInTimeIsServed() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("GET / HTTP/1.1\r\n");
        t.advance(HEADER.minus(MS));
        t.receive("Host: a\r\n\r\n");
        assertEquals(List.of(200), Responses.statuses(t.output(), false));
        t.advance(Duration.ofSeconds(5));
        assertFalse(t.isOutputShutdown(), "the header timer does not outlive its head");
    }

    @Test
    void theHeaderTimeoutStartsAgainForEachRequest() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HT");
        t.advance(Duration.ofSeconds(9));
        t.receive("TP/1.1\r\nHost: a\r\n\r\nGET /");
        t.advance(Duration.ofSeconds(9));
        assertEquals(List.of(200, 200), Responses.statuses(t.output(), false), "18 s in all, under 10 s each");
        t.advance(Duration.ofSeconds(1));
        assertEquals(List.of(200, 200, 408), Responses.statuses(t.output(), true));
    }

    @Test
    void anIdleConnectionClosesSilentlyAfterTheIdleTimeoutSinceItsLastRequest() {
        InMemoryTransport t = connect(TestApp.router());
        t.advance(Duration.ofSeconds(20));
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        t.advance(IDLE.minus(MS));
        assertFalse(t.isClosed(), "the request restarted the idle time");
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        t.advance(IDLE.minus(MS));
        assertFalse(t.isClosed());
        t.advance(MS);
        assertTrue(t.isClosed());
        assertEquals(List.of(200, 200), Responses.statuses(t.output(), true), "no answer for an idle close");
    }

    @Test
    void aNewConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
        InMemoryTransport t = connect(TestApp.router());
        t.advance(IDLE.minus(MS));
        assertFalse(t.isClosed());
        t.advance(MS);
        assertTrue(t.isClosed());
    }

    @Test
    void aStalledBodyGets408IfTheResponseHasNotStarted() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf!");
        t.advance(IDLE);
        assertEquals(List.of(408), Responses.statuses(t.output(), true));
        assertTrue(t.isOutputShutdown());
    }

    @Test
    void aStalledBodyWhoseResponseHasStartedIsCutByClosing() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf!");
        t.advance(IDLE);
        assertTrue(t.outputText().endsWith("\r\n\r\nhalf!"), "the echo had started: " + t.outputText());
        assertTrue(t.isOutputShutdown(), "the short body tells the client the response is incomplete");
    }

    @Test
    void noTimeoutWhileTheApplicationIsAnsweringAndIdleTimeCountsFromTheAnswer() {
        List<HttpResponse> parked = new ArrayList<>();
        InMemoryTransport t = connect(Router.builder().get("/slow", (req, res) -> parked.add(res)).build());
        t.receive("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        t.advance(IDLE.multipliedBy(3));
        assertFalse(t.isOutputShutdown() || t.isClosed(), "waiting on the application, not the client");
        parked.getFirst().send("done".getBytes());
        t.advance(IDLE.minus(MS));
        assertFalse(t.isClosed(), "idle time starts at the answer");
        t.advance(MS);
        assertTrue(t.isClosed());
        assertEquals(List.of(200), Responses.statuses(t.output(), true));
    }

    @Test
    void afterConnectionCloseTheServerLingersUntilTheClientsFin() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertTrue(t.isOutputShutdown());
        assertFalse(t.isClosed());
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        t.receiveEof();
        assertTrue(t.isClosed());
        assertEquals(List.of(200), Responses.statuses(t.output(), true));
    }

    @Test
    void anEmptyLineAfterARequestIsIgnoredAndNeverAnswered() {
        InMemoryTransport t = connect(TestApp.router());
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
        t.advance(HEADER.plus(Duration.ofSeconds(1)));
        assertEquals(List.of(200), Responses.statuses(t.output(), false), "no 408: no request is in progress");
        assertFalse(t.isOutputShutdown() || t.isClosed());
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of(200, 200), Responses.statuses(t.output(), false), "the next request follows the empty line");
        t.advance(IDLE.minus(MS));
        assertFalse(t.isClosed());
        t.advance(MS);
        assertTrue(t.isClosed(), "idle since the last request");
        assertEquals(List.of(200, 200), Responses.statuses(t.output(), true), "closed quietly");
    }

    @Test
    void emptyLinesAloneDoNotKeepAConnectionAliveAndAreNeverAnswered() {
        InMemoryTransport t = connect(TestApp.router());
        Duration every = Duration.ofSeconds(5);
        for (Duration waited = Duration.ZERO; waited.compareTo(IDLE) < 0; waited = waited.plus(every)) {
            assertFalse(t.isClosed(), "after " + waited);
            t.receive("\r\n");
            t.advance(every);
        }
        assertTrue(t.isClosed(), "empty lines are not activity: idle since the connection opened");
        assertEquals(0, t.output().length, "no request, no answer");
    }

    @Test
    void anEmptyLineWhileAnAnswerIsOwedStartsNoTimeout() {
        List<HttpResponse> parked = new ArrayList<>();
        InMemoryTransport t = connect(Router.builder().get("/slow", (req, res) -> parked.add(res)).build());
        t.receive("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n\r\n");
        t.advance(IDLE.multipliedBy(3));
        assertFalse(t.isOutputShutdown() || t.isClosed(), "waiting on the application, not the client");
        assertEquals(0, t.output().length);
        parked.getFirst().send("done".getBytes());
        t.advance(IDLE);
        assertTrue(t.isClosed());
        assertEquals(List.of(200), Responses.statuses(t.output(), true));
    }

    @Test
    void theLongestTimeoutsAllowedAreKept() {
        Duration day = Duration.ofDays(1);
        InMemoryTransport t = new InMemoryTransport();
        t.connect(HttpServer.builder(TestApp.router()).headerTimeout(day).idleTimeout(day).build());
        t.receive("GET / HT");
        t.advance(day.minus(MS));
        t.receive("TP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of(200), Responses.statuses(t.output(), false));
        t.advance(day.minus(MS));
        assertFalse(t.isClosed());
        t.advance(MS);
        assertTrue(t.isClosed(), "idle for a day");
    }

    @Test
    void steadyTrafficKeepsOneTimerAndSchedulesNoMore() {
        InMemoryTransport t = connect(TestApp.router());
        for (int i = 0; i < 1000; i++) {
            t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            t.advance(Duration.ofMillis(100));
            assertTrue(t.pendingTimers() <= 1, "pending timers: " + t.pendingTimers());
        }
        assertFalse(t.isClosed(), "100 s of traffic, never idle for 30 s");
        t.advance(IDLE);
        assertTrue(t.isClosed());
        assertEquals(0, t.pendingTimers(), "closing cancels the timer");
    }
}
