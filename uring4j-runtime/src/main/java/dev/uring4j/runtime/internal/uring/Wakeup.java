package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;

/**
 * How threads that are not event loops wake an io_uring loop: an eventfd that the loop keeps one
 * multishot poll armed on ({@code OP_WAKEUP}). Each write to it posts a completion, which ends the
 * loop's wait; the poll stays armed, so a wake-up costs the poster one write and the loop nothing
 * to re-arm or read. The counter is never read back: the poll fires on each write (the kernel wakes
 * its waiters per write), not while the count is above zero, and a count of one per sleep cannot
 * reach the eventfd's limit. Posters write only when the loop said it is about to sleep (the
 * handshake in {@code TransportLoop}), so a busy loop sees no wake-up traffic. Other loops wake
 * this one with a ring message instead ({@link UringEventLoop#wakeup()}).
 */
final class Wakeup {
    /** The eventfd increment, shared read-only by every waking thread. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);
    private static final long USER_DATA = UserData.encode(UserData.OP_WAKEUP, 0, 0);

    private final int eventFd;
    private boolean armed;

    Wakeup() throws ErrnoException {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) {
            throw new ErrnoException("eventfd", fd);
        }
        this.eventFd = fd;
    }

    /** Arms the poll unless it is armed (loop thread). */
    void arm(UringEventLoop loop) {
        if (!armed) {
            loop.sqe().prepPollMultishot(eventFd, LibC.POLLIN).userData(USER_DATA);
            armed = true;
        }
    }

    /**
     * The poll completed: a wake-up (more follow), or its end (cancelled at shutdown, or ended by
     * the kernel when the CQ overflowed), after which it is re-armed unless {@code rearm} is false
     * (loop thread).
     */
    void completed(UringEventLoop loop, int flags, boolean rearm) {
        if (Cqe.more(flags)) {
            return;
        }
        armed = false;
        if (rearm) {
            arm(loop);
        }
    }

    /** Whether the poll is armed: the ring must not close before its last completion. */
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
