package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of {@link HttpFuzzTest}'s target by Jazzer's command-line driver in a
 * child JVM: briefly (5 s) in every test run, and as long as asked with
 * {@code -Dhttp.fuzz.seconds=N}:
 *
 * <pre>
 * mvn test -pl uring4j-http -am -Dtest=HttpFuzzCampaignTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhttp.fuzz.seconds=3600 -Djunit.jupiter.execution.timeout.default=70m -During4j.test.forkTimeoutSeconds=0
 * </pre>
 *
 * <p>(The last two lift the suite's limits on one test and on one test JVM, which a campaign of
 * more than a minute or two would hit; the test still gives Jazzer at most five minutes more than
 * the campaign.)
 *
 * <p>The JUnit integration fuzzes too ({@code JAZZER_FUZZ=1 mvn test -pl uring4j-http
 * -Dtest=HttpFuzzTest}), but only for the compile-time {@code @FuzzTest(maxDuration)}: jazzer-junit
 * 0.24.0 reads no duration from the command line, and its libFuzzer flag comes after any we could
 * pass, so it wins. The driver takes {@code -max_total_time} directly and runs the same
 * {@code @FuzzTest} method ({@code --target_method}).
 *
 * <p>The generated corpus grows in {@code target/fuzz/corpus} (kept between runs until
 * {@code mvn clean}); the seeds in {@code src/test/resources/.../HttpFuzzTestInputs} are read too.
 * A failing input is written to {@code target/fuzz/crash-*}: copy it into the seeds directory and
 * it becomes a regression test of every run. The log of the last campaign is
 * {@code target/fuzz/campaign.log}.
 */
class HttpFuzzCampaignTest {
    /** Sanitizer hooks on JDK classes Jazzer 0.24's ASM cannot read on JDK 25; none concerns this code. */
    static final String DISABLED_HOOKS = "com.code_intelligence.jazzer.sanitizers.RegexRoadblocks:"
            + "com.code_intelligence.jazzer.sanitizers.RegexInjection:com.code_intelligence.jazzer.sanitizers.OsCommandInjection";

    @Test
    void fuzzTheEngineWithJazzer() throws Exception {
        long seconds = Long.getLong("http.fuzz.seconds", 5);
        Path work = Path.of("target", "fuzz").toAbsolutePath();
        Path corpus = work.resolve("corpus");
        Files.createDirectories(corpus);
        Path log = work.resolve("campaign.log");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading",
                "-cp", classPath,
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + HttpFuzzTest.class.getName(),
                "--target_method=anyInputEndsInWellFormedAnswersAndAClose",
                "--instrumentation_includes=dev.uring4j.http.**",
                "-max_total_time=" + seconds,
                "-timeout=10",
                "-print_final_stats=1",
                "-artifact_prefix=" + work + File.separator,
                corpus.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAZZER_DISABLED_HOOKS", DISABLED_HOOKS);
        Process jazzer = builder.start();
        try {
            assertTrue(jazzer.waitFor(seconds + 300, TimeUnit.SECONDS), "Jazzer did not finish; see " + log);
        } finally {
            jazzer.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log);
        String done = lines.stream().filter(l -> l.startsWith("Done ")).reduce((a, b) -> b).orElse("no summary");
        String coverage = lines.stream().filter(l -> l.contains(" cov: ")).reduce((a, b) -> b).orElse("");
        System.out.println("jazzer, " + seconds + " s: " + done + " | " + coverage.replaceFirst("^#\\d+\\s+", ""));
        int finding = firstStartingWith(lines, "== Java Exception"); // libFuzzer's report of a failing input
        String tail = String.join("\n", lines.subList(finding >= 0 ? finding : Math.max(0, lines.size() - 40), lines.size()));
        assertEquals(0, jazzer.exitValue(), "Jazzer found an input the engine mishandles (see " + work
                + "/crash-*; copy it into src/test/resources/dev/uring4j/http/HttpFuzzTestInputs/"
                + "anyInputEndsInWellFormedAnswersAndAClose to keep it as a regression test):\n" + tail);
        assertTrue(done.startsWith("Done "), "Jazzer ran: " + tail);
    }

    private static int firstStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
