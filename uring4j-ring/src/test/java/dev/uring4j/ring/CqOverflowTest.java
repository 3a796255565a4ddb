package dev.uring4j.ring;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.uring4j.ring.uapi.IoUringH;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CQ overflow: with 1 000 completions aimed at an 8-entry CQ the kernel parks the
 * surplus on its overflow list ({@code IORING_FEAT_NODROP}) and says so with
 * {@code IORING_SQ_CQ_OVERFLOW}; the loop's plain {@code submit()} flushes the list back into the
 * CQ, and every operation completes exactly once, in order. A submit the kernel refuses while the
 * CQ is full ({@code -EBUSY}) is "reap, then resubmit", never an error.
 */
class CqOverflowTest {
    private static final int N = 1000;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void overflowIsFlushedAndEveryCompletionArrivesOnceInOrder(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(8).cqEntries(8).build()) {
            assertTrue(ring.hasFeature(IoUringH.IORING_FEAT_NODROP), "kernels since 5.5 keep overflowed CQEs");
            List<Long> seen = new ArrayList<>(N);
            CqeHandler collect = (userData, res, flags) -> {
                assertEquals(0, res);
                seen.add(userData);
            };
            boolean sawOverflow = false;
            int prepared = 0;
            long deadline = System.nanoTime() + Completions.DEADLINE_NS;
            while (prepared < N) {
                Sqe sqe = ring.getSqe();
                if (sqe == null) {
                    submitNeverFails(ring);
                    sawOverflow |= ring.cqHasOverflow();
                    ring.sqringWait();
                    sqe = ring.getSqe();
                    if (sqe == null) {
                        // The kernel took nothing (-EBUSY with a full CQ): reap first, then resubmit.
                        ring.forEachCqe(collect);
                        continue;
                    }
                }
                sqe.prepNop().userData(prepared++);
            }
            submitNeverFails(ring);
            while (ring.sq().pending() > 0) {
                // SQPOLL: the poller thread consumes the last batch on its own time; sleep rather
                // than spin, so as not to take a core from it.
                checkDeadline(deadline, "the SQ to be consumed");
                Thread.sleep(1);
            }
            sawOverflow |= ring.cqHasOverflow();
            assertTrue(sawOverflow, "IORING_SQ_CQ_OVERFLOW was raised for 1000 completions on an 8-entry CQ");

            while (seen.size() < N) {
                checkDeadline(deadline, N + " completions, have " + seen.size());
                if (ring.forEachCqe(collect) == 0) {
                    submitNeverFails(ring);
                }
            }
            for (int i = 0; i < N; i++) {
                assertEquals(i, seen.get(i), "every completion exactly once, in order, no gap");
            }
            assertFalse(ring.cqHasOverflow(), "the overflow list is empty again");
            assertEquals(0, ring.cq().overflow(), "the kernel dropped no completion");
        }
    }

    private static void submitNeverFails(IoUring ring) {
        int r = ring.submit();
        assertTrue(r >= 0, () -> "submit with an overflowing CQ: " + Errno.describe(r));
    }

    private static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() - deadline > 0) {
            fail("gave up waiting for " + what);
        }
    }
}
