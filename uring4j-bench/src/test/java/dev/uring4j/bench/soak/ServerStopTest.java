package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server process stopped with SIGSTOP for 5 s under load, then continued: the kernel keeps
 * accepting bytes into socket buffers meanwhile and completions wait in the rings. After SIGCONT
 * it catches up: every connection that stayed open gets every byte back, and the clients make
 * progress again.
 */
class ServerStopTest {

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void stoppedForFiveSecondsTheServerCatchesUpAndLosesNothing(String transport) throws Exception {
        try (CliServer server = Chaos.serve(transport)) {
            Load load = Chaos.steadyLoad(server);
            Thread.sleep(2000);

            server.signal("STOP");
            long stoppedAt = System.nanoTime();
            Thread.sleep(1000);
            long frozen = load.total().ops();
            Thread.sleep(4000);
            long stalled = load.total().ops() - frozen;
            server.signal("CONT");
            long stoppedFor = System.nanoTime() - stoppedAt;

            long resumed = load.total().ops();
            Chaos.await(Duration.ofSeconds(20), "the clients' exchanges to go on after SIGCONT",
                    () -> load.total().ops() > resumed + 100);
            Thread.sleep(3000);
            load.stop(Duration.ofSeconds(30));
            Chaos.awaitConnections(server, 0, Duration.ofSeconds(10));

            assertEquals(0, stalled, "no exchange completes while the server is stopped (" + stoppedFor / 1_000_000 + " ms)");
            Chaos.assertNothingLost(load);
            assertEquals(0, load.udpLost(), () -> "UDP datagrams lost (the server's 4 MiB receive buffer holds 5 s of them): "
                    + load.tallies());
            assertTrue(server.alive(), "the server runs on");
            Chaos.assertQuiet(server);
        }
    }
}
