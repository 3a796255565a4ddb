package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;

/**
 * How threads that are not event loops wake an io_uring loop: an eventfd that the loop keeps one
 * read armed on ({@code OP_WAKEUP}). A write to it completes the read, which ends the loop's wait;
 * the loop then re-arms. Posters write only when the loop said it is about to sleep (the handshake
 * in {@code TransportLoop}), so a busy loop sees no wake-up traffic. Other loops wake this one
 * with a ring message instead ({@link UringEventLoop#wakeup()}).
 *
 * <p>The 8-byte read buffer belongs to the loop's arena and lives until the ring is closed.
 */
final class Wakeup {
    /** The eventfd increment, shared read-only by every waking thread. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);
    private static final long USER_DATA = UserData.encode(UserData.OP_WAKEUP, 0, 0);

    private final int eventFd;
    private final MemorySegment buffer;
    private boolean armed;

    Wakeup(Arena arena) throws ErrnoException {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new ErrnoException("eventfd", fd);
        }
        this.eventFd = fd;
        this.buffer = arena.allocate(JAVA_LONG);
    }

    /** Arms the read unless it is armed (loop thread). */
    void arm(UringEventLoop loop) {
        if (!armed) {
            loop.sqe().prepRead(eventFd, buffer.address(), 8, -1).userData(USER_DATA);
            armed = true;
        }
    }

    /** The read completed (woken, or cancelled at shutdown); re-armed unless {@code rearm} is false (loop thread). */
    void completed(UringEventLoop loop, boolean rearm) {
        armed = false;
        if (rearm) {
            arm(loop);
        }
    }

    /** Whether a read is in flight: the ring must not close before its completion. */
    boolean armed() {
        return armed;
    }

    /** Ends the loop's wait: any thread. */
    void signal() {
        LibC.write(eventFd, ONE, 8);
    }

    /** Closes the eventfd, once nothing reads it any more. */
    void close() {
        LibC.close(eventFd);
    }
}
