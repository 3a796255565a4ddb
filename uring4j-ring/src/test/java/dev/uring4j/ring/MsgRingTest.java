package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_BUFFER_SHIFT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_BUFFER;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ring messages (reference page, "Ring messages"): 8 bytes of data and a result posted from one
 * ring into another's CQ, and a direct descriptor handed from an acceptor ring to a worker ring.
 * Each ring lives on its own thread, as the runtime's event loops do.
 */
class MsgRingTest {
    /** Sends {@code count} messages (data {@code base + i}, res {@code i}) and asserts the sender saw each succeed. */
    private static void send(RingThread sender, int targetFd, int count, long base) throws Exception {
        sender.call((ring, cqes) -> {
            for (int i = 0; i < count; i++) {
                Sqe sqe = ring.getSqe();
                assertNotNull(sqe, "the sender's SQ holds the batch");
                sqe.prepMsgRing(targetFd, i, base + i, 0).userData(i);
            }
            for (Completion c : cqes.take(count)) {
                assertEquals(0, c.res(), () -> "the sender's completion: " + c);
            }
            return null;
        });
    }

    private static void assertMessages(List<Completion> received, int count, long base) {
        assertEquals(count, received.size());
        for (int i = 0; i < count; i++) {
            Completion c = received.get(i);
            assertEquals(base + i, c.userData(), () -> "messages arrive in order: " + received);
            assertEquals(i, c.res(), () -> "the message's res: " + c);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void dataReachesTheOtherRingInOrder(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MSG_RING);
        try (RingThread sender = RingThread.start("sender", config.builder().entries(8));
             RingThread target = RingThread.start("target", config.builder().entries(8))) {
            send(sender, target.fd(), 5, 0xC0FFEE00L);
            assertMessages(target.call((ring, cqes) -> cqes.take(5)), 5, 0xC0FFEE00L);
        }
    }

    /**
     * {@code io_uring_prep_msg_ring_cqe_flags}: the target's completion carries the flags the
     * sender chose, here a buffer id, as a loop handing a filled buffer to another would.
     */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aMessageCanCarryCqeFlags(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MSG_RING_CQE_FLAGS);
        int flags = 42 << IORING_CQE_BUFFER_SHIFT | IORING_CQE_F_BUFFER;
        try (RingThread sender = RingThread.start("sender", config.builder().entries(8));
             RingThread target = RingThread.start("target", config.builder().entries(8))) {
            int targetFd = target.fd();
            sender.call((ring, cqes) -> {
                ring.getSqe().prepMsgRingCqeFlags(targetFd, 7, 0xFEEDL, 0, flags).userData(1);
                assertEquals(0, cqes.expect(1).res());
                return null;
            });
            Completion c = target.call((ring, cqes) -> cqes.expect(0xFEEDL));
            assertEquals(7, c.res());
            assertEquals(flags, c.flags(), () -> "flags passed through: " + c);
            assertEquals(42, c.bufferId());
        }
    }

    /** A target whose CQ is too small: it holds 4, and 8 messages arrive before it reaps. */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aTargetWithAFullCqStillGetsEveryMessageInOrder(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MSG_RING);
        try (RingThread sender = RingThread.start("sender", config.builder().entries(8));
             RingThread target = RingThread.start("target", config.builder().entries(4).cqEntries(4))) {
            send(sender, target.fd(), 8, 0x5EED00L);
            boolean overflowed = target.call((ring, cqes) -> {
                ring.getEvents();
                return ring.cqHasOverflow();
            });
            assertTrue(overflowed, "the messages did not fit the target's CQ");
            assertMessages(target.call((ring, cqes) -> cqes.take(8)), 8, 0x5EED00L);
            int dropped = target.call((ring, cqes) -> ring.cq().overflow());
            assertEquals(0, dropped, "nothing dropped");
        }
    }

    /**
     * The acceptor pattern of the reference page: a multishot accept into direct descriptors on
     * one ring, each connection passed to a worker ring, which then owns it alone.
     */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aDirectDescriptorPassedToAWorkerRingServesTheConnection(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MSG_RING_FD, Probe.Feature.ACCEPT_DIRECT);
        int listener = Sockets.listener();
        int client = -1;
        try (Arena arena = Arena.ofShared();
             RingThread acceptor = RingThread.start("acceptor", config.builder().entries(8));
             RingThread worker = RingThread.start("worker", config.builder().entries(8))) {
            acceptor.call((ring, cqes) -> {
                ring.registerFilesSparse(8);
                ring.getSqe().prepMultishotAcceptDirect(listener, 0, 0, 0).userData(1);
                return ring.submit();
            });
            worker.call((ring, cqes) -> {
                ring.registerFilesSparse(8);
                return null;
            });
            client = Sockets.connect(Sockets.port(listener));
            byte[] hello = Sockets.pattern(11, 8);
            Sockets.writeAll(client, hello);

            int workerFd = worker.fd();
            acceptor.call((ring, cqes) -> {
                Completion accepted = cqes.expect(1);
                assertTrue(accepted.res() >= 0 && accepted.more(), () -> "accepted into a slot: " + accepted);
                ring.getSqe().prepMsgRingFdAlloc(workerFd, accepted.res(), 0xF00DL, 0).userData(2);
                Completion passed = cqes.expect(2);
                assertTrue(passed.res() >= 0, () -> "passed to the worker: " + passed);
                // The acceptor lets go; the worker's slot holds its own reference.
                ring.getSqe().prepCloseDirect(accepted.res()).userData(3);
                assertEquals(0, cqes.expect(3).res());
                return null;
            });

            MemorySegment buf = arena.allocate(64);
            byte[] reply = Sockets.pattern(7, 9);
            MemorySegment out = arena.allocateFrom(JAVA_BYTE, reply);
            worker.call((ring, cqes) -> {
                Completion arrived = cqes.expect(0xF00DL);
                int slot = arrived.res();
                assertTrue(slot >= 0, () -> "installed in a worker slot: " + arrived);
                ring.getSqe().prepRecv(slot, buf.address(), 64, 0).fixedFile().userData(4);
                assertEquals(hello.length, cqes.expect(4).res());
                ring.getSqe().prepSend(slot, out.address(), reply.length, 0).fixedFile().userData(5);
                assertEquals(reply.length, cqes.expect(5).res());
                return null;
            });
            assertArrayEquals(hello, Bytes.of(buf, 0, hello.length), "the worker received the client's bytes");
            assertArrayEquals(reply, Sockets.readFully(client, reply.length), "the client got the worker's reply");
        } finally {
            Sockets.close(client);
            Sockets.close(listener);
        }
    }
}
