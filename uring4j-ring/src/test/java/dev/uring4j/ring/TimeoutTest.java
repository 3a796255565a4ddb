package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.uapi.KernelTimespec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timeout requests ({@code IORING_OP_TIMEOUT}): one that fires, one satisfied by a count of
 * completions, one removed before it fires.
 */
class TimeoutTest {
    private static MemorySegment timespec(Arena arena, long seconds, long nanos) {
        MemorySegment ts = arena.allocate(KernelTimespec.LAYOUT);
        ts.set(JAVA_LONG, KernelTimespec.OFFSET_tv_sec, seconds);
        ts.set(JAVA_LONG, KernelTimespec.OFFSET_tv_nsec, nanos);
        return ts;
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void firesWithEtime(RingConfig config) throws Exception {
        config.assumeSupported();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            ring.getSqe().prepTimeout(timespec(arena, 0, 10_000_000).address(), 0, 0).userData(1);
            assertEquals(-Errno.ETIME, new Completions(ring).expect(1).res());
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void completesOnceCountOtherCompletionsArrived(RingConfig config) throws Exception {
        config.assumeSupported();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepTimeout(timespec(arena, 60, 0).address(), 2, 0).userData(1);
            ring.submit();
            ring.getSqe().prepNop().userData(2);
            ring.getSqe().prepNop().userData(3);
            long timeouts = 0;
            for (Completion c : cqes.take(3)) {
                if (c.userData() == 1) {
                    assertEquals(0, c.res(), () -> "satisfied by the count, not the clock: " + c);
                    timeouts++;
                }
            }
            assertEquals(1, timeouts);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void removeCancelsAPendingTimeout(RingConfig config) throws Exception {
        config.assumeSupported();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepTimeout(timespec(arena, 60, 0).address(), 0, 0).userData(1);
            ring.submit();
            ring.getSqe().prepTimeoutRemove(1, 0).userData(2);
            for (Completion c : cqes.take(2)) {
                assertEquals(c.userData() == 1 ? -Errno.ECANCELED : 0, c.res(), c::toString);
            }
        }
    }
}
