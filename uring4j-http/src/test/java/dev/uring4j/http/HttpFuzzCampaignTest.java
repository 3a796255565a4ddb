package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Coverage-guided fuzzing of the fuzz targets by Jazzer's command-line driver in a child JVM:
 * {@link HttpFuzzTest} (the whole engine, fed raw octets, so first of all the request parser) and
 * {@link ChunkedFuzzTest} (the chunked decoder against a reference). Briefly (5 s each) in every
 * test run; for a campaign, as long or as many executions as asked, of one target or both:
 *
 * <pre>
 * mvn test -pl uring4j-http -am -Dtest=HttpFuzzCampaignTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhttp.fuzz.target=ENGINE -Dhttp.fuzz.runs=10000000 \
 *     -Djunit.jupiter.execution.timeout.default=1d -During4j.test.forkTimeoutSeconds=0
 * </pre>
 *
 * <p>({@code -Dhttp.fuzz.seconds=3600} instead of runs fuzzes for a time, {@code CHUNKED} the other
 * target, no target both. The last two lift the suite's limits on one test and on one test JVM,
 * which a campaign of more than a minute or two would hit; a timed campaign still gives Jazzer at
 * most five minutes more than its time.)
 *
 * <p>The JUnit integration fuzzes too ({@code JAZZER_FUZZ=1 mvn test -pl uring4j-http
 * -Dtest=HttpFuzzTest}), but only for the compile-time {@code @FuzzTest(maxDuration)}: jazzer-junit
 * 0.24.0 reads no duration from the command line, and its libFuzzer flag comes after any we could
 * pass, so it wins. The driver takes {@code -max_total_time} and {@code -runs} directly and runs the
 * same {@code @FuzzTest} method ({@code --target_method}); it too falls back to the annotation's
 * duration when no {@code -max_total_time} is given, so a campaign by number of runs passes 0 (no
 * time limit).
 *
 * <p>Each target's generated corpus grows in {@code target/fuzz/<target>/corpus} (kept between runs
 * until {@code mvn clean}); the seeds in {@code src/test/resources/dev/uring4j/http/<class>Inputs/<method>}
 * are read too, and replayed by every plain test run: the named, hand-written ones, and in
 * {@code campaign/} the corpus kept from earlier campaigns. A failing input is written to
 * {@code target/fuzz/<target>/crash-*}: copy it into the seeds and it becomes a regression test.
 * The log of the last campaign is {@code target/fuzz/<target>/campaign.log}, whose first line is
 * the command that ran.
 *
 * <p>With {@code -Dhttp.fuzz.merge=true} (same command, no runs or seconds) the test does not fuzz:
 * it keeps a campaign's corpus in the repository, by libFuzzer's merge of
 * {@code target/fuzz/<target>/corpus} into the seeds' {@code campaign/}, which adds only the inputs
 * that reach coverage the inputs already there do not, and then drops any that is a named seed
 * (the merge reads those too). Its log is {@code target/fuzz/<target>/merge.log}.
 */
class HttpFuzzCampaignTest {
    /** Sanitizer hooks on JDK classes Jazzer 0.24's ASM cannot read on JDK 25; none concerns this code. */
    static final String DISABLED_HOOKS = "com.code_intelligence.jazzer.sanitizers.RegexRoadblocks:"
            + "com.code_intelligence.jazzer.sanitizers.RegexInjection:com.code_intelligence.jazzer.sanitizers.OsCommandInjection";

    /** The fuzz targets: a {@code @FuzzTest} method each. */
    enum Target {
        ENGINE(HttpFuzzTest.class, "anyInputEndsInWellFormedAnswersAndAClose"),
        CHUNKED(ChunkedFuzzTest.class, "decodesAsTheGrammarSaysHoweverTheInputIsCut");

        final Class<?> type;
        final String method;

        Target(Class<?> type, String method) {
            this.type = type;
            this.method = method;
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void fuzzWithJazzer(Target target) throws Exception {
        // The targets use no transport: when -Dtest names this class, the module's second test run
        // (the network tests on NIO) would only repeat the campaign.
        assumeTrue(System.getProperty("uring4j.transport") == null, "fuzzed once, in the default test run");
        String only = System.getProperty("http.fuzz.target");
        assumeTrue(only == null || only.equalsIgnoreCase(target.name()), "-Dhttp.fuzz.target=" + only);
        boolean merge = Boolean.getBoolean("http.fuzz.merge");
        long runs = merge ? 0 : Long.getLong("http.fuzz.runs", 0);
        long seconds = merge ? 0 : Long.getLong("http.fuzz.seconds", runs > 0 ? 0 : 5);
        Path work = Path.of("target", "fuzz", target.name().toLowerCase()).toAbsolutePath();
        Path corpus = work.resolve("corpus");
        Files.createDirectories(corpus);
        Path seeds = Path.of("src", "test", "resources", "dev", "uring4j", "http", target.type.getSimpleName() + "Inputs",
                target.method).toAbsolutePath();
        Path kept = seeds.resolve("campaign");
        Path log = work.resolve(merge ? "merge.log" : "campaign.log");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading",
                "-cp", classPath,
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + target.type.getName(),
                "--target_method=" + target.method,
                "--instrumentation_includes=dev.uring4j.http.**",
                "-timeout=10",
                "-print_final_stats=1",
                "-artifact_prefix=" + work + File.separator));
        if (runs > 0) {
            command.add("-runs=" + runs);
        }
        // Always given: without it the driver takes the annotation's maxDuration; 0 is no limit.
        command.add("-max_total_time=" + seconds);
        if (merge) {
            Files.createDirectories(kept);
            command.add("-merge=1");
            command.add(kept.toString());
        }
        command.add(corpus.toString());
        Files.writeString(log, "java " + String.join(" ", command.subList(1, 4)) + " -cp <the test class path> "
                + String.join(" ", command.subList(6, command.size())) + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAZZER_DISABLED_HOOKS", DISABLED_HOOKS);
        long started = System.nanoTime();
        Process jazzer = builder.start();
        try {
            // A campaign of a number of runs takes as long as it takes; a timed one gets its time and a margin.
            boolean finished = seconds > 0 ? jazzer.waitFor(seconds + 300, TimeUnit.SECONDS) : jazzer.waitFor(7, TimeUnit.DAYS);
            assertTrue(finished, "Jazzer did not finish; see " + log);
        } finally {
            jazzer.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log);
        if (merge) {
            assertEquals(0, jazzer.exitValue(), "the merge failed; see " + log);
            int dropped = dropNamedSeeds(seeds, kept);
            String added = lines.stream().filter(l -> l.startsWith("MERGE-OUTER: ") && l.contains(" new files "))
                    .reduce((a, b) -> b).orElse("no summary");
            try (Stream<Path> files = Files.list(kept)) {
                System.out.println("jazzer " + target + " merge: " + added + "; " + dropped + " named seeds dropped; "
                        + files.count() + " inputs kept in " + kept);
            }
            return;
        }
        String done = lines.stream().filter(l -> l.startsWith("Done ")).reduce((a, b) -> b).orElse("no summary");
        String coverage = lines.stream().filter(l -> l.contains(" cov: ")).reduce((a, b) -> b).orElse("");
        String execs = lines.stream().filter(l -> l.startsWith("stat::number_of_executed_units:")).reduce((a, b) -> b)
                .orElse("").replaceAll("\\D", "");
        String perSecond = lines.stream().filter(l -> l.startsWith("stat::average_exec_per_sec:")).reduce((a, b) -> b)
                .orElse("").replaceAll("\\D", "");
        System.out.println("jazzer " + target + ": " + done + "; " + execs + " executions, " + perSecond + " exec/s, "
                + (System.nanoTime() - started) / 1_000_000_000 + " s | " + coverage.replaceFirst("^#\\d+\\s+", ""));
        int finding = firstStartingWith(lines, "== Java Exception"); // libFuzzer's report of a failing input
        String tail = String.join("\n", lines.subList(finding >= 0 ? finding : Math.max(0, lines.size() - 40), lines.size()));
        assertEquals(0, jazzer.exitValue(), "Jazzer found an input " + target + " mishandles (see " + work
                + "/crash-*; copy it into src/test/resources/dev/uring4j/http/" + target.type.getSimpleName() + "Inputs/"
                + target.method + " to keep it as a regression test):\n" + tail);
        assertTrue(done.startsWith("Done "), "Jazzer ran: " + tail);
    }

    /** Deletes the inputs in {@code kept} that a named seed in {@code seeds} already holds; returns how many. */
    private static int dropNamedSeeds(Path seeds, Path kept) throws IOException {
        Set<ByteBuffer> named = new HashSet<>();
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                named.add(ByteBuffer.wrap(Files.readAllBytes(f)));
            }
        }
        int dropped = 0;
        try (Stream<Path> files = Files.list(kept)) {
            for (Path f : files.toList()) {
                if (named.contains(ByteBuffer.wrap(Files.readAllBytes(f)))) {
                    Files.delete(f);
                    dropped++;
                }
            }
        }
        return dropped;
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
