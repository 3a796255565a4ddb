package dev.uring4j.ring;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multishot receive with a ring of provided buffers (reference page, "Multi-shot" and "Provided
 * buffers"): armed once, one completion per arrival into a buffer the kernel picks, and the
 * {@code -ENOBUFS} end without {@code IORING_CQE_F_MORE} when the group runs dry.
 */
class RecvMultishotTest {
    private static final int BGID = 3;
    private static final long RECV = 1;

    private static void armRecv(IoUring ring, int fd) {
        ring.getSqe().prepRecvMultishot(fd, 0, 0, 0).bufferSelect(BGID).userData(RECV);
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void oneCompletionPerArrivalUntilEof(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECV_MULTISHOT, Probe.Feature.PBUF_RING);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(8).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 8, 256, 0)) {
            Completions cqes = new Completions(ring);
            armRecv(ring, pair[1]);
            cqes.assertNoneWithin(50);
            for (int i = 0; i < 3; i++) {
                byte[] sent = Sockets.pattern(100 + i, i);
                Sockets.writeAll(pair[0], sent);
                Completion c = cqes.expect(RECV);
                assertEquals(sent.length, c.res(), () -> "one completion for the whole arrival: " + c);
                assertTrue(c.more(), () -> "still armed after arrival " + c);
                assertArrayEquals(sent, Bytes.of(buffers, c.bufferId(), 0, c.res()));
                buffers.recycle(c.bufferId());
            }
            LibC.shutdown(pair[0], LibC.SHUT_WR);
            Completion eof = cqes.expect(RECV);
            assertEquals(0, eof.res(), () -> "EOF ends the receive: " + eof);
            assertFalse(eof.more(), () -> "nothing follows EOF: " + eof);
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void runsDryWithEnobufsThenResumesAfterRefillLosingNothing(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECV_MULTISHOT, Probe.Feature.PBUF_RING);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(8).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 2, 16, 0)) {
            Completions cqes = new Completions(ring);
            byte[] sent = Sockets.pattern(64, 7);
            Sockets.writeAll(pair[0], sent);
            ByteArrayOutputStream received = new ByteArrayOutputStream();

            armRecv(ring, pair[1]);
            for (Completion c : cqes.take(2)) {
                assertEquals(16, c.res(), () -> "each buffer filled: " + c);
                assertTrue(c.more(), () -> "armed while buffers last: " + c);
                received.writeBytes(Bytes.of(buffers, c.bufferId(), 0, c.res()));
            }
            Completion dry = cqes.expect(RECV);
            assertEquals(-Errno.ENOBUFS, dry.res(), () -> "both buffers used, 32 bytes still queued: " + dry);
            assertFalse(dry.more(), () -> "-ENOBUFS ends the multishot: " + dry);
            cqes.assertNoneWithin(50);

            buffers.recycle(0);
            buffers.recycle(1);
            armRecv(ring, pair[1]);
            while (received.size() < sent.length) {
                Completion c = cqes.expect(RECV);
                assertTrue(c.res() > 0 && c.more(), () -> "re-armed receive resumes: " + c);
                received.writeBytes(Bytes.of(buffers, c.bufferId(), 0, c.res()));
            }
            assertArrayEquals(sent, received.toByteArray(), "every byte once, in order, across the -ENOBUFS");
            cqes.quiesce();
        } finally {
            Sockets.close(pair);
        }
    }
}
