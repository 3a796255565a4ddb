package dev.uring4j.bench.tls;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import dev.uring4j.bench.BenchEnv;
import dev.uring4j.bench.CpuTime;
import dev.uring4j.runtime.SelfSignedCertificate;

/**
 * uring4j's HTTPS server beside Netty's over the JDK's {@code SSLEngine}, in one run, interleaved:
 * <ol>
 *   <li><b>Bytes allocated per request</b> in steady-state keep-alive HTTPS ({@link AllocationRun}),
 *       with requests per second and the server's CPU time per request, for each protocol asked;
 *   <li><b>Memory per idle TLS connection</b> with many open ({@link IdleRun}): live heap, native
 *       memory and RSS, with the heap's growth by class.
 * </ol>
 * Each server runs in a process of its own pinned to CPU 0, with the bench suite's JVM flags
 * ({@link BenchEnv#DEFAULT_JVM_FLAGS}, and Native Memory Tracking for the idle cell); the load
 * runs pinned to CPU 1. In every run the servers go in an order shuffled afresh (seeded, printed).
 * Every server presents the same self-signed EC P-256 certificate ({@link SelfSignedCertificate},
 * PEM files in {@code --out}). Tables give medians and
 * min–max over the runs; raw figures go to {@code --out} ({@code allocation.tsv}, {@code idle.tsv},
 * every server's and client's log).
 *
 * <pre>
 * TlsBench --root DIR [--runs 5] [--servers uring4j,uring4j-nio,netty-epoll] [--conns 64]
 *          [--warmup 5] [--seconds 10] [--protocols TLSv1.3,TLSv1.2] [--idle-connections 10000]
 *          [--idle-runs 3] [--idle-states handshake] [--client-threads 8] [--attempts 3] [--max-others 5]
 *          [--quiet-wait 60] [--out DIR] [--seed N]
 * </pre>
 * Other tenants share the CPUs: each server starts once both CPUs were under 10% busy for a
 * second (waiting at most {@code --quiet-wait} seconds), and an allocation run in which others
 * took more than {@code --max-others} percent of CPU 0 is repeated, up to {@code --attempts}
 * times, keeping the least disturbed.
 * A protocol may name a cipher suite every server is limited to ({@code TLSv1.3:TLS_AES_128_GCM_SHA256});
 * without one each server offers its defaults. {@code --idle-connections 0} skips the idle cell,
 * {@code --protocols none} the allocation cell;
 * {@code --idle-states handshake,request} also measures connections idle after one request.
 */
public final class TlsBench {
    private static final Map<String, String> LABELS = Map.of(
            "uring4j", "uring4j, io_uring",
            "uring4j-nio", "uring4j, NIO fallback",
            "netty-epoll", "Netty 4.2 epoll + JDK SSLEngine",
            "netty-nio", "Netty 4.2 NIO + JDK SSLEngine");

    /** The run's settings; {@code classpath} is the bench's, {@code certificate} and {@code key} made at the start. */
    record Options(Path root, Path java, String classpath, int runs, List<String> servers, int conns, int warmup,
                   int seconds, List<String> protocols, int idleConnections, int idleRuns, List<String> idleStates,
                   int clientThreads, int attempts, double maxOthersPct, int quietWait, Path out, long seed,
                   int serverCpu, int loadCpu, long nsPerTick, Path certificate, Path key) {}

    private TlsBench() {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        // Interrupted (SIGINT, SIGTERM), the run leaves no server, load or client of its own behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        Files.createDirectories(o.out());
        makeCertificate(o);
        System.out.println("== TLS: keep-alive HTTPS bytes/request and memory per idle TLS connection");
        System.out.println("date:     " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; kernel " + uname()
                + "; CPUs online " + Files.readString(Path.of("/sys/devices/system/cpu/online")).strip() + "; server on CPU " + o.serverCpu()
                + ", load on CPU " + o.loadCpu());
        System.out.println("JDK:      " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("servers:  " + String.join(", ", o.servers().stream().map(s -> s + " = " + LABELS.get(s)).toList()));
        System.out.println("flags:    " + String.join(" ", BenchEnv.DEFAULT_JVM_FLAGS) + " (every server; the idle cell adds -XX:NativeMemoryTracking=summary)");
        System.out.println("load:     wrk -t1 -c" + o.conns() + " (OpenSSL), warm-up " + o.warmup() + " s, window " + o.seconds()
                + " s; idle: IdleTlsClient (JDK SSLEngine), " + o.clientThreads() + " threads");
        System.out.println("seed:     " + o.seed() + "; raw output in " + o.out());
        Random order = new Random(o.seed());
        List<AllocationRun> allocation = new ArrayList<>();
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(o.out().resolve("allocation.tsv")), true)) {
            tsv.println("run\tserver\tprotocol\tnegotiated\twindow_s\trequests\tallocated_bytes\tserver_cpu_ns\tothers_on_cpu0_pct\twrk_errors");
            for (int run = 1; run <= o.runs() && !o.protocols().isEmpty(); run++) {
                List<String> servers = shuffled(o.servers(), order);
                System.out.println("allocation run " + run + " order: " + servers);
                for (String protocol : o.protocols()) {
                    for (String name : servers) {
                        AllocationRun best = null;
                        for (int attempt = 1; attempt <= o.attempts() && (best == null || best.othersPct() > o.maxOthersPct()); attempt++) {
                            awaitQuiet(o);
                            String tag = name + "." + protocol.replace(':', '-') + "." + run + "." + attempt;
                            try (ServerUnderTest server = ServerUnderTest.start(o.serverCpu(), command(o, name, protocol, List.of()),
                                    o.out().resolve(tag + ".server.log"))) {
                                AllocationRun r = AllocationRun.measure(name, protocol, server, o, o.out().resolve(tag + ".wrk.log"));
                                System.out.printf("  %-12s %-8s %s: %,.0f req/s, %.1f µs CPU/req, %,.0f B/req, others on CPU 0 %.1f%% (attempt %d)%s%n",
                                        name, protocol, r.negotiated(), r.requestsPerSecond(), r.cpuMicrosPerRequest(),
                                        r.bytesPerRequest(), r.othersPct(), attempt, r.wrkErrors() > 0 ? ", wrk errors " + r.wrkErrors() : "");
                                if (best == null || r.othersPct() < best.othersPct()) {
                                    best = r;
                                }
                            } catch (IOException e) {
                                // A server that cannot start or be measured (a neighbour starving it) costs one attempt.
                                System.out.println("  " + name + " " + protocol + " attempt " + attempt + " failed: " + e.getMessage());
                            }
                        }
                        if (best != null) {
                            allocation.add(best);
                            tsv.println(run + "\t" + best.tsv());
                        }
                    }
                }
            }
        }
        List<IdleRun> idle = new ArrayList<>();
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(o.out().resolve("idle.tsv")), true)) {
            tsv.println("run\tserver\tstate\tconnections\theap_bytes_before\theap_bytes_after\tnmt_nonheap_kib_before"
                    + "\tnmt_nonheap_kib_after\tnmt_other_kib_before\tnmt_other_kib_after\trss_kib_before\trss_kib_after");
            for (int run = 1; run <= o.idleRuns() && o.idleConnections() > 0; run++) {
                List<String> servers = shuffled(o.servers(), order);
                System.out.println("idle run " + run + " order: " + servers);
                for (String state : o.idleStates()) {
                    for (String name : servers) {
                        String tag = name + ".idle-" + state + "." + run;
                        Path scratch = Files.createDirectories(o.out().resolve(tag));
                        awaitQuiet(o);
                        try (ServerUnderTest server = ServerUnderTest.start(o.serverCpu(),
                                command(o, name, null, List.of("-XX:NativeMemoryTracking=summary")), scratch.resolve("server.log"))) {
                            IdleRun r = IdleRun.measure(name, state, server, o, scratch);
                            idle.add(r);
                            tsv.println(run + "\t" + r.tsv());
                            System.out.printf("  %-12s idle after %-9s: heap %,.0f B/conn, native %,.0f B/conn (Other %,.0f), RSS %,.0f B/conn%n",
                                    name, state, r.heapPerConnection(), r.nativePerConnection(), r.otherPerConnection(), r.rssPerConnection());
                        }
                    }
                }
            }
        }
        printAllocation(o, allocation);
        printIdle(o, idle);
    }

    private static void printAllocation(Options o, List<AllocationRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        tableHead("Keep-alive HTTPS, GET /plaintext, " + o.conns() + " connections, 1 request in flight on each; "
                + o.runs() + " runs; median [min–max]. Bytes/request: the server JVM's heap allocation (every thread) "
                + "over the requests its handler got in the window; CPU: the server process, all threads.",
                "server", "asked", "negotiated", "requests/s", "server CPU µs/request", "bytes/request", "others on CPU 0, max %", "wrk errors");
        for (String protocol : o.protocols()) {
            for (String name : o.servers()) {
                List<AllocationRun> rs = runs.stream().filter(r -> r.server().equals(name) && r.protocol().equals(protocol)).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                System.out.printf("| %s | %s | %s | %s | %s | %s | %.1f | %d |%n", LABELS.get(name),
                        protocol.contains(":") ? protocol.replace(":", ", only ") : protocol + ", server's suites",
                        String.join(", ", rs.stream().map(AllocationRun::negotiated).distinct().toList()),
                        stat(rs, AllocationRun::requestsPerSecond, "%,.0f"), stat(rs, AllocationRun::cpuMicrosPerRequest, "%.2f"),
                        stat(rs, AllocationRun::bytesPerRequest, "%,.0f"),
                        rs.stream().mapToDouble(AllocationRun::othersPct).max().orElse(0),
                        rs.stream().mapToLong(AllocationRun::wrkErrors).sum());
            }
        }
    }

    private static void printIdle(Options o, List<IdleRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        tableHead(o.idleConnections() + " idle TLS connections against none, in the same server process; "
                + o.idleRuns() + " runs; per connection, median [min–max]. Heap: live objects after a full GC "
                + "(class histogram); native: NMT committed outside the Java heap, code, class metadata and the JIT's "
                + "arenas (Other = FFM arenas, direct and Unsafe memory); RSS: resident set. Kernel socket memory is in none of these.",
                "server", "idle after", "heap B/conn", "native B/conn", "of which Other", "RSS Δ B/conn");
        for (String state : o.idleStates()) {
            for (String name : o.servers()) {
                List<IdleRun> rs = runs.stream().filter(r -> r.server().equals(name) && r.state().equals(state)).toList();
                if (!rs.isEmpty()) {
                    System.out.printf("| %s | %s | %s | %s | %s | %s |%n", LABELS.get(name), state,
                            stat(rs, IdleRun::heapPerConnection, "%,.0f"), stat(rs, IdleRun::nativePerConnection, "%,.0f"),
                            stat(rs, IdleRun::otherPerConnection, "%,.0f"), stat(rs, IdleRun::rssPerConnection, "%,.0f"));
                }
            }
        }
        for (String state : o.idleStates()) {
            for (String name : o.servers()) {
                List<IdleRun> rs = new ArrayList<>(runs.stream().filter(r -> r.server().equals(name) && r.state().equals(state)).toList());
                if (rs.isEmpty()) {
                    continue;
                }
                rs.sort(Comparator.comparingDouble(IdleRun::heapPerConnection));
                System.out.println();
                System.out.println(LABELS.get(name) + ", idle after " + state + ": the heap's growth by class, per connection (the median run)");
                IdleRun median = rs.get(rs.size() / 2);
                System.out.println("instances     bytes  class");
                median.topClasses(15).forEach(System.out::println);
                System.out.println("NMT committed per category, bytes per connection (in brackets: not counted as native): "
                        + median.nativeCategories());
            }
        }
    }

    /** A caption, then a markdown table's head: the first two columns text, the others figures. */
    private static void tableHead(String caption, String... columns) {
        System.out.println();
        System.out.println(caption);
        System.out.println();
        System.out.println("| " + String.join(" | ", columns) + " |");
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < columns.length; i++) {
            rule.append(i < 2 || columns[i].equals("negotiated") ? " --- |" : " ---: |");
        }
        System.out.println(rule);
    }

    /** Median [min–max] of {@code f} over {@code rs}. */
    private static <T> String stat(List<T> rs, ToDoubleFunction<T> f, String format) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(format + " [" + format + "–" + format + "]", median, v[0], v[v.length - 1]);
    }

    private static void awaitQuiet(Options o) throws IOException, InterruptedException {
        int waited = CpuBusy.awaitQuiet(o.serverCpu(), o.loadCpu(), o.quietWait());
        if (waited > 0) {
            System.out.println("  (waited " + waited + " s for CPUs " + o.serverCpu() + " and " + o.loadCpu() + " to be quiet)");
        }
    }

    private static List<String> shuffled(List<String> servers, Random random) {
        List<String> order = new ArrayList<>(servers);
        Collections.shuffle(order, random);
        return order;
    }

    /** The server's command: JVM, flags, class and arguments; {@code protocol} null for TLS 1.3 and 1.2 with the server's suites. */
    private static List<String> command(Options o, String name, String protocol, List<String> extraFlags) {
        List<String> c = new ArrayList<>(List.of(o.java().toString()));
        c.addAll(BenchEnv.DEFAULT_JVM_FLAGS);
        c.addAll(extraFlags);
        switch (name) {
            case "uring4j" -> c.addAll(List.of("-During4j.transport=io_uring", "-cp", o.classpath(), UringHttpsServer.class.getName()));
            case "uring4j-nio" -> c.addAll(List.of("-During4j.transport=nio", "-cp", o.classpath(), UringHttpsServer.class.getName()));
            case "netty-epoll" -> c.addAll(List.of("-cp", o.classpath(), "dev.uring4j.bench.peers.NettyHttpsServer", "--transport", "epoll"));
            case "netty-nio" -> c.addAll(List.of("-cp", o.classpath(), "dev.uring4j.bench.peers.NettyHttpsServer", "--transport", "nio"));
            default -> throw new IllegalArgumentException("unknown server " + name + " (" + LABELS.keySet() + ")");
        }
        c.addAll(List.of("--port", "0", "--cert", o.certificate().toString(), "--key", o.key().toString()));
        if (protocol != null) {
            // "TLSv1.3" or "TLSv1.3:SUITE", the suite forced on every server alike.
            String[] p = protocol.split(":", 2);
            c.addAll(List.of("--tls-protocol", p[0]));
            if (p.length == 2) {
                c.addAll(List.of("--tls-suite", p[1]));
            }
        }
        return c;
    }

    /** An EC P-256 key and its self-signed certificate for localhost, as PEM files every server reads. */
    private static void makeCertificate(Options o) throws IOException {
        SelfSignedCertificate.generate("localhost", "127.0.0.1").writePem(o.certificate(), o.key());
    }

    private static String uname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    private static Options parse(String[] args) throws IOException, InterruptedException {
        Path root = null;
        Path out = null;
        int runs = 5, conns = 64, warmup = 5, seconds = 10, idleConnections = 10_000, idleRuns = 3, clientThreads = 8;
        int attempts = 3, quietWait = 60;
        double maxOthers = 5;
        List<String> servers = List.of("uring4j", "uring4j-nio", "netty-epoll");
        List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        List<String> idleStates = List.of("handshake");
        long seed = new Random().nextInt(1_000_000);
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--root" -> root = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--servers" -> servers = List.of(v.split(","));
                case "--conns" -> conns = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--protocols" -> protocols = v.equals("none") ? List.of() : List.of(v.split(","));
                case "--idle-connections" -> idleConnections = Integer.parseInt(v);
                case "--idle-runs" -> idleRuns = Integer.parseInt(v);
                case "--idle-states" -> idleStates = List.of(v.split(","));
                case "--client-threads" -> clientThreads = Integer.parseInt(v);
                case "--attempts" -> attempts = Integer.parseInt(v);
                case "--max-others" -> maxOthers = Double.parseDouble(v);
                case "--quiet-wait" -> quietWait = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (root == null) {
            usage("--root is required");
        }
        for (String s : servers) {
            if (!LABELS.containsKey(s)) {
                usage("unknown server " + s + " (" + String.join(", ", LABELS.keySet()) + ")");
            }
        }
        for (String s : idleStates) {
            if (!s.equals("handshake") && !s.equals("request")) {
                usage("--idle-states takes handshake and request, not " + s);
            }
        }
        if (out == null) {
            out = root.resolve("target/bench/tls");
        }
        Path bench = root.resolve("uring4j-bench/target");
        String classpath = bench.resolve("uring4j-bench.jar") + ":" + bench.resolve("lib") + "/*";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new Options(root, java, classpath, runs, servers, conns, warmup, seconds, protocols, idleConnections,
                idleRuns, idleStates, clientThreads, attempts, maxOthers, quietWait, out, seed, 0, 1, CpuTime.nsPerTick(),
                out.resolve("certificate.pem"), out.resolve("key.pem"));
    }

    private static void usage(String why) {
        System.err.println("TlsBench: " + why);
        System.err.println("usage: TlsBench --root DIR [--runs 5] [--servers " + String.join(",", LABELS.keySet())
                + "] [--conns 64] [--warmup 5] [--seconds 10] [--protocols TLSv1.3,TLSv1.2|none] [--idle-connections 10000]"
                + " [--idle-runs 3] [--idle-states handshake,request] [--client-threads 8] [--attempts 3] [--max-others 5]"
                + " [--quiet-wait 60] [--out DIR] [--seed N]");
        System.exit(2);
    }
}
