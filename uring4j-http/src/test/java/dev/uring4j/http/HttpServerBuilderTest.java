package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;

/**
 * Every limit of {@link HttpServer.Builder} is checked when it is set: a value outside its range
 * is refused with an {@link IllegalArgumentException} that names the setting, the value and the
 * range, instead of a server that fails later, per connection, with an arithmetic overflow or an
 * array it cannot allocate. The edges of each range are accepted, and a server built with all of
 * them at once still serves.
 */
class HttpServerBuilderTest {
    // The documented ranges' upper ends.
    private static final int MAX_HEAD_LIMIT = 64 << 20;
    private static final int MAX_HEADER_COUNT = 10_000;
    private static final int MAX_PIPELINED_REQUESTS = 1024;
    private static final int MAX_BUFFERED_RESPONSE_BYTES = 1 << 30;

    private static HttpServer.Builder builder() {
        return HttpServer.builder(TestApp.router());
    }

    /** The setting refuses the value, and says which setting, which value, and what it accepts. */
    private static void refused(String setting, String value, String range, Consumer<HttpServer.Builder> set) {
        HttpServer.Builder b = builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.accept(b),
                setting + " = " + value + " must be refused");
        String m = e.getMessage();
        assertTrue(m.startsWith(setting + " ") && m.contains(range) && m.endsWith("was " + value),
                "the message names the setting, the value and the range " + range + ": " + m);
    }

    @Test
    void headLimitsOutsideTheirRangeAreRefused() {
        String lineRange = "1.." + MAX_HEAD_LIMIT;
        refused("maxRequestLineBytes", "0", lineRange, b -> b.maxRequestLineBytes(0));
        refused("maxRequestLineBytes", "-1", lineRange, b -> b.maxRequestLineBytes(-1));
        // Both at the int maximum would overflow the retained-head arithmetic.
        refused("maxRequestLineBytes", String.valueOf(Integer.MAX_VALUE), lineRange,
                b -> b.maxRequestLineBytes(Integer.MAX_VALUE));
        refused("maxHeaderBytes", "0", lineRange, b -> b.maxHeaderBytes(0));
        refused("maxHeaderBytes", String.valueOf(MAX_HEAD_LIMIT + 1), lineRange,
                b -> b.maxHeaderBytes(MAX_HEAD_LIMIT + 1));
    }

    @Test
    void countsOutsideTheirRangeAreRefused() {
        // The field table and the exchange ring are allocated per connection from these counts.
        refused("maxHeaderCount", "0", "1.." + MAX_HEADER_COUNT, b -> b.maxHeaderCount(0));
        refused("maxHeaderCount", String.valueOf(Integer.MAX_VALUE), "1.." + MAX_HEADER_COUNT,
                b -> b.maxHeaderCount(Integer.MAX_VALUE));
        refused("maxPipelinedRequests", "0", "1.." + MAX_PIPELINED_REQUESTS, b -> b.maxPipelinedRequests(0));
        refused("maxPipelinedRequests", String.valueOf(Integer.MAX_VALUE), "1.." + MAX_PIPELINED_REQUESTS,
                b -> b.maxPipelinedRequests(Integer.MAX_VALUE));
    }

    @Test
    void bodyAndStagingLimitsOutsideTheirRangeAreRefused() {
        refused("maxBodyBytes", "-1", "0.." + Long.MAX_VALUE, b -> b.maxBodyBytes(-1));
        String staged = "1.." + MAX_BUFFERED_RESPONSE_BYTES;
        refused("maxBufferedResponseBytes", "0", staged, b -> b.maxBufferedResponseBytes(0));
        refused("maxBufferedResponseBytes", String.valueOf(Integer.MAX_VALUE), staged,
                b -> b.maxBufferedResponseBytes(Integer.MAX_VALUE));
    }

    @Test
    void timeoutsOutsideTheirRangeAreRefused() {
        timeoutRefused("headerTimeout", Duration.ZERO, HttpServer.Builder::headerTimeout);
        timeoutRefused("idleTimeout", Duration.ofSeconds(-1), HttpServer.Builder::idleTimeout);
        timeoutRefused("lingerTimeout", Duration.ofNanos(999_999), HttpServer.Builder::lingerTimeout);
        timeoutRefused("headerTimeout", Duration.ofDays(1).plusNanos(1), HttpServer.Builder::headerTimeout);
        // Too long for a long of nanoseconds: refused by name, not an ArithmeticException from the conversion.
        timeoutRefused("idleTimeout", Duration.ofDays(365L * 300), HttpServer.Builder::idleTimeout);
        NullPointerException e = assertThrows(NullPointerException.class, () -> builder().lingerTimeout(null));
        assertTrue(e.getMessage().contains("lingerTimeout"), e.getMessage());
    }

    private static void timeoutRefused(String setting, Duration value, BiConsumer<HttpServer.Builder, Duration> set) {
        refused(setting, value.toString(), "PT0.001S..PT24H", b -> set.accept(b, value));
    }

    @Test
    void serveRefusesARuntimeThatCannotKeepTheLargestHead() throws Exception {
        HttpServer server = builder().maxHeaderBytes(64 * 1024).build();
        LoopOptions small = LoopOptions.builder().maxUnconsumedInput(32 * 1024).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.serve(TcpServer.builder().options(small)));
        assertTrue(e.getMessage().contains("maxUnconsumedInput") && e.getMessage().contains(String.valueOf(32 * 1024))
                && e.getMessage().contains(String.valueOf(server.maxRetainedBytes())), e.getMessage());
        try (TcpServer served = server.serve(TcpServer.builder()
                .options(LoopOptions.builder().maxUnconsumedInput(server.maxRetainedBytes()).build()))) {
            assertTrue(served.localAddress().getPort() > 0, "a runtime that keeps the largest head serves");
        }
    }

    @Test
    void theEdgesOfEveryRangeAreAcceptedAndServe() {
        builder().maxRequestLineBytes(1).maxHeaderBytes(1).maxHeaderCount(1).maxBodyBytes(0)
                .maxPipelinedRequests(1).maxBufferedResponseBytes(1).headerTimeout(Duration.ofMillis(1))
                .idleTimeout(Duration.ofMillis(1)).lingerTimeout(Duration.ofMillis(1)).build();
        HttpServer largest = builder()
                .maxRequestLineBytes(MAX_HEAD_LIMIT).maxHeaderBytes(MAX_HEAD_LIMIT)
                .maxHeaderCount(MAX_HEADER_COUNT).maxBodyBytes(Long.MAX_VALUE)
                .maxPipelinedRequests(MAX_PIPELINED_REQUESTS)
                .maxBufferedResponseBytes(MAX_BUFFERED_RESPONSE_BYTES)
                .headerTimeout(Duration.ofDays(1)).idleTimeout(Duration.ofDays(1)).lingerTimeout(Duration.ofDays(1))
                .build();
        assertTrue(largest.maxRetainedBytes() > 0, "the largest head still fits an int: " + largest.maxRetainedBytes());
        InMemoryTransport t = new InMemoryTransport();
        t.connect(largest);
        t.receive("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of(200), Responses.statuses(t.output(), false));
    }
}
