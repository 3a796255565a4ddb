package dev.uring4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured run of one server in one cell. Latencies in µs; CPU figures in µs per round trip
 * over the measured window only; utilisation as the fraction of one CPU busy over that window,
 * which tells which side saturates (the server near 1.0 on its CPU, or the load tool on its own).
 * The {@code other*} fractions are what other tasks (and the hypervisor's steal) took of the
 * server's and the load tool's CPU in the window: the noise this run was measured through.
 * {@code tool} is the load tool's own result line as it printed it (empty for a median or a
 * failure), kept so that every figure can be traced to the raw output it came from.
 */
record RunResult(double rate, long roundTrips, double windowS, double p50Us, double p99Us, double p999Us,
                 double meanUs, double serverCpuUsPerRt, double serverUserUsPerRt, double serverUtil,
                 double loadCpuUsPerRt, double loadUtil, long lateSends, double otherOnServerCpu,
                 double otherOnLoadCpu, String error, Map<String, Object> tool) {

    /** What the orchestrator sampled at the tool's measure-start and measure-end lines. */
    record Window(double seconds, CpuTime server, CpuCounters serverCpu, CpuCounters loadCpu) {}

    static RunResult failed(String error) {
        return failed(error, Map.of());
    }

    /** A failed run whose tool did print a result line, kept for the record. */
    static RunResult failed(String error, Map<String, Object> tool) {
        return new RunResult(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, error, tool);
    }

    /** Combines the load tool's result line with the server's CPU time over the same window. */
    static RunResult of(Map<String, Object> tool, Window w) {
        long rts = (long) number(tool, "round_trips");
        double windowS = number(tool, "window_s");
        double perRt = rts == 0 ? 0 : 1e-3 / rts;   // ns -> µs per round trip
        double toolCpuS = number(tool, "cpu_user_s") + number(tool, "cpu_sys_s");
        double serverBusyS = w.server().totalNs() / 1e9;
        return new RunResult(number(tool, "rt_per_s"), rts, windowS, optional(tool, "p50_us"), optional(tool, "p99_us"),
                optional(tool, "p999_us"), optional(tool, "mean_us"),
                w.server().totalNs() * perRt, w.server().userNs() * perRt,
                w.seconds() > 0 ? serverBusyS / w.seconds() : 0,
                number(tool, "cpu_us_per_rt"),
                windowS > 0 ? toolCpuS / windowS : 0,
                (long) optional(tool, "late_sends"),
                other(w.serverCpu(), serverBusyS, w.seconds()), other(w.loadCpu(), toolCpuS, w.seconds()), null, tool);
    }

    /** The share of a CPU's window that went to anything but {@code ownS}, steal included; never below 0. */
    private static double other(CpuCounters cpu, double ownS, double windowS) {
        return windowS > 0 ? Math.max(0, (cpu.busyNs() + cpu.stealNs()) / 1e9 - ownS) / windowS : 0;
    }

    private static double number(Map<String, Object> json, String key) {
        if (json.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("load tool result has no number '" + key + "'");
    }

    /** A figure not every tool reports (pingpong has no percentiles): NaN, written as null. */
    private static double optional(Map<String, Object> json, String key) {
        return json.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    boolean ok() {
        return error == null;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!ok()) {
            m.put("error", error);
            return m;
        }
        m.put("rt_per_s", rate);
        m.put("round_trips", roundTrips);
        m.put("window_s", windowS);
        m.put("p50_us", p50Us);
        m.put("p99_us", p99Us);
        m.put("p999_us", p999Us);
        m.put("mean_us", meanUs);
        m.put("server_cpu_us_per_rt", serverCpuUsPerRt);
        m.put("server_user_us_per_rt", serverUserUsPerRt);
        m.put("server_cpu_util", serverUtil);
        m.put("load_cpu_us_per_rt", loadCpuUsPerRt);
        m.put("load_cpu_util", loadUtil);
        m.put("late_sends", lateSends);
        m.put("other_tasks_on_server_cpu", otherOnServerCpu);
        m.put("other_tasks_on_load_cpu", otherOnLoadCpu);
        return m;
    }
}
