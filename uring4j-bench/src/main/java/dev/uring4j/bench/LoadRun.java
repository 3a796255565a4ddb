package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load tool pinned to the load CPU and samples the server's CPU time exactly over the
 * tool's measured window: the tool prints {@code measure-start} when its warm-up ends and
 * {@code measure-end} when it stops counting, and /proc/PID/stat of the server is read as each
 * line arrives (a pipe hop, microseconds against a window of seconds). Then it reads the tool's
 * {@code result {...}} line. A tool without these lines is measured from its launch to its result
 * line instead.
 */
final class LoadRun {
    /** How the error of a run whose window saw no round trip complete begins: other tasks had the CPUs. */
    static final String NOTHING_COMPLETED = "no round trip completed";

    private LoadRun() {}

    /**
     * @param server the server to sample, or null to measure the tool alone
     * @return the run's figures, or a failed result naming what went wrong
     */
    static RunResult run(BenchEnv env, List<String> toolCommand, ServerProcess server, double expectedS)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(BenchEnv.pinned(env.loadCpu(), toolCommand))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        Edges edges = new Edges(env, server);
        edges.sample(0);
        CompletableFuture<String> result = new CompletableFuture<>();
        OutputTail errors = new OutputTail(process.getErrorStream(), "load-stderr", line -> { });
        OutputTail output = new OutputTail(process.getInputStream(), "load-stdout", line -> {
            switch (line) {
                case "measure-start" -> edges.sample(0);
                case "measure-end" -> edges.sample(1);
                default -> {
                    if (line.startsWith("result ")) {
                        if (edges.at[1] == 0) {
                            edges.sample(1);
                        }
                        result.complete(line.substring("result ".length()));
                    }
                }
            }
        });
        if (!process.waitFor((long) (expectedS * 1000) + 20_000, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return RunResult.failed("load tool still running " + (int) expectedS + " s past its duration; killed");
        }
        output.awaitEnd();
        errors.awaitEnd();
        if (process.exitValue() != 0) {
            String why = switch (process.exitValue()) {
                case 3 -> "wrong responses (echo payload mismatch, HTTP non-2xx or malformed): ";
                case 4 -> "connection lost: ";
                default -> "load tool exited with status " + process.exitValue() + ": ";
            };
            return RunResult.failed(why + errors.lastLine());
        }
        if (!result.isDone()) {
            return RunResult.failed("load tool printed no result line");
        }
        Map<String, Object> json;
        try {
            json = Json.parseObject(result.join());
        } catch (IllegalArgumentException e) {
            return RunResult.failed("load tool printed a result line that does not parse (" + e.getMessage() + "): " + result.join());
        }
        if (edges.server[0] == null || edges.server[1] == null) {
            return RunResult.failed("could not sample the server's CPU time (did it exit?)");
        }
        RunResult r = RunResult.of(json, new RunResult.Window((edges.at[1] - edges.at[0]) / 1e9, edges.server[1].minus(edges.server[0]),
                edges.serverCpu[1].minus(edges.serverCpu[0]), edges.loadCpu[1].minus(edges.loadCpu[0])));
        if (r.roundTrips() == 0) {
            // Not a figure of the server: a window in which nothing completed says only that something else had the CPUs.
            return RunResult.failed(String.format(Locale.ROOT, "%s in the %.1f s window (other tasks took %.0f%% of the server CPU "
                    + "and %.0f%% of the load CPU)", NOTHING_COMPLETED, r.windowS(), 100 * r.otherOnServerCpu(), 100 * r.otherOnLoadCpu()), json);
        }
        return r;
    }

    /** The samples at the window's two edges: the server's CPU time and both CPUs' counters. */
    private static final class Edges {
        final BenchEnv env;
        final ServerProcess process;
        final long[] at = new long[2];
        final CpuTime[] server = new CpuTime[2];
        final CpuCounters[] serverCpu = new CpuCounters[2], loadCpu = new CpuCounters[2];

        Edges(BenchEnv env, ServerProcess server) {
            this.env = env;
            this.process = server;
        }

        void sample(int edge) {
            at[edge] = System.nanoTime();
            try {
                serverCpu[edge] = CpuCounters.of(env.serverCpu(), env.nsPerTick());
                loadCpu[edge] = CpuCounters.of(env.loadCpu(), env.nsPerTick());
                server[edge] = process == null ? new CpuTime(0, 0) : process.cpu();
            } catch (IOException e) {
                server[edge] = null;   // the server died: reported by the caller
            }
        }
    }
}
