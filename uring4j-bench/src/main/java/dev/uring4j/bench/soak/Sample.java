package dev.uring4j.bench.soak;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One look at the server and the load, every interval of the soak: the server's descriptors, RSS,
 * memory as the JVM reports it after a full collection, CPU, and its own counters; the load's
 * running totals.
 *
 * @param seconds       since the load started (0 for the look before it)
 * @param phase         where in the run the look was taken
 * @param descriptors   entries of {@code /proc/PID/fd}
 * @param sockets       of those, sockets
 * @param rssKib        {@code VmRSS}
 * @param memory        NMT and the heap after {@code GC.run}
 * @param serverCpu     the server's CPU use since the previous look, in percent of one CPU
 * @param loadCpu       the load's (this process's) CPU use since the previous look, in percent of one CPU
 * @param server        the server's counters ({@code serve}'s stats line)
 * @param problems      lines at WARNING or above the server has written so far
 * @param load          the load's totals so far
 * @param udpSent       datagrams the load has sent so far
 * @param udpReceived   of those, echoed and checked
 */
record Sample(double seconds, Phase phase, int descriptors, int sockets, long rssKib, JvmMemory memory,
              double serverCpu, double loadCpu, Map<String, Long> server, int problems, Tally.Snapshot load,
              long udpSent, long udpReceived) {

    enum Phase {
        /** Before the load started: the idle server. */
        BEFORE,
        /** Under load, before the warm-up ended: not held to the bounds. */
        WARMUP,
        /** Under load after the warm-up: held to the bounds. */
        MEASURED,
        /** After the load stopped and every connection closed. */
        DRAINED
    }

    static final List<String> CSV_COLUMNS = List.of("seconds", "phase", "descriptors", "socket_descriptors", "rss_kib",
            "nmt_committed_kib", "nmt_other_kib", "heap_after_gc_kib", "server_cpu_pct", "load_cpu_pct",
            "tcp_connections", "connections_opened", "connections_closed", "server_bytes_read", "server_bytes_written",
            "buffer_bytes", "output_bytes", "queued_output_bytes", "pooled_bytes", "in_flight_operations", "buffers_in_use",
            "dropped_completions", "cq_overflows", "buffer_ring_exhausted", "udp_server_received", "udp_server_sent",
            "udp_send_refused", "server_problems", "load_exchanges", "load_bytes_verified", "load_bytes_lost",
            "load_bytes_corrupted", "load_errors", "load_connections", "load_resets", "udp_sent", "udp_received");

    String csvRow() {
        return String.join(",", List.of(String.format(Locale.ROOT, "%.1f", seconds), phase.name().toLowerCase(Locale.ROOT),
                num(descriptors), num(sockets), num(rssKib), num(memory.committedKib()), num(memory.otherKib()),
                num(memory.heapAfterGcKib()), String.format(Locale.ROOT, "%.1f", serverCpu), String.format(Locale.ROOT, "%.1f", loadCpu),
                stat("tcp.connections"), stat("loops.opened"), stat("loops.closed"), stat("loops.bytesRead"),
                stat("loops.bytesWritten"), stat("loops.bufferBytes"), stat("loops.outputBytes"),
                stat("loops.queuedOutputBytes"), stat("loops.pooledBytes"), stat("loops.inFlightOperations"), stat("loops.buffersInUse"),
                stat("loops.droppedCompletions"), stat("loops.cqOverflows"), stat("loops.bufferRingExhausted"), stat("udp.received"), stat("udp.sent"),
                stat("udp.sendRefused"), num(problems), num(load.ops()), num(load.bytesVerified()), num(load.bytesLost()),
                num(load.bytesCorrupted()), num(load.errors()), num(load.connections()), num(load.resets()),
                num(udpSent), num(udpReceived)));
    }

    long stat(String name, long fallback) {
        return server.getOrDefault(name, fallback);
    }

    private String stat(String name) {
        return num(stat(name, 0));
    }

    private static String num(long v) {
        return Long.toString(v);
    }
}
