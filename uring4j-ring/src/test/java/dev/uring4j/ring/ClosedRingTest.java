package dev.uring4j.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * After {@code close()} the ring's mappings are gone, and every handle that still points into them
 * (an SQE flyweight, the queues, a buffer group) must refuse to touch them with an
 * {@link IllegalStateException} rather than read or write unmapped memory, which would crash the
 * JVM (the binding writes through one constant segment and checks each handle's address itself).
 */
class ClosedRingTest {

    @BeforeEach
    void needsIoUring() {
        RingConfig.DEFAULT.assumeSupported();
    }

    private static void assertRefused(Executable access) {
        IllegalStateException e = assertThrows(IllegalStateException.class, access);
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("unmapped"), e::getMessage);
    }

    @Test
    void aStaleSqeRefusesEveryWrite() throws Exception {
        IoUring ring = IoUring.setup(4);
        Sqe sqe = ring.getSqe().prepNop();
        ring.close();
        assertRefused(sqe::prepNop);
        assertRefused(() -> sqe.userData(1));
        assertRefused(() -> sqe.flags(0));
        assertRefused(sqe::userData);
        assertRefused(() -> ring.getSqe().prepNop());
    }

    @Test
    void theQueuesRefuseEveryAccess() throws Exception {
        IoUring ring = IoUring.setup(4);
        ring.close();
        assertRefused(ring::submit);
        assertRefused(() -> ring.forEachCqe((userData, res, flags) -> {}));
        assertRefused(ring::cqReady);
        assertRefused(() -> ring.cqAdvance(0));
        assertRefused(ring::cqHasOverflow);
        assertRefused(() -> ring.sq().dropped());
    }

    @Test
    void aHandlerThatClosesTheRingEndsTheDrain() throws Exception {
        IoUring ring = IoUring.setup(4);
        for (int i = 0; i < 3; i++) {
            ring.getSqe().prepNop().userData(i);
        }
        assertEquals(3, ring.submitAndWait(3));
        assertEquals(3, ring.cqReady());
        int[] seen = {0};
        int drained = ring.forEachCqe((userData, res, flags) -> {
            seen[0]++;
            ring.close();
        });
        assertEquals(1, drained, "the drain stopped at the completion whose handler closed the ring");
        assertEquals(1, seen[0]);
        assertTrue(ring.isClosed());
    }

    @Test
    void aClosedBufferGroupRefusesEveryAccess() throws Exception {
        try (IoUring ring = IoUring.setup(4)) {
            BufferRing buffers = BufferRing.register(ring, 1, 4, 64, 0);
            buffers.close();
            assertRefused(() -> buffers.recycle(0));
            assertRefused(() -> buffers.add(0, 0));
            assertRefused(() -> buffers.advance(1));
            assertRefused(() -> buffers.bundleBid(0, 1));
        }
    }
}
