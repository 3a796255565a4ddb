package dev.uring4j.bench.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One CPU's busy and total clock ticks from {@code /proc/stat}, for telling how much of a window
 * other tenants of the machine took, and for waiting until the measured CPUs are quiet.
 *
 * @param busy  ticks spent on anything but idle and I/O wait
 * @param total all ticks
 */
record CpuBusy(long busy, long total) {
    private static final int QUIET_PCT = 10;

    static CpuBusy of(int cpu) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu" + cpu + " ")) {
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal; guest time is in user already.
                long total = 0;
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                return new CpuBusy(total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total);
            }
        }
        throw new IOException("no cpu" + cpu + " line in /proc/stat");
    }

    CpuBusy minus(CpuBusy earlier) {
        return new CpuBusy(busy - earlier.busy, total - earlier.total);
    }

    /**
     * Waits until CPUs {@code a} and {@code b} were each under 10% busy for a whole second, at
     * most {@code maxSeconds}; returns how many seconds it waited.
     */
    static int awaitQuiet(int a, int b, int maxSeconds) throws IOException, InterruptedException {
        for (int waited = 0; ; waited++) {
            CpuBusy a0 = of(a), b0 = of(b);
            Thread.sleep(1000);
            CpuBusy da = of(a).minus(a0), db = of(b).minus(b0);
            boolean quiet = da.busy * 100 < QUIET_PCT * Math.max(1, da.total) && db.busy * 100 < QUIET_PCT * Math.max(1, db.total);
            if (quiet || waited >= maxSeconds) {
                return waited;
            }
        }
    }
}
