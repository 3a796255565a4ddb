package dev.uring4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One CPU's counters from {@code /proc/stat}: time it was busy (user, nice, system, irq, softirq)
 * and time the hypervisor took from it (steal), in nanoseconds. Over a measured window, busy time
 * not spent by the process pinned there is other tasks' work: on this shared machine, the noise.
 */
record CpuCounters(long busyNs, long stealNs) {

    CpuCounters minus(CpuCounters earlier) {
        return new CpuCounters(busyNs - earlier.busyNs, stealNs - earlier.stealNs);
    }

    static CpuCounters of(int cpu, long nsPerTick) throws IOException {
        String prefix = "cpu" + cpu + " ";
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith(prefix)) {
                String[] f = line.split("\\s+");
                // cpuN user nice system idle iowait irq softirq steal ...
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                        + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                return new CpuCounters(busy * nsPerTick, Long.parseLong(f[8]) * nsPerTick);
            }
        }
        throw new IOException("no " + prefix.strip() + " line in /proc/stat");
    }
}
