package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timed waits ({@code io_uring_submit_and_wait_timeout}, {@code IORING_ENTER_EXT_ARG}): the event
 * loop's one syscall per iteration, bounded by its next timer instead of a timeout SQE.
 */
class WaitTimeoutTest {
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void returnsEtimeWhenNothingCompletesInTime(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(4).build()) {
            assertEquals(-Errno.ETIME, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(10)));
            assertEquals(0, ring.cqReady());
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void submitsWaitsAndReturnsOnceTheCompletionIsThere(RingConfig config) throws Exception {
        config.assumeSupported();
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            MemorySegment buf = arena.allocate(16);
            ring.getSqe().prepRecv(pair[1], buf.address(), 16, 0).userData(1);
            int submitted = ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(10));
            if (config.sqpoll()) {
                // The poller may take the SQE before the enter counts it; then only the timeout is left.
                assertTrue(submitted == 1 || submitted == -Errno.ETIME, () -> Errno.describe(submitted));
            } else {
                assertEquals(1, submitted, "a timed wait that submitted reports the submission, not the timeout");
            }
            assertEquals(0, ring.cqReady());
            assertEquals(-Errno.ETIME, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(10)),
                    "the receive is still pending");

            Sockets.writeAll(pair[0], new byte[] {42});
            int r;
            long deadline = System.nanoTime() + Completions.DEADLINE_NS;
            do {
                r = ring.submitAndWait(1, TimeUnit.SECONDS.toNanos(1));
            } while (r == -Errno.ETIME && System.nanoTime() - deadline < 0);
            assertEquals(0, r, () -> "woken by the completion: " + Errno.describe(ring.submitAndWait(0)));
            assertEquals(1, ring.cqReady());
        } finally {
            Sockets.close(pair);
        }
    }

    /**
     * {@code min_wait_usec} (6.12): once one completion is in, wait at most that long for the
     * rest. The bound checked is only that the call did not sit out its 60 s timeout.
     */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void minWaitReturnsWithFewerCompletionsInsteadOfTheFullTimeout(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MIN_TIMEOUT);
        try (IoUring ring = config.builder().entries(4).build()) {
            ring.getSqe().prepNop().userData(1);
            long start = System.nanoTime();
            int r = ring.submitAndWait(2, TimeUnit.SECONDS.toNanos(60), 1000);
            long waited = System.nanoTime() - start;
            assertTrue(r >= 0, () -> Errno.describe(r));
            assertEquals(1, ring.cqReady(), "returned with the one completion there is");
            assertTrue(waited < TimeUnit.SECONDS.toNanos(30), "returned long before the 60 s timeout");
        }
    }
}
