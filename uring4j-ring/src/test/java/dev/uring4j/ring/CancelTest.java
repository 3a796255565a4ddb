package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ANY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancellation ({@code IORING_OP_ASYNC_CANCEL}): by user_data, by fd, and everything at once
 * ({@code IORING_ASYNC_CANCEL_ANY}, what shutdown uses). Each cancelled request still posts
 * exactly one final completion, which is what tells the owner its memory may be freed.
 */
class CancelTest {
    private static final long CANCEL = 99;
    private static final int BGID = 1;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void cancelEndsAMultishotRecvWithOneFinalCompletion(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECV_MULTISHOT, Probe.Feature.PBUF_RING);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 4, 64, 0)) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepRecvMultishot(pair[1], 0, 0, 0).bufferSelect(BGID).userData(1);
            byte[] sent = Sockets.pattern(10, 1);
            Sockets.writeAll(pair[0], sent);
            Completion data = cqes.expect(1);
            assertTrue(data.more(), () -> "armed before the cancel: " + data);
            assertArrayEquals(sent, Bytes.of(buffers, data.bufferId(), 0, data.res()));

            cqes.cancel(1);
            Sockets.writeAll(pair[0], sent);
            cqes.assertNoneWithin(50);
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void cancelByFdTakesOneRequestOrWithAllEveryRequestOnThatFd(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.CANCEL_ANY);
        int[] pair = Sockets.tcpPair();
        int[] other = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment buf = arena.allocate(4 * 64);
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepRecv(pair[1], buf.address() + 64L * i, 64, 0).userData(10 + i);
            }
            ring.getSqe().prepRecv(other[1], buf.address() + 3 * 64, 64, 0).userData(20);
            ring.submit();

            ring.getSqe().prepCancelFd(pair[1], 0).userData(CANCEL);
            Set<Long> cancelled = new HashSet<>();
            for (Completion c : cqes.take(2)) {
                if (c.userData() == CANCEL) {
                    assertEquals(0, c.res(), () -> "one request found: " + c);
                } else {
                    assertEquals(-Errno.ECANCELED, c.res(), () -> "cancelled: " + c);
                    cancelled.add(c.userData());
                }
            }
            assertEquals(1, cancelled.size(), "without CANCEL_ALL only the first match goes");

            ring.getSqe().prepCancelFd(pair[1], IORING_ASYNC_CANCEL_ALL).userData(CANCEL);
            for (Completion c : cqes.take(3)) {
                if (c.userData() == CANCEL) {
                    assertEquals(2, c.res(), () -> "the two remaining requests on that fd: " + c);
                } else {
                    assertEquals(-Errno.ECANCELED, c.res(), () -> "cancelled: " + c);
                    assertTrue(c.userData() >= 10 && c.userData() < 13, () -> "only requests on that fd: " + c);
                    cancelled.add(c.userData());
                }
            }
            assertEquals(Set.of(10L, 11L, 12L), cancelled);

            byte[] sent = Sockets.pattern(8, 2);
            Sockets.writeAll(other[0], sent);
            Completion untouched = cqes.expect(20);
            assertEquals(sent.length, untouched.res(), () -> "the request on another fd lives on: " + untouched);
        } finally {
            Sockets.close(pair);
            Sockets.close(other);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void cancelAnyEndsEveryRequestInTheRing(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.CANCEL_ANY);
        int[][] pairs = {Sockets.tcpPair(), Sockets.tcpPair(), Sockets.tcpPair()};
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment buf = arena.allocate(3 * 64);
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepRecv(pairs[i][1], buf.address() + 64L * i, 64, 0).userData(10 + i);
            }
            ring.getSqe().prepPollMultishot(pairs[0][1], dev.uring4j.ring.sys.LibC.POLLIN).userData(13);
            ring.submit();

            ring.getSqe().prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(CANCEL);
            Set<Long> ended = new HashSet<>();
            for (Completion c : cqes.take(5)) {
                if (c.userData() == CANCEL) {
                    assertEquals(4, c.res(), () -> "every request counted: " + c);
                } else {
                    assertEquals(-Errno.ECANCELED, c.res(), () -> "cancelled: " + c);
                    assertFalse(c.more(), () -> "a final completion: " + c);
                    ended.add(c.userData());
                }
            }
            assertEquals(Set.of(10L, 11L, 12L, 13L), ended);

            ring.getSqe().prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(CANCEL);
            assertEquals(0, cqes.expect(CANCEL).res(), "nothing left to cancel: ANY counts, it does not fail");
        } finally {
            for (int[] pair : pairs) {
                Sockets.close(pair);
            }
        }
    }
}
