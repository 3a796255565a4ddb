package dev.uring4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code ./uring4j bench} run found: the machine, the servers (and why some could
 * not run), every run of every cell, and the load generator's cross-check. Filled by {@link Bench},
 * read by {@link Report} and {@link Charts}.
 */
final class BenchResults {
    final Map<String, Object> machine;
    final BenchOptions options;
    final List<ServerSpec> servers;
    final List<Cell> cells;
    final Map<String, String> unavailable = new LinkedHashMap<>();   // server name -> why it did not run
    final Map<String, String> stopped = new LinkedHashMap<>();       // server name -> how it ended
    final List<String> notes = new ArrayList<>();
    int noisyRepeats;   // runs repeated because other tasks took more than --max-noise of a CPU
    final List<CrossCheck.Row> crossCheck = new ArrayList<>();
    final Map<String, List<String>> serverCommands = new LinkedHashMap<>();   // server name -> the command it ran
    final List<Raw> raw = new ArrayList<>();
    private final Map<String, Map<String, List<RunResult>>> runs = new LinkedHashMap<>();

    /**
     * One run as it happened: which part of the bench it belongs to ({@code matrix}, or the
     * cross-check's {@code cross-check loadgen} and {@code cross-check pingpong}), where it fell in
     * its round's order, and the load command that made it.
     */
    record Raw(String part, Cell cell, ServerSpec server, int round, int position, List<String> loadCommand, RunResult result) {

        Map<String, Object> toJson(BenchResults r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("part", part);
            m.put("cell", cell.id());
            m.put("server", server.name());
            m.put("round", round + 1);
            m.put("position_in_round", position + 1);
            m.put("server_command", String.join(" ", r.serverCommands.getOrDefault(server.name(), List.of())));
            m.put("load_command", String.join(" ", loadCommand));
            m.put("figures", result.toJson());
            m.put("tool_result", result.tool());
            return m;
        }
    }

    BenchResults(Map<String, Object> machine, BenchOptions options, List<ServerSpec> servers, List<Cell> cells) {
        this.machine = machine;
        this.options = options;
        this.servers = servers;
        this.cells = cells;
    }

    void add(Cell cell, ServerSpec server, int round, int position, List<String> loadCommand, RunResult result) {
        runs.computeIfAbsent(cell.id(), k -> new LinkedHashMap<>())
                .computeIfAbsent(server.name(), k -> new ArrayList<>()).add(result);
        raw.add(new Raw("matrix", cell, server, round, position, loadCommand, result));
    }

    /** runs.jsonl: every run (matrix and cross-check), one JSON object a line, in the order they ran. */
    String rawJsonLines() {
        StringBuilder out = new StringBuilder();
        raw.forEach(x -> out.append(Json.writeLine(x.toJson(this))).append('\n'));
        return out.toString();
    }

    List<RunResult> runs(Cell cell, ServerSpec server) {
        return runs.getOrDefault(cell.id(), Map.of()).getOrDefault(server.name(), List.of());
    }

    /** Every successful run of the matrix (not the cross-check). */
    List<RunResult> allRuns() {
        return runs.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream).filter(RunResult::ok).toList();
    }

    /** Servers that took part in a cell (had at least one run), in catalog order. */
    List<ServerSpec> measured(Cell cell) {
        return servers.stream().filter(s -> !runs(cell, s).isEmpty()).toList();
    }

    Summary summary(Cell cell, ServerSpec server) {
        return Summary.of(runs(cell, server), cell.fixedLoad());
    }

    /** The cell's headline figure: rate when saturating, server CPU per round trip at fixed load. */
    static double headline(Cell cell, Summary s) {
        return cell.fixedLoad() ? s.median().serverCpuUsPerRt() : s.median().rate();
    }

    /** The best peer (any server but the subject): highest rate, or lowest CPU per round trip. */
    Optional<ServerSpec> bestPeer(Cell cell, boolean javaOnly) {
        ServerSpec best = null;
        double bestValue = 0;
        for (ServerSpec s : measured(cell)) {
            Summary sum = summary(cell, s);
            if (s.subject() || !sum.ok() || javaOnly && !s.java()) {
                continue;
            }
            double v = headline(cell, sum);
            if (best == null || (cell.fixedLoad() ? v < bestValue : v > bestValue)) {
                best = s;
                bestValue = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Headline ÷ the best peer's headline (rate: above 1 is faster; CPU: below 1 is cheaper). */
    double ratioToBestPeer(Cell cell, ServerSpec server) {
        Summary s = summary(cell, server);
        Optional<ServerSpec> best = bestPeer(cell, false);
        if (!s.ok() || best.isEmpty()) {
            return Double.NaN;
        }
        return headline(cell, s) / headline(cell, summary(cell, best.get()));
    }

    Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", machine);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("command", options.command());
        settings.put("seed", options.seed());
        settings.put("quick", options.quick());
        settings.put("raw_runs", "runs.jsonl");
        settings.put("runs_per_cell", options.runs());
        settings.put("warmup_s", options.warmupS());
        settings.put("duration_s", options.durationS());
        settings.put("server_warmup_s", options.serverWarmupS());
        settings.put("server_cpu", options.serverCpu());
        settings.put("load_cpu", options.loadCpu());
        settings.put("jvm_flags", options.jvmFlags());
        settings.put("max_noise", options.maxNoise());
        settings.put("noisy_runs_repeated", noisyRepeats);
        root.put("settings", settings);
        List<Object> serverList = new ArrayList<>();
        for (ServerSpec s : servers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("label", s.label());
            m.put("role", s.subject() ? "subject" : "peer");
            m.put("protocol", String.join(",", s.protocols()));
            m.put("launcher", s.java() ? "java" : "native");
            if (serverCommands.containsKey(s.name())) {
                m.put("command", String.join(" ", serverCommands.get(s.name())));
            }
            if (unavailable.containsKey(s.name())) {
                m.put("skipped", unavailable.get(s.name()));
            }
            if (stopped.containsKey(s.name())) {
                m.put("stop", stopped.get(s.name()));
            }
            serverList.add(m);
        }
        root.put("servers", serverList);
        List<Object> cellList = new ArrayList<>();
        for (Cell cell : cells) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", cell.id());
            c.put("title", cell.title());
            c.put("kind", cell.protocol());
            c.put("fixed_load", cell.fixedLoad());
            if (cell.fixedLoad()) {
                c.put("offered_rt_per_s", cell.rate());
            }
            bestPeer(cell, false).ifPresent(b -> c.put("best_peer", b.name()));
            Map<String, Object> per = new LinkedHashMap<>();
            for (ServerSpec s : measured(cell)) {
                Map<String, Object> m = summary(cell, s).toJson(runs(cell, s));
                m.put("ratio_to_best_peer", ratioToBestPeer(cell, s));
                per.put(s.name(), m);
            }
            c.put("results", per);
            cellList.add(c);
        }
        root.put("cells", cellList);
        root.put("cross_check", crossCheck.stream().map(CrossCheck.Row::toJson).toList());
        root.put("notes", notes);
        return root;
    }
}
