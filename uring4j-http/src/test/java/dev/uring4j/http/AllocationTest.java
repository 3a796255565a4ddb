package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zero allocation on the hot path: once warm, answering pipelined {@code GET /plaintext} requests
 * allocates no bytes at all on the event loop thread, counted by the JVM's per-thread allocation
 * counter ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}). That covers the
 * whole path: presentation of the receive view, parsing, routing, the handler, assembling the
 * response with its Date line, writing and flushing, recycling the exchange, and the idle timer.
 *
 * <p>The allocation counter is exact, not sampled, so the assertion is 0, not "small". It is run
 * both with whole batches and with batches cut inside a request, so that heads are kept, presented
 * again and resumed. Compressed responses ({@link Compression}) allocate nothing either, beyond what
 * the JDK's {@code Deflater} might (it does not, today).
 */
class AllocationTest {
    private static final int PIPELINE_DEPTH = 16;
    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\n"
            + "User-Agent: wrk/4.2\r\nAccept: text/plain,text/html;q=0.9\r\nConnection: keep-alive\r\n\r\n";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final byte[] JSON = ("{\"items\":[" + "{\"id\":1,\"name\":\"alpha\",\"tags\":[\"a\",\"b\"]},".repeat(60)
            + "{}]}").getBytes(StandardCharsets.US_ASCII);
    private static final HttpHeader APPLICATION_JSON = HttpHeader.of("Content-Type", "application/json");

    @Test
    void pipelinedPlaintextAllocatesZeroBytesPerRequestInSteadyState() {
        assertEquals(0, measure(false), "bytes allocated by 1.6 M pipelined plaintext requests");
    }

    @Test
    void pipelinedPlaintextCutMidRequestAllocatesZeroBytesToo() {
        assertEquals(0, measure(true), "bytes allocated by 1.6 M pipelined plaintext requests, heads cut across reads");
    }

    @Test
    void gzippedResponsesAllocateZeroBytesPerRequestInSteadyState() {
        HttpServer server = HttpServer.builder(Router.builder()
                        .get("/json", (request, response) -> response.header(APPLICATION_JSON).send(JSON))
                        .get("/stream", (request, response) -> {
                            response.header(APPLICATION_JSON).startChunked();
                            response.write(JSON, 0, 1000);
                            response.write(JSON, 1000, JSON.length - 1000);
                            response.end();
                        })
                        .build())
                .compression(Compression.gzip().withLevel(1)).build();
        String request = "GET /json HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"
                + "GET /stream HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br;q=1.0, gzip;q=0.8\r\n\r\n";
        long allocated = measure(server, request.repeat(PIPELINE_DEPTH / 2), false, 10_000, 1_000, r -> {
            assertEquals("gzip", r.header("Content-Encoding"));
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
                assertEquals(new String(JSON, StandardCharsets.US_ASCII), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(0, allocated, "bytes allocated by 80 000 gzipped responses, whole and streamed");
    }

    private static long measure(boolean cutMidRequest) {
        return measure(HttpServer.builder(TestApp.router()).build(), REQUEST.repeat(PIPELINE_DEPTH), cutMidRequest,
                60_000, 20_000, r -> assertEquals("Hello, World!", r.bodyText()));
    }

    /** Warms up, then returns the bytes allocated by the last of several measured rounds. */
    private static long measure(HttpServer server, String requests, boolean cutMidRequest, int warmupBatches,
            int measuredBatches, java.util.function.Consumer<Responses.Response> check) {
        byte[] batch = requests.getBytes(StandardCharsets.US_ASCII);
        int cut = cutMidRequest ? batch.length / 2 + 17 : batch.length;
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(server);

        for (int i = 0; i < warmupBatches; i++) {
            serve(transport, batch, cut);
        }
        List<Long> rounds = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < measuredBatches; i++) {
                serve(transport, batch, cut);
            }
            rounds.add(THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        System.out.printf("allocated bytes per round of %d requests (%s): %s%n",
                measuredBatches * PIPELINE_DEPTH, cutMidRequest ? "cut mid-request" : "whole batches", rounds);

        // The responses were right all along: check the last batch's.
        transport.receive(batch, 0, cut);
        transport.receive(batch, cut, batch.length - cut);
        List<Responses.Response> responses = Responses.finals(transport.output(), false);
        assertEquals(PIPELINE_DEPTH, responses.size());
        responses.forEach(check);
        return rounds.getLast();
    }

    private static void serve(InMemoryTransport transport, byte[] batch, int cut) {
        transport.receive(batch, 0, cut);
        if (cut < batch.length) {
            transport.receive(batch, cut, batch.length - cut);
        }
        transport.clearOutput();
    }
}
