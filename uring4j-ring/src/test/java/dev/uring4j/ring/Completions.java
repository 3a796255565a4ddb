package dev.uring4j.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;


/**
 * The completions of one ring, in arrival order, with waits that give up after a generous
 * deadline instead of hanging (liburing's test helpers wait the same way). Waiting goes through
 * {@link IoUring#submitAndWait(int, long)}, so it also submits what was prepared and, on a
 * {@code DEFER_TASKRUN} ring, runs the task work that posts completions.
 *
 * <p>Used on the ring's thread only.
 */
final class Completions {
    /** How long a test waits for a completion that must come: long enough for a loaded 2-core machine. */
    static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long SLICE_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** user_data of the cancels {@link #cancel} and {@link #quiesce} submit; tests use small values. */
    private static final long QUIESCE = 0x7E57_0000_0000_0000L;

    /** One completion, copied out of the ring. */
    record Completion(long userData, int res, int flags) {
        boolean more() {
            return Cqe.more(flags);
        }

        int bufferId() {
            assertTrue(Cqe.hasBuffer(flags), () -> this + " carries no buffer");
            return Cqe.bufferId(flags);
        }

        @Override
        public String toString() {
            return "CQE[user_data=" + userData + ", res=" + (res < 0 ? "-" + Errno.name(res) : res) + ", flags="
                    + FlagNames.cqe(flags) + (Cqe.hasBuffer(flags) ? ", bid=" + Cqe.bufferId(flags) : "") + "]";
        }
    }

    private final IoUring ring;
    private final List<Completion> all = new ArrayList<>();
    private int next;

    Completions(IoUring ring) {
        this.ring = ring;
    }

    /** Copies every completion the ring holds now, without entering the kernel. */
    int reap() {
        return ring.forEachCqe((userData, res, flags) -> all.add(new Completion(userData, res, flags)));
    }

    /** The next completion not yet returned, waiting for it up to the deadline. */
    Completion next() {
        awaitTotal(next + 1);
        return all.get(next++);
    }

    /** The next {@code n} completions. */
    List<Completion> take(int n) {
        awaitTotal(next + n);
        List<Completion> out = List.copyOf(all.subList(next, next + n));
        next += n;
        return out;
    }

    /** Every completion received so far, returned or not. */
    List<Completion> all() {
        return all;
    }

    /** Waits until {@code total} completions have arrived in all. */
    void awaitTotal(int total) {
        long deadline = System.nanoTime() + DEADLINE_NS;
        reap();
        while (all.size() < total) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NS) + " s for " + total
                        + " completions, have " + all.size() + ": " + all);
            }
            int r = ring.submitAndWait(1, SLICE_NS);
            if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR) {
                fail("io_uring_enter: " + Errno.describe(r));
            }
            reap();
        }
    }

    /**
     * Asserts that nothing completes within {@code millis}: for operations that must stay
     * pending. A loaded machine can only make this pass more easily, never fail it wrongly.
     */
    void assertNoneWithin(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            reap();
            if (all.size() > next) {
                fail("expected no completion yet, got " + all.subList(next, all.size()));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            ring.submitAndWait(1, left);
        }
    }

    /** The next completion, asserting its user_data. */
    Completion expect(long userData) {
        Completion c = next();
        assertEquals(userData, c.userData(), () -> "unexpected completion " + c);
        return c;
    }

    /**
     * Cancels the request that carried {@code userData} ({@code io_uring_prep_cancel64}) and
     * asserts what a user relies on: the cancel finds it, and the request posts one final
     * completion, {@code -ECANCELED} without {@code IORING_CQE_F_MORE}. Completions the request
     * posted before it was cancelled are skipped.
     */
    Completion cancel(long userData) {
        Sqe sqe = ring.getSqe();
        assertNotNull(sqe, "room for the cancel SQE");
        sqe.prepCancel64(userData, 0).userData(QUIESCE);
        Completion cancel = null;
        Completion last = null;
        while (cancel == null || last == null) {
            Completion c = next();
            if (c.userData() == QUIESCE) {
                cancel = c;
            } else if (c.userData() == userData && !c.more()) {
                last = c;
            } else if (c.userData() != userData) {
                fail("unexpected completion while cancelling " + userData + ": " + c);
            }
        }
        Completion found = cancel;
        Completion end = last;
        assertEquals(0, found.res(), () -> "the cancel found request " + userData + ": " + found);
        assertEquals(-Errno.ECANCELED, end.res(), () -> "the cancelled request's final completion: " + end);
        return end;
    }

    /**
     * Cancels everything in flight and waits for each cancelled operation's final completion,
     * so that memory the kernel could still write may be freed (shutdown: cancel, drain, free).
     */
    void quiesce() {
        Sqe sqe = ring.getSqe();
        assertNotNull(sqe, "room for the cancel SQE");
        sqe.prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(QUIESCE);
        long deadline = System.nanoTime() + DEADLINE_NS;
        int cancelled = -1;
        int finals = 0;
        while (cancelled < 0 || finals < cancelled) {
            int from = all.size();
            awaitTotal(from + 1);
            for (Completion c : all.subList(from, all.size())) {
                if (c.userData() == QUIESCE) {
                    cancelled = c.res() == -Errno.ENOENT ? 0 : c.res();
                    assertTrue(cancelled >= 0, () -> "cancel of everything failed: " + c);
                } else if (c.res() == -Errno.ECANCELED && !c.more()) {
                    finals++;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("operations still in flight after cancelling them all: " + all);
            }
        }
        next = all.size();
    }
}
