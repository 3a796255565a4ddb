package dev.uring4j.ring;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Send bundles ({@code io_uring_prep_send_bundle}, 6.10): one send takes the filled buffers of a
 * group in ring order and transmits them all, an output queue without a copy.
 */
class SendBundleTest {
    private static final int BGID = 23;
    private static final int SIZE = 16;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void oneSendTransmitsTheGroupsBuffersInRingOrder(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECVSEND_BUNDLE);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 4, SIZE, 0)) {
            Completions cqes = new Completions(ring);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int bid = 0; bid < 4; bid++) {
                byte[] part = Sockets.pattern(SIZE, 10 * bid);
                Bytes.put(buffers, bid, part);
                expected.writeBytes(part);
            }
            ring.getSqe().prepSendBundle(pair[0], 0, 0).bufferSelect(BGID).userData(1);
            Completion c = cqes.expect(1);
            assertEquals(4 * SIZE, c.res(), () -> "every buffer of the group sent: " + c);
            assertEquals(0, c.bufferId(), "the bundle starts at the ring's head");
            assertArrayEquals(expected.toByteArray(), Sockets.readFully(pair[1], 4 * SIZE));
        } finally {
            Sockets.close(pair);
        }
    }
}
