package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.Iovec;
import dev.uring4j.ring.sys.Msghdr;
import dev.uring4j.ring.sys.SockAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Datagrams through the ring: {@code sendmsg} gathering two buffers to an address,
 * {@code recvmsg} learning the sender, {@code sendto}, and {@code sendmsg_zc} with its
 * notification.
 */
class SendmsgTest {
    /** A msghdr naming {@code name} (may be NULL) and the buffers {@code parts}. */
    private static MemorySegment msghdr(Arena arena, MemorySegment name, int nameLen, MemorySegment... parts) {
        MemorySegment iov = arena.allocate(Iovec.LAYOUT, parts.length);
        for (int i = 0; i < parts.length; i++) {
            iov.set(JAVA_LONG, i * Iovec.LAYOUT.byteSize() + Iovec.OFFSET_iov_base, parts[i].address());
            iov.set(JAVA_LONG, i * Iovec.LAYOUT.byteSize() + Iovec.OFFSET_iov_len, parts[i].byteSize());
        }
        MemorySegment msg = arena.allocate(Msghdr.LAYOUT);
        msg.set(JAVA_LONG, Msghdr.OFFSET_msg_name, name.address());
        msg.set(JAVA_INT, Msghdr.OFFSET_msg_namelen, nameLen);
        msg.set(JAVA_LONG, Msghdr.OFFSET_msg_iov, iov.address());
        msg.set(JAVA_LONG, Msghdr.OFFSET_msg_iovlen, parts.length);
        return msg;
    }

    private static int address(MemorySegment out, int port) {
        return SockAddr.write(out, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendmsgGathersToAnAddressAndRecvmsgNamesTheSender(RingConfig config) throws Exception {
        config.assumeSupported();
        int receiver = Sockets.udp();
        int sender = Sockets.udp();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment from = arena.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment in = arena.allocate(64);
            MemorySegment recv = msghdr(arena, from, SockAddr.SIZEOF_STORAGE, in);
            ring.getSqe().prepRecvmsg(receiver, recv.address(), 0).userData(1);

            byte[] head = Sockets.pattern(7, 1);
            byte[] body = Sockets.pattern(20, 2);
            MemorySegment to = arena.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment send = msghdr(arena, to, address(to, Sockets.port(receiver)),
                    arena.allocateFrom(JAVA_BYTE, head), arena.allocateFrom(JAVA_BYTE, body));
            ring.getSqe().prepSendmsg(sender, send.address(), 0).userData(2);

            for (Completion c : cqes.take(2)) {
                assertEquals(head.length + body.length, c.res(), c::toString);
            }
            byte[] expected = new byte[head.length + body.length];
            System.arraycopy(head, 0, expected, 0, head.length);
            System.arraycopy(body, 0, expected, head.length, body.length);
            assertArrayEquals(expected, Bytes.of(in, 0, expected.length), "one datagram, both parts in order");
            assertEquals(SockAddr.SIZEOF_IN, recv.get(JAVA_INT, Msghdr.OFFSET_msg_namelen), "the kernel wrote the length");
            assertEquals(Sockets.port(sender), SockAddr.read(from).getPort(), "recvmsg names the sender");
        } finally {
            Sockets.close(receiver, sender);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendtoAddressesAnUnconnectedSocket(RingConfig config) throws Exception {
        config.assumeSupported();
        // IORING_OP_SEND took a destination address in the release that brought IORING_OP_SEND_ZC.
        assumeTrue(Probe.current().supports(Probe.Feature.SEND_ZC),
                () -> "sendto through the ring needs Linux 6.0; this kernel is " + Probe.current().kernelRelease());
        int receiver = Sockets.udp();
        int sender = Sockets.udp();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            byte[] sent = Sockets.pattern(33, 3);
            MemorySegment to = arena.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment buf = arena.allocateFrom(JAVA_BYTE, sent);
            ring.getSqe().prepSendto(sender, buf.address(), sent.length, 0, to.address(),
                    address(to, Sockets.port(receiver))).userData(1);
            assertEquals(sent.length, cqes.expect(1).res());
            MemorySegment in = arena.allocate(64);
            ring.getSqe().prepRecv(receiver, in.address(), 64, 0).userData(2);
            assertEquals(sent.length, cqes.expect(2).res());
            assertArrayEquals(sent, Bytes.of(in, 0, sent.length));
        } finally {
            Sockets.close(receiver, sender);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendmsgZcDeliversAndNotifies(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SENDMSG_ZC);
        int receiver = Sockets.udp();
        int sender = Sockets.udp();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            byte[] sent = Sockets.pattern(1000, 5);
            MemorySegment to = arena.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment msg = msghdr(arena, to, address(to, Sockets.port(receiver)), arena.allocateFrom(JAVA_BYTE, sent));
            ring.getSqe().prepSendmsgZc(sender, msg.address(), 0).userData(1);
            Completion result = cqes.expect(1);
            Completion notif = cqes.expect(1);
            if (Cqe.notif(result.flags())) {
                Completion t = result;
                result = notif;
                notif = t;
            }
            assertEquals(sent.length, result.res());
            assertTrue(result.more() && Cqe.notif(notif.flags()) && !notif.more(), result + " then " + notif);
            MemorySegment in = arena.allocate(2000);
            ring.getSqe().prepRecv(receiver, in.address(), 2000, 0).userData(2);
            assertEquals(sent.length, cqes.expect(2).res());
            assertArrayEquals(sent, Bytes.of(in, 0, sent.length));
        } finally {
            Sockets.close(receiver, sender);
        }
    }
}
