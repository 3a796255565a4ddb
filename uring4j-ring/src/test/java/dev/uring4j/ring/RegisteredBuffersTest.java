package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_FIXED_BUF;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.api.Test;

/**
 * Registered (fixed) buffers ({@code io_uring_register_buffers}): memory pinned once and named by
 * index, here by a zero-copy send with {@code IORING_RECVSEND_FIXED_BUF}.
 */
class RegisteredBuffersTest {

    private static Completion sendFixed(IoUring ring, Completions cqes, int fd, MemorySegment buf, int len, int index) {
        ring.getSqe().prepSendZc(fd, buf.address(), len, 0, IORING_RECVSEND_FIXED_BUF).bufIndex(index).userData(1);
        Completion result = cqes.expect(1);
        if (result.more()) {
            assertTrue(Cqe.notif(cqes.expect(1).flags()), "the notification follows");
        }
        return result;
    }

    @Test
    void aSendFromTheSecondRegisteredBufferSendsItsBytes() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.SEND_ZC);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            byte[] first = Sockets.pattern(4096, 1);
            byte[] second = Sockets.pattern(8192, 2);
            MemorySegment a = arena.allocateFrom(JAVA_BYTE, first);
            MemorySegment b = arena.allocateFrom(JAVA_BYTE, second);
            ring.registerBuffers(a, b);

            // A slice of buffer 1: the address must fall inside the registered range of that index.
            assertEquals(100, sendFixed(ring, cqes, pair[0], b.asSlice(50), 100, 1).res());
            assertArrayEquals(java.util.Arrays.copyOfRange(second, 50, 150), Sockets.readFully(pair[1], 100));

            Completion outside = sendFixed(ring, cqes, pair[0], b, 100, 0);
            assertEquals(-Errno.EFAULT, outside.res(), () -> "buffer 1's address is not inside buffer 0: " + outside);

            ring.unregisterBuffers();
            Completion gone = sendFixed(ring, cqes, pair[0], a, 100, 0);
            assertTrue(gone.res() < 0, () -> "no registered buffers any more: " + gone);
        } finally {
            Sockets.close(pair);
        }
    }

    @Test
    void heapMemoryIsRefusedBeforeTheKernelSeesIt() throws Exception {
        RingConfig.DEFAULT.assumeSupported();
        try (IoUring ring = IoUring.setup(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ring.registerBuffers(MemorySegment.ofArray(new byte[4096])));
            assertTrue(e.getMessage().contains("Java heap"), e::getMessage);
        }
    }
}
