package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, running pinned to the server CPU from start to stop: started, awaited
 * until it prints {@code listening on HOST:PORT}, sampled for CPU time, stopped with SIGTERM.
 * A server that cannot start (not built, or a command it does not know yet) becomes an
 * {@link Unavailable} naming why, and its cells are skipped with that message.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    final ServerSpec spec;
    private final Process process;
    private final OutputTail output;
    private final BenchEnv env;
    final int port;

    static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why, null, false, false);
        }
    }

    private ServerProcess(ServerSpec spec, Process process, OutputTail output, BenchEnv env, int port) {
        this.spec = spec;
        this.process = process;
        this.output = output;
        this.env = env;
        this.port = port;
    }

    static ServerProcess start(ServerSpec spec, BenchEnv env, Duration timeout) throws Unavailable, IOException {
        List<String> command = spec.commandLine(env);
        if (!spec.java()) {
            Path binary = Path.of(command.getFirst());
            if (!Files.isExecutable(binary)) {
                throw new Unavailable(env.whyMissing(binary.getFileName().toString()));
            }
        }
        Process process = new ProcessBuilder(BenchEnv.pinned(env.serverCpu(), command))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        OutputTail output = new OutputTail(process.getInputStream(), spec.name() + "-output", line -> {
            Matcher m = LISTENING.matcher(line);
            if (!listening.isDone() && m.matches()) {
                listening.complete(Integer.parseInt(m.group(2)));
            }
        });
        process.onExit().thenRun(() -> listening.complete(-1));
        int port;
        try {
            port = listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new Unavailable("no 'listening on' line within " + timeout.toSeconds() + " s: " + output.firstLine());
        } catch (InterruptedException | ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("waiting for " + spec.name() + " to listen", e);
        }
        if (port < 0) {
            output.awaitEnd();
            throw new Unavailable("exited with status " + process.exitValue() + " before listening: " + output.firstLine());
        }
        return new ServerProcess(spec, process, output, env, port);
    }

    long pid() {
        return process.pid();   // taskset execs the server, so this is the server's own pid
    }

    CpuTime cpu() throws IOException {
        return CpuTime.of(pid(), env.nsPerTick());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Why a server that was serving is gone. */
    String deathNotice() {
        output.awaitEnd();
        return spec.name() + " exited with status " + process.exitValue() + ": " + output.lastLine();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 5 s; returns how it ended. */
    String stop() {
        if (!process.isAlive()) {
            return "had exited with status " + process.exitValue();
        }
        process.destroy();
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                int status = process.exitValue();
                // 143 = 128 + SIGTERM: a JVM that ran its shutdown hooks and exited on the signal.
                return status == 0 || status == 143 ? "stopped cleanly" : "exited with status " + status + " on SIGTERM";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return "did not stop within 5 s of SIGTERM; killed";
    }

    @Override
    public void close() {
        stop();
    }
}
