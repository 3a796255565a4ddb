package dev.uring4j.bench.loops;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;

import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;

/**
 * Tasks handed between two event loops, the way a chat server's broadcast or a proxy's two sides
 * give each other work: {@code --pairs} independent chains, each a task that, run on one loop,
 * gives the next to the other, for {@code --seconds}. Prints hand-overs per second and the
 * process's CPU time per hand-over, so that ring-message tasks
 * ({@code -During4j.disable=MSG_RING_TASKS} or not) can be compared run against run.
 *
 * <pre>{@code java -cp ... dev.uring4j.bench.loops.CrossLoopTasks [--pairs 64] [--seconds 5] [--warmup 2]}</pre>
 */
public final class CrossLoopTasks {
    private CrossLoopTasks() {}

    /** One chain: runs on a loop, then gives itself to the other loop, until stopped. */
    private static final class Hop implements Runnable {
        private final EventLoop a;
        private final EventLoop b;
        private final long[] count;
        private final int index;
        private volatile boolean stop;
        private boolean onA;

        Hop(EventLoop a, EventLoop b, long[] count, int index) {
            this.a = a;
            this.b = b;
            this.count = count;
            this.index = index;
        }

        @Override
        public void run() {
            if (stop) {
                return;
            }
            count[index * 8]++;
            onA = !onA;
            (onA ? b : a).execute(this);
        }
    }

    public static void main(String[] args) throws Exception {
        int pairs = 64;
        double seconds = 5;
        double warmup = 2;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--pairs" -> pairs = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: CrossLoopTasks [--pairs N] [--seconds S] [--warmup S]");
            }
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (EventLoopGroup group = EventLoopGroup.create(2)) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            long[] count = new long[pairs * 8];
            Hop[] hops = new Hop[pairs];
            for (int i = 0; i < pairs; i++) {
                hops[i] = new Hop(a, b, count, i);
                a.execute(hops[i]);
            }
            Thread.sleep((long) (warmup * 1000));
            long hops0 = total(group, count);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            long hops1 = total(group, count);
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            for (Hop h : hops) {
                h.stop = true;
            }
            double n = hops1 - hops0;
            System.out.printf("result {\"paths\":\"%s\",\"pairs\":%d,\"hops_per_s\":%.0f,\"cpu_ns_per_hop\":%.1f}%n",
                    group.pathsInUse().contains(dev.uring4j.runtime.UringOptions.Path.MSG_RING_TASKS) ? "msg_ring tasks" : "task queue",
                    pairs, n * 1e9 / (t1 - t0), (cpu1 - cpu0) / n);
        }
    }

    /** Hand-overs so far, read on each loop so the counts are current. */
    private static long total(EventLoopGroup group, long[] count) throws Exception {
        CompletableFuture<Long> onA = new CompletableFuture<>();
        group.loops().get(0).execute(() -> {
            long s = 0;
            for (int i = 0; i < count.length; i += 8) {
                s += count[i];
            }
            onA.complete(s);
        });
        return onA.get(10, TimeUnit.SECONDS);
    }
}
