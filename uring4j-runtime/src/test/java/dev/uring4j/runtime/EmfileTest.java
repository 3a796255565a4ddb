package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Out of descriptors at accept. Established connections keep working, the episode is
 * reported once, accept resumes by itself when a descriptor frees up, and no connection waiting
 * in the backlog is lost.
 *
 * <p>With normal fds the kernel says EMFILE (it reserves the fd before dequeuing the connection,
 * so nothing is lost). With direct descriptors the table is bounded by the same limit, but the
 * kernel would accept and then drop a connection that does not fit, so the runtime pauses before
 * the table is full.
 */
class EmfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "direct"})
    void outOfDescriptorsPausesAcceptAndResumesWithoutLosingTheBacklog(String mode) throws Exception {
        if (mode.equals("direct")) {
            Transports.assumeIoUring("accepting into direct descriptors");
        }
        int margin = 40;
        try (ChildJvm child = new ChildJvm(EmfileServerMain.class, List.of(), String.valueOf(margin), mode)) {
            InetSocketAddress address = child.awaitListening();
            String limit = child.value("limit");
            // Fill the server until a connection is not served: that one waits in the backlog.
            List<Socket> served = new ArrayList<>();
            List<Socket> waiting = new ArrayList<>();
            while (waiting.isEmpty()) {
                Socket s = Net.connect(address);
                byte[] msg = Net.pattern(16, 1000 + served.size());
                Net.write(s, msg);
                s.setSoTimeout(1000);
                try {
                    assertArrayEquals(msg, s.getInputStream().readNBytes(16));
                    s.setSoTimeout(30_000);
                    served.add(s);
                } catch (java.net.SocketTimeoutException notAccepted) {
                    s.setSoTimeout(30_000);
                    waiting.add(s);
                }
                if (served.size() > 200) {
                    throw new AssertionError("the server never ran out of descriptors");
                }
            }
            List<byte[]> expected = new ArrayList<>();
            expected.add(Net.pattern(16, 1000 + served.size()));
            for (int i = 1; i < 10; i++) {
                Socket s = Net.connect(address);
                byte[] msg = Net.pattern(16, 2000 + i);
                Net.write(s, msg);
                waiting.add(s);
                expected.add(msg);
            }
            for (int i = 0; i < served.size(); i++) {
                echo(served.get(i), i + 7);
            }
            String needle = mode.equals("plain") ? "EMFILE" : "paused";
            Net.await(java.time.Duration.ofSeconds(10), "the WARN naming " + needle, () -> child.count(needle) > 0);
            if (mode.equals("plain")) {
                assertEquals(1, child.stderr.stream().filter(l -> l.contains("EMFILE") && l.contains(limit)).count(),
                        "one WARN per episode naming EMFILE and the limit: " + child.stderr);
            }
            for (int i = 0; i < 10; i++) {
                served.remove(0).close();
            }
            for (int i = 0; i < waiting.size(); i++) {
                assertArrayEquals(expected.get(i), Net.read(waiting.get(i), 16),
                        "backlog connection " + i + " is accepted and served once descriptors free up");
            }
            assertEquals(1, child.count(needle), "one report per episode: " + child.stderr);
            served.forEach(Net::closeQuietly);
            waiting.forEach(Net::closeQuietly);
        }
    }

    private static void echo(Socket s, int seed) {
        byte[] msg = Net.pattern(24, seed);
        Net.write(s, msg);
        assertArrayEquals(msg, Net.read(s, msg.length));
    }
}
