package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_TASKRUN_FLAG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * {@code IORING_SETUP_TASKRUN_FLAG} (reference page, "Task work"): the kernel raises
 * {@code IORING_SQ_TASKRUN} in the SQ ring flags when a completion waits for task work that only
 * an enter will run, so a loop that peeks at the CQ knows it must enter.
 *
 * <p>Observed on a {@code DEFER_TASKRUN} ring, where task work waits for the ring's own enter and
 * the flag therefore stays up until then. With {@code COOP_TASKRUN} the same flag is cleared by
 * the next return to user mode of any kind (a timer interrupt will do), so a test could only catch
 * it by racing the scheduler; that variant is left out on purpose.
 */
class TaskrunFlagTest {
    @Test
    void raisedWhileACompletionWaitsForTaskWorkAndClearedBySubmit() throws Exception {
        RingConfig.DEFER_TASKRUN.assumeSupported(Probe.Feature.TASKRUN_FLAG);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined();
             IoUring ring = IoUring.builder().entries(4)
                     .flags(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG)
                     .build()) {
            MemorySegment buf = arena.allocate(64);
            ring.getSqe().prepRecv(pair[1], buf.address(), 64, 0).userData(1);
            assertEquals(1, ring.submit());
            assertFalse(ring.taskrunPending(), "nothing has arrived yet");

            byte[] sent = Sockets.pattern(12, 6);
            Sockets.writeAll(pair[0], sent);
            long deadline = System.nanoTime() + Completions.DEADLINE_NS;
            while (!ring.taskrunPending()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("IORING_SQ_TASKRUN never rose after data arrived; SQ flags " + ring.sq().flags());
                }
                Thread.sleep(1);
            }
            assertEquals(0, ring.cqReady(), "the completion waits for the task work");
            assertTrue(ring.cqNeedsFlush());

            assertEquals(0, ring.submit(), "nothing to submit, but the flag makes submit enter");
            assertEquals(1, ring.cqReady(), "the enter ran the task work and posted the completion");
            assertFalse(ring.taskrunPending(), "and cleared the flag");
            int[] res = new int[1];
            ring.forEachCqe((userData, r, flags) -> res[0] = r);
            assertEquals(sent.length, res[0]);
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));
        } finally {
            Sockets.close(pair);
        }
    }
}
