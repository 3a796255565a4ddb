package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time from {@code /proc/PID/stat}: user and system time over all its threads
 * (a JVM's JIT and GC threads count, as they should), in nanoseconds. The kernel counts in clock
 * ticks ({@code CLK_TCK}, usually 100 per second), so a window of a few seconds at tens of
 * percent CPU is resolved to better than one percent.
 */
public record CpuTime(long userNs, long systemNs) {

    public long totalNs() {
        return userNs + systemNs;
    }

    public CpuTime minus(CpuTime earlier) {
        return new CpuTime(userNs - earlier.userNs, systemNs - earlier.systemNs);
    }

    /** Reads the CPU time of {@code pid}; {@code nsPerTick} comes from {@link #nsPerTick()}. */
    public static CpuTime of(long pid, long nsPerTick) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return new CpuTime(Long.parseLong(fields[11]) * nsPerTick, Long.parseLong(fields[12]) * nsPerTick);
    }

    /** Nanoseconds per clock tick of {@code /proc} CPU times, from {@code getconf CLK_TCK}. */
    public static long nsPerTick() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || !out.matches("\\d+")) {
            throw new IOException("getconf CLK_TCK failed: " + out);
        }
        return 1_000_000_000L / Long.parseLong(out);
    }
}
