package dev.uring4j.bench;

import java.util.List;
import java.util.Optional;

/**
 * One cell of the matrix: a workload every server of its {@link #protocol()} is measured under.
 * A cell kind only says how to drive the load; {@link LoadRun} runs the tool, samples the server's
 * CPU over the measured window and reads the tool's result line, whose keys ({@code rt_per_s},
 * {@code round_trips}, {@code p50_us}, {@code p99_us}, {@code p999_us}, {@code mean_us},
 * {@code cpu_us_per_rt}, optionally {@code late_sends}) are the contract every kind's tools meet
 * (loadgen for echo; http_load and wrk, through http_load.sh, for HTTP; ws_load for WebSocket).
 */
interface Cell {

    /** Stable id, used by {@code --only} and in results.json: {@code echo-64B-c64-d1@80000}. */
    String id();

    /** The servers it applies to, by their {@link ServerSpec#protocol()}. */
    String protocol();

    /** Human-readable description for the table and charts. */
    String title();

    /** Paced at a fixed offered load (compare CPU per round trip) rather than saturating (compare rate). */
    boolean fixedLoad();

    /** Offered load in round trips per second for a fixed-load cell. */
    int rate();

    /** The load tool's command line (pinning is added by the caller). */
    List<String> loadCommand(BenchEnv env, int port, double warmupS, double durationS);

    /** Why this cell cannot run here (its load tool was not built), if so. */
    Optional<String> whyUnavailable(BenchEnv env);

    /** The cell an id names, whatever its kind. */
    static Cell parse(String id) {
        if (HttpsCell.matches(id)) {
            return HttpsCell.parse(id);
        }
        if (WsCell.matches(id)) {
            return WsCell.parse(id);
        }
        return HttpCell.matches(id) ? HttpCell.parse(id) : EchoCell.parse(id);
    }
}
