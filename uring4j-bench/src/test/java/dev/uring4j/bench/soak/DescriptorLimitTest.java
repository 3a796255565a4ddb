package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.uring4j.ring.IoUring;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./uring4j echo} in a process whose {@code RLIMIT_NOFILE} leaves room for about 40
 * connections. When it runs out, accepting pauses (on NIO the kernel says {@code EMFILE}; on
 * io_uring the direct-descriptor table, sized by the same limit, is full and the server stops
 * before the kernel would accept and drop), the server says so once, the connections it holds
 * keep working, and those waiting in the backlog are served, none lost, as soon as descriptors
 * free up. Afterwards the process is back to its descriptors and accepts at once. The runtime's
 * EmfileTest covers the same inside one JVM; this is the CLI server as a user runs it.
 */
class DescriptorLimitTest {
    private static final int MARGIN = 40;

    @ParameterizedTest
    @ValueSource(strings = {"uring", "nio"})
    void outOfDescriptorsTheServerPausesAcceptingSaysSoOnceAndServesTheBacklogLater(String transport) throws Exception {
        if (transport.equals("uring")) {
            assumeTrue(IoUring.unavailabilityCause() == null, () -> "io_uring is unavailable here: "
                    + IoUring.unavailabilityCause().message());
        }
        String classpath = CliServer.classpath() + File.pathSeparator
                + Path.of(LimitedServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (CliServer server = CliServer.start(CliServer.java(List.of("--enable-native-access=ALL-UNNAMED"), classpath,
                LimitedServer.class.getName(), Integer.toString(MARGIN), "echo", "--host", "127.0.0.1", "--port", "0",
                "--threads", "1", "--transport", transport))) {
            InetSocketAddress address = server.address();
            String limit = server.output().stream().filter(l -> l.startsWith("limit=")).findFirst().orElseThrow().substring(6);
            int descriptors = server.descriptors();

            List<Socket> served = new ArrayList<>();
            List<Socket> waiting = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            try {
                while (waiting.isEmpty()) {
                    assertTrue(served.size() <= 4 * MARGIN, "the server never ran out of descriptors");
                    Socket s = connect(address);
                    byte[] msg = message(served.size());
                    s.getOutputStream().write(msg);
                    s.setSoTimeout(1000);
                    try {
                        assertArrayEquals(msg, read(s, msg.length));
                        served.add(s);
                    } catch (SocketTimeoutException notAccepted) {
                        waiting.add(s);
                        expected.add(msg);
                    } finally {
                        s.setSoTimeout(30_000);
                    }
                }
                for (int i = 1; i < 10; i++) {
                    Socket s = connect(address);
                    byte[] msg = message(1000 + i);
                    s.getOutputStream().write(msg);
                    waiting.add(s);
                    expected.add(msg);
                }
                String needle = transport.equals("nio") ? "EMFILE" : "paused";
                Chaos.await(Duration.ofSeconds(10), "a warning naming " + needle, () -> count(server, needle) > 0);
                String warning = server.problems().stream().filter(l -> l.contains(needle)).findFirst().orElseThrow();
                assertTrue(warning.contains("RLIMIT_NOFILE"), () -> "the warning names the limit: " + warning);
                if (transport.equals("nio")) {
                    assertTrue(warning.contains(limit), () -> "and its value " + limit + ": " + warning);
                }
                for (int i = 0; i < served.size(); i++) {
                    byte[] again = message(5000 + i);
                    served.get(i).getOutputStream().write(again);
                    assertArrayEquals(again, read(served.get(i), again.length), "a held connection keeps working");
                }
                for (int i = 0; i < 10; i++) {
                    served.remove(0).close();
                }
                for (int i = 0; i < waiting.size(); i++) {
                    assertArrayEquals(expected.get(i), read(waiting.get(i), expected.get(i).length),
                            "connection " + i + " of the backlog is served once descriptors free up");
                }
                assertEquals(1, count(server, needle), () -> "one warning for the episode: " + server.problems());
            } finally {
                served.forEach(Lane::abort);
                waiting.forEach(Lane::abort);
            }
            Chaos.await(Duration.ofSeconds(10), "the server's descriptors back to " + descriptors,
                    () -> server.descriptors() == descriptors);
            try (Socket s = connect(address)) {
                byte[] msg = message(9999);
                s.getOutputStream().write(msg);
                assertArrayEquals(msg, read(s, msg.length), "accepting again at once");
            }
        }
    }

    private static long count(CliServer server, String needle) {
        return server.problems().stream().filter(l -> l.contains(needle)).count();
    }

    private static byte[] message(int seed) {
        byte[] b = new byte[24];
        Payload.copy(Payload.offset(seed), 0, b, 0, b.length);
        return b;
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static byte[] read(Socket s, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }
}
