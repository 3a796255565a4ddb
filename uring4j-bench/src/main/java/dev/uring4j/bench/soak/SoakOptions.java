package dev.uring4j.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options of {@code ./uring4j soak}.
 *
 * @param duration  how long the load runs
 * @param interval  time between two samples of the server
 * @param out       where the CSV, the chart and the summary go
 * @param transport the server's {@code --transport}
 * @param threads   the server's event loops
 * @param udpRate   datagrams per second the UDP client sends
 */
record SoakOptions(Duration duration, Duration interval, Path out, String transport, int threads, int udpRate,
                   boolean jfr) {

    static final String HELP = """
            usage: ./uring4j soak [options]
              --minutes N           how long the load runs, decimals allowed (default 10)
              --out DIR             where soak.csv, soak.png and summary.md go (default target/soak)
              --transport T         the server's transport: auto, uring or nio (default auto)
              --threads N           the server's event loops (default 2)
              --udp-rate N          datagrams per second of the UDP client (default 200)
              --interval S          seconds between two samples of the server (default 10)
              --jfr                 record the server with JFR into DIR/soak.jfr (each loop's counters
                                    are dev.uring4j.LoopStats events every 10 s)
            One server process (./uring4j serve: TCP echo, HTTP, UDP echo and the echo on blocking sockets
            on one loop group) under a mixed load from this process; every echoed byte and response body
            is checked. The run fails
            (exit status 1) when, after the warm-up (20% of the run, at least 60 s or half the run), the
            server's descriptors drift by more than the load's own connections allow, its native memory
            outside the block pools (NMT Other less the pools) grows by more than 1 MiB or the pools by
            more than 8 MiB, a byte is lost or corrupted, or anything reports an error.
            """;

    /**
     * The first part of the run, not held to the bounds: the JIT compiles, and the loops' block
     * pools, which keep every block they allocate for reuse, grow to what the load's peaks need.
     * A fifth of the run, at least a minute (or half of a shorter run).
     */
    Duration warmup() {
        long total = duration.toMillis();
        return Duration.ofMillis(Math.max(total / 5, Math.min(60_000, total / 2)));
    }

    static SoakOptions parse(String[] args, Path root) {
        double minutes = 10;
        double intervalS = 10;
        Path out = root.resolve("target/soak");
        String transport = "auto";
        int threads = 2;
        int udpRate = 200;
        boolean jfr = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new UsageException(null);
            }
            if (a.equals("--jfr")) {
                jfr = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--minutes" -> minutes = positive(a, v);
                case "--interval" -> intervalS = positive(a, v);
                case "--out" -> out = Path.of(v).toAbsolutePath();
                case "--transport" -> {
                    transport = v.toLowerCase(Locale.ROOT);
                    if (!transport.matches("auto|uring|io_uring|nio")) {
                        throw new UsageException("--transport must be auto, uring or nio, was '" + v + "'");
                    }
                }
                case "--threads" -> threads = (int) positive(a, v);
                case "--udp-rate" -> udpRate = (int) positive(a, v);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        Duration duration = Duration.ofMillis(Math.round(minutes * 60_000));
        Duration interval = Duration.ofMillis(Math.round(intervalS * 1000));
        if (duration.compareTo(interval.multipliedBy(4)) < 0) {
            throw new UsageException("the run must last at least four sampling intervals ("
                    + interval.multipliedBy(4).toSeconds() + " s), so that samples after the warm-up exist");
        }
        return new SoakOptions(duration, interval, out, transport, threads, udpRate, jfr);
    }

    /** The server's JVM flags: the soak's own, and with {@code --jfr} a recording dumped as it exits. */
    List<String> serverJvmFlags() {
        if (!jfr) {
            return CliServer.JVM_FLAGS;
        }
        List<String> flags = new ArrayList<>(CliServer.JVM_FLAGS);
        flags.add("-XX:StartFlightRecording=filename=" + out.resolve("soak.jfr") + ",settings=default,dumponexit=true");
        return flags;
    }

    private static double positive(String option, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a positive number, was '" + v + "'");
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
