package dev.uring4j.ring;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_INC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incremental buffer consumption ({@code IOU_PBUF_RING_INC}, 6.12): the kernel fills one buffer
 * across several receives, flagging {@code IORING_CQE_F_BUF_MORE} while it keeps it, and
 * {@link BufferRing#consumeIncremental} tells where each completion's bytes start.
 */
class BufRingIncrementalTest {
    private static final int BGID = 9;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void smallArrivalsShareOneBufferUntilItIsFull(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.PBUF_RING_INC);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 2, 32, IOU_PBUF_RING_INC)) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepRecvMultishot(pair[1], 0, 0, 0).bufferSelect(BGID).userData(1);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            List<int[]> placements = new ArrayList<>();
            for (int len : new int[] {10, 10, 20}) {
                byte[] chunk = Sockets.pattern(len, sent.size());
                Sockets.writeAll(pair[0], chunk);
                sent.writeBytes(chunk);
                while (received.size() < sent.size()) {
                    Completion c = cqes.expect(1);
                    assertTrue(c.res() > 0 && c.more(), () -> "an arrival: " + c);
                    int bid = c.bufferId();
                    int start = buffers.consumeIncremental(bid, c.res(), c.flags());
                    placements.add(new int[] {bid, start, c.res(), Cqe.bufMore(c.flags()) ? 1 : 0});
                    received.writeBytes(Bytes.of(buffers, bid, start, c.res()));
                    if (!Cqe.bufMore(c.flags())) {
                        buffers.recycle(bid);
                    }
                }
            }
            assertArrayEquals(sent.toByteArray(), received.toByteArray(), "the stream reassembled from the offsets");

            int first = placements.get(0)[0];
            assertEquals(List.of(first, 0, 10, 1), asList(placements.get(0)), "10 bytes at the start, buffer kept");
            assertEquals(List.of(first, 10, 10, 1), asList(placements.get(1)), "the next 10 right after them");
            assertEquals(List.of(first, 20, 12, 0), asList(placements.get(2)), "12 fill the buffer, which is handed back");
            int[] last = placements.get(3);
            assertTrue(last[0] != first && last[1] == 0 && last[2] == 8, "the other 8 start the next buffer");
            assertEquals(1, last[3], "which the kernel keeps (IORING_CQE_F_BUF_MORE)");
            cqes.quiesce();
        } finally {
            Sockets.close(pair);
        }
    }

    private static List<Integer> asList(int[] placement) {
        return List.of(placement[0], placement[1], placement[2], placement[3]);
    }
}
