package dev.uring4j.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batching (reference page, "Batching"): many SQEs prepared, then one {@code io_uring_enter}
 * that submits them all and waits for all their completions.
 */
class BatchingTest {

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void manySqesOneEnterManyCqes(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(64).build()) {
            int n = 48;
            for (int i = 0; i < n; i++) {
                Sqe sqe = ring.getSqe();
                assertNotNull(sqe, "SQ has room for " + n);
                sqe.prepNop().userData(1000 + i);
            }
            assertEquals(n, ring.submitAndWait(n), "one enter submits every prepared SQE");
            assertEquals(n, ring.cqReady(), "and returns with every completion posted");
            long[] seen = new long[n];
            int[] count = {0};
            ring.forEachCqe((userData, res, flags) -> {
                assertEquals(0, res);
                seen[count[0]++] = userData;
            });
            assertEquals(n, count[0]);
            for (int i = 0; i < n; i++) {
                assertEquals(1000 + i, seen[i], "nops complete in submission order");
            }
            assertEquals(0, ring.cqReady());
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void fullSqReturnsNullAndNeverSubmitsBehindTheCallersBack(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(8).build()) {
            for (int i = 0; i < ring.sqEntries(); i++) {
                ring.getSqe().prepNop().userData(i);
            }
            assertEquals(null, ring.getSqe(), "getSqe on a full SQ returns the sentinel");
            assertEquals(0, ring.cqReady(), "nothing was submitted by getSqe");
            assertEquals(ring.sqEntries(), ring.submitAndWait(ring.sqEntries()));
            assertNotNull(ring.getSqe(), "after the submit the SQ has room again");
            ring.getSqe();
        }
    }
}
