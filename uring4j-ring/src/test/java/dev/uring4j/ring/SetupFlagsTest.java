package dev.uring4j.ring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_NODROP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FEAT_SINGLE_MMAP;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_ATTACH_WQ;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQE32;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_CQSIZE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQ_AFF;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SQ_NEED_WAKEUP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

    /** CQE32: completions are 32 bytes apart; reading them at 16 would mix up user_data and res. */
    @Test
    void cqe32RingsReadCompletionsAtTheirStride() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.CQE32);
        try (IoUring ring = IoUring.builder().entries(4).flags(IORING_SETUP_CQE32).build()) {
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepNop().userData(100 + i);
            }
            assertEquals(3, ring.submitAndWait(3));
            for (int i = 0; i < 3; i++) {
                assertEquals(100 + i, ring.cq().userData(i));
                assertEquals(0, ring.cq().res(i));
                assertEquals(0, ring.cq().extra(i, 1), "a NOP leaves big_cqe empty");
            }
            long[] seen = new long[3];
            int[] n = {0};
            ring.forEachCqe((userData, res, flags) -> seen[n[0]++] = userData);
            assertArrayEquals(new long[] {100, 101, 102}, seen);
        }
        try (IoUring plain = IoUring.setup(2)) {
            assertThrows(IllegalArgumentException.class, () -> plain.cq().extra(0, 0), "no big_cqe without CQE32");
        }
    }

    /** ATTACH_WQ and SQ_AFF are set from the builder's settings and accepted by the kernel. */
    @Test
    void attachWqAndSqThreadCpuAreApplied() throws Exception {
        RingConfig.SQPOLL.assumeSupported();
        try (IoUring first = IoUring.setup(4);
             IoUring second = IoUring.builder().entries(4).attachWq(first.fd()).build();
             IoUring pinned = RingConfig.SQPOLL.builder().entries(4).sqThreadCpu(0).build()) {
            assertEquals(IORING_SETUP_ATTACH_WQ, second.setupFlags() & IORING_SETUP_ATTACH_WQ);
            assertEquals(IORING_SETUP_SQ_AFF, pinned.setupFlags() & IORING_SETUP_SQ_AFF);
            for (IoUring ring : new IoUring[] {second, pinned}) {
                ring.getSqe().prepNop().userData(1);
                assertEquals(1, new Completions(ring).expect(1).userData());
            }
        }
    }

    /** A registered ring fd belongs to its thread: others enter through the plain fd, and unregistering is the owner's. */
    @Test
    void theRegisteredRingFdBelongsToItsThread() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.REGISTERED_RING_FD);
        try (IoUring ring = IoUring.builder().entries(4).registerRingFd(true).build()) {
            assertTrue(ring.isRingFdRegistered());
            CompletableFuture<Boolean> elsewhere = CompletableFuture.supplyAsync(() -> {
                assertThrows(IllegalStateException.class, ring::unregisterRingFd);
                ring.getSqe().prepNop().userData(1);
                return !ring.isRingFdRegistered() && ring.submitAndWait(1) == 1;
            });
            assertTrue(elsewhere.get(Completions.DEADLINE_NS, TimeUnit.NANOSECONDS),
                    "another thread enters through the plain fd");
            ring.unregisterRingFd();
            assertFalse(ring.isRingFdRegistered());
            ring.getSqe().prepNop().userData(2);
            assertEquals(1, ring.submitAndWait(2), "enters still work after unregistering");
            assertEquals(2, ring.cqReady());
        }
    }
}
