package dev.uring4j.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full submission queue: {@code getSqe} returns the sentinel, the loop submits
 * and retries; one submit is enough to make room (with SQPOLL, one submit and one
 * {@code sqringWait}, since the poller thread empties the queue), so the loop never spins, and
 * nothing is dropped.
 */
class SqFullTest {
    private static final int N = 1000;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void fullSqIsSubmittedAndRetriedWithoutSpinningOrDropping(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(4).cqEntries(1024).build()) {
            int submits = 0;
            for (int i = 0; i < N; i++) {
                Sqe sqe = ring.getSqe();
                if (sqe == null) {
                    int r = ring.submit();
                    submits++;
                    assertTrue(r >= 0, () -> "submit: " + Errno.describe(r));
                    int w = ring.sqringWait();
                    assertEquals(0, w, () -> "waiting for the SQPOLL thread: " + Errno.describe(w));
                    sqe = ring.getSqe();
                    assertNotNull(sqe, "one submit (and with SQPOLL one wait) makes room in a full SQ");
                }
                sqe.prepNop().userData(i);
            }
            if (!config.sqpoll()) {
                // The poller may consume part of a batch; without it each submit empties the SQ.
                assertEquals((N - 1) / ring.sqEntries(), submits, "each submit consumed the whole SQ");
            }

            Completions cqes = new Completions(ring);
            java.util.List<Completion> all = cqes.take(N);
            for (int i = 0; i < N; i++) {
                assertEquals(i, all.get(i).userData(), "every NOP once, in submission order");
                assertEquals(0, all.get(i).res());
            }
            assertEquals(0, ring.sq().dropped(), "the kernel dropped no SQE");
        }
    }
}
