package dev.uring4j.bench.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.uring4j.bench.CpuTime;

/**
 * {@code ./uring4j soak}: does a server stay healthy over time under everything clients do to it?
 *
 * <p>Two processes. The server is {@code ./uring4j serve} in a JVM of its own (TCP echo, HTTP, UDP
 * echo and the echo on blocking sockets on one loop group of two loops, as one service speaking
 * several protocols would run), with
 * Native Memory Tracking on. This process is the load ({@link Load#standard}: kept-alive, large,
 * pipelined, slow-reading, half-closing, churning and resetting clients and a fixed-rate UDP
 * client, all checking every byte) and the observer: every interval it reads the server's
 * descriptors and RSS from {@code /proc}, collects its garbage and reads its heap and native
 * memory with {@code jcmd}, and asks it for its counters.
 *
 * <p>After the warm-up the server is held to bounds ({@link SoakReport}): descriptors flat within
 * the load's own connections, NMT {@code Other} (uring4j's native memory) within +1 MiB, and, over
 * the whole run, no byte lost or corrupted and no error on either side. Once the load stops and
 * every connection has closed, descriptors must be back where they were before it started. The
 * samples go to {@code soak.csv}, a chart to {@code soak.png}, the verdict to {@code summary.md}
 * and stdout; the exit status is 1 when a bound was broken.
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) throws Exception {
        SoakOptions options;
        try {
            options = SoakOptions.parse(args, Path.of(System.getProperty("uring4j.root", ".")).toAbsolutePath().normalize());
        } catch (SoakOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("soak: " + e.getMessage());
            }
            System.err.print(SoakOptions.HELP);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        SoakReport report = run(options, System.out);
        System.exit(report.passed() ? 0 : 1);
    }

    /** Runs the soak, printing progress and the summary to {@code log}; writes the files to {@code options.out()}. */
    static SoakReport run(SoakOptions options, PrintStream log) throws Exception {
        Files.createDirectories(options.out());
        Instant started = Instant.now();
        long nsPerTick = CpuTime.nsPerTick();
        log.printf(Locale.ROOT, "soak: %s of load, a sample every %d s, warm-up %d s; output in %s%n",
                minutes(options.duration()), options.interval().toSeconds(), options.warmup().toSeconds(), options.out());
        List<Sample> samples = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Load load;
        String transport;
        String stopped;
        List<String> problems;
        try (CliServer server = CliServer.start(CliServer.command(options.serverJvmFlags(), "serve", "--host", "127.0.0.1", "--echo-port", "0",
                "--http-port", "0", "--udp-port", "0", "--blocking-echo-port", "0", "--threads", Integer.toString(options.threads()),
                "--transport", options.transport()))) {
            String line = server.output().stream().filter(l -> l.startsWith("transport ")).findFirst().orElse("transport ?");
            log.println("soak: server pid " + server.pid() + ", " + line);
            transport = line.substring("transport ".length()).split("[ :]")[0];
            load = Load.standard(new Load.Targets(server.address("echo"), server.address("http"), server.address("udp-echo"),
                    server.address("blocking-echo")),
                    options.udpRate());
            Observer observer = new Observer(server, load, options.out(), nsPerTick);
            JvmMemory.sample(server.pid(), options.out());   // the JVM's attach listener opens a socket: before the baseline
            samples.add(observer.sample(0, Sample.Phase.BEFORE));
            log.println("soak: " + progress(samples.getLast()));

            load.start();
            long start = System.nanoTime();
            double warmup = options.warmup().toMillis() / 1000.0;
            for (long tick = 1; ; tick++) {
                long due = start + options.interval().toNanos() * tick;
                if (due - start > options.duration().toNanos()) {
                    break;
                }
                sleepUntil(due);
                if (!server.alive()) {
                    notes.add(String.format(Locale.ROOT, "the server died %.0f s into the load: %s", (System.nanoTime() - start) / 1e9,
                            String.join(" | ", server.output())));
                    break;
                }
                double t = (System.nanoTime() - start) / 1e9;
                samples.add(observer.sample(t, t + 0.5 < warmup ? Sample.Phase.WARMUP : Sample.Phase.MEASURED));
                log.println("soak: " + progress(samples.getLast()));
            }
            load.stop(Duration.ofSeconds(60));
            if (server.alive()) {
                double t = (System.nanoTime() - start) / 1e9;
                awaitDrained(server, Duration.ofSeconds(30), notes);
                samples.add(observer.sample(t, Sample.Phase.DRAINED));
                log.println("soak: load stopped; " + progress(samples.getLast()));
            }
            stopped = server.stop();
            problems = server.problems();
        }
        SoakReport report = new SoakReport(options, started, transport, samples, load, stopped, problems, notes);
        Files.writeString(options.out().resolve("soak.csv"), report.csv(), StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("summary.md"), report.markdown(), StandardCharsets.UTF_8);
        SoakChart.write(report, options.out().resolve("soak.png"));
        log.println();
        log.print(report.markdown());
        log.println();
        log.println("soak: " + (report.passed() ? "PASSED" : "FAILED") + "; " + options.out().resolve("soak.csv") + ", "
                + options.out().resolve("soak.png") + ", " + options.out().resolve("summary.md"));
        return report;
    }

    /** Waits until the server has no connection open (every client closed or reset its own). */
    private static void awaitDrained(CliServer server, Duration timeout, List<String> notes) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> stats;
        do {
            stats = server.stats();
            if (stats.get("tcp.connections") == 0 && stats.get("loops.open") == 0) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        notes.add("connections still open on the server " + timeout.toSeconds() + " s after the load stopped: " + stats);
    }

    /** Reads the server (and this process's CPU) once per call. */
    private static final class Observer {
        private final CliServer server;
        private final Load load;
        private final Path scratch;
        private final long nsPerTick;
        private final long self = ProcessHandle.current().pid();
        private CpuTime serverCpu;
        private CpuTime loadCpu;
        private long at = System.nanoTime();

        Observer(CliServer server, Load load, Path scratch, long nsPerTick) throws IOException {
            this.server = server;
            this.load = load;
            this.scratch = scratch;
            this.nsPerTick = nsPerTick;
            this.serverCpu = CpuTime.of(server.pid(), nsPerTick);
            this.loadCpu = CpuTime.of(self, nsPerTick);
        }

        Sample sample(double seconds, Sample.Phase phase) throws Exception {
            // Descriptors and CPU first: jcmd attaches through a socket and costs CPU of its own.
            int fds = server.descriptors();
            int sockets = server.socketDescriptors();
            long now = System.nanoTime();
            CpuTime s = CpuTime.of(server.pid(), nsPerTick);
            CpuTime l = CpuTime.of(self, nsPerTick);
            double wall = Math.max(1, now - at);
            double serverPct = 100.0 * s.minus(serverCpu).totalNs() / wall;
            double loadPct = 100.0 * l.minus(loadCpu).totalNs() / wall;
            serverCpu = s;
            loadCpu = l;
            at = now;
            Map<String, Long> stats = server.stats();
            long rss = server.rssKib();
            JvmMemory memory = JvmMemory.sample(server.pid(), scratch);
            return new Sample(seconds, phase, fds, sockets, rss, memory, serverPct, loadPct, stats, server.problems().size(),
                    load.total(), load.udpSent(), load.udpReceived());
        }
    }

    private static String progress(Sample s) {
        Tally.Snapshot t = s.load();
        return String.format(Locale.ROOT, "%5.0f s %-8s %3d fds, RSS %5.1f MiB, NMT Other %5.2f MiB, heap after GC %5.1f MiB, "
                        + "%3d TCP connections, server CPU %3.0f%%; %s checked, %d lost, %d corrupted, %d errors, %d server warnings",
                s.seconds(), s.phase().name().toLowerCase(Locale.ROOT), s.descriptors(), s.rssKib() / 1024.0,
                s.memory().otherKib() / 1024.0, s.memory().heapAfterGcKib() / 1024.0, s.stat("tcp.connections", -1),
                s.serverCpu(), SoakReport.bytes(t.bytesVerified()), t.bytesLost(), t.bytesCorrupted(), t.errors(), s.problems());
    }

    static String minutes(Duration d) {
        double m = d.toMillis() / 60_000.0;
        return m == Math.rint(m) ? String.format(Locale.ROOT, "%.0f min", m) : String.format(Locale.ROOT, "%.1f min", m);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
