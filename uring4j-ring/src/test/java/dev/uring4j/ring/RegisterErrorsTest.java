package dev.uring4j.ring;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration that cannot succeed fails with an exception naming the register opcode, the errno
 * and what to do, and leaves the ring as it was: registering twice, passing a closed fd, using a
 * ring after {@code close()}.
 */
class RegisterErrorsTest {

    @BeforeEach
    void needsIoUring() {
        RingConfig.DEFAULT.assumeSupported();
    }

    private static void assertNames(ErrnoException e, int errno, String... words) {
        String m = e.getMessage();
        assertEquals(errno, e.errno(), m);
        assertTrue(m.contains(Errno.name(errno)), m);
        for (String w : words) {
            assertTrue(m.contains(w), () -> "\"" + w + "\" missing from: " + m);
        }
    }

    @Test
    void registeringAFileTableTwice() throws Exception {
        try (IoUring ring = IoUring.setup(4)) {
            ring.registerFilesSparse(4);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerFilesSparse(8));
            assertNames(e, Errno.EBUSY, "io_uring_register(IORING_REGISTER_FILES2)", "unregister it first");
            ring.unregisterFiles();
            ring.registerFilesSparse(8);
        }
    }

    @Test
    void registeringBuffersTwice() throws Exception {
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(4)) {
            ring.registerBuffers(arena.allocate(4096, 4096));
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerBuffers(arena.allocate(4096, 4096)));
            assertNames(e, Errno.EBUSY, "io_uring_register(IORING_REGISTER_BUFFERS)", "unregister it first");
            ring.unregisterBuffers();
        }
    }

    @Test
    void registeringTheRingFdTwiceFromOneThread() throws Exception {
        try (IoUring ring = IoUring.builder().entries(4).registerRingFd(true).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, ring::registerRingFd);
            assertTrue(e.getMessage().contains("already registered by " + Thread.currentThread().getName()),
                    e::getMessage);
            assertTrue(ring.isRingFdRegistered());
        }
    }

    @Test
    void aClosedFdIsNamedAsNotOpen() throws Exception {
        int fd = Sockets.check(LibC.eventfd(0, LibC.EFD_CLOEXEC), "eventfd");
        Sockets.close(fd);
        try (IoUring ring = IoUring.setup(4)) {
            ring.registerFilesSparse(4);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerFilesUpdate(0, fd));
            assertNames(e, Errno.EBADF, "io_uring_register(IORING_REGISTER_FILES_UPDATE)", "is not open");
        }
    }

    /**
     * A closed ring's fd number is soon reused, here by the next ring: registering through the old
     * object must fail, not register on whatever now has that number.
     */
    @Test
    void aClosedRingRefusesInsteadOfReachingTheFdsNextOwner() throws Exception {
        IoUring old = IoUring.setup(4);
        old.close();
        try (IoUring next = IoUring.setup(4)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> old.registerFilesSparse(4));
            assertTrue(e.getMessage().contains("closed ring"), e::getMessage);
            next.registerFilesSparse(4);
        }
    }
}
