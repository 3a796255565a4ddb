package dev.uring4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * A task posted to an idle loop (no timers, no I/O: it waits up to its 1 s idle cap) runs at once,
 * whether posted by another thread or by another loop, however its posting falls against the
 * loop's way to sleep: a lost wakeup would leave it queued until the wait times out. On the
 * transport of this run, so each transport's own {@code wakeup()} is exercised (an eventfd write
 * or, from another loop, a ring message on io_uring; {@code Selector.wakeup} on NIO). The race
 * itself is covered interleaving by interleaving in {@code WakeupHandshakeTest}.
 *
 * <p>Latency is not measured here for its own sake: the bound is half the idle cap, far above any
 * scheduling delay, and only a wait that ran into the cap comes near it.
 */
class CrossThreadWakeupTest {
    /** Half the loops' idle wait: a task that took this long sat out a wait that no one ended. */
    private static final long LOST_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long a test waits for a task before it calls it never run. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * One thread posts, sees the task start (spinning, so it reacts within nanoseconds) and posts
     * the next after random delays on both sides: the posts sweep the loop's path from running a
     * task to sleeping, a few hundred nanoseconds where a lost wakeup would happen. (With the
     * flag raised after the queue check, or published without a full fence, this test meets the
     * race within a few thousand rounds.)
     */
    @Test
    void aTaskPostedWhileTheLoopGoesToSleepRunsAtOnce() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            EventLoop loop = group.loops().get(0);
            AtomicLong ran = new AtomicLong();
            SplittableRandom jitter = new SplittableRandom(42);
            int rounds = 20_000;
            long worst = 0;
            long start = System.nanoTime();
            for (int i = 1; i <= rounds; i++) {
                // The task lingers a random while after it is seen to run, and the poster waits
                // another before it posts: their difference puts the post anywhere on the loop's
                // way to sleep, from before it finishes the task to after it waits.
                int linger = jitterIterations(jitter);
                spin(jitterIterations(jitter));
                long posted = System.nanoTime();
                loop.execute(() -> {
                    ran.incrementAndGet();
                    spin(linger);
                });
                while (ran.get() < i) {
                    Thread.onSpinWait();
                    if (System.nanoTime() - posted > GIVE_UP_NANOS) {
                        throw new AssertionError("round " + i + ": the task never ran");
                    }
                }
                long took = System.nanoTime() - posted;
                worst = Math.max(worst, took);
                assertTrue(took < LOST_NANOS, "round " + i + ": the task waited " + took / 1_000_000
                        + " ms: the loop slept through its post (a lost wakeup)");
            }
            report("one poster on " + loop.transport(), rounds, worst, System.nanoTime() - start);
        }
    }

    /**
     * Two loops hand a task back and forth: every hop is a post from one loop to the other, the
     * path where io_uring wakes the other ring with a message from its own.
     */
    @Test
    void tasksBetweenLoopsRunAtOnce() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2)) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            int hops = 20_000;
            AtomicLong worst = new AtomicLong();
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            class Hop implements Runnable {
                final int n;
                final long posted;

                Hop(int n) {
                    this.n = n;
                    this.posted = System.nanoTime();
                }

                @Override
                public void run() {
                    long took = System.nanoTime() - posted;
                    worst.accumulateAndGet(took, Math::max);
                    EventLoop here = n % 2 == 0 ? a : b;
                    if (!here.inEventLoop()) {
                        wrong.set(new AssertionError("hop " + n + " ran on the wrong thread"));
                    }
                    if (took >= LOST_NANOS) {
                        done.completeExceptionally(new AssertionError("hop " + n + " waited " + took / 1_000_000
                                + " ms: the other loop slept through its post (a lost wakeup)"));
                    } else if (n == hops) {
                        done.complete(null);
                    } else {
                        (n % 2 == 0 ? b : a).execute(new Hop(n + 1));
                    }
                }
            }
            long start = System.nanoTime();
            a.execute(new Hop(0));
            try {
                done.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (AssertionError) e.getCause();
            }
            long elapsed = System.nanoTime() - start;
            if (wrong.get() != null) {
                throw new AssertionError(wrong.get());
            }
            report("two loops on " + a.transport(), hops, worst.get(), elapsed);
        }
    }

    /**
     * Several threads post bursts to one loop at once; none of their tasks is lost, and the last
     * of every burst runs at once. The claim of the wakeup is contended here: whichever poster
     * wins it, the loop wakes.
     */
    @Test
    void manyPostersLoseNoTaskAndNoneWaits() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            EventLoop loop = group.loops().get(0);
            long tasksBefore = loop.stats().tasks();
            int posters = 3;
            int bursts = 2_000;
            LongAdder run = new LongAdder();
            AtomicLong worst = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            long[] posted = new long[posters];
            long start = System.nanoTime();
            for (int p = 0; p < posters; p++) {
                int id = p;
                threads.add(Thread.ofPlatform().name("poster-" + p).start(() -> {
                    SplittableRandom random = new SplittableRandom(id);
                    AtomicLong mine = new AtomicLong();
                    try {
                        for (int burst = 0; burst < bursts && !stop.get(); burst++) {
                            int size = 1 + random.nextInt(8);
                            spin(jitterIterations(random));
                            long sent = System.nanoTime();
                            for (int k = 0; k < size; k++) {
                                loop.execute(() -> {
                                    run.increment();
                                    mine.incrementAndGet();
                                });
                            }
                            posted[id] += size;
                            while (mine.get() < posted[id]) {
                                Thread.onSpinWait();
                                if (System.nanoTime() - sent > GIVE_UP_NANOS) {
                                    throw new AssertionError(name() + " burst " + burst + ": "
                                            + (posted[id] - mine.get()) + " tasks never ran");
                                }
                            }
                            long took = System.nanoTime() - sent;
                            worst.accumulateAndGet(took, Math::max);
                            if (took >= LOST_NANOS) {
                                throw new AssertionError(name() + " burst " + burst + " waited " + took / 1_000_000
                                        + " ms: the loop slept through its posts (a lost wakeup)");
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                        stop.set(true);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                if (t.isAlive()) {
                    stop.set(true);
                    fail(t.getName() + " still running after a minute");
                }
            }
            long elapsed = System.nanoTime() - start;
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.get(0).getMessage(), failures.get(0));
            }
            long total = 0;
            for (long n : posted) {
                total += n;
            }
            assertEquals(total, run.sum(), "every task posted ran, once");
            assertTrue(loop.stats().tasks() - tasksBefore >= total, "the loop counted them");
            report(posters + " posters on " + loop.transport(), posters * bursts, worst.get(), elapsed);
        }
    }

    private static String name() {
        return Thread.currentThread().getName();
    }

    /**
     * A random number of spin-wait hints on one of several scales (a hint lasts from a few to over
     * a hundred cycles, depending on the CPU), so that posts land all along the loop's way from
     * running a task to waiting, wherever its few hundred nanoseconds fall.
     */
    private static int jitterIterations(SplittableRandom random) {
        return random.nextInt(8 << (3 * random.nextInt(4)));
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    private static void report(String what, int rounds, long worstNanos, long elapsedNanos) {
        System.out.printf("%s: %d rounds in %d ms, the slowest %d us%n", what, rounds,
                TimeUnit.NANOSECONDS.toMillis(elapsedNanos), TimeUnit.NANOSECONDS.toMicros(worstNanos));
    }
}
