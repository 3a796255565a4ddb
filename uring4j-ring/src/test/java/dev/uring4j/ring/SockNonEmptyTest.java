package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code IORING_CQE_F_SOCK_NONEMPTY} (reference page, "Socket state"): a receive completion says
 * whether the socket still held data afterwards, so the loop knows to receive again at once.
 */
class SockNonEmptyTest {
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void setWhileDataRemainsClearedOnceDrained(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SOCK_NONEMPTY);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment buf = arena.allocate(64);
            byte[] sent = Sockets.pattern(64, 1);
            Sockets.writeAll(pair[0], sent);

            ring.getSqe().prepRecv(pair[1], buf.address(), 16, 0).userData(1);
            Completion partial = cqes.expect(1);
            assertEquals(16, partial.res());
            assertTrue(Cqe.sockNonEmpty(partial.flags()), () -> "48 bytes were left behind: " + partial);

            ring.getSqe().prepRecv(pair[1], buf.address() + 16, 48, 0).userData(2);
            Completion rest = cqes.expect(2);
            assertEquals(48, rest.res());
            assertFalse(Cqe.sockNonEmpty(rest.flags()), () -> "the socket was drained: " + rest);
            assertArrayEquals(sent, Bytes.of(buf, 0, 64));
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void setWhenMoreIsQueuedThanOneProvidedBufferHolds(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SOCK_NONEMPTY, Probe.Feature.PBUF_RING);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, 5, 4, 32, 0)) {
            Completions cqes = new Completions(ring);
            Sockets.writeAll(pair[0], Sockets.pattern(40, 2));

            ring.getSqe().prepRecv(pair[1], 0, 0, 0).bufferSelect(5).userData(1);
            Completion full = cqes.expect(1);
            assertEquals(32, full.res(), "the buffer's size bounds the receive");
            assertTrue(Cqe.sockNonEmpty(full.flags()), () -> "8 bytes did not fit: " + full);

            ring.getSqe().prepRecv(pair[1], 0, 0, 0).bufferSelect(5).userData(2);
            Completion last = cqes.expect(2);
            assertEquals(8, last.res());
            assertFalse(Cqe.sockNonEmpty(last.flags()), () -> "nothing left: " + last);
        } finally {
            Sockets.close(pair);
        }
    }
}
