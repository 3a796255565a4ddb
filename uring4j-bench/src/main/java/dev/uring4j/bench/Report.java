package dev.uring4j.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The markdown report: the summary first (each cell's headline for uring4j beside the best peer,
 * median and min–max), then what ran where and how, one table for the saturating cells (who
 * serves the most round trips) and one for the fixed-load cells (who spends the least server CPU
 * per round trip), who wins each cell, what was skipped and why, and how the load generator
 * agreed with the second tool. Rows are sorted best first within each cell. A {@code --quick} run
 * says so in its title, so its figures are not mistaken for a full run's.
 */
final class Report {
    static final String QUICK_BANNER = "QUICK RUN (--quick): a few short runs of a few cells, a smoke test — not figures to quote or compare";

    private Report() {}

    static String markdown(BenchResults r) {
        StringBuilder md = new StringBuilder();
        var m = r.machine;
        var o = r.options;
        if (o.quick()) {
            md.append("# ").append(QUICK_BANNER).append("\n\n");
        }
        md.append("## uring4j beside its peers: summary").append(o.quick() ? " (QUICK RUN)" : "").append("\n\n");
        summary(md, r);
        md.append(String.format(Locale.ROOT, "Command: `%s` · seed %d (servers run in a shuffled order each round; "
                + "`--seed %d` repeats it) · every run with its exact server and load commands: `runs.jsonl` beside "
                + "this file; medians and each run's figures: `results.json`.%n%n", o.command(), o.seed(), o.seed()));
        md.append("## Details\n\n");
        md.append(String.format(Locale.ROOT, "%s · %s · JDK %s · %s (%s) · load average before %s, after %s%n%n",
                m.get("date"), m.get("kernel"), m.get("jdk"), m.get("cpu_model"), m.get("online_cpus"),
                m.get("loadavg_before"), m.getOrDefault("loadavg_after", "?")));
        md.append(String.format(Locale.ROOT, "Servers pinned to CPU %d, load generator (and orchestrator) to CPU %d. "
                        + "%d runs per cell and server, interleaved in a shuffled order; each run %.1f s warm-up + %.1f s measured; "
                        + "medians, and min–max of the headline figure. "
                        + "Java servers: `%s`.%n%n",
                o.serverCpu(), o.loadCpu(), o.runs(), o.warmupS(), o.durationS(), String.join(" ", o.jvmFlags())));
        List<RunResult> all = r.allRuns();
        if (!all.isEmpty()) {
            md.append(String.format(Locale.ROOT, "Noise: other tasks (and hypervisor steal) took a median %s (max %s) of the server CPU "
                            + "and %s (max %s) of the load CPU during the %d measured windows.",
                    percent(Summary.median(all, RunResult::otherOnServerCpu)), percent(max(all, RunResult::otherOnServerCpu)),
                    percent(Summary.median(all, RunResult::otherOnLoadCpu)), percent(max(all, RunResult::otherOnLoadCpu)), all.size()));
            if (o.maxNoise() > 0) {
                md.append(String.format(Locale.ROOT, " Runs with more than %s were repeated (up to 3 times): %d repeats.",
                        percent(o.maxNoise()), r.noisyRepeats));
            } else if (r.noisyRepeats > 0) {
                md.append(String.format(Locale.ROOT, " %d runs in whose window nothing completed were repeated.", r.noisyRepeats));
            }
            md.append("\n\n");
        }

        List<Cell> saturating = r.cells.stream().filter(c -> !c.fixedLoad() && !r.measured(c).isEmpty()).toList();
        List<Cell> fixed = r.cells.stream().filter(c -> c.fixedLoad() && !r.measured(c).isEmpty()).toList();
        if (!saturating.isEmpty()) {
            md.append("### Saturating load (closed loop): round trips per second\n\n");
            md.append("| cell | server | rt/s | min–max | ÷ best peer | p50 µs | p99 µs | p99.9 µs | server µs/rt (CPU busy) | load tool µs/rt (CPU busy) |\n");
            md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (Cell cell : saturating) {
                for (ServerSpec s : ranked(r, cell)) {
                    Summary sum = r.summary(cell, s);
                    md.append("| ").append(cell.title()).append(" | ").append(name(s)).append(" | ");
                    if (!sum.ok()) {
                        md.append("failed: ").append(sum.firstError()).append(" |").append(" – |".repeat(8)).append('\n');
                        continue;
                    }
                    RunResult x = sum.median();
                    md.append(String.format(Locale.ROOT, "%,.0f | %s | %s | %s | %s | %s | %.2f (%.0f%%) | %.2f (%.0f%%) |%n",
                            x.rate(), range(sum, "%,.0f"), ratio(r.ratioToBestPeer(cell, s)), us(x.p50Us()), us(x.p99Us()),
                            us(x.p999Us()), x.serverCpuUsPerRt(), 100 * x.serverUtil(), x.loadCpuUsPerRt(), 100 * x.loadUtil()));
                }
            }
            md.append("\n÷ best peer: rate divided by the best peer's rate (above 1 = more round trips). CPU busy: share of one CPU "
                    + "used over the window; whichever side is near 100% is the one that saturates. min–max: the lowest and highest "
                    + "rt/s over the runs. HTTP: a round trip is a request; WebSocket: a message and its echo.\n\n");
        }
        if (!fixed.isEmpty()) {
            md.append("### Fixed offered load: server CPU time per round trip\n\n");
            md.append("| cell | server | rt/s | server µs/rt (CPU busy) | min–max | user µs/rt | ÷ best peer | p50 µs | p99 µs | p99.9 µs | load tool µs/rt |\n");
            md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (Cell cell : fixed) {
                for (ServerSpec s : ranked(r, cell)) {
                    Summary sum = r.summary(cell, s);
                    md.append("| ").append(cell.title()).append(" | ").append(name(s)).append(" | ");
                    if (!sum.ok()) {
                        md.append("failed: ").append(sum.firstError()).append(" |").append(" – |".repeat(8)).append('\n');
                        continue;
                    }
                    RunResult x = sum.median();
                    boolean short_ = x.rate() < 0.97 * cell.rate();
                    md.append(String.format(Locale.ROOT, "%,.0f%s | %.2f (%.1f%%) | %s | %.2f | %s | %s | %s | %s | %.2f |%n",
                            x.rate(), short_ ? " (short of the offered load)" : "", x.serverCpuUsPerRt(), 100 * x.serverUtil(), range(sum, "%.2f"),
                            x.serverUserUsPerRt(), ratio(r.ratioToBestPeer(cell, s)), us(x.p50Us()), us(x.p99Us()), us(x.p999Us()),
                            x.loadCpuUsPerRt()));
                }
            }
            md.append("\nServer µs/rt: the server's utime + stime from /proc/PID/stat over the measured window, divided by the round "
                    + "trips in it; user µs/rt: utime alone (the rest is the kernel's TCP and syscall work). ÷ best peer: CPU "
                    + "divided by the best peer's (below 1 = cheaper). CPU busy: the share of one CPU the server used. Latency runs "
                    + "from when each message was due (WebSocket broadcast: from the tick's due time to the frame's arrival). "
                    + "min–max: the lowest and highest server µs/rt over the runs.\n\n");
        }

        md.append("### Who wins\n\n");
        for (Cell cell : r.cells) {
            List<ServerSpec> ranked = ranked(r, cell).stream().filter(s -> r.summary(cell, s).ok()).toList();
            if (ranked.isEmpty()) {
                continue;
            }
            md.append("- ").append(cell.title()).append(": ").append(winner(r, cell, ranked.getFirst()));
            Optional<ServerSpec> bestJava = r.bestPeer(cell, true);
            bestJava.ifPresent(b -> md.append("; best Java peer ").append(b.label()));
            for (ServerSpec subject : ranked.stream().filter(ServerSpec::subject).toList()) {
                bestJava.ifPresent(b -> md.append(String.format(Locale.ROOT, "; %s is %s the best Java peer's %s", subject.label(),
                        ratio(BenchResults.headline(cell, r.summary(cell, subject)) / BenchResults.headline(cell, r.summary(cell, b))),
                        cell.fixedLoad() ? "CPU per round trip" : "rate")));
            }
            md.append('\n');
        }
        md.append('\n');

        if (!r.unavailable.isEmpty() || !r.notes.isEmpty()) {
            md.append("### Not measured, and notes\n\n");
            r.servers.stream().filter(s -> r.unavailable.containsKey(s.name()))
                    .forEach(s -> md.append("- ").append(s.label()).append(" skipped: ").append(r.unavailable.get(s.name())).append('\n'));
            r.notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }

        if (!r.crossCheck.isEmpty()) {
            md.append("### Load generator cross-check\n\n");
            md.append("The same server driven in turn by `loadgen` (epoll, one thread) and by `pingpong` (blocking sockets, "
                    + "one thread per connection).\n\n");
            md.append("| cell | server | tool | rt/s | mean µs | server µs/rt | tool µs/rt | pingpong ÷ loadgen (rate, mean latency, server µs/rt) |\n");
            md.append("|---|---|---|--:|--:|--:|--:|---|\n");
            for (CrossCheck.Row row : r.crossCheck) {
                appendTool(md, row, "loadgen", row.loadgen(), "");
                appendTool(md, row, "pingpong", row.pingpong(), row.ok()
                        ? String.format(Locale.ROOT, "%.2f, %.2f, %.2f", row.rateRatio(), row.meanLatencyRatio(), row.serverCpuRatio())
                        : "");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * The summary: one row per cell and subject (uring4j, and uring4j on NIO), its headline median
     * and range beside the best peer's and the C floor's (the cheapest or fastest native peer).
     */
    private static void summary(StringBuilder md, BenchResults r) {
        md.append("| cell | figure | server | median | min–max | best peer | its median (min–max) | ÷ best peer |\n");
        md.append("|---|---|---|--:|--:|---|--:|--:|\n");
        for (Cell cell : r.cells) {
            List<ServerSpec> subjects = r.measured(cell).stream().filter(ServerSpec::subject).toList();
            Optional<ServerSpec> best = r.bestPeer(cell, false);
            String figure = cell.fixedLoad() ? "server CPU µs per " + unit(cell) + " (lower is better)" : unit(cell) + "s per second";
            String fmt = cell.fixedLoad() ? "%.2f" : "%,.0f";
            for (ServerSpec s : subjects) {
                Summary sum = r.summary(cell, s);
                md.append("| ").append(cell.title()).append(" | ").append(figure).append(" | **").append(s.label()).append("** | ");
                if (!sum.ok()) {
                    md.append("failed: ").append(sum.firstError()).append(" | – | – | – | – |\n");
                    continue;
                }
                md.append(String.format(Locale.ROOT, fmt, BenchResults.headline(cell, sum))).append(" | ").append(range(sum, fmt)).append(" | ");
                if (best.isPresent()) {
                    Summary b = r.summary(cell, best.get());
                    md.append(best.get().label()).append(" | ").append(String.format(Locale.ROOT, fmt, BenchResults.headline(cell, b)))
                            .append(" (").append(range(b, fmt)).append(") | ").append(ratio(r.ratioToBestPeer(cell, s))).append(" |\n");
                } else {
                    md.append("– | – | – |\n");
                }
            }
        }
        md.append("\nMedian over the runs; min–max: the lowest and highest run. ÷ best peer: for a rate above 1 is faster, for CPU "
                + "below 1 is cheaper. The best peer may be a C server: the physical limit, not a competitor.\n\n");
    }

    private static String unit(Cell cell) {
        return cell.protocol().startsWith("http") ? "request" : cell.protocol().equals("ws") ? "message" : "round trip";
    }

    private static String range(Summary s, String fmt) {
        return String.format(Locale.ROOT, fmt + "–" + fmt, s.min(), s.max());
    }

    private static void appendTool(StringBuilder md, CrossCheck.Row row, String tool, Summary s, String agreement) {
        md.append("| ").append(row.cell().title()).append(" | ").append(row.server()).append(" | ").append(tool).append(" | ");
        if (!s.ok()) {
            md.append("failed: ").append(s.firstError()).append(" |").append(" – |".repeat(4)).append('\n');
            return;
        }
        RunResult x = s.median();
        md.append(String.format(Locale.ROOT, "%,.0f | %s | %.2f | %.2f | %s |%n", x.rate(), us(x.meanUs()),
                x.serverCpuUsPerRt(), x.loadCpuUsPerRt(), agreement));
    }

    /** The cell's servers, best first (failed ones last). */
    static List<ServerSpec> ranked(BenchResults r, Cell cell) {
        Comparator<ServerSpec> byHeadline = Comparator.comparingDouble(s -> {
            Summary sum = r.summary(cell, s);
            if (!sum.ok()) {
                return Double.MAX_VALUE;
            }
            double h = BenchResults.headline(cell, sum);
            return cell.fixedLoad() ? h : -h;
        });
        return r.measured(cell).stream().sorted(byHeadline).toList();
    }

    private static String winner(BenchResults r, Cell cell, ServerSpec best) {
        Summary s = r.summary(cell, best);
        RunResult x = s.median();
        if (cell.fixedLoad()) {
            return String.format(Locale.ROOT, "%s uses the least CPU (%.2f µs/rt)", best.label(), x.serverCpuUsPerRt());
        }
        String text = String.format(Locale.ROOT, "%s serves the most (%,.0f rt/s)", best.label(), x.rate());
        if (x.loadUtil() >= 0.9 && x.serverUtil() < 0.9) {
            text += String.format(Locale.ROOT, " while the load generator saturated first (its CPU %.0f%% busy, the server's %.0f%%): "
                    + "the leaders' margins are likely larger than shown", 100 * x.loadUtil(), 100 * x.serverUtil());
        }
        return text;
    }

    private static double max(List<RunResult> runs, java.util.function.ToDoubleFunction<RunResult> figure) {
        return runs.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }

    private static String name(ServerSpec s) {
        return s.subject() ? "**" + s.label() + "**" : s.label();
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String us(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
