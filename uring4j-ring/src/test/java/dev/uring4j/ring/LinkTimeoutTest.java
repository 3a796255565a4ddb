package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.uapi.KernelTimespec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A linked timeout bounds the request before it ({@code io_uring_prep_link_timeout}): the way a
 * connect or an idle read gets a deadline without a timer of the application's own.
 */
class LinkTimeoutTest {
    private static final long RECV = 1;
    private static final long TIMEOUT = 2;

    private static MemorySegment timespec(Arena arena, long nanos) {
        MemorySegment ts = arena.allocate(KernelTimespec.LAYOUT);
        ts.set(JAVA_LONG, KernelTimespec.OFFSET_tv_sec, nanos / 1_000_000_000L);
        ts.set(JAVA_LONG, KernelTimespec.OFFSET_tv_nsec, nanos % 1_000_000_000L);
        return ts;
    }

    /** Submits a receive of up to 64 bytes into {@code buf}, bounded by a linked timeout. */
    private static List<Completion> recvWithin(IoUring ring, Completions cqes, int fd, MemorySegment buf,
                                               MemorySegment ts) {
        ring.getSqe().prepRecv(fd, buf.address(), 64, 0).addFlags(IOSQE_IO_LINK).userData(RECV);
        ring.getSqe().prepLinkTimeout(ts.address(), 0).userData(TIMEOUT);
        List<Completion> both = cqes.take(2);
        return both.get(0).userData() == RECV ? both : List.of(both.get(1), both.get(0));
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void firesAndCancelsARequestThatDoesNotComplete(RingConfig config) throws Exception {
        config.assumeSupported();
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            List<Completion> both = recvWithin(ring, new Completions(ring), pair[1], arena.allocate(64),
                    timespec(arena, 20_000_000L));
            assertEquals(-Errno.ECANCELED, both.get(0).res(), () -> "the receive was cut short: " + both);
            assertEquals(-Errno.ETIME, both.get(1).res(), () -> "the timeout fired: " + both);
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void isCancelledWhenTheRequestCompletesInTime(RingConfig config) throws Exception {
        config.assumeSupported();
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            byte[] sent = Sockets.pattern(30, 9);
            Sockets.writeAll(pair[0], sent);
            MemorySegment buf = arena.allocate(64);
            List<Completion> both = recvWithin(ring, new Completions(ring), pair[1], buf,
                    timespec(arena, 60_000_000_000L));
            assertEquals(sent.length, both.get(0).res(), () -> "the receive completed: " + both);
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));
            assertEquals(-Errno.ECANCELED, both.get(1).res(), () -> "the timeout was disarmed: " + both);
        } finally {
            Sockets.close(pair);
        }
    }
}
