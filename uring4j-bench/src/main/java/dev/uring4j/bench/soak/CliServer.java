package dev.uring4j.bench.soak;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.uring4j.bench.OutputTail;

/**
 * A {@code ./uring4j} server in a process of its own ({@code dev.uring4j.cli.Main} on the
 * library modules' class path), as the soak and the chaos tests drive it: started and awaited
 * until it prints {@code listening on HOST:PORT}, observed from outside through {@code /proc}
 * (descriptors, RSS, CPU) and, for {@code serve}, its counters on request; signalled; stopped with
 * SIGTERM. Every line it writes at WARNING or above is kept: a healthy server under any of this
 * load has nothing to warn about.
 */
final class CliServer implements AutoCloseable {
    /**
     * The server JVM's flags: native access for the FFM binding; Native Memory Tracking (summary
     * level costs a few percent) so native memory can be read; a fixed 256 MiB heap so heap
     * resizing moves neither RSS nor NMT's totals; G1, what the JVM picks on two or more CPUs,
     * named so that a one-CPU machine runs the same collector.
     */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "-XX:NativeMemoryTracking=summary", "-Xms256m", "-Xmx256m", "-XX:+UseG1GC");
    private static final Pattern LISTENING = Pattern.compile("(?:(\\S+) )?listening on (\\S+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final OutputTail stdout;
    private final OutputTail stderr;
    private final Map<String, InetSocketAddress> listening = new ConcurrentHashMap<>();
    private final CompletableFuture<InetSocketAddress> ready = new CompletableFuture<>();
    private final BlockingQueue<String> statsLines = new LinkedBlockingQueue<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    /** Stops the server if this JVM ends first (Ctrl-C on the soak): no server is left running. */
    private final Thread reaper;

    private CliServer(Process process) {
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        this.stdout = new OutputTail(process.getInputStream(), "server-stdout", this::onStdout);
        this.stderr = new OutputTail(process.getErrorStream(), "server-stderr", this::onStderr);
        process.onExit().thenRun(() -> ready.completeExceptionally(new IOException("exited with status "
                + process.exitValue() + " before listening")));
    }

    /** The command line running {@code ./uring4j ARGS} with the soak's JVM flags. */
    static List<String> command(String... args) {
        return command(JVM_FLAGS, args);
    }

    static List<String> command(List<String> jvmFlags, String... args) {
        return java(jvmFlags, classpath(), "dev.uring4j.cli.Main", args);
    }

    /** {@code java FLAGS -cp CLASSPATH MAIN ARGS} with this JVM's java. */
    static List<String> java(List<String> jvmFlags, String classpath, String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(main);
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /**
     * The CLI and the library modules from this JVM's class path, nothing else: the server runs
     * on what {@code ./uring4j} runs on, without the bench's Netty and JMH jars (and the
     * descriptors a JVM keeps open for each jar it has read from).
     */
    static String classpath() {
        List<String> mine = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            Path parent = Path.of(entry).getParent();
            String module = name.equals("classes") && parent != null && parent.getParent() != null
                    ? parent.getParent().getFileName().toString() : name;
            if (module.matches("uring4j-(ring|runtime|http|examples|cli)([-.].*)?") && !entry.contains("test-classes")) {
                mine.add(entry);
            }
        }
        if (mine.stream().noneMatch(e -> e.contains("uring4j-cli"))) {
            throw new IllegalStateException("uring4j-cli is not on the class path: " + System.getProperty("java.class.path"));
        }
        return String.join(File.pathSeparator, mine);
    }

    /** Starts {@code command} and waits for its {@code listening on} line. */
    static CliServer start(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        CliServer server = new CliServer(p);
        try {
            server.ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            server.stdout.awaitEnd();
            server.stderr.awaitEnd();
            throw new IOException("the server did not start (" + (e instanceof TimeoutException ? "no 'listening on' line within "
                    + START_TIMEOUT.toSeconds() + " s" : e.getCause().getMessage()) + "): " + String.join("\n", server.output), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the server started", e);
        }
        return server;
    }

    private void onStdout(String line) {
        if (line.startsWith("stats ")) {
            statsLines.add(line);
            return;
        }
        output.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.matches()) {
            InetSocketAddress a = new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3)));
            if (m.group(1) == null) {
                ready.complete(a);
            } else {
                listening.put(m.group(1), a);
            }
        }
    }

    private void onStderr(String line) {
        output.add(line);
        if (line.startsWith("WARNING:") || line.startsWith("SEVERE:") || line.startsWith("ERROR:")
                || line.contains("Exception") || line.startsWith("#")) {
            problems.add(line);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The address the server named {@code protocol} ("echo", "http", "udp-echo") listens on, for connecting. */
    InetSocketAddress address(String protocol) {
        InetSocketAddress a = listening.get(protocol);
        if (a == null) {
            throw new IllegalStateException("the server printed no '" + protocol + " listening on' line: " + output);
        }
        return loopback(a);
    }

    /** Where a single-protocol server ({@code echo}, {@code http}, {@code udp-echo}) listens. */
    InetSocketAddress address() {
        return loopback(ready.join());
    }

    private static InetSocketAddress loopback(InetSocketAddress a) {
        return a.getAddress().isAnyLocalAddress() ? new InetSocketAddress("127.0.0.1", a.getPort()) : a;
    }

    /** Lines at WARNING or above (and exceptions) the server has written so far. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Everything the server wrote, but its stats lines. */
    List<String> output() {
        return List.copyOf(output);
    }

    /** {@code serve}'s counters, asked for now: {@code tcp.connections}, {@code loops.outputBytes}, ... */
    Map<String, Long> stats() throws IOException, InterruptedException {
        statsLines.clear();
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
        String line = statsLines.poll(20, TimeUnit.SECONDS);
        if (line == null) {
            throw new IOException("the server printed no stats line within 20 s of being asked");
        }
        Map<String, Long> stats = new HashMap<>();
        for (String kv : line.substring("stats ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            stats.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return stats;
    }

    /** Open descriptors of the server process. */
    int descriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.count();
        }
    }

    /** Of those, sockets. */
    int socketDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    /** Resident set size in KiB ({@code VmRSS} of {@code /proc/PID/status}). */
    long rssKib() throws IOException {
        return JvmMemory.rssKib(pid());
    }

    /** Sends {@code signal} ("STOP", "CONT", "KILL") to the server. */
    void signal(String signal) throws IOException, InterruptedException {
        signal(pid(), signal);
    }

    static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: " + out.strip());
        }
    }

    /**
     * SIGTERM, and waits for the graceful shutdown (SIGKILL after 20 s); returns how it ended and
     * the server's last line (its closing counters).
     */
    String stop() {
        if (!process.isAlive()) {
            stdout.awaitEnd();
            return "had exited with status " + process.exitValue() + ": " + stderr.lastLine();
        }
        process.destroy();
        try {
            if (process.waitFor(20, TimeUnit.SECONDS)) {
                stdout.awaitEnd();
                int status = process.exitValue();
                // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
                return (status == 0 || status == 143 ? "stopped cleanly" : "exited with status " + status) + ": "
                        + stdout.lastLine();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return "did not stop within 20 s of SIGTERM; killed";
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, on a process that has already stopped
        }
    }
}
