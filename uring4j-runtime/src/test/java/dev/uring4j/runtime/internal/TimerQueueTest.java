package dev.uring4j.runtime.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.Timeout;

/**
 * The loop's timer heap: timers come out in deadline order (deadlines are {@code nanoTime}
 * values, compared by subtraction so that the order holds across the wrap of the clock), only
 * when due, none lost or duplicated through removals from the middle and growth; and on a real
 * loop a cancelled timer never runs.
 */
@Tag("transport-independent")
class TimerQueueTest {

    private static TimerQueue.Timer timer(long deadline) {
        return new TimerQueue.Timer(null, () -> { }, deadline, 0);
    }

    /** Polls everything due at {@code now}. */
    private static List<TimerQueue.Timer> drain(TimerQueue q, long now) {
        List<TimerQueue.Timer> out = new ArrayList<>();
        TimerQueue.Timer t;
        while ((t = q.pollDue(now)) != null) {
            out.add(t);
        }
        return out;
    }

    @Test
    void timersComeOutInDeadlineOrderWhateverTheOrderTheyWereAdded() {
        TimerQueue q = new TimerQueue();
        long[] deadlines = {50, 10, 40, 30, 20, 60, 0, 70};
        List<TimerQueue.Timer> added = new ArrayList<>();
        for (long d : deadlines) {
            TimerQueue.Timer t = timer(d);
            added.add(t);
            q.add(t);
        }
        assertEquals(deadlines.length, q.size());
        assertEquals(0, q.nextDeadline());
        List<TimerQueue.Timer> out = drain(q, 1_000);
        List<TimerQueue.Timer> expected = new ArrayList<>(added);
        expected.sort((a, b) -> Long.compare(a.deadline, b.deadline));
        assertEquals(expected, out);
        assertEquals(0, q.size());
        assertEquals(Long.MAX_VALUE, q.nextDeadline(), "an empty queue has no deadline");
    }

    @Test
    void equalDeadlinesAllComeOutTogetherBeforeLaterOnes() {
        TimerQueue q = new TimerQueue();
        List<TimerQueue.Timer> same = new ArrayList<>();
        q.add(timer(200));
        for (int i = 0; i < 7; i++) {
            TimerQueue.Timer t = timer(100);
            same.add(t);
            q.add(t);
        }
        q.add(timer(50));
        assertEquals(50, q.pollDue(100).deadline);
        List<TimerQueue.Timer> due = drain(q, 100);
        assertEquals(same.size(), due.size(), "every timer due at 100, and only those");
        assertTrue(due.containsAll(same), "each of the equal timers once: " + due);
        assertEquals(200, q.nextDeadline());
    }

    @Test
    void pollDueReturnsOnlyTimersWhoseDeadlineHasCome() {
        TimerQueue q = new TimerQueue();
        TimerQueue.Timer t = timer(1_000);
        q.add(t);
        assertNull(q.pollDue(999), "not due one nanosecond early");
        assertEquals(1, q.size(), "a timer that is not due stays queued");
        assertSame(t, q.pollDue(1_000), "due exactly at its deadline");
        assertNull(q.pollDue(5_000), "empty");
        assertNull(new TimerQueue().pollDue(Long.MAX_VALUE));
    }

    /** {@code System.nanoTime()} may be anywhere in the long range, so deadlines wrap from MAX to MIN. */
    @Test
    void deadlinesAcrossTheWrapOfNanoTimeKeepTheirOrder() {
        TimerQueue q = new TimerQueue();
        long now = Long.MAX_VALUE - 100;
        TimerQueue.Timer beforeWrap = timer(now + 50);     // MAX - 50
        TimerQueue.Timer atMax = timer(Long.MAX_VALUE);
        TimerQueue.Timer afterWrap = timer(now + 150);      // wraps to MIN + 49
        TimerQueue.Timer farAfterWrap = timer(now + 1_000); // MIN + 899
        q.add(farAfterWrap);
        q.add(afterWrap);
        q.add(atMax);
        q.add(beforeWrap);
        assertTrue(afterWrap.deadline < 0, "the test's deadline did wrap");
        assertEquals(beforeWrap.deadline, q.nextDeadline(), "the earliest is the one before the wrap, not MIN + 49");
        assertNull(q.pollDue(now), "nothing is due yet, though MIN + 49 < now as plain longs");
        assertEquals(List.of(beforeWrap, atMax), drain(q, Long.MAX_VALUE));
        assertEquals(List.of(afterWrap), drain(q, now + 200), "due once the clock itself has wrapped");
        assertNull(q.pollDue(now + 200));
        assertEquals(List.of(farAfterWrap), drain(q, now + 1_000));
    }

    @Test
    void removingFromTheMiddleKeepsTheRestInOrder() {
        TimerQueue q = new TimerQueue();
        List<TimerQueue.Timer> timers = new ArrayList<>();
        // Deadlines added in an order that makes the heap deep and unbalanced in value.
        for (int i = 0; i < 31; i++) {
            TimerQueue.Timer t = timer((i * 17L) % 31);
            timers.add(t);
            q.add(t);
        }
        List<TimerQueue.Timer> kept = new ArrayList<>(timers);
        // Remove leaves, inner nodes and the root, each a different position in the heap.
        for (long d : new long[] {15, 0, 30, 7, 22, 1}) {
            TimerQueue.Timer victim = timers.stream().filter(t -> t.deadline == d).findFirst().orElseThrow();
            q.remove(victim);
            kept.remove(victim);
            assertEquals(-1, victim.index, "a removed timer no longer claims a place in the heap");
        }
        assertEquals(kept.size(), q.size());
        kept.sort((a, b) -> Long.compare(a.deadline, b.deadline));
        assertEquals(kept, drain(q, 100));
    }

    /**
     * Removing an inner timer moves the array's last one into its place, and that one may belong
     * above it (siftUp), not only below. A misplaced timer would come out after larger ones.
     */
    @Test
    void removalThatMustMoveTheReplacementUpKeepsTheOrder() {
        TimerQueue q = new TimerQueue();
        // Added in array order, each no smaller than its parent, so the heap is exactly:
        //            0
        //      100        1
        //   101  102    2   3
        //  103 104 105 106 4 5 6 7
        // Removing 102 puts 7 (the last) under 100, where it must rise above it.
        long[] deadlines = {0, 100, 1, 101, 102, 2, 3, 103, 104, 105, 106, 4, 5, 6, 7};
        List<TimerQueue.Timer> timers = new ArrayList<>();
        for (long d : deadlines) {
            TimerQueue.Timer t = timer(d);
            timers.add(t);
            q.add(t);
        }
        q.remove(timers.get(4));
        List<Long> out = drain(q, 1_000).stream().map(t -> t.deadline).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 100L, 101L, 103L, 104L, 105L, 106L), out);
    }

    @Test
    void removingATimerThatIsNotQueuedChangesNothing() {
        TimerQueue q = new TimerQueue();
        TimerQueue.Timer a = timer(1);
        TimerQueue.Timer b = timer(2);
        TimerQueue.Timer c = timer(3);
        q.add(a);
        q.add(b);
        q.add(c);
        q.remove(b);
        q.remove(b); // twice
        TimerQueue.Timer polled = q.pollDue(1);
        q.remove(polled); // already out
        TimerQueue.Timer never = timer(0);
        q.remove(never); // never added (index -1)
        // A timer of another queue whose index points at a live slot of this one.
        TimerQueue other = new TimerQueue();
        TimerQueue.Timer foreign = timer(0);
        other.add(foreign);
        assertEquals(0, foreign.index);
        q.remove(foreign);
        assertEquals(1, q.size());
        assertSame(c, q.pollDue(10));
        assertEquals(1, other.size());
    }

    @Test
    void growsPastItsInitialCapacityWithoutLosingTimers() {
        TimerQueue q = new TimerQueue();
        int n = 1_000; // the array starts at 64 and doubles several times
        List<TimerQueue.Timer> timers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TimerQueue.Timer t = timer(n - i); // descending: every add sifts to the root
            timers.add(t);
            q.add(t);
        }
        assertEquals(n, q.size());
        assertEquals(1, q.nextDeadline());
        List<TimerQueue.Timer> out = drain(q, n);
        Collections.reverse(timers);
        assertEquals(timers.size(), out.size());
        for (int i = 0; i < n; i++) {
            assertSame(timers.get(i), out.get(i), "position " + i);
        }
    }

    /**
     * Random adds, removals of random queued timers and polls with an advancing clock, checked
     * after each step against a plain list: the next deadline, what is due and what is left. The
     * clock starts just before the wrap of {@code nanoTime} and crosses it.
     */
    @Test
    void behavesLikeASortedListUnderRandomOperations() {
        Random random = new Random(20240611L);
        TimerQueue q = new TimerQueue();
        List<TimerQueue.Timer> model = new ArrayList<>();
        long now = Long.MAX_VALUE - 50_000;
        for (int step = 0; step < 50_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                // Deadlines a little in the past to well in the future, with many duplicates.
                TimerQueue.Timer t = timer(now - 20 + random.nextInt(200));
                q.add(t);
                model.add(t);
            } else if (op < 7 && !model.isEmpty()) {
                TimerQueue.Timer t = model.remove(random.nextInt(model.size()));
                q.remove(t);
            } else {
                now += random.nextInt(20);
                TimerQueue.Timer polled = q.pollDue(now);
                TimerQueue.Timer earliest = earliest(model, now);
                if (earliest == null || earliest.deadline - now > 0) {
                    assertNull(polled, "step " + step + ": nothing is due at " + now);
                } else {
                    assertTrue(polled != null, "step " + step + ": a timer due at " + earliest.deadline + " was not returned");
                    assertEquals(earliest.deadline, polled.deadline, "step " + step + ": not the earliest");
                    assertTrue(model.remove(polled), "step " + step + ": returned a timer that was not queued");
                }
            }
            assertEquals(model.size(), q.size(), "step " + step);
            TimerQueue.Timer earliest = earliest(model, now);
            assertEquals(earliest == null ? Long.MAX_VALUE : earliest.deadline, q.nextDeadline(), "step " + step);
        }
        assertTrue(now < 0, "the clock crossed the wrap");
        // Whatever is left comes out complete and in order.
        List<TimerQueue.Timer> rest = drain(q, now + 1_000);
        assertEquals(model.size(), rest.size());
        assertTrue(rest.containsAll(model));
        for (int i = 1; i < rest.size(); i++) {
            assertTrue(rest.get(i).deadline - rest.get(i - 1).deadline >= 0, "out of order at " + i);
        }
    }

    /** The model's earliest timer, comparing deadlines relative to {@code now} as nanoTime values must be. */
    private static TimerQueue.Timer earliest(List<TimerQueue.Timer> model, long now) {
        TimerQueue.Timer best = null;
        for (TimerQueue.Timer t : model) {
            if (best == null || t.deadline - now < best.deadline - now) {
                best = t;
            }
        }
        return best;
    }

    /**
     * On a real loop: timers run in deadline order, and one cancelled before it is due, from the
     * loop's thread or from another thread, does not run. The loop is held in a task while the
     * other thread cancels, so the timers cannot fire before the cancellations: no race decides.
     */
    @Test
    void cancelledTimersDoNotRunOnALoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            var loop = group.loops().get(0);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> last = new CompletableFuture<>();
            CompletableFuture<Timeout[]> scheduled = new CompletableFuture<>();
            CountDownLatch cancelledElsewhere = new CountDownLatch(1);
            loop.execute(() -> {
                Timeout[] t = new Timeout[10];
                for (int i = 9; i >= 0; i--) {
                    int n = i;
                    t[i] = loop.schedule(1 + i, TimeUnit.MILLISECONDS, () -> ran.add(n));
                }
                loop.schedule(20, TimeUnit.MILLISECONDS, () -> last.complete(null));
                // Cancelled on the loop: removed from the heap at once.
                if (t[1].cancel() && t[8].cancel()) {
                    scheduled.complete(t);
                } else {
                    scheduled.completeExceptionally(new AssertionError("cancel() on the loop returned false"));
                }
                try {
                    cancelledElsewhere.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Timeout[] t = scheduled.get(5, TimeUnit.SECONDS);
            assertTrue(t[1].isCancelled() && t[8].isCancelled());
            assertFalse(t[1].cancel(), "a second cancel reports it was already cancelled");
            // Cancelled from another thread: the removal is posted to the loop.
            assertTrue(t[4].cancel());
            assertTrue(t[0].cancel());
            assertTrue(t[4].isCancelled());
            cancelledElsewhere.countDown();
            last.get(5, TimeUnit.SECONDS);
            assertEquals(List.of(2, 3, 5, 6, 7, 9), ran);
        }
    }

    /**
     * cancel() tells the truth: false for a one-shot task that has run, and when another thread
     * cancels while the loop is about to run the task, exactly one of them wins: the task runs,
     * or cancel() returns true, never both and never neither.
     */
    @Test
    void cancelReturnsTrueExactlyWhenTheTaskDoesNotRun() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            var loop = group.loops().get(0);
            CompletableFuture<Void> ran = new CompletableFuture<>();
            Timeout once = loop.schedule(0, TimeUnit.MILLISECONDS, () -> ran.complete(null));
            ran.get(5, TimeUnit.SECONDS);
            assertFalse(once.cancel(), "a one-shot task that has run cannot be cancelled");
            assertFalse(once.isCancelled());

            int rounds = 2_000;
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            int cancelled = 0;
            List<CompletableFuture<Void>> settled = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                Timeout t = loop.schedule(0, TimeUnit.MILLISECONDS, () -> {
                    runs.incrementAndGet();
                    done.complete(null);
                });
                if (t.cancel()) {
                    cancelled++;
                    done.complete(null);
                }
                settled.add(done);
            }
            CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            // Every timer that was due has run by now, unless it was cancelled (a marker timer
            // scheduled after them all runs after them).
            CompletableFuture<Void> after = new CompletableFuture<>();
            loop.schedule(1, TimeUnit.MILLISECONDS, () -> after.complete(null));
            after.get(5, TimeUnit.SECONDS);
            assertEquals(rounds, runs.get() + cancelled, runs.get() + " ran, " + cancelled + " cancelled");
        }
    }
}
