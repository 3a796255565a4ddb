package dev.uring4j.ring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_NODROP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_SINGLE_MMAP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQSIZE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SQ_NEED_WAKEUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.uring4j.ring.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The setup-flag matrix (reference page, "Task work"; liburing's test.h): every configuration
 * the runtime may pick sets up with what was asked and runs a request end to end, and the rules
 * that come with each flag hold.
 */
class SetupFlagsTest {

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void setsUpAsAskedAndCompletesARequest(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(10).cqEntries(64).build()) {
            assertEquals(config.flags | IORING_SETUP_CQSIZE, ring.setupFlags(), ring::toString);
            assertEquals(16, ring.sqEntries(), "the SQ size is rounded up to a power of two");
            assertEquals(64, ring.cqEntries());
            assertEquals(16, ring.sq().entries());
            assertEquals(64, ring.cq().entries());
            assertTrue(ring.hasFeature(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP), () -> FlagNames.features(
                    ring.features()));
            assertEquals(config.registerRingFd, ring.isRingFdRegistered());

            ring.getSqe().prepNop().userData(77);
            assertEquals(1, ring.submitAndWait(1));
            Completions.Completion c = new Completions(ring).next();
            assertEquals(77, c.userData());
            assertEquals(0, c.res());
        }
    }

    /** SINGLE_ISSUER: only the creating thread may submit; this is why two-ring tests use {@link RingThread}. */
    @Test
    void singleIssuerRefusesSubmissionsFromAnotherThread() throws Exception {
        RingConfig.DEFER_TASKRUN.assumeSupported();
        try (IoUring ring = RingConfig.DEFER_TASKRUN.builder().entries(4).build()) {
            ring.getSqe().prepNop().userData(1);
            int r = CompletableFuture.supplyAsync(ring::submit).get(Completions.DEADLINE_NS, TimeUnit.NANOSECONDS);
            assertEquals(-Errno.EEXIST, r, () -> "submit from a foreign thread: " + Errno.describe(r));
            assertEquals(1, ring.submitAndWait(1), "the owner's submit goes through");
            assertEquals(1, ring.cqReady());
        }
    }

    /** SQPOLL: a poller that fell asleep after its idle time must be woken by the next submit. */
    @Test
    void sqpollSubmitWakesASleepingPoller() throws Exception {
        RingConfig.SQPOLL.assumeSupported();
        try (IoUring ring = RingConfig.SQPOLL.builder().entries(4).sqThreadIdleMs(1).build()) {
            long deadline = System.nanoTime() + Completions.DEADLINE_NS;
            while ((ring.sq().flags() & IORING_SQ_NEED_WAKEUP) == 0) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the SQPOLL thread never went to sleep");
                }
                Thread.sleep(5);
            }
            ring.getSqe().prepNop().userData(1);
            assertTrue(ring.submit() >= 0);
            // Not submitAndWait: a wait would enter the kernel, which could mask a missing wake-up.
            while (ring.cqReady() == 0) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the NOP was never consumed: the sleeping poller was not woken");
                }
                Thread.sleep(1);
            }
            assertEquals(0, ring.sq().pending());
        }
    }
}
