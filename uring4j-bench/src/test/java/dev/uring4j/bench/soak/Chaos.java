package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import dev.uring4j.ring.IoUring;

/** What the chaos tests share: the server they torment, the steady load beside it, waits and verdicts. */
final class Chaos {
    private Chaos() {}

    /**
     * {@code ./uring4j serve} on ephemeral loopback ports, two loops, on {@code transport}
     * ({@code uring} or {@code nio}; io_uring where this kernel cannot run it skips the test).
     */
    static CliServer serve(String transport) throws IOException {
        if (transport.equals("uring")) {
            assumeTrue(IoUring.unavailabilityCause() == null, () -> "io_uring is unavailable here: "
                    + IoUring.unavailabilityCause().message());
        }
        return CliServer.start(CliServer.command("serve", "--host", "127.0.0.1", "--echo-port", "0", "--http-port", "0",
                "--udp-port", "0", "--blocking-echo-port", "0", "--threads", "2", "--transport", transport));
    }

    /**
     * The steady clients that run beside a fault (kept-alive and large echoes and HTTP, UDP at 200
     * datagrams/s), started against {@code server} and returned once the server holds all their
     * connections.
     */
    static Load steadyLoad(CliServer server) throws Exception {
        Load load = Load.steady(new Load.Targets(server.address("echo"), server.address("http"),
                server.address("udp-echo"), server.address("blocking-echo")), 200);
        load.start();
        awaitConnections(server, load.maxTcpConnections(), Duration.ofSeconds(20));
        return load;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds, polling every 50 ms; fails naming {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the server holds exactly {@code n} TCP connections; returns its counters then. */
    static Map<String, Long> awaitConnections(CliServer server, long n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> stats = server.stats();
            if (stats.get("tcp.connections") == n && stats.get("loops.open") == n) {
                return stats;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for the server to hold " + n
                        + " TCP connections; its counters: " + stats);
            }
            Thread.sleep(50);
        }
    }

    /** The load's verdict: every byte of every exchange came back right, no client saw an error. */
    static void assertNothingLost(Load load) {
        Tally.Snapshot t = load.total();
        String detail = load.tallies() + "; errors: " + load.errors();
        assertEquals(0, t.bytesLost(), () -> "bytes lost: " + detail);
        assertEquals(0, t.bytesCorrupted(), () -> "bytes corrupted: " + detail);
        assertEquals(0, t.errors(), () -> "client errors: " + detail);
    }

    /** A server with nothing to say at WARNING or above. */
    static void assertQuiet(CliServer server) {
        assertEquals(java.util.List.of(), server.problems(), () -> "the server's log: " + server.output());
    }
}
