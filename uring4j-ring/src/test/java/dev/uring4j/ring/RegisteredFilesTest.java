package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_FD_FIXED;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FIXED_FD_NO_CLOEXEC;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.api.Test;

/**
 * Registered files, the direct descriptors the runtime keeps connections in: a sparse table,
 * slots filled and cleared with {@code registerFilesUpdate}, turned back into a normal fd with
 * {@code IORING_OP_FIXED_FD_INSTALL}, freed with {@code close_direct}, allocated from a range.
 */
class RegisteredFilesTest {
    private static final int SLOT = 2;
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;

    /** Receives on direct descriptor {@code slot} and returns the result. */
    private static Completion recvOnSlot(IoUring ring, Completions cqes, int slot, MemorySegment buf, long userData) {
        ring.getSqe().prepRecv(slot, buf.address(), (int) buf.byteSize(), 0).fixedFile().userData(userData);
        return cqes.expect(userData);
    }

    @Test
    void aSlotKeepsTheSocketAfterItsFdIsClosedUntilCloseDirect() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.ACCEPT_DIRECT);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            assertEquals(1, ring.registerFilesUpdate(SLOT, pair[1]));
            Sockets.close(pair[1]);
            pair[1] = -1;

            byte[] sent = Sockets.pattern(9, 1);
            Sockets.writeAll(pair[0], sent);
            MemorySegment buf = arena.allocate(64);
            assertEquals(sent.length, recvOnSlot(ring, cqes, SLOT, buf, 1).res(), "the slot holds the socket");
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));

            ring.getSqe().prepCloseDirect(SLOT).userData(2);
            assertEquals(0, cqes.expect(2).res());
            assertEquals(-Errno.EBADF, recvOnSlot(ring, cqes, SLOT, buf, 3).res(), "the slot is empty");
            assertEquals(0, LibC.read(pair[0], buf, 1), "the last reference went, the peer sees EOF");
        } finally {
            Sockets.close(pair);
        }
    }

    @Test
    void updatingASlotToMinusOneClearsIt() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.ACCEPT_DIRECT);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            ring.registerFilesUpdate(SLOT, pair[0], pair[1]);
            assertEquals(1, ring.registerFilesUpdate(SLOT + 1, -1));
            MemorySegment buf = arena.allocate(8);
            assertEquals(-Errno.EBADF, recvOnSlot(ring, cqes, SLOT + 1, buf, 1).res());
            Sockets.writeAll(pair[1], new byte[] {5});
            assertEquals(1, recvOnSlot(ring, cqes, SLOT, buf, 2).res(), "the neighbouring slot is untouched");
        } finally {
            Sockets.close(pair);
        }
    }

    @Test
    void fixedFdInstallGivesANormalFdCloseOnExecUnlessAskedOtherwise() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.ACCEPT_DIRECT, Probe.Feature.FIXED_FD_INSTALL);
        int[] pair = Sockets.tcpPair();
        int[] installed = {-1, -1};
        try (IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            ring.registerFilesUpdate(SLOT, pair[1]);
            ring.getSqe().prepFixedFdInstall(SLOT, 0).userData(1);
            ring.getSqe().prepFixedFdInstall(SLOT, IORING_FIXED_FD_NO_CLOEXEC).userData(2);
            installed[0] = cqes.expect(1).res();
            installed[1] = cqes.expect(2).res();
            assertTrue(installed[0] >= 0 && installed[1] >= 0, () -> "fds " + installed[0] + ", " + installed[1]);
            assertEquals(FD_CLOEXEC, LibC.fcntl(installed[0], F_GETFD, 0) & FD_CLOEXEC);
            assertEquals(0, LibC.fcntl(installed[1], F_GETFD, 0) & FD_CLOEXEC);

            byte[] sent = Sockets.pattern(6, 2);
            Sockets.writeAll(installed[0], sent);
            assertArrayEquals(sent, Sockets.readFully(pair[0], sent.length), "the fd is the slot's socket");
        } finally {
            Sockets.close(installed);
            Sockets.close(pair);
        }
    }

    @Test
    void allocationStaysInsideTheRegisteredRange() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.SOCKET, Probe.Feature.FILE_ALLOC_RANGE);
        try (IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            ring.registerFileAllocRange(4, 2);
            for (int i = 0; i < 3; i++) {
                ring.getSqe().prepSocketDirectAlloc(LibC.AF_INET, LibC.SOCK_STREAM, 0, 0).userData(i);
            }
            assertEquals(4, cqes.expect(0).res());
            assertEquals(5, cqes.expect(1).res());
            assertEquals(-Errno.ENFILE, cqes.expect(2).res(), "the range is full though slots 0-3 and 6-7 are free");
        }
    }

    @Test
    void cancelByFixedFdFindsRequestsOnThatSlot() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.ACCEPT_DIRECT, Probe.Feature.CANCEL_ANY);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            ring.registerFilesUpdate(SLOT, pair[1]);
            MemorySegment buf = arena.allocate(8);
            ring.getSqe().prepRecv(SLOT, buf.address(), 8, 0).fixedFile().userData(1);
            ring.submit();
            ring.getSqe().prepCancelFd(SLOT, IORING_ASYNC_CANCEL_FD_FIXED).userData(2);
            for (Completion c : cqes.take(2)) {
                assertEquals(c.userData() == 1 ? -Errno.ECANCELED : 0, c.res(), c::toString);
            }
        } finally {
            Sockets.close(pair);
        }
    }

    /** {@code IORING_OP_FILES_UPDATE} and {@code socket_direct} into a chosen slot: the table changed by SQEs. */
    @Test
    void slotsFilledBySqes() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.SOCKET);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            MemorySegment fds = arena.allocateFrom(JAVA_INT, pair[1]);
            ring.getSqe().prepFilesUpdate(fds.address(), 1, SLOT).userData(1);
            assertEquals(1, cqes.expect(1).res(), "one slot updated");
            Sockets.writeAll(pair[0], new byte[] {9});
            MemorySegment buf = arena.allocate(8);
            assertEquals(1, recvOnSlot(ring, cqes, SLOT, buf, 2).res(), "the slot holds the socket");

            ring.getSqe().prepSocketDirect(LibC.AF_INET, LibC.SOCK_STREAM, 0, 6, 0).userData(3);
            assertEquals(0, cqes.expect(3).res(), "a chosen slot reports 0, not the slot");
            ring.getSqe().prepSocketDirectAlloc(LibC.AF_INET, LibC.SOCK_STREAM, 0, 0).userData(4);
            int allocated = cqes.expect(4).res();
            assertTrue(allocated >= 0 && allocated != SLOT && allocated != 6, () -> "a free slot: " + allocated);
        } finally {
            Sockets.close(pair);
        }
    }
}
