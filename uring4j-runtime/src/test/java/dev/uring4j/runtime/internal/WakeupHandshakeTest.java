package dev.uring4j.runtime.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.GradingResult;
import org.openjdk.jcstress.infra.grading.TestGrading;

/**
 * The cross-thread wake-up handshake ({@link TaskQueue}) under jcstress: no lost wakeup (a
 * task posted while the loop decides to sleep is seen by the loop or wakes it) and no double
 * wakeup (one per wait), in every interleaving and reordering the hardware and JIT produce. The
 * tests are {@link WakeupHandshakeStress}; jcstress runs them in JVMs of its own (its quick mode,
 * one compilation mode per test: about 10 s here), and this test fails on any forbidden outcome,
 * any test error, or a test that did not run.
 */
@Tag("transport-independent")
class WakeupHandshakeTest {
    private static final List<String> TESTS = List.of("NoLostWakeup", "OneWakeupPerWait", "WaitThenAnnounceAgain");

    @Test
    void noLostAndNoDoubleWakeupInAnyInterleaving() throws Exception {
        Path dir = workDirectory();
        Path output = dir.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.openjdk.jcstress.Main",
                "-t", WakeupHandshakeStress.class.getName().replace(".", "\\.") + "\\..*",
                "-m", "quick",
                "-sc", "false",
                "-jvmArgs", "--enable-native-access=ALL-UNNAMED",
                "-r", dir.resolve("report").toString()));
        Process jcstress = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!jcstress.waitFor(3, TimeUnit.MINUTES)) {
            jcstress.descendants().forEach(ProcessHandle::destroyForcibly);
            jcstress.destroyForcibly();
            fail("jcstress did not finish in 3 minutes; its output: " + output);
        }

        List<TestResult> results = read(dir);
        List<String> expected = TESTS.stream().map(t -> WakeupHandshakeStress.class.getName() + "." + t).toList();
        assertEquals(new TreeSet<>(expected), results.stream().map(TestResult::getName).collect(Collectors.toCollection(TreeSet::new)),
                () -> "tests that ran; jcstress said:\n" + tail(output));
        List<String> failures = new ArrayList<>();
        for (TestResult r : results) {
            TestGrading grading = r.grading();
            if (r.status() != Status.NORMAL || !grading.isPassed) {
                StringBuilder why = new StringBuilder(r.getName() + ": " + r.status());
                for (GradingResult g : grading.gradingResults.values()) {
                    why.append("\n    ").append(g.id).append(" x").append(g.count).append(" (").append(g.expect)
                            .append(": ").append(g.description).append(")");
                }
                r.getMessages().forEach(m -> why.append("\n    ").append(m));
                failures.add(why.toString());
            }
            // A quiet machine runs hundreds of thousands in the time given; a busy one (CI beside
            // other builds) far fewer. Ten thousand still exercise every interleaving many times.
            assertTrue(r.getTotalCount() > 10_000, r.getName() + " ran only " + r.getTotalCount() + " trials");
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertEquals(0, jcstress.exitValue(), () -> "jcstress exited with " + jcstress.exitValue() + ":\n" + tail(output));
    }

    /** target/jcstress, emptied: jcstress writes its result blob into the working directory. */
    private static Path workDirectory() throws IOException, URISyntaxException {
        Path testClasses = Path.of(WakeupHandshakeStress.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = testClasses.resolveSibling("jcstress");
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static List<TestResult> read(Path dir) throws Exception {
        Path blob;
        try (Stream<Path> files = Files.list(dir)) {
            blob = files.filter(p -> p.getFileName().toString().startsWith("jcstress-results-")).findFirst()
                    .orElseThrow(() -> new AssertionError("jcstress wrote no results in " + dir));
        }
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(blob.toString(), collector);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        return new ArrayList<>(collector.getTestResults());
    }

    private static String tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
