package dev.uring4j.ring;

import java.io.ByteArrayOutputStream;

import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_MMAP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ring-mapped provided buffers ({@code IORING_REGISTER_PBUF_RING}, reference page "Provided
 * buffers"), with ring memory of our own or mapped from the kernel ({@code IOU_PBUF_RING_MMAP}):
 * buffers go to the kernel, come back named in completions, and are handed back again.
 */
class BufRingTest {
    private static final int BGID = 7;

    private static Probe.Feature memoryFeature(int flags) {
        return (flags & IOU_PBUF_RING_MMAP) != 0 ? Probe.Feature.PBUF_RING_MMAP : Probe.Feature.PBUF_RING;
    }

    /**
     * 40 receives through a 4-buffer ring, each buffer given back together with its completion
     * ({@code io_uring_buf_ring_cq_advance}), so the ring wraps ten times; the head the kernel
     * reports follows every consumption.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, IOU_PBUF_RING_MMAP})
    void buffersCirculateBetweenKernelAndApplication(int flags) throws Exception {
        RingConfig.DEFAULT.assumeSupported(memoryFeature(flags), Probe.Feature.RECV_MULTISHOT, Probe.Feature.PBUF_STATUS);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = IoUring.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 4, 32, flags)) {
            assertEquals(4, buffers.available(), "all buffers handed to the kernel at registration");
            assertEquals(0, buffers.kernelHead());
            ring.getSqe().prepRecvMultishot(pair[1], 0, 0, 0).bufferSelect(BGID).userData(1);
            ring.submit();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            for (int i = 0; i < 40; i++) {
                byte[] chunk = Sockets.pattern(1 + i % 32, i);
                Sockets.writeAll(pair[0], chunk);
                sent.writeBytes(chunk);
                while (ring.cqReady() == 0) {
                    assertTrue(ring.submitAndWait(1, Completions.DEADLINE_NS) >= 0);
                }
                int res = ring.cq().res(0);
                int cqeFlags = ring.cq().flags(0);
                assertTrue(res > 0 && Cqe.more(cqeFlags), () -> "arrival " + res + " " + FlagNames.cqe(cqeFlags));
                assertEquals(3, buffers.available(), "one buffer is the application's until given back");
                assertEquals((i + 1) & 0xFFFF, buffers.kernelHead(), "the kernel consumed one more");
                int bid = Cqe.bufferId(cqeFlags);
                assertTrue(buffers.isValidBid(bid));
                received.writeBytes(Bytes.of(buffers, bid, 0, res));
                buffers.add(bid, 0);
                buffers.cqAdvance(ring, 1, 1);
                assertEquals(0, ring.cqReady());
                assertEquals(4, buffers.available());
            }
            assertArrayEquals(sent.toByteArray(), received.toByteArray());
            new Completions(ring).quiesce();
        } finally {
            Sockets.close(pair);
        }
    }

    @Test
    void aGroupIdCanBeRegisteredOnlyOnce() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.PBUF_RING);
        try (IoUring ring = IoUring.setup(4); BufferRing first = BufferRing.register(ring, BGID, 4, 32, 0)) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> BufferRing.register(ring, BGID, 4, 32, 0));
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(e.getMessage().contains("IORING_REGISTER_PBUF_RING") && e.getMessage().contains("EEXIST")
                    && e.getMessage().contains("buffer group " + BGID + " is already registered"), e::getMessage);
        }
    }

    @Test
    void closeUnregistersTheGroupSoItsIdIsFreeAgain() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.PBUF_RING);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            BufferRing.register(ring, BGID, 4, 32, 0).close();
            Sockets.writeAll(pair[0], new byte[] {1, 2, 3});
            ring.getSqe().prepRecv(pair[1], 0, 0, 0).bufferSelect(BGID).userData(1);
            Completion c = cqes.expect(1);
            assertEquals(-Errno.ENOBUFS, c.res(), () -> "no group to select from: " + c);
            try (BufferRing again = BufferRing.register(ring, BGID, 4, 32, 0)) {
                ring.getSqe().prepRecv(pair[1], 0, 0, 0).bufferSelect(BGID).userData(2);
                Completion d = cqes.expect(2);
                assertEquals(3, d.res(), () -> "the re-registered group serves: " + d);
            }
        } finally {
            Sockets.close(pair);
        }
    }
}
