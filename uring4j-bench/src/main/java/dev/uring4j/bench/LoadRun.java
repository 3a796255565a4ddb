package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a load tool pinned to the load CPU and samples the server's CPU time exactly over the
 * tool's measured window: the tool prints {@code measure-start} when its warm-up ends and
 * {@code measure-end} when it stops counting, and /proc/PID/stat of the server is read as each
 * line arrives (a pipe hop, microseconds against a window of seconds). Then it reads the tool's
 * {@code result {...}} line.
 */
final class LoadRun {
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
        CpuTime[] samples = new CpuTime[2];
        CpuCounters[] serverCpu = new CpuCounters[2], loadCpu = new CpuCounters[2];
        long[] sampledAt = new long[2];
        CompletableFuture<String> result = new CompletableFuture<>();
        OutputTail errors = new OutputTail(process.getErrorStream(), "load-stderr", line -> { });
        OutputTail output = new OutputTail(process.getInputStream(), "load-stdout", line -> {
            int edge = switch (line) {
                case "measure-start" -> 0;
                case "measure-end" -> 1;
                default -> -1;
            };
            if (edge >= 0) {
                try {
                    sampledAt[edge] = System.nanoTime();
                    serverCpu[edge] = CpuCounters.of(env.serverCpu(), env.nsPerTick());
                    loadCpu[edge] = CpuCounters.of(env.loadCpu(), env.nsPerTick());
                    samples[edge] = server == null ? new CpuTime(0, 0) : server.cpu();
                } catch (IOException e) {
                    samples[edge] = null;   // the server died: reported below
                }
            } else if (line.startsWith("result ")) {
                result.complete(line.substring("result ".length()));
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
                case 3 -> "payload mismatch: ";
                case 4 -> "connection lost: ";
                default -> "load tool exited with status " + process.exitValue() + ": ";
            };
            return RunResult.failed(why + errors.lastLine());
        }
        if (!result.isDone()) {
            return RunResult.failed("load tool printed no result line");
        }
        Map<String, Object> json = Json.parseObject(result.join());
        if (samples[0] == null || samples[1] == null) {
            return RunResult.failed("could not sample the server's CPU time (did it exit?)");
        }
        return RunResult.of(json, new RunResult.Window((sampledAt[1] - sampledAt[0]) / 1e9, samples[1].minus(samples[0]),
                serverCpu[1].minus(serverCpu[0]), loadCpu[1].minus(loadCpu[0])));
    }
}
