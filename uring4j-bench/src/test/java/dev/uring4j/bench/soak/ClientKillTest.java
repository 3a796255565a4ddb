package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client killed with SIGKILL in the middle of transfers: the kernel resets its connections
 * (it had unread data), with the server holding queued output for them and having stopped
 * reading them. The server must free those connections and their memory and keep serving
 * everyone else as if nothing happened.
 */
class ClientKillTest {

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void serverFreesAKilledClientsConnectionsAndOthersLoseNothing(String transport) throws Exception {
        try (CliServer server = Chaos.serve(transport)) {
            Load load = Chaos.steadyLoad(server);
            int steady = load.maxTcpConnections();
            int descriptors = server.descriptors();

            Process client = new ProcessBuilder(CliServer.java(List.of(), System.getProperty("java.class.path"),
                    StreamingClient.class.getName(), Integer.toString(server.address("echo").getPort()),
                    Integer.toString(server.address("http").getPort()))).redirectErrorStream(true).start();
            try {
                String first = client.inputReader().readLine();
                assertEquals("streaming", first, "the client streams on all four connections");
                Chaos.awaitConnections(server, steady + 4, Duration.ofSeconds(20));
                // Mid-transfer: the server holds output the client does not read, at least the
                // high watermark (64 KiB) for each echo connection.
                AtomicReference<Map<String, Long>> during = new AtomicReference<>();
                Chaos.await(Duration.ofSeconds(10), "output queued for the client that does not read", () -> {
                    during.set(server.stats());
                    return during.get().get("loops.outputBytes") >= 2 * 64 * 1024;
                });

                CliServer.signal(client.pid(), "KILL");
                assertTrue(client.waitFor(10, TimeUnit.SECONDS), "the client died");
                Map<String, Long> after = Chaos.awaitConnections(server, steady, Duration.ofSeconds(10));
                assertTrue(after.get("loops.closed") >= during.get().get("loops.closed") + 4,
                        () -> "the four connections closed on the server: before " + during.get() + ", after " + after);
                Chaos.await(Duration.ofSeconds(10), "the server's descriptors back to " + descriptors,
                        () -> server.descriptors() == descriptors);
            } finally {
                client.destroyForcibly();
            }
            Thread.sleep(2000);     // the steady clients go on beside the freed connections
            load.stop(Duration.ofSeconds(30));
            Map<String, Long> end = Chaos.awaitConnections(server, 0, Duration.ofSeconds(10));
            assertEquals(0, end.get("loops.outputBytes"), () -> "no output or kept input left once every connection closed: " + end);
            Chaos.assertNothingLost(load);
            assertEquals(0, load.udpLost(), "UDP datagrams lost: " + load.tallies());
            assertTrue(load.total().ops() > 0, "the steady clients made progress");
            Chaos.assertQuiet(server);
        }
    }
}
