package dev.uring4j.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.EventLoopGroup;

/**
 * A listener's back-off when it cannot accept: retries from 1 ms doubling to 1 s, from 1 ms again
 * after an accept; one warning per episode of trouble, an episode ending only after a second
 * without trouble; and on a real loop, one pending retry at a time, run on the loop, or not at all
 * once cancelled.
 */
@Tag("transport-independent")
class AcceptBackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void delaysStartAtOneMillisecondAndDoubleUpToOneSecond() {
        AcceptBackoff b = new AcceptBackoff();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            delays.add(b.nextDelayNanos() / MS);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1000L, 1000L, 1000L), delays);
    }

    @Test
    void anAcceptStartsTheBackOffOverButCalmDoesNot() {
        AcceptBackoff b = new AcceptBackoff();
        b.nextDelayNanos();
        b.nextDelayNanos();
        b.nextDelayNanos();
        // Retrying (calm) is not success: while descriptors stay short, the delay keeps growing.
        b.trouble();
        b.calm();
        assertEquals(8 * MS, b.nextDelayNanos());
        b.accepted();
        assertEquals(MS, b.nextDelayNanos());
        assertEquals(2 * MS, b.nextDelayNanos());
    }

    /** The one test that waits: an episode ends only after a real second without trouble. */
    @Test
    void troubleIsReportedOncePerEpisode() throws InterruptedException {
        AcceptBackoff b = new AcceptBackoff();
        assertTrue(b.trouble(), "the first trouble starts an episode");
        assertFalse(b.trouble(), "still in it");
        b.calm();
        assertFalse(b.trouble(), "trouble again right after a retry: the same episode (at a limit, every close "
                + "lets one connection in and the next accept fails again)");
        b.accepted();
        assertFalse(b.trouble(), "an accept in between does not end the episode either");
        b.calm();
        long calmFrom = System.nanoTime();
        // Waits for time itself to pass, not for another thread: the class reads System.nanoTime().
        while (System.nanoTime() - calmFrom <= TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(Math.max(1, (TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - calmFrom)) / MS + 1));
        }
        assertTrue(b.trouble(), "after a second without trouble, a new episode to report");
        assertFalse(b.trouble());
    }

    @Test
    void outOfDescriptorsMeansEmfileOrEnfileInEitherSign() {
        assertTrue(AcceptBackoff.outOfDescriptors(Errno.EMFILE));
        assertTrue(AcceptBackoff.outOfDescriptors(-Errno.EMFILE));
        assertTrue(AcceptBackoff.outOfDescriptors(-Errno.ENFILE));
        assertFalse(AcceptBackoff.outOfDescriptors(-Errno.EAGAIN));
        assertFalse(AcceptBackoff.outOfDescriptors(-Errno.ECONNABORTED));
        assertFalse(AcceptBackoff.outOfDescriptors(0));
    }

    @Test
    void theWarningNamesTheLimitThatWasHit() {
        String emfile = AcceptBackoff.outOfDescriptorsMessage("127.0.0.1:80", -Errno.EMFILE, null);
        assertTrue(emfile.contains("EMFILE") && emfile.contains("RLIMIT_NOFILE="), emfile);
        assertTrue(emfile.contains("retrying from 1 ms, doubling up to 1 s"), emfile);
        String enfile = AcceptBackoff.outOfDescriptorsMessage("127.0.0.1:80", -Errno.ENFILE, null);
        assertTrue(enfile.contains("ENFILE") && enfile.contains("fs.file-max"), enfile);
        String table = AcceptBackoff.outOfDescriptorsMessage("127.0.0.1:80", -Errno.ENFILE, "the direct table is full");
        assertTrue(table.contains("the direct table is full"), table);
        assertTrue(AcceptBackoff.pausedMessage("127.0.0.1:80", "at 100 connections").contains("at 100 connections"));
    }

    // ------------------------------------------------------------------ retries on a loop

    /** Runs {@code c} on {@code loop}'s thread (the back-off belongs to it) and returns its result. */
    private static <T> T onLoop(TransportLoop loop, Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void oneRetryAtATimeRunsOnTheLoopAfterTheDelay() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            TransportLoop loop = (TransportLoop) group.loops().get(0);
            AcceptBackoff b = new AcceptBackoff();
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            long[] scheduledAt = new long[1];
            Runnable retry = () -> {
                // As the listeners do: a retry that runs is no longer pending.
                b.cancelRetry();
                runs.incrementAndGet();
                ran.complete(Thread.currentThread());
            };
            onLoop(loop, () -> {
                scheduledAt[0] = System.nanoTime();
                b.scheduleRetry(loop, retry);
                assertTrue(b.retryPending());
                b.scheduleRetry(loop, retry); // already pending: neither a second retry nor a longer delay
                return null;
            });
            assertSame(loop.thread, ran.get(5, TimeUnit.SECONDS), "the retry runs on the listener's loop");
            long waited = System.nanoTime() - scheduledAt[0];
            assertTrue(waited >= MS, "not before the 1 ms delay: " + waited + " ns");
            // A later probe has run, so a second retry would have too.
            onLoop(loop, () -> {
                CompletableFuture<Void> probe = new CompletableFuture<>();
                loop.schedule(5, TimeUnit.MILLISECONDS, () -> probe.complete(null));
                return probe;
            }).get(5, TimeUnit.SECONDS);
            assertEquals(1, runs.get(), "one retry, however often it was asked for while pending");
            assertEquals(2 * MS, (long) onLoop(loop, () -> {
                assertFalse(b.retryPending());
                return b.nextDelayNanos();
            }), "the second request consumed no delay");
        }
    }

    @Test
    void aCancelledRetryDoesNotRun() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            TransportLoop loop = (TransportLoop) group.loops().get(0);
            AcceptBackoff b = new AcceptBackoff();
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<Void> probe = onLoop(loop, () -> {
                for (int i = 0; i < 4; i++) {
                    b.nextDelayNanos(); // the next retry waits 16 ms
                }
                int timers = loop.timers.size();
                b.scheduleRetry(loop, runs::incrementAndGet);
                assertEquals(timers + 1, loop.timers.size());
                b.cancelRetry();
                assertFalse(b.retryPending());
                assertEquals(timers, loop.timers.size(), "the retry's timer left the loop's heap");
                CompletableFuture<Void> p = new CompletableFuture<>();
                loop.schedule(40, TimeUnit.MILLISECONDS, () -> p.complete(null));
                return p;
            });
            probe.get(5, TimeUnit.SECONDS);
            assertEquals(0, runs.get(), "a cancelled retry never runs");
            assertEquals(32 * MS, (long) onLoop(loop, b::nextDelayNanos), "cancelling keeps the back-off where it was");
        }
    }
}
