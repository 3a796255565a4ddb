package dev.uring4j.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM on the test class path: for faults that must not touch the test JVM
 * (lowered descriptor limits, seccomp filters). The child prints {@code listening on HOST:PORT}
 * and stops when its stdin closes.
 */
final class ChildJvm implements AutoCloseable {
    final Process process;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final List<String> stderr = new CopyOnWriteArrayList<>();
    private final CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();

    ChildJvm(Class<?> main, List<String> jvmArgs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String transport = System.getProperty(Transport.PROPERTY);
        if (transport != null && jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + Transport.PROPERTY + "="))) {
            // The child serves on the transport this run tests, unless the test picks one.
            cmd.add("-D" + Transport.PROPERTY + "=" + transport);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).start();
        pump(process.inputReader(StandardCharsets.UTF_8), stdout, true);
        pump(process.errorReader(StandardCharsets.UTF_8), stderr, false);
    }

    private void pump(BufferedReader reader, List<String> into, boolean watchListening) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = reader) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                    if (watchListening && line.startsWith("listening on ")) {
                        String hp = line.substring("listening on ".length());
                        int colon = hp.lastIndexOf(':');
                        listening.complete(new InetSocketAddress(hp.substring(0, colon),
                                Integer.parseInt(hp.substring(colon + 1))));
                    }
                }
            } catch (IOException ignored) {
                // the child went away
            }
            listening.completeExceptionally(new IllegalStateException("child exited without listening; stderr: "
                    + String.join("\n", stderr)));
        });
    }

    InetSocketAddress awaitListening() throws Exception {
        return listening.get(60, TimeUnit.SECONDS);
    }

    long count(String needle) {
        return stderr.stream().filter(l -> l.contains(needle)).count();
    }

    /** The child's stdout lines that start with {@code key=}, as the value after it. */
    String value(String key) {
        return stdout.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("child printed no " + key + "; stdout " + stdout));
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
