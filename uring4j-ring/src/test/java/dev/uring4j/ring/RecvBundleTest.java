package dev.uring4j.ring;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Receive bundles ({@code IORING_RECVSEND_BUNDLE}, 6.10): one completion covers several provided
 * buffers taken from consecutive ring positions. Buffers are handed back in reverse, so the ids at
 * those positions stop being consecutive and only {@link BufferRing#bundleBid} can name them.
 */
class RecvBundleTest {
    private static final int BGID = 11;
    private static final int SIZE = 16;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void oneCompletionCoversSeveralBuffersInRingOrder(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECVSEND_BUNDLE);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 8, SIZE, 0)) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepRecvMultishotBundle(pair[1], 0).bufferSelect(BGID).userData(1);
            boolean sawBundle = false;
            for (int len : new int[] {64, 128}) {
                byte[] sent = Sockets.pattern(len, len);
                Sockets.writeAll(pair[0], sent);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                List<Integer> used = new ArrayList<>();
                while (received.size() < len) {
                    Completion c = cqes.expect(1);
                    assertTrue(c.res() > 0 && c.more(), () -> "an arrival: " + c);
                    int count = buffers.bundleCount(c.res());
                    sawBundle |= count > 1;
                    for (int k = 0, left = c.res(); k < count; k++, left -= SIZE) {
                        int bid = buffers.bundleBid(c.bufferId(), k);
                        received.writeBytes(Bytes.of(buffers, bid, 0, Math.min(SIZE, left)));
                        used.add(bid);
                    }
                }
                assertArrayEquals(sent, received.toByteArray(), len + " bytes, buffer after buffer, in order");
                for (int i = used.size() - 1; i >= 0; i--) {
                    buffers.recycle(used.get(i));
                }
            }
            assertTrue(sawBundle, "at least one completion spanned several buffers");
            cqes.quiesce();
        } finally {
            Sockets.close(pair);
        }
    }
}
