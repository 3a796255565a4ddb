package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multishot poll (reference page, "Multi-shot"): armed once, a completion each time the mask
 * becomes true, until removed. An eventfd makes each wake-up explicit: a write wakes, a read
 * resets.
 */
class PollMultishotTest {
    private static final long POLL = 1;
    private static final long REMOVE = 2;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void completesOnEveryWakeUpWhileArmed(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.POLL_MULTISHOT);
        int efd = Sockets.check(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC), "eventfd");
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment counter = arena.allocate(JAVA_LONG);
            ring.getSqe().prepPollMultishot(efd, LibC.POLLIN).userData(POLL);
            cqes.assertNoneWithin(50);
            for (int i = 0; i < 3; i++) {
                counter.set(JAVA_LONG, 0, 1);
                assertEquals(8, LibC.write(efd, counter, 8));
                Completion c = cqes.expect(POLL);
                assertTrue((c.res() & LibC.POLLIN) != 0, () -> "readable: " + c);
                assertTrue(c.more(), () -> "still armed after wake-up " + c);
                assertEquals(8, LibC.read(efd, counter, 8), "reset the eventfd for the next wake-up");
            }
            cqes.assertNoneWithin(20);
            cqes.cancel(POLL);
        } finally {
            Sockets.close(efd);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void pollRemoveEndsItWithAFinalCompletion(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.POLL_MULTISHOT);
        int efd = Sockets.check(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC), "eventfd");
        try (IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepPollMultishot(efd, LibC.POLLIN).userData(POLL);
            ring.submit();
            ring.getSqe().prepPollRemove(POLL).userData(REMOVE);
            for (Completion c : cqes.take(2)) {
                if (c.userData() == POLL) {
                    assertEquals(-Errno.ECANCELED, c.res(), () -> "removed: " + c);
                    assertFalse(c.more(), () -> "the final completion: " + c);
                } else {
                    assertEquals(REMOVE, c.userData());
                    assertEquals(0, c.res(), () -> "the remove found the poll: " + c);
                }
            }
            ring.getSqe().prepPollRemove(POLL).userData(REMOVE);
            assertEquals(-Errno.ENOENT, cqes.expect(REMOVE).res(), "nothing left to remove");
        } finally {
            Sockets.close(efd);
        }
    }
}
