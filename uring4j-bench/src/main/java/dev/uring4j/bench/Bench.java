package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * {@code ./uring4j bench}: uring4j beside the servers people would pick instead, on one machine
 * in one run.
 *
 * <p>Every server in {@code servers.txt} is started once, pinned to the server CPU, and stays up
 * for the whole run (idle servers block in epoll_wait or io_uring_enter and cost nothing); each is
 * warmed up first so the JIT has compiled its hot path before anything is measured. Then, cell by
 * cell, every server runs once per round, in an order shuffled afresh for each round (seeded, the
 * seed printed, so that a run can be repeated) so that no server always follows the same one or
 * always runs first, and each run's figures come from the load tool (pinned to the load CPU) and
 * from /proc/PID/stat of the server over exactly the tool's measured window. Medians and min–max
 * over the rounds go to a markdown report on stdout (summary first), {@code results.json}, and PNG
 * charts; every run, with the exact commands that made it, goes to {@code runs.jsonl}.
 *
 * <p>The orchestrator itself is meant to run on the load CPU ({@code suite.sh} pins it there), so
 * the server CPU holds only the server being measured.
 */
public final class Bench {
    /** How often a run measured through other tasks' load is repeated: with --max-noise, or when nothing completed. */
    private static final int MAX_NOISY_RETRIES = 3;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, Path.of(System.getProperty("uring4j.root", ".")).toAbsolutePath().normalize());
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.HELP);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        List<ServerSpec> catalog = ServerSpec.catalog();
        if (options.list()) {
            catalog.forEach(s -> System.out.printf("%-20s %-8s %s%n", s.name(), s.subject() ? "subject" : "peer", s.label()));
            System.out.println();
            BenchOptions.defaultCells(BenchOptions.DEFAULT_RATE).forEach(id -> System.out.println(id + "  " + Cell.parse(id).title()));
            return;
        }
        BenchResults results = run(options, catalog, defaultEnv(options));
        System.out.print(Report.markdown(results));
    }

    /** The JVM running the orchestrator runs the Java servers too, with this class path for the peers. */
    static BenchEnv defaultEnv(BenchOptions o) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new BenchEnv(o.root(), o.root().resolve("uring4j-bench/target/native"), java, o.jvmFlags(),
                System.getProperty("java.class.path"), o.serverCpu(), o.loadCpu(), CpuTime.nsPerTick());
    }

    /** Runs the matrix and writes results.json, results.md and the charts under {@code options.out()}. */
    static BenchResults run(BenchOptions o, List<ServerSpec> catalog, BenchEnv env) throws IOException, InterruptedException {
        List<ServerSpec> specs = select(catalog, o.servers());
        BenchResults results = new BenchResults(machine(env), o, specs, o.cells());
        specs.forEach(s -> results.serverCommands.put(s.name(), BenchEnv.pinned(env.serverCpu(), s.commandLine(env))));
        List<Cell> cells = new ArrayList<>();
        for (Cell cell : o.cells()) {
            cell.whyUnavailable(env).ifPresentOrElse(
                    why -> results.notes.add("cell " + cell.id() + " skipped: " + why), () -> cells.add(cell));
        }
        if (o.quick()) {
            System.err.println("bench: " + Report.QUICK_BANNER);
        }
        System.err.printf("bench: %s, JDK %s, %s; servers on CPU %d, load on CPU %d; %d runs per cell, %.1f s warm-up + %.1f s measured%n",
                results.machine.get("kernel"), results.machine.get("jdk"), results.machine.get("cpu_model"),
                o.serverCpu(), o.loadCpu(), o.runs(), o.warmupS(), o.durationS());
        System.err.printf("bench: servers run in a shuffled order each round, seed %d (repeat with --seed %d)%n", o.seed(), o.seed());

        List<ServerProcess> live = new CopyOnWriteArrayList<>();
        // Ctrl-C on the orchestrator must not leave servers running pinned to the server CPU.
        Thread stopServers = new Thread(() -> live.forEach(ServerProcess::stop), "stop-servers");
        Runtime.getRuntime().addShutdownHook(stopServers);
        try {
            for (ServerSpec spec : specs) {
                try {
                    live.add(ServerProcess.start(spec, env, Duration.ofSeconds(30)));
                } catch (ServerProcess.Unavailable e) {
                    results.unavailable.put(spec.name(), e.getMessage());
                    System.err.println("bench: " + spec.label() + " skipped: " + e.getMessage());
                }
            }
            int matrixRuns = cells.stream().mapToInt(c -> (int) live.stream().filter(s -> s.spec.serves(c.protocol())).count()).sum() * o.runs();
            boolean crossCheck = o.crossCheck() && !live.isEmpty() && !cells.isEmpty();
            Progress progress = new Progress(live.size() + matrixRuns + (crossCheck ? CrossCheck.CASES.size() * 2 * o.runs() : 0));

            warmUp(env, o, cells, live, results, progress);
            Random order = new Random(o.seed());
            for (int c = 0; c < cells.size(); c++) {
                Cell cell = cells.get(c);
                List<ServerProcess> players = new ArrayList<>(live.stream().filter(s -> s.spec.serves(cell.protocol())).toList());
                for (int round = 0; round < o.runs(); round++) {
                    Collections.shuffle(players, order);
                    for (int k = 0; k < players.size(); k++) {
                        ServerProcess server = players.get(k);
                        progress.step(String.format(Locale.ROOT, "cell %d/%d %s · run %d/%d · %s", c + 1, cells.size(), cell.id(),
                                round + 1, o.runs(), server.spec.label()));
                        List<String> command = cell.loadCommand(env, server.port, o.warmupS(), o.durationS());
                        results.add(cell, server.spec, round, k, BenchEnv.pinned(env.loadCpu(), command),
                                measure(env, o, cell, command, server, results));
                    }
                }
            }
            if (crossCheck) {
                ServerProcess reference = live.stream().filter(s -> s.spec.name().equals("c-epoll") && s.alive()).findFirst()
                        .orElse(live.stream().filter(s -> s.spec.serves("echo") && s.alive()).findFirst().orElse(null));
                if (reference != null) {
                    results.crossCheck.addAll(CrossCheck.run(env, reference, o, progress, results));
                }
            }
            progress.finish();
        } finally {
            for (ServerProcess s : live) {
                results.stopped.put(s.spec.name(), s.stop());
            }
            Runtime.getRuntime().removeShutdownHook(stopServers);
        }
        results.machine.put("loadavg_after", loadAverage());
        Files.createDirectories(o.out());
        Files.writeString(o.out().resolve("results.json"), Json.write(results.toJson()));
        Files.writeString(o.out().resolve("results.md"), Report.markdown(results));
        Files.writeString(o.out().resolve("runs.jsonl"), results.rawJsonLines());
        if (o.charts()) {
            try {
                Charts.writeAll(results, o.out());
            } catch (IOException | RuntimeException | Error e) {   // AWT without fonts fails with an Error
                System.err.println("bench: charts not drawn: " + e);
            }
        }
        System.err.println("bench: results in " + o.out());
        return results;
    }

    private static RunResult measure(BenchEnv env, BenchOptions o, Cell cell, List<String> command, ServerProcess server,
                                     BenchResults results) throws IOException, InterruptedException {
        if (!server.alive()) {
            return RunResult.failed("server not running: " + server.deathNotice());
        }
        RunResult best = null;
        for (int attempt = 0; attempt <= MAX_NOISY_RETRIES; attempt++) {
            RunResult r = LoadRun.run(env, command, server, o.warmupS() + o.durationS());
            if (!server.alive()) {
                results.notes.add(server.deathNotice() + " (during " + cell.id() + ")");
                return r;
            }
            if (!r.ok() && r.error().startsWith(LoadRun.NOTHING_COMPLETED) && attempt < MAX_NOISY_RETRIES) {
                results.noisyRepeats++;   // other tasks held both CPUs for the whole window: no figure at all, so again
                continue;
            }
            if (!r.ok() || o.maxNoise() <= 0) {
                return r;
            }
            if (best == null || noise(r) < noise(best)) {
                best = r;   // every attempt was disturbed: keep the least disturbed one
            }
            if (noise(r) <= o.maxNoise()) {
                break;
            }
            results.noisyRepeats++;
        }
        return best;
    }

    private static double noise(RunResult r) {
        return Math.max(r.otherOnServerCpu(), r.otherOnLoadCpu());
    }

    /**
     * Loads each server before anything is measured, with every cell's own pattern in turn (a
     * share of {@code --server-warmup}, at least half a second each): the JIT compiles the paths
     * each pattern takes, and deoptimisations on a pattern change happen now, not in a window.
     */
    private static void warmUp(BenchEnv env, BenchOptions o, List<Cell> cells, List<ServerProcess> live, BenchResults results,
                               Progress progress) throws IOException, InterruptedException {
        for (ServerProcess server : live) {
            List<Cell> mine = cells.stream().filter(c -> server.spec.serves(c.protocol())).toList();
            double share = mine.isEmpty() ? 0 : Math.max(0.5, o.serverWarmupS() / mine.size());
            progress.step(String.format(Locale.ROOT, "warming up %s (%.1f s)", server.spec.label(), o.serverWarmupS() > 0 ? share * mine.size() : 0));
            if (o.serverWarmupS() <= 0) {
                continue;
            }
            for (Cell cell : mine) {
                RunResult r = LoadRun.run(env, cell.loadCommand(env, server.port, 0, share), server, share);
                if (!r.ok()) {
                    results.notes.add(server.spec.label() + " failed its warm-up with " + cell.id() + ": " + r.error());
                    break;
                }
            }
        }
    }

    private static List<ServerSpec> select(List<ServerSpec> catalog, List<String> names) {
        if (names == null) {
            return catalog.stream().filter(ServerSpec::byDefault).toList();
        }
        Map<String, ServerSpec> byName = catalog.stream().collect(Collectors.toMap(ServerSpec::name, s -> s, (a, b) -> a, LinkedHashMap::new));
        List<ServerSpec> picked = new ArrayList<>();
        for (String name : names) {
            ServerSpec s = byName.get(name.strip());
            if (s == null) {
                throw new IllegalArgumentException("no server named " + name + "; known: " + String.join(", ", byName.keySet()));
            }
            picked.add(s);
        }
        return picked;
    }

    private static Map<String, Object> machine(BenchEnv env) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jdk", Runtime.version().toString() + " (" + System.getProperty("java.vm.vendor") + ")");
        m.put("cpu_model", cpuModel());
        m.put("online_cpus", Runtime.getRuntime().availableProcessors() + " available to the orchestrator, "
                + Files.readString(Path.of("/sys/devices/system/cpu/online")).strip() + " online");
        m.put("loadavg_before", loadAverage());
        m.put("java", env.java().toString());
        return m;
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
