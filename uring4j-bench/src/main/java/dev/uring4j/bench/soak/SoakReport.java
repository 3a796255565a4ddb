package dev.uring4j.bench.soak;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The verdict of a soak: each bound, what was measured against it, and whether it held; then what
 * the server's memory and CPU did, what each kind of client did, and every error.
 *
 * <p>The bounds, over the samples after the warm-up ({@link Sample.Phase#MEASURED}):
 * <ul>
 *   <li><b>descriptors</b>: max − min at most the load's TCP connections + 4. Each client holds at
 *       most one connection at a time, so a server that frees what it should cannot drift further
 *       (on io_uring accepted connections live in direct descriptors and take no descriptor at all);
 *       a leak of one descriptor per connection would pass it within seconds;
 *   <li><b>descriptors once the load stopped</b> and every connection closed: at most 2 above the
 *       idle server's count before the load;
 *   <li><b>native memory</b>: NMT {@code Other} (FFM and {@code Unsafe} allocations, where all of
 *       uring4j's native memory but the kernel-mapped rings comes from) less the loops' block pools
 *       at most 1 MiB above the first sample after the warm-up, at every later sample and after the
 *       load;
 *   <li><b>block pools</b>: at most 8 MiB above that first sample. A pool keeps every block it
 *       allocates for reuse, so it grows, in steps, to the largest peak of queued output the load
 *       has reached, and a server slowed by other work on its CPUs queues more; a block never
 *       given back would grow it with every connection, thousands of times over within the run;
 *   <li><b>bytes</b>: none lost or corrupted, TCP and HTTP (over the whole run, warm-up included);
 *   <li><b>datagrams</b>: none lost or corrupted (loopback, a 4 MiB receive buffer, a modest rate);
 *   <li><b>errors</b>: no client error, no server line at WARNING or above, the server alive to the
 *       end and stopping cleanly on SIGTERM.
 * </ul>
 */
final class SoakReport {
    static final long NATIVE_GROWTH_BOUND_KIB = 1024;
    static final long POOL_GROWTH_BOUND_KIB = 8 * 1024;
    static final int DESCRIPTOR_SLACK = 4;
    static final int DRAINED_DESCRIPTOR_SLACK = 2;

    record Check(String name, String bound, String measured, boolean ok) {}

    final SoakOptions options;
    final Instant started;
    final String transport;
    final List<Sample> samples;
    final List<Check> checks = new ArrayList<>();
    private final Load load;
    private final String stopped;
    private final List<String> notes;
    private final List<String> serverProblems;
    private final List<Tally.Snapshot> lanes;
    private final long udpLost;

    SoakReport(SoakOptions options, Instant started, String transport, List<Sample> samples, Load load, String stopped,
               List<String> serverProblems, List<String> notes) {
        this.options = options;
        this.started = started;
        this.transport = transport;
        this.samples = List.copyOf(samples);
        this.load = load;
        this.stopped = stopped;
        this.notes = List.copyOf(notes);
        this.serverProblems = List.copyOf(serverProblems);
        this.lanes = load.tallies();
        this.udpLost = load.udpLost();
        evaluate();
    }

    boolean passed() {
        return checks.stream().allMatch(Check::ok);
    }

    List<Sample> measured() {
        return samples.stream().filter(s -> s.phase() == Sample.Phase.MEASURED).toList();
    }

    private Sample phase(Sample.Phase p) {
        return samples.stream().filter(s -> s.phase() == p).findFirst().orElse(null);
    }

    private void evaluate() {
        List<Sample> m = measured();
        Sample before = phase(Sample.Phase.BEFORE);
        Sample drained = phase(Sample.Phase.DRAINED);
        int connections = load.maxTcpConnections();
        if (m.isEmpty()) {
            checks.add(new Check("samples after the warm-up", "at least one", "none", false));
        } else {
            int lo = (int) min(m, Sample::descriptors), hi = (int) max(m, Sample::descriptors);
            checks.add(new Check("server descriptors after the warm-up",
                    "max − min ≤ " + (connections + DESCRIPTOR_SLACK) + " (the load's " + connections + " TCP connections + "
                            + DESCRIPTOR_SLACK + ")",
                    (hi - lo) + " (" + lo + " … " + hi + ")", hi - lo <= connections + DESCRIPTOR_SLACK));

            Sample last = drained != null ? drained : m.getLast();
            growthCheck("native memory outside the block pools (NMT Other − pools) after the warm-up",
                    NATIVE_GROWTH_BOUND_KIB, m, last, SoakReport::outsidePoolsKib);
            growthCheck("block pools (uring4j's counter) after the warm-up", POOL_GROWTH_BOUND_KIB, m, last,
                    SoakReport::poolsKib);
        }
        if (before != null && drained != null) {
            checks.add(new Check("server descriptors once the load stopped", "≤ " + DRAINED_DESCRIPTOR_SLACK
                    + " above the idle server's before the load", drained.descriptors() + " (before the load: "
                    + before.descriptors() + ")", drained.descriptors() - before.descriptors() <= DRAINED_DESCRIPTOR_SLACK));
        } else {
            checks.add(new Check("server descriptors once the load stopped", "measured", "not measured: the server did not survive", false));
        }
        Tally.Snapshot total = load.total();
        long udpCorrupt = lanes.stream().filter(t -> t.name().equals("udp")).mapToLong(Tally.Snapshot::bytesCorrupted).sum();
        long tcpLost = total.bytesLost(), tcpCorrupt = total.bytesCorrupted() - udpCorrupt;
        checks.add(new Check("bytes lost or corrupted (TCP echo, HTTP bodies)", "0",
                tcpLost + " lost, " + tcpCorrupt + " corrupted; " + bytes(total.bytesVerified()) + " checked",
                tcpLost == 0 && tcpCorrupt == 0));
        if (load.udpSent() > 0) {
            checks.add(new Check("UDP datagrams lost or corrupted", "0",
                    String.format(Locale.ROOT, "%,d lost, %d corrupted, %d duplicated, of %,d sent", udpLost,
                            load.udpCorrupted(), load.udpDuplicates(), load.udpSent()),
                    udpLost == 0 && udpCorrupt == 0));
        }
        int problems = serverProblems.size();
        boolean cleanStop = stopped.startsWith("stopped cleanly");
        checks.add(new Check("errors", "none: clients, server log (WARNING and above), shutdown",
                total.errors() + " client errors, " + problems + " server warnings; server " + stopped.replaceFirst(":.*", ""),
                total.errors() == 0 && problems == 0 && cleanStop && notes.isEmpty()));
    }

    /** The largest rise of {@code measure} over the first measured sample, at a later sample or {@code last}, held to {@code boundKib}. */
    private void growthCheck(String name, long boundKib, List<Sample> m, Sample last, ToLongFunction<Sample> measure) {
        long base = measure.applyAsLong(m.getFirst());
        long peak = Math.max(m.stream().mapToLong(measure).max().orElse(base), measure.applyAsLong(last));
        long growth = peak - base;
        checks.add(new Check(name, "≤ +" + boundKib / 1024 + " MiB over the first sample after the warm-up",
                String.format(Locale.ROOT, "%+d KiB at most (%s at %.0f s, peak %s, %s at the end)", growth, kib(base),
                        m.getFirst().seconds(), kib(peak), kib(measure.applyAsLong(last))),
                growth <= boundKib));
    }

    private static long poolsKib(Sample s) {
        return s.stat("loops.pooledBytes", 0) / 1024;
    }

    private static long outsidePoolsKib(Sample s) {
        return s.memory().otherKib() - poolsKib(s);
    }

    String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", Sample.CSV_COLUMNS)).append('\n');
        for (Sample s : samples) {
            sb.append(s.csvRow()).append('\n');
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(started);
        sb.append(String.format(Locale.ROOT, "## Soak: %s on %s (%s)%n%n", Soak.minutes(options.duration()), transport, date));
        sb.append(String.format(Locale.ROOT, "Command: `%s`. Server: `./uring4j serve --threads %d --transport %s "
                        + "--blocking-echo-port 0` (echo, HTTP, UDP echo, echo on blocking sockets on one loop group), JVM `%s`; Linux %s, JDK %s, %d CPUs. Warm-up: the first %d s; a sample "
                        + "every %d s.%n%n",
                command(), options.threads(), options.transport(), String.join(" ", options.serverJvmFlags()),
                System.getProperty("os.version"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                options.warmup().toSeconds(), options.interval().toSeconds()));
        sb.append("| check | bound | measured | |\n|---|---|---|---|\n");
        for (Check c : checks) {
            sb.append("| ").append(c.name()).append(" | ").append(c.bound()).append(" | ").append(c.measured()).append(" | ")
                    .append(c.ok() ? "ok" : "**FAILED**").append(" |\n");
        }
        List<Sample> m = measured();
        if (!m.isEmpty()) {
            Sample first = m.getFirst(), last = m.getLast();
            sb.append(String.format(Locale.ROOT, "%n| after the warm-up | at %.0f s | at %.0f s | min | max |%n|---|--:|--:|--:|--:|%n",
                    first.seconds(), last.seconds()));
            row(sb, "RSS, MiB", m, s -> s.rssKib() / 1024.0);
            row(sb, "NMT committed, MiB", m, s -> s.memory().committedKib() / 1024.0);
            row(sb, "NMT Other, MiB", m, s -> s.memory().otherKib() / 1024.0);
            row(sb, "heap after GC, MiB", m, s -> s.memory().heapAfterGcKib() / 1024.0);
            row(sb, "uring4j buffer groups, MiB (counter)", m, s -> s.stat("loops.bufferBytes", 0) / 1048576.0);
            row(sb, "uring4j block pool, MiB (counter)", m, s -> s.stat("loops.pooledBytes", 0) / 1048576.0);
            row(sb, "uring4j output and kept input, MiB (counter)", m, s -> s.stat("loops.outputBytes", 0) / 1048576.0);
            row(sb, "server descriptors", m, Sample::descriptors);
            row(sb, "server TCP connections", m, s -> s.stat("tcp.connections", 0));
            row(sb, "server CPU, % of one CPU", m, Sample::serverCpu);
            row(sb, "load CPU, % of one CPU", m, Sample::loadCpu);
        }
        Sample end = samples.isEmpty() ? null : samples.getLast();
        if (end != null) {
            sb.append(String.format(Locale.ROOT, "%nThe server opened %,d TCP connections and read %s; its counters at the end: "
                            + "%d dropped completions, %d CQ overflows, %d UDP sends refused.%n",
                    end.stat("loops.opened", 0), bytes(end.stat("loops.bytesRead", 0)), end.stat("loops.droppedCompletions", 0),
                    end.stat("loops.cqOverflows", 0), end.stat("udp.sendRefused", 0)));
        }
        sb.append("\n| client | what it does | exchanges | checked | connections | resets | lost B | corrupted B | errors |\n");
        sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Tally.Snapshot t : lanes) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %,d | %,d | %d | %d | %d |%n", t.name(), t.description(),
                    t.ops(), bytes(t.bytesVerified()), t.connections(), t.resets(), t.bytesLost(), t.bytesCorrupted(), t.errors()));
        }
        List<String> errors = load.errors();
        if (!errors.isEmpty() || !notes.isEmpty() || !serverProblems.isEmpty()) {
            sb.append("\nErrors:\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
            errors.forEach(e -> sb.append("- ").append(e).append('\n'));
            serverProblems.stream().limit(40).forEach(p -> sb.append("- server: ").append(p).append('\n'));
        }
        return sb.toString();
    }

    /** The command line that reproduces this run (options at their defaults are left out). */
    private String command() {
        StringBuilder c = new StringBuilder("./uring4j soak --minutes ").append(Soak.minutes(options.duration()).replace(" min", ""));
        if (!options.transport().equals("auto")) {
            c.append(" --transport ").append(options.transport());
        }
        if (options.threads() != 2) {
            c.append(" --threads ").append(options.threads());
        }
        if (options.udpRate() != 200) {
            c.append(" --udp-rate ").append(options.udpRate());
        }
        if (options.interval().toMillis() != 10_000) {
            c.append(" --interval ").append(options.interval().toMillis() / 1000.0);
        }
        if (options.jfr()) {
            c.append(" --jfr");
        }
        return c.toString();
    }

    private static void row(StringBuilder sb, String name, List<Sample> m, ToDoubleFunction<Sample> f) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, fmt(f.applyAsDouble(m.getFirst())),
                fmt(f.applyAsDouble(m.getLast())), fmt(min(m, f)), fmt(max(m, f))));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static double min(List<Sample> m, ToDoubleFunction<Sample> f) {
        return m.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    static double max(List<Sample> m, ToDoubleFunction<Sample> f) {
        return m.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    static String kib(long kib) {
        return String.format(Locale.ROOT, "%.2f MiB", kib / 1024.0);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%,d B", b);
    }
}
