package dev.uring4j.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server JVM's memory as the JVM itself reports it, read with one {@code jcmd PID -f FILE}
 * (one short-lived process per sample): a full collection ({@code GC.run}), the heap in use after
 * it ({@code GC.heap_info}), and Native Memory Tracking's summary ({@code VM.native_memory
 * summary}; the server runs with {@code -XX:NativeMemoryTracking=summary}).
 *
 * <p>NMT's {@code Other} category is where {@code Unsafe.allocateMemory} lands, and with it every
 * FFM {@code Arena.allocate}: uring4j's provided buffers, output blocks, kept input and UDP queues.
 * Memory the kernel maps for the rings is outside NMT; it is sized when a loop starts and does not
 * grow, and RSS sees it.
 *
 * @param committedKib    NMT total committed
 * @param javaHeapKib     NMT Java Heap committed
 * @param otherKib        NMT Other committed (FFM and Unsafe allocations)
 * @param heapAfterGcKib  Java heap in use right after a full collection
 * @param categoriesKib   NMT committed per category, in the summary's order
 */
public record JvmMemory(long committedKib, long javaHeapKib, long otherKib, long heapAfterGcKib, Map<String, Long> categoriesKib) {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY =
            Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB", Pattern.MULTILINE);
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    /** Collects garbage in {@code pid}, then reads its heap and native memory. */
    public static JvmMemory sample(long pid, Path scratch) throws IOException, InterruptedException {
        Path commands = scratch.resolve("jcmd-commands.txt");
        Files.writeString(commands, "GC.run\nGC.heap_info\nVM.native_memory summary\n");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " failed: " + out.strip());
        }
        return parse(out);
    }

    /**
     * The resident set size of {@code pid}, in KiB ({@code VmRSS} of {@code /proc/PID/status}).
     *
     * @throws IOException if the process is gone or its status has no {@code VmRSS}
     */
    public static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    static JvmMemory parse(String out) throws IOException {
        Matcher total = TOTAL.matcher(out);
        if (!total.find()) {
            throw new IOException("no Native Memory Tracking summary in jcmd's output (is the server running with "
                    + "-XX:NativeMemoryTracking=summary?): " + out.strip());
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        for (Matcher m = CATEGORY.matcher(out); m.find(); ) {
            categories.put(m.group(1).strip(), Long.parseLong(m.group(3)));
        }
        long heapUsed = 0;
        boolean sawHeap = false;
        for (String line : out.split("\n")) {
            // GC.heap_info: a line per heap or generation with "used NK"; spaces and regions say "N% used".
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            // The serial collector names its generations "DefNew" and "Tenured" (JDK 25; "def new generation" before).
            if (m.find() && (line.contains("heap") || line.contains("generation") || line.contains("Gen") || line.contains("ZHeap")
                    || line.startsWith("DefNew") || line.startsWith("Tenured"))) {
                long v = Long.parseLong(m.group(1));
                heapUsed += switch (m.group(2)) {
                    case "M" -> v << 10;
                    case "G" -> v << 20;
                    default -> v;
                };
                sawHeap = true;
            }
        }
        if (!sawHeap) {
            throw new IOException("no heap usage in jcmd GC.heap_info's output: " + out.strip());
        }
        return new JvmMemory(Long.parseLong(total.group(2)), categories.getOrDefault("Java Heap", 0L),
                categories.getOrDefault("Other", 0L), heapUsed, categories);
    }
}
