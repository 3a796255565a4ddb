package dev.uring4j.http;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * An external client (curl, openssl) run by the interoperability tests. A missing tool skips the
 * test, naming the package that brings it. A run reads its standard input from a file and writes
 * its output to files, so a tool that reads its input to the end never waits on a terminal or a
 * pipe, and a tool that does not exit in time is killed and the test fails with what it printed.
 */
final class Tool {
    private static final long TIMEOUT_SECONDS = 20;

    private Tool() {}

    /** Skips the calling test unless {@code tool} is an executable on the PATH; its Debian package has the same name. */
    static void assumeInstalled(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, tool)));
        Assumptions.assumeTrue(found, tool + " is not on the PATH (apt-get install " + tool
                + "; ./uring4j test installs it when run as root): its HTTPS interoperability check is skipped");
    }

    /** What a tool printed on its standard output and error, and its exit status. */
    record Run(String command, int exitCode, String out, String err) {
        /** Both outputs, for matching what a tool prints on either and for failure messages. */
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return command + " exited " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** Runs {@code command} in {@code directory} with {@code input} as its whole standard input. */
    static Run run(Path directory, String input, String... command) {
        String line = String.join(" ", command);
        try {
            Path in = Files.writeString(Files.createTempFile(directory, "stdin-", ".txt"), input, StandardCharsets.ISO_8859_1);
            Path out = Files.createTempFile(directory, "stdout-", ".txt");
            Path err = Files.createTempFile(directory, "stderr-", ".txt");
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            Run run = new Run(line, exited ? process.exitValue() : -1, Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
            if (!exited) {
                fail("did not exit within " + TIMEOUT_SECONDS + " s and was killed: " + run);
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + line, e);
        }
    }
}
