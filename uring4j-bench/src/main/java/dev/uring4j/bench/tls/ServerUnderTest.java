package dev.uring4j.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.uring4j.bench.BenchEnv;
import dev.uring4j.bench.CpuTime;

/**
 * One HTTPS server of a {@link TlsBench} run, pinned to the server CPU: started, awaited until it
 * prints {@code listening on HOST:PORT}, asked for its counters through {@link ServerControl}, and
 * stopped with SIGTERM. Everything it prints goes to its log file.
 */
final class ServerUnderTest implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Pattern MARK = Pattern.compile("mark allocated=(\\d+) requests=(\\d+) connections=(\\d+)");
    /** How long a server may take to start or to answer: generous, since other tenants may hold the CPU. */
    private static final long TIMEOUT_S = 60;

    private final Process process;
    private final PrintWriter control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;
    final int port;

    /** A server's counters at one moment ({@link ServerControl}). */
    record Mark(long allocated, long requests, int connections) {}

    private ServerUnderTest(Process process, Path log) throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.control = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        Writer file = Files.newBufferedWriter(log);
        Thread.ofPlatform().daemon().name("server-output").start(() -> {
            try (file; BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    file.write(line + "\n");
                    file.flush();
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the server is gone; its log has what it printed
            }
        });
        String line = awaitLine(LISTENING);
        Matcher m = LISTENING.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException(line);
        }
        this.port = Integer.parseInt(m.group(2));
    }

    /** Starts {@code command} on {@code cpu}, its output to {@code log}, and waits until it listens. */
    static ServerUnderTest start(int cpu, List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BenchEnv.pinned(cpu, command)).redirectErrorStream(true).start();
        try {
            return new ServerUnderTest(p, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();   // taskset execs the server
    }

    CpuTime cpu(long nsPerTick) throws IOException {
        return CpuTime.of(pid(), nsPerTick);
    }

    Mark mark() throws IOException, InterruptedException {
        control.println("mark");
        Matcher m = MARK.matcher(awaitLine(MARK));
        if (!m.matches()) {
            throw new IllegalStateException("unreachable");
        }
        return new Mark(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /**
     * Asks for the server's counters until it holds exactly {@code open} connections (the peer's
     * closes and connects are seen a little after the peer made them), at most a minute.
     */
    Mark awaitConnections(int open) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            Mark m = mark();
            if (m.connections() == open) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the server holds " + m.connections() + " connections, not " + open
                        + ", " + TIMEOUT_S + " s after the client was done (log: " + log + ")");
            }
            Thread.sleep(50);
        }
    }

    private String awaitLine(Pattern pattern) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException((process.isAlive() ? "no line '" + pattern.pattern() + "' within " + TIMEOUT_S + " s"
                        : "the server exited with status " + process.exitValue()) + " (log: " + log + ")");
            }
            if (pattern.matcher(line).matches()) {
                return line;
            }
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 5 s. */
    @Override
    public void close() throws InterruptedException {
        control.close();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
