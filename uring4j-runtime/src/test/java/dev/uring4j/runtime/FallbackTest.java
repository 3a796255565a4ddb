package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.Seccomp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * io_uring unavailable, for real: a child JVM where io_uring cannot be set up because a seccomp filter
 * refuses {@code io_uring_setup} (Docker's default profile answers {@code EPERM}; some sandboxes
 * {@code ENOSYS}) serves echo on NIO and says why in one WARN; forced to io_uring it fails at
 * once, naming the errno and the filter. Nothing is simulated and nothing machine-wide changes:
 * the filter is the child's own.
 */
@Tag("transport-selection")
class FallbackTest {

    @BeforeEach
    void needsAnUnfilteredHostWithIoUring() {
        assumeTrue(Seccomp.mode() == 0, "this JVM already runs under a seccomp filter");
        assumeTrue(IoUring.unavailabilityCause() == null, () -> "io_uring is unavailable here anyway: "
                + IoUring.unavailabilityCause().message());
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.EPERM, Errno.ENOSYS})
    void whereSeccompRefusesIoUringTheServerRunsOnNioAndSaysWhyOnce(int errno) throws Exception {
        try (ChildJvm child = new ChildJvm(FallbackServerMain.class, List.of(), String.valueOf(errno))) {
            child.awaitListening();
            Net.await(Duration.ofSeconds(30), "both servers listening",
                    () -> child.stdout.stream().filter(l -> l.startsWith("listening on ")).count() == 2);
            assertEquals("2", child.value("seccomp"), "the filter is on the child's main thread");
            for (String line : child.stdout) {
                if (line.startsWith("transport=")) {
                    assertEquals("transport=nio", line, "every group falls back");
                }
                if (line.startsWith("listening on ")) {
                    echo(address(line));
                }
            }
            String warn = "uring4j runs on the NIO transport (epoll): io_uring is unavailable: io_uring_setup: "
                    + Errno.describe(errno) + ": a seccomp filter is active (Seccomp: 2";
            assertEquals(1, child.count(warn), () -> "one line for two groups, naming the errno and the filter: "
                    + child.stderr);
            assertEquals(1, child.stderr.stream().filter(l -> l.startsWith("WARNING:")).count(),
                    () -> "and nothing else above INFO: " + child.stderr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uring", "io_uring"})
    void forcedToIoUringTheServerFailsAtOnceNamingTheFilter(String value) throws Exception {
        long start = System.nanoTime();
        try (ChildJvm child = new ChildJvm(FallbackServerMain.class, List.of("-D" + Transport.PROPERTY + "=" + value),
                String.valueOf(Errno.EPERM))) {
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "the child exits");
            assertEquals(1, child.process.exitValue(), () -> "startup failed: " + child.stderr);
            Net.await(Duration.ofSeconds(10), "the child's error", () -> child.count("ErrnoException") > 0);
            String error = child.stderr.stream().filter(l -> l.contains("ErrnoException")).findFirst().orElseThrow();
            assertTrue(error.contains("io_uring_setup: EPERM (Operation not permitted)"), error);
            assertTrue(error.contains("seccomp filter is active"), () -> "names the cause: " + error);
            assertTrue(error.contains("-D" + Transport.PROPERTY + "=" + value + " requires the io_uring transport"),
                    () -> "names what forbade the fallback: " + error);
            assertEquals(0, child.stdout.stream().filter(l -> l.startsWith("listening on ")).count(), "nothing listened");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 25, "fails fast");
        }
    }

    private static InetSocketAddress address(String listeningLine) {
        String hp = listeningLine.substring("listening on ".length());
        int colon = hp.lastIndexOf(':');
        return new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
    }

    private static void echo(InetSocketAddress address) throws Exception {
        try (Socket s = Net.connect(address)) {
            byte[] msg = Net.pattern(100_000, address.getPort());
            Thread writer = Thread.startVirtualThread(() -> Net.write(s, msg));
            assertArrayEquals(msg, Net.read(s, msg.length), "echo through " + address);
            writer.join();
        }
    }
}
