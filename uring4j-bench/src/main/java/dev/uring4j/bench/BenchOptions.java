package dev.uring4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@code ./uring4j bench}. The default run is the full matrix with 5 runs
 * per cell and server, short windows so that it fits in about 18 minutes with the UDP cell;
 * {@code --quick} a three-cell smoke run of under two minutes whose figures are not to be quoted;
 * any figure can be overridden.
 *
 * @param command the command line that made the run, recorded beside its figures
 * @param seed    seeds the order servers run in within each round, so that a run can be repeated
 */
record BenchOptions(boolean quick, List<String> servers, List<Cell> cells, int runs, double warmupS, double durationS,
                    double serverWarmupS, int serverCpu, int loadCpu, Path root, Path out, List<String> jvmFlags,
                    boolean crossCheck, boolean charts, boolean list, double maxNoise, long seed, String command) {

    static final int DEFAULT_RATE = 80_000;
    /** Offered load of the paced HTTP cell, requests/s: what every HTTP server here sustains on one core. */
    static final int DEFAULT_HTTP_RATE = 50_000;
    static final int DEFAULT_RUNS = 5;

    static List<String> defaultCells(int rate) {
        return List.of("echo-64B-c1-d1", "echo-64B-c64-d1", "echo-64B-c512-d1", "echo-64B-c64-d16", "echo-4KiB-c64-d1",
                "echo-64B-c64-d1@" + rate, "echo-64B-c512-d1@" + rate,
                "http-plaintext-c64-d1", "http-plaintext-c256-d1", "http-plaintext-c64-d16", "http-plaintext-c256-d16",
                "http-plaintext-c256-d1@" + DEFAULT_HTTP_RATE, "wrk-plaintext-c64-d1",
                "https-plaintext-c64", "https-handshake-c64", "ws-echo-c512", "ws-broadcast-1000");
    }

    static List<String> quickCells(int rate) {
        return List.of("echo-64B-c64-d1", "echo-64B-c64-d1@" + rate, "http-plaintext-c64-d1", "https-plaintext-c64");
    }

    static final String HELP = """
            usage: ./uring4j bench [options]
              --quick               a smoke test: three cells, 2 short runs each, under two minutes; its figures
                                    are marked QUICK and are not for quoting
              --servers a,b,...     only these servers (names from --list); default all
              --only id,...         only these cells (--cells is the same), e.g. echo-64B-c64-d16,echo-64B-c512-d1@80000,
                                    http-plaintext-c256-d16, http-plaintext-c256-d1@50000 (paced), wrk-plaintext-c64-d1
                                    (wrk instead of http_load), ws-echo-c512, ws-broadcast-1000 (WebSocket); "udp"
                                    selects the UDP cell (./uring4j bench only); arena-WORKLOAD-cCONNS for the
                                    HttpArena workloads (baseline-get, baseline-post, baseline-chunked, pipeline,
                                    json, upload, static), run only when named, e.g. arena-json-c64
              --rate N              offered load of the default fixed-load echo cells, round trips/s (default 80000)
              --runs N              runs per cell and server; median and min–max reported (default 5; quick 2)
              --seed N              seed of the servers' order in each round (default: random, printed)
              --warmup S            unmeasured seconds before each run's window (default 0.5)
              --duration S          measured seconds per run (default 1; quick 1)
              --server-warmup S     load each server for S seconds before the matrix, shared among the cells'
                                    patterns, at least 0.5 s each, for the JIT (default 3; quick 1)
              --server-cpu N        CPU the servers are pinned to (default 0)
              --load-cpu N          CPU the load tool is pinned to (default 1)
              --jvm-flags "..."     flags for every Java server (default: see docs/bench/METHOD.md)
              --max-noise F         repeat a run (up to 3 times) when other tasks took more than F (0..1) of the
                                    server or load CPU during its window, keeping the least disturbed; default 0 = never
              --out DIR             where results.json, results.md and the charts go (default target/bench)
              --no-cross-check      skip checking loadgen against the second tool (on by default, off in --quick)
              --no-charts           skip the PNG charts
              --list                list the servers and cells, then exit
            """;

    static BenchOptions parse(String[] args, Path defaultRoot) {
        boolean quick = Arrays.asList(args).contains("--quick");
        List<String> servers = null;
        List<String> cellIds = null;
        Integer runs = null, rate = null;
        Double warmup = null, duration = null, serverWarmup = null;
        double maxNoise = 0;
        Long seed = null;
        int serverCpu = 0, loadCpu = 1;
        Path root = defaultRoot, out = null;
        List<String> jvmFlags = BenchEnv.DEFAULT_JVM_FLAGS;
        Boolean crossCheck = null;
        boolean charts = true, list = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--no-cross-check" -> crossCheck = false;
                case "--cross-check" -> crossCheck = true;
                case "--no-charts" -> charts = false;
                case "--list" -> list = true;
                case "--help", "-h" -> throw new UsageException(null);
                default -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("missing value after " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--servers" -> servers = List.of(v.split(","));
                        case "--only", "--cells" -> cellIds = List.of(v.split(","));
                        case "--seed" -> seed = seed(v);
                        case "--rate" -> rate = positiveInt(a, v);
                        case "--runs" -> runs = positiveInt(a, v);
                        case "--warmup" -> warmup = seconds(a, v, true);
                        case "--duration" -> duration = seconds(a, v, false);
                        case "--server-warmup" -> serverWarmup = seconds(a, v, true);
                        case "--server-cpu" -> serverCpu = nonNegativeInt(a, v);
                        case "--load-cpu" -> loadCpu = nonNegativeInt(a, v);
                        case "--root" -> root = Path.of(v);
                        case "--out" -> out = Path.of(v);
                        case "--jvm-flags" -> jvmFlags = List.of(v.strip().split("\\s+"));
                        case "--max-noise" -> {
                            maxNoise = seconds(a, v, true);
                            if (maxNoise >= 1) {
                                throw new UsageException("--max-noise is a fraction below 1, not " + v);
                            }
                        }
                        default -> throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        int r = rate == null ? DEFAULT_RATE : rate;
        List<Cell> cells = new ArrayList<>();
        for (String id : cellIds != null ? cellIds : quick ? quickCells(r) : defaultCells(r)) {
            try {
                cells.add(Cell.parse(id.strip()));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new BenchOptions(quick, servers, cells,
                runs != null ? runs : quick ? 2 : DEFAULT_RUNS,
                warmup != null ? warmup : 0.5,
                duration != null ? duration : 1,
                serverWarmup != null ? serverWarmup : quick ? 1 : 3,
                serverCpu, loadCpu, root, out != null ? out : root.resolve("target/bench"), jvmFlags,
                crossCheck != null ? crossCheck : !quick, charts, list, maxNoise,
                seed != null ? seed : new java.security.SecureRandom().nextLong() >>> 16,
                ("./uring4j bench " + String.join(" ", args)).strip());
    }

    private static long seed(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed takes a whole number, not " + v);
        }
    }

    private static int positiveInt(String flag, String v) {
        int n = nonNegativeInt(flag, v);
        if (n == 0) {
            throw new UsageException(flag + " must be positive");
        }
        return n;
    }

    private static int nonNegativeInt(String flag, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(flag + " takes a non-negative whole number, not " + v);
    }

    private static double seconds(String flag, String v, boolean zeroAllowed) {
        try {
            double s = Double.parseDouble(v);
            if (s > 0 || zeroAllowed && s == 0) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(flag + " takes seconds" + (zeroAllowed ? "" : " above 0") + ", not " + v);
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
