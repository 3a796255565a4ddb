package dev.uring4j.ring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a {@code main} of the test class path in a child JVM, for what a test must not do to its
 * own process: lower a resource limit, drop a capability, install a seccomp filter. Each child
 * prints what it observed and the test asserts on that output.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** A finished child: its exit code and everything it printed (stdout and stderr). */
    record Result(int exitCode, String output) {
        /** The value of the first line {@code key=value} the child printed, or fails naming the output. */
        String value(String key) {
            for (String line : output.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return fail("the child printed no " + key + "=; its output:\n" + output);
        }
    }

    static Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // Fast start: the child runs for a moment and compiles nothing worth optimising.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(Completions.DEADLINE_NS * 3, TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            fail("the child " + main.getSimpleName() + " did not finish");
        }
        return new Result(process.exitValue(), output.join());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
