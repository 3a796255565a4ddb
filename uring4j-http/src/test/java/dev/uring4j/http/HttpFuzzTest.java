package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the whole engine (parser, chunked decoder, pipeline, timers) with
 * Jazzer. Under plain JUnit ({@code ./uring4j test}) this runs in regression mode over the seed
 * corpus in {@code src/test/resources/dev/uring4j/http/HttpFuzzTestInputs/fuzz}; see
 * {@link HttpFuzzCampaignTest} for real fuzzing, briefly in every run and as long as asked.
 *
 * <p>An input is {@code [piece size][flags][octets...]}: the octets are fed in pieces of that size
 * (0: all at once), with 4 s passing on the fake clock after each piece if flag 2 is set (so
 * header and idle timeouts strike mid-request), then, if flag 1 is set, the client's FIN; parked
 * responses are completed in reverse order after each piece, so later responses are staged behind
 * earlier ones; finally an hour passes. With flag 4 the client reads slowly: a few hundred octets
 * after each piece, the rest at the end, so responses (a streamed one among them) wait for it and
 * staged output drains as it reads. Whatever the input:
 * <ul>
 *   <li>no exception escapes, and the in-memory transport's contract checks hold (no write after
 *       close, no more than {@link HttpServer#maxRetainedBytes()} kept while reading, and for a slow
 *       client no more queued than its high watermark, one slice of staged output and one write);</li>
 *   <li>the connection ends (after answers, a timeout, or the linger), with nothing unflushed;</li>
 *   <li>the output is a sequence of well-formed responses, nothing after one announcing
 *       {@code Connection: close}; only the very last may be cut short, as an aborted response is.</li>
 * </ul>
 * Per-input work is bounded by the input (every octet is examined a bounded number of times), and
 * libFuzzer's per-input timeout reports a hang.
 */
class HttpFuzzTest {
    private static final byte[] PARKED_BODY = "parked".getBytes();
    private static final long STREAM_BYTES = 3000;
    private static final int STREAM_WRITE = 100;
    private static final int CLIENT_LOW = 256;
    private static final int CLIENT_HIGH = 1024;
    private static final int CLIENT_READ = 300;

    // A hang fails the test: JUnit bounds each seed in regression mode, and Jazzer hands the same
    // value to libFuzzer as its per-input timeout. JUnit also bounds a JAZZER_FUZZ run with it, so it
    // must exceed maxDuration plus start-up.
    @Timeout(90)
    @FuzzTest(maxDuration = "60s")
    void anyInputEndsInWellFormedAnswersAndAClose(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int piece = input[0] & 0xFF;
        boolean fin = (input[1] & 1) != 0;
        boolean slow = (input[1] & 2) != 0;
        boolean slowClient = (input[1] & 4) != 0;

        List<HttpResponse> parked = new ArrayList<>();
        List<Boolean> headRequests = new ArrayList<>();
        Router router = Router.builder()
                .get("/", TestApp.PLAINTEXT)
                .get("/plaintext", TestApp.PLAINTEXT)
                .post("/echo", TestApp.ECHO)
                .post("/sink", TestApp.SINK)
                .get("/async", (req, res) -> parked.add(res))
                .get("/stream", PacedWriter.handler(STREAM_BYTES, STREAM_WRITE, new PacedWriter.Progress()))
                .build();
        HttpServer server = HttpServer.builder((req, res) -> {
            headRequests.add(req.method().equals("HEAD"));
            router.handle(req, res);
        })
                .maxRequestLineBytes(128).maxHeaderBytes(256).maxHeaderCount(8).maxBodyBytes(512)
                .maxPipelinedRequests(4).maxBufferedResponseBytes(256)
                .headerTimeout(Duration.ofSeconds(10)).idleTimeout(Duration.ofSeconds(30))
                .build();
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(server);
        if (slowClient) {
            transport.slowClient(CLIENT_LOW, CLIENT_HIGH, CLIENT_HIGH + Pipeline.DRAIN_SLICE + 4096);
        }

        int step = piece == 0 ? input.length : piece;
        for (int at = 2; at < input.length; at += step) {
            transport.receive(input, at, Math.min(step, input.length - at));
            answerParked(parked, transport);
            transport.clientReads(CLIENT_READ); // may let requests kept while output waited be dispatched
            answerParked(parked, transport);
            if (slow) {
                transport.advance(Duration.ofSeconds(4));
            }
        }
        if (fin) {
            transport.receiveEof();
        }
        settle(parked, transport);
        transport.advance(Duration.ofHours(1));
        settle(parked, transport);

        assertTrue(transport.isClosed(), "the connection ends");
        assertEquals(0, transport.unflushedBytes(), "everything written is flushed");
        checkOutput(transport.output(), headRequests);
    }

    /**
     * Answers parked requests, newest first, until none is left: answering lets requests kept while
     * the pipeline was full be dispatched, and they may park too. (An application that never
     * answers holds its connection open: the engine has no application timeout.)
     */
    private static void answerParked(List<HttpResponse> parked, InMemoryTransport transport) {
        while (!parked.isEmpty()) {
            for (int i = parked.size() - 1; i >= 0; i--) {
                parked.remove(i).send(PARKED_BODY);
            }
            transport.runTasks();
        }
    }

    /**
     * Answers parked requests and reads everything, until neither brings anything more: reading may
     * let waiting writers go on and requests kept meanwhile be dispatched, which may park.
     */
    private static void settle(List<HttpResponse> parked, InMemoryTransport transport) {
        do {
            answerParked(parked, transport);
        } while (transport.clientReads(Long.MAX_VALUE) > 0 || !parked.isEmpty());
    }

    /** Parses the output strictly; only the last response may be cut short. */
    private static void checkOutput(byte[] output, List<Boolean> headRequests) {
        boolean[] head = new boolean[headRequests.size()];
        for (int i = 0; i < head.length; i++) {
            head[i] = headRequests.get(i);
        }
        Responses.parseAllowingCutLast(output, head);
    }
}
