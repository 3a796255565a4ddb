package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the load generator against a second, independent tool ({@code pingpong}: blocking
 * sockets, a thread per connection, its own payload check): both drive the same server in turn,
 * at one connection closed-loop (rate and latency must agree, up to the tools' own cost per round
 * trip, which lies on the critical path of a single connection) and paced (the server's CPU per
 * round trip must agree, since that is the fixed-load cells' headline). The paced case offers
 * 10,000 round trips/s over 16 connections: a thread per connection costs pingpong a context
 * switch per round trip, so from one core it cannot offer the 80,000 of the fixed-load cells.
 */
final class CrossCheck {
    private CrossCheck() {}

    record Row(EchoCell cell, String server, Summary loadgen, Summary pingpong) {

        double rateRatio() {
            return ratio(loadgen.median().rate(), pingpong.median().rate());
        }

        double meanLatencyRatio() {
            return ratio(loadgen.median().meanUs(), pingpong.median().meanUs());
        }

        double serverCpuRatio() {
            return ratio(loadgen.median().serverCpuUsPerRt(), pingpong.median().serverCpuUsPerRt());
        }

        boolean ok() {
            return loadgen.ok() && pingpong.ok();
        }

        private static double ratio(double loadgen, double pingpong) {
            return loadgen > 0 ? pingpong / loadgen : Double.NaN;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell", cell.id());
            m.put("server", server);
            m.put("loadgen", loadgen.ok() ? loadgen.median().toJson() : Map.of("error", String.valueOf(loadgen.firstError())));
            m.put("pingpong", pingpong.ok() ? pingpong.median().toJson() : Map.of("error", String.valueOf(pingpong.firstError())));
            if (ok()) {
                m.put("pingpong_over_loadgen_rate", rateRatio());
                m.put("pingpong_over_loadgen_mean_latency", meanLatencyRatio());
                m.put("pingpong_over_loadgen_server_cpu_per_rt", serverCpuRatio());
            }
            return m;
        }
    }

    static final List<EchoCell> CASES = List.of(new EchoCell(64, 1, 1, 0), new EchoCell(64, 16, 1, 10_000));

    static List<Row> run(BenchEnv env, ServerProcess server, BenchOptions o, Progress progress, BenchResults results)
            throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        if (!Files.isExecutable(env.tool("pingpong"))) {
            progress.say("cross-check skipped: " + env.whyMissing("pingpong"));
            return rows;
        }
        double expectedS = o.warmupS() + o.durationS();
        for (EchoCell cell : CASES) {
            List<RunResult> viaLoadgen = new ArrayList<>(), viaPingpong = new ArrayList<>();
            for (int run = 1; run <= o.runs(); run++) {
                progress.step("cross-check " + cell.id() + " run " + run + "/" + o.runs() + " · loadgen on " + server.spec.label());
                List<String> loadgen = cell.loadCommand(env, server.port, o.warmupS(), o.durationS());
                viaLoadgen.add(LoadRun.run(env, loadgen, server, expectedS));
                results.raw.add(new BenchResults.Raw("cross-check loadgen", cell, server.spec, run - 1, 0,
                        BenchEnv.pinned(env.loadCpu(), loadgen), viaLoadgen.getLast()));
                progress.step("cross-check " + cell.id() + " run " + run + "/" + o.runs() + " · pingpong on " + server.spec.label());
                List<String> pingpong = List.of(env.tool("pingpong").toString(), "--port", Integer.toString(server.port),
                        "--conns", Integer.toString(cell.conns()), "--size", Integer.toString(cell.size()),
                        "--rate", Integer.toString(cell.rate()), "--warmup", Double.toString(o.warmupS()),
                        "--duration", Double.toString(o.durationS()));
                viaPingpong.add(LoadRun.run(env, pingpong, server, expectedS));
                results.raw.add(new BenchResults.Raw("cross-check pingpong", cell, server.spec, run - 1, 1,
                        BenchEnv.pinned(env.loadCpu(), pingpong), viaPingpong.getLast()));
            }
            rows.add(new Row(cell, server.spec.name(), Summary.of(viaLoadgen, cell.fixedLoad()),
                    Summary.of(viaPingpong, cell.fixedLoad())));
        }
        return rows;
    }
}
