package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;

/**
 * The process's address space as one constant segment, through which the binding reads and writes
 * what it shares with the kernel on the hot path: SQEs, CQEs, the SQ and CQ heads and tails.
 *
 * <p>Why: a var handle access checks its segment's class, read-only flag, length and scope before
 * touching memory. On a ring's own segment those are loads C2 cannot hoist out of a prep loop,
 * since every {@link Sqe} is a different object whose segment field it must read again, and they
 * cost more than the stores themselves. Against this {@code static final} segment they fold to
 * constants; what is left is one compare of the address.
 *
 * <p>What stands in for the segment's liveness check: the binding only uses addresses of mappings
 * its ring owns, and when the ring closes, every holder of such an address (the SQE flyweights,
 * the queues) sets it to {@link #CLOSED} before the memory is unmapped. Each access first checks
 * that the address it read is not negative, so a stale {@code Sqe} or queue throws instead of
 * touching unmapped memory. Like everything else about a ring this holds on the ring's thread,
 * which also closes it: a close racing a prep on another thread is outside the ring's contract
 * ({@link IoUring} is not thread-safe).
 */
final class Mapped {
    private Mapped() {}

    /** Every address, readable and writable; only addresses of the ring's own mappings are used. */
    static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** The address a closed ring's holders keep: negative, so the checks before each access refuse it. */
    static final long CLOSED = -1L;

    /**
     * The check that stands for the segment's liveness check, made before each access.
     *
     * @param address the holder's address, {@link #CLOSED} once its ring or group is closed
     * @param what    what the holder is, said in the exception; a constant, so that nothing is
     *                built unless the check fails
     * @return the address, when it is still mapped
     * @throws IllegalStateException when it is not
     */
    static long checked(long address, String what) {
        if (address < 0) {
            throw new IllegalStateException(what + ": its memory is unmapped");
        }
        return address;
    }
}
