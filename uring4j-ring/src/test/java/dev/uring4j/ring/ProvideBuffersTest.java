package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Legacy provided buffers ({@code IORING_OP_PROVIDE_BUFFERS}, 5.7), the fallback where buffer
 * rings are missing: handed over by an SQE, picked by a receive, removed by an SQE.
 */
class ProvideBuffersTest {
    private static final int BGID = 21;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void providedPickedAndRemoved(RingConfig config) throws Exception {
        config.assumeSupported();
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment memory = arena.allocate(4 * 32);
            ring.getSqe().prepProvideBuffers(memory.address(), 32, 4, BGID, 100).userData(1);
            assertEquals(0, cqes.expect(1).res());

            byte[] sent = Sockets.pattern(12, 6);
            Sockets.writeAll(pair[0], sent);
            ring.getSqe().prepRecv(pair[1], 0, 32, 0).bufferSelect(BGID).userData(2);
            Completion c = cqes.expect(2);
            assertEquals(sent.length, c.res());
            int bid = c.bufferId();
            assertTrue(bid >= 100 && bid < 104, () -> "ids 100..103 were provided: " + c);
            assertArrayEquals(sent, Bytes.of(memory, 32L * (bid - 100), sent.length));

            ring.getSqe().prepRemoveBuffers(4, BGID).userData(3);
            assertEquals(3, cqes.expect(3).res(), "the three buffers not picked");
            Sockets.writeAll(pair[0], sent);
            ring.getSqe().prepRecv(pair[1], 0, 32, 0).bufferSelect(BGID).userData(4);
            assertEquals(-Errno.ENOBUFS, cqes.expect(4).res(), "none left");
        } finally {
            Sockets.close(pair);
        }
    }
}
