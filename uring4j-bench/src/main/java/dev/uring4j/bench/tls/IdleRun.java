package dev.uring4j.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.uring4j.bench.BenchEnv;
import dev.uring4j.bench.soak.JvmMemory;

/**
 * One run of the idle-connection cell: the memory a server holds for {@code connections} idle TLS
 * connections, as the difference between two samples of the same server process: with none open
 * (after a warm-up that opened and closed some, so classes, JIT code and pools are there), and
 * with all open and idle ({@link IdleTlsClient} on the load CPU). Each sample is taken after a
 * full collection: the live heap from {@code jcmd GC.class_histogram} (its total, and per class),
 * native memory from Native Memory Tracking ({@link JvmMemory}) but for the heap and what grows
 * with loaded and compiled code, and the resident set size.
 *
 * @param server        the server's name
 * @param state         {@code handshake} (idle since the handshake) or {@code request} (idle
 *                      after one keep-alive request)
 * @param connections   how many were open in the second sample
 * @param before        the sample with none open
 * @param after         the sample with all open
 */
record IdleRun(String server, String state, int connections, Sample before, Sample after) {
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);
    private static final int WARM_UP_CONNECTIONS = 2000;
    /**
     * NMT categories the native figure leaves out: the Java heap (its live objects are counted
     * above), and what grows with the code the JVM has loaded and compiled rather than with
     * connections: the JIT's code and scratch arenas, class metadata and symbols. The warm-up
     * runs the same paths first, so they barely move; the breakdown still shows them.
     */
    private static final Set<String> NOT_NATIVE = Set.of("Java Heap", "Arena Chunk", "Compiler", "Code", "Class",
            "Metaspace", "Symbol");

    /**
     * One sample of a server's memory.
     *
     * @param heapBytes live heap after a full collection (the class histogram's total)
     * @param classes   per class: instances and bytes
     * @param memory    NMT's figures (committed total, Java heap, Other)
     * @param rssKib    resident set size
     */
    record Sample(long heapBytes, Map<String, long[]> classes, JvmMemory memory, long rssKib) {
        long nativeKib() {
            return memory.categoriesKib().entrySet().stream().filter(e -> !NOT_NATIVE.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    double heapPerConnection() {
        return (double) (after.heapBytes - before.heapBytes) / connections;
    }

    /** NMT committed outside the Java heap and the compiler's arenas: thread stacks, code, GC structures, malloc, FFM and direct memory. */
    double nativePerConnection() {
        return (after.nativeKib() - before.nativeKib()) * 1024.0 / connections;
    }

    /** NMT's Other: {@code Unsafe.allocateMemory}, so FFM arenas and direct buffers. */
    double otherPerConnection() {
        return (after.memory.otherKib() - before.memory.otherKib()) * 1024.0 / connections;
    }

    double rssPerConnection() {
        return (after.rssKib - before.rssKib) * 1024.0 / connections;
    }

    /** NMT's categories that changed but the Java heap, with their change per connection; those not counted in brackets. */
    String nativeCategories() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : after.memory.categoriesKib().entrySet()) {
            long delta = e.getValue() - before.memory.categoriesKib().getOrDefault(e.getKey(), 0L);
            if (!e.getKey().equals("Java Heap") && delta != 0) {
                String row = String.format("%s %+,.0f", e.getKey(), delta * 1024.0 / connections);
                sb.append(sb.isEmpty() ? "" : ", ").append(NOT_NATIVE.contains(e.getKey()) ? "(" + row + ")" : row);
            }
        }
        return sb.isEmpty() ? "none changed" : sb.toString();
    }

    /** The classes whose live bytes grew most, with instances and bytes per connection. */
    List<String> topClasses(int n) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.classes.entrySet()) {
            long[] was = before.classes.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]}));
        }
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(n, grown.size()))) {
            rows.add(String.format("%9.2f %9.1f  %s", (double) e.getValue()[0] / connections,
                    (double) e.getValue()[1] / connections, e.getKey()));
        }
        return rows;
    }

    static IdleRun measure(String name, String state, ServerUnderTest server, TlsBench.Options o, Path scratch)
            throws IOException, InterruptedException {
        // The attach listener's thread and socket exist from the first jcmd on: before the baseline.
        JvmMemory.sample(server.pid(), scratch);
        try (Client warm = Client.open(o, server.port, WARM_UP_CONNECTIONS, state, scratch.resolve("client-warm-up.log"))) {
            server.awaitConnections(WARM_UP_CONNECTIONS);
        }
        server.awaitConnections(0);
        Sample before = sample(server, scratch);
        try (Client idle = Client.open(o, server.port, o.idleConnections(), state, scratch.resolve("client.log"))) {
            server.awaitConnections(o.idleConnections());
            return new IdleRun(name, state, o.idleConnections(), before, sample(server, scratch));
        }
    }

    private static Sample sample(ServerUnderTest server, Path scratch) throws IOException, InterruptedException {
        String histogram = jcmd(server.pid(), "GC.class_histogram");
        Map<String, long[]> classes = new HashMap<>();
        for (Matcher m = HISTOGRAM_ROW.matcher(histogram); m.find(); ) {
            classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IOException("no Total line in jcmd GC.class_histogram's output: " + histogram.strip());
        }
        return new Sample(Long.parseLong(total.group(2)), classes, JvmMemory.sample(server.pid(), scratch),
                JvmMemory.rssKib(server.pid()));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
        }
        return out;
    }

    /** An {@link IdleTlsClient} process holding its connections until closed. */
    private static final class Client implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Path log;

        private Client(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Client open(TlsBench.Options o, int port, int connections, String state, Path log) throws IOException {
            List<String> command = new ArrayList<>(List.of(o.java().toString(), "-XX:+UseSerialGC", "-Xmx1g",
                    "-cp", o.classpath(), IdleTlsClient.class.getName(), "--port", Integer.toString(port),
                    "--connections", Integer.toString(connections), "--threads", Integer.toString(o.clientThreads()),
                    "--request", Boolean.toString(state.equals("request"))));
            Process p = new ProcessBuilder(BenchEnv.pinned(o.loadCpu(), command))
                    .redirectError(log.toFile()).start();
            Client client = new Client(p, log);
            String line = client.out.readLine();
            if (line == null || !line.equals("connected " + connections)) {
                p.destroyForcibly();
                throw new IOException("the client did not open " + connections + " connections: "
                        + (line != null ? line : "") + " " + Files.readString(log).strip());
            }
            return client;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try (PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                in.println("close");
            }
            String line = out.readLine();
            if (!"closed".equals(line) || !process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the client did not close its connections: " + line + " " + Files.readString(log).strip());
            }
        }
    }

    String tsv() {
        return String.join("\t", server, state, Integer.toString(connections),
                Long.toString(before.heapBytes), Long.toString(after.heapBytes),
                Long.toString(before.nativeKib()), Long.toString(after.nativeKib()),
                Long.toString(before.memory.otherKib()), Long.toString(after.memory.otherKib()),
                Long.toString(before.rssKib), Long.toString(after.rssKib));
    }
}
