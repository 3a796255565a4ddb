package dev.uring4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A CLI command in a JVM of its own, as the script runs it, and what the tests read from it. */
final class CliProcess {
    private CliProcess() {}

    /** Starts {@code command args} with native access and {@code jvmArgs}; output and errors in one stream. */
    static Process start(List<String> jvmArgs, String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Lines up to and including the one starting {@code listening on}. */
    static List<String> untilListening(Process p) throws IOException {
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            lines.add(l);
            if (l.startsWith("listening on ")) {
                return lines;
            }
        }
        throw new AssertionError("ended before listening: " + lines);
    }

    /** The port of a {@code listening on HOST:PORT} line. */
    static int port(String listening) {
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }
}
