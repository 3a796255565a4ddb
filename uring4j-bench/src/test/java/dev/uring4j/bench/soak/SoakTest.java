package dev.uring4j.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./uring4j soak} for two minutes, as part of {@code ./uring4j test}: the server under the
 * full mixed load, held to the soak's bounds (descriptors flat and back to where they were,
 * native memory outside the block pools within +1 MiB after the warm-up, the pools within +8 MiB,
 * no byte lost, no error). The CSV, the chart and the summary are left in
 * {@code target/soak-test}; {@code -During4j.soak.minutes=N} runs longer
 * (past about 6 minutes, with {@code -Djunit.jupiter.execution.timeout.mode=disabled}).
 */
class SoakTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Two minutes of load, with the server's start, the drain and the samples around them. */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void twoMinutesOfMixedLoadHoldEveryBound() throws Exception {
        String minutes = System.getProperty("uring4j.soak.minutes", "2");
        Path out = ROOT.resolve("uring4j-bench/target/soak-test");
        SoakOptions options = SoakOptions.parse(new String[] {"--minutes", minutes, "--out", out.toString()}, ROOT);
        SoakReport report = Soak.run(options, System.out);
        assertTrue(report.passed(), report::markdown);

        long samples = report.samples.size();
        assertEquals(samples + 1, Files.readAllLines(out.resolve("soak.csv")).size(), "a CSV row per sample");
        assertNotNull(ImageIO.read(out.resolve("soak.png").toFile()), "soak.png");
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| check | bound | measured |"));
        assertTrue(report.measured().size() >= 3, "samples after the warm-up: " + report.measured().size());
    }
}
