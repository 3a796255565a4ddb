package dev.uring4j.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one server in one cell, reduced to medians (each figure's own median across runs),
 * with the run-to-run spread of the cell's headline figure ((max - min) / median: rate for a
 * saturating cell, server CPU per round trip for a fixed-load one) and its min and max as the
 * noise indicators.
 */
record Summary(int runs, int failures, RunResult median, double spread, double min, double max, String firstError) {

    static Summary of(List<RunResult> results, boolean fixedLoad) {
        List<RunResult> ok = results.stream().filter(RunResult::ok).toList();
        String firstError = results.stream().filter(r -> !r.ok()).map(RunResult::error).findFirst().orElse(null);
        if (ok.isEmpty()) {
            return new Summary(results.size(), results.size(), null, Double.NaN, Double.NaN, Double.NaN, firstError);
        }
        RunResult m = new RunResult(
                median(ok, RunResult::rate), (long) median(ok, r -> r.roundTrips()), median(ok, RunResult::windowS),
                median(ok, RunResult::p50Us), median(ok, RunResult::p99Us), median(ok, RunResult::p999Us),
                median(ok, RunResult::meanUs), median(ok, RunResult::serverCpuUsPerRt),
                median(ok, RunResult::serverUserUsPerRt), median(ok, RunResult::serverUtil),
                median(ok, RunResult::loadCpuUsPerRt), median(ok, RunResult::loadUtil),
                (long) median(ok, r -> r.lateSends()), median(ok, RunResult::otherOnServerCpu),
                median(ok, RunResult::otherOnLoadCpu), null, Map.of());
        ToDoubleFunction<RunResult> headline = fixedLoad ? RunResult::serverCpuUsPerRt : RunResult::rate;
        double[] h = ok.stream().mapToDouble(headline).toArray();
        double center = median(ok, headline);
        double min = Arrays.stream(h).min().orElse(Double.NaN), max = Arrays.stream(h).max().orElse(Double.NaN);
        double spread = center > 0 ? (max - min) / center : Double.NaN;
        return new Summary(results.size(), results.size() - ok.size(), m, spread, min, max, firstError);
    }

    boolean ok() {
        return median != null;
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> figure) {
        double[] v = runs.stream().mapToDouble(figure).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    Map<String, Object> toJson(List<RunResult> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("failures", failures);
        if (firstError != null) {
            m.put("first_error", firstError);
        }
        if (ok()) {
            m.put("median", median.toJson());
            m.put("spread", spread);
            m.put("headline_min", min);
            m.put("headline_max", max);
        }
        m.put("each_run", results.stream().map(RunResult::toJson).toList());
        return m;
    }
}
