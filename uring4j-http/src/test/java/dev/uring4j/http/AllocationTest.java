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
 * again and resumed.
 */
class AllocationTest {
    private static final int PIPELINE_DEPTH = 16;
    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\n"
            + "User-Agent: wrk/4.2\r\nAccept: text/plain,text/html;q=0.9\r\nConnection: keep-alive\r\n\r\n";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void pipelinedPlaintextAllocatesZeroBytesPerRequestInSteadyState() {
        assertEquals(0, measure(false), "bytes allocated by 1.6 M pipelined plaintext requests");
    }

    @Test
    void pipelinedPlaintextCutMidRequestAllocatesZeroBytesToo() {
        assertEquals(0, measure(true), "bytes allocated by 1.6 M pipelined plaintext requests, heads cut across reads");
    }

    /** Warms up, then returns the bytes allocated by the last of several measured rounds. */
    private static long measure(boolean cutMidRequest) {
        byte[] batch = REQUEST.repeat(PIPELINE_DEPTH).getBytes(StandardCharsets.US_ASCII);
        int cut = cutMidRequest ? batch.length / 2 + 17 : batch.length;
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(HttpServer.builder(TestApp.router()).build());

        int warmupBatches = 60_000;
        int measuredBatches = 20_000;
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
        responses.forEach(r -> assertEquals("Hello, World!", r.bodyText()));
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
