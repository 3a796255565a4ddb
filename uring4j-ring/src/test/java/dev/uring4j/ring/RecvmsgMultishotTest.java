package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Msghdr;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.ring.uapi.IoUringRecvmsgOut;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multishot recvmsg on a UDP socket (the game-server case): each datagram lands in a provided
 * buffer laid out as {@code io_uring_recvmsg_out}, then the sender's address in the room
 * {@code msg_namelen} reserved, then the payload; a datagram too big for the buffer is cut and
 * says so ({@code MSG_TRUNC} in the header's flags, and, asked for with {@code MSG_TRUNC}, its full
 * length in {@code payloadlen}).
 */
class RecvmsgMultishotTest {
    private static final int BGID = 13;
    private static final int BUFFER = 256;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void eachDatagramArrivesWithItsSenderAndLength(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.RECVMSG_MULTISHOT, Probe.Feature.PBUF_RING);
        int receiver = Sockets.udp();
        int sender = Sockets.udp();
        try (Arena arena = Arena.ofConfined();
             IoUring ring = config.builder().entries(4).build();
             BufferRing buffers = BufferRing.register(ring, BGID, 8, BUFFER, 0)) {
            Completions cqes = new Completions(ring);
            MemorySegment msghdr = arena.allocate(Msghdr.LAYOUT);
            msghdr.set(JAVA_INT, Msghdr.OFFSET_msg_namelen, SockAddr.SIZEOF_IN);
            // MSG_TRUNC asks, as for recvmsg(2), for the datagram's real length even when it was cut.
            ring.getSqe().prepRecvmsgMultishot(receiver, msghdr.address(), LibC.MSG_TRUNC).bufferSelect(BGID)
                    .userData(1);
            cqes.assertNoneWithin(20);

            int header = (int) IoUringRecvmsgOut.LAYOUT.byteSize();
            int payloadRoom = BUFFER - header - SockAddr.SIZEOF_IN;
            for (int size : new int[] {10, 50, 300}) {
                byte[] datagram = Sockets.pattern(size, size);
                Sockets.sendTo(sender, Sockets.port(receiver), datagram);
                Completion c = cqes.expect(1);
                assertTrue(c.more(), () -> "still armed: " + c);
                MemorySegment out = buffers.buffers().asSlice((long) c.bufferId() * BUFFER, BUFFER);
                int kept = Math.min(size, payloadRoom);
                assertEquals(header + SockAddr.SIZEOF_IN + kept, c.res(), "header, name and payload used the buffer");
                assertEquals(SockAddr.SIZEOF_IN, out.get(JAVA_INT, IoUringRecvmsgOut.OFFSET_namelen));
                assertEquals(0, out.get(JAVA_INT, IoUringRecvmsgOut.OFFSET_controllen));
                assertEquals(size, out.get(JAVA_INT, IoUringRecvmsgOut.OFFSET_payloadlen), "the datagram's real length");
                int flags = out.get(JAVA_INT, IoUringRecvmsgOut.OFFSET_flags);
                assertEquals(size > payloadRoom ? LibC.MSG_TRUNC : 0, flags & LibC.MSG_TRUNC, "MSG_TRUNC iff cut");
                assertEquals(Sockets.port(sender), SockAddr.read(out.asSlice(header)).getPort(), "the sender");
                assertArrayEquals(java.util.Arrays.copyOf(datagram, kept),
                        Bytes.of(out, header + SockAddr.SIZEOF_IN, kept), "the payload after the name");
                buffers.recycle(c.bufferId());
            }
            cqes.quiesce();
        } finally {
            Sockets.close(receiver, sender);
        }
    }
}
