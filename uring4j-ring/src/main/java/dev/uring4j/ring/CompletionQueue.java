package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.uapi.IoCqringOffsets;
import dev.uring4j.ring.uapi.IoUringCqe;
import dev.uring4j.ring.uapi.IoUringParams;

/**
 * The completion queue: the kernel-shared CQ ring, read in place.
 *
 * <p>Completions are handed to a {@link CqeHandler} as three primitives, never as objects, and
 * the head is published once per drained batch. Owned by the thread that reaps completions.
 */
public final class CompletionQueue {
    // Fields of the CQE at its address in Mapped.MEMORY: the three reads share one "16 bytes fit"
    // compare, which C2 keeps once per CQE. Three accesses at address + field offset would be
    // three different long bounds checks, which it does not merge, and in the drain loop those
    // checks would cost more than the reads themselves.
    private static final VarHandle USER_DATA = IoUringCqe.LAYOUT.varHandle(groupElement("user_data"));
    private static final VarHandle RES = IoUringCqe.LAYOUT.varHandle(groupElement("res"));
    private static final VarHandle FLAGS = IoUringCqe.LAYOUT.varHandle(groupElement("flags"));

    /** The CQ ring's address in {@link Mapped#MEMORY}; {@link Mapped#CLOSED} once the ring is closed. */
    private long ring;
    private final long khead;
    /**
     * The CQ head as this side last wrote it. Only we move the head, so reading it back from
     * shared memory (as liburing does) would only cost a check and a load per drain.
     */
    private int head;
    private final long ktail;
    private final long koverflow;
    private final long kflags;
    private final int mask;
    private final int entries;
    private final int cqeShift;
    /** Where the CQE array starts, relative to {@link #ring}. */
    private final long cqes;

    CompletionQueue(MemorySegment ring, MemorySegment params, boolean cqe32) {
        long cqOff = IoUringParams.OFFSET_cq_off;
        this.ring = ring.address();
        this.khead = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_head);
        this.head = ring.get(JAVA_INT, khead);
        this.ktail = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_tail);
        this.koverflow = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_overflow);
        this.kflags = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_flags);
        this.mask = ring.get(JAVA_INT, params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_ring_mask));
        this.entries = ring.get(JAVA_INT, params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_ring_entries));
        this.cqeShift = cqe32 ? 5 : 4;
        this.cqes = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_cqes);
    }

    /**
     * {@code io_uring_cq_ready}: completions posted and not yet consumed.
     *
     * @return how many can be read now
     */
    public int ready() {
        // Consumes the kernel's tail; pairs with its smp_store_release(&rings->cq.tail) in
        // io_commit_cqring, making the CQE contents below it visible.
        return Barrier.loadAcquire(ring() + ktail) - head;
    }

    /**
     * Hands every ready completion to {@code handler} and consumes them. A completion whose handler
     * throws counts as consumed, so one bad completion is not delivered again; the ones after it
     * stay in the ring for the next call. A handler may close the ring: the drain stops there.
     *
     * @param handler receives each completion's fields, on this thread
     * @return how many completions were handed over
     */
    public int forEach(CqeHandler handler) {
        long r = ring();
        int first = head;
        int tail = Barrier.loadAcquire(r + ktail);
        int h = first;
        int m = mask;
        int shift = cqeShift;
        long array = r + cqes;
        try {
            // The address is read again for each CQE: a handler that closed the ring set it to
            // CLOSED, and the CQ is unmapped. C2 hoists the read when it inlines a handler that
            // cannot close the ring.
            while (h != tail && ring >= 0) {
                long cqe = array + ((long) (h & m) << shift);
                h++;
                handler.handle((long) USER_DATA.get(Mapped.MEMORY, cqe), (int) RES.get(Mapped.MEMORY, cqe),
                        (int) FLAGS.get(Mapped.MEMORY, cqe));
            }
        } finally {
            if (h != first && ring >= 0) {
                head = h;
                Barrier.storeRelease(r + khead, h);
            }
        }
        return h - first;
    }

    private long cqeAt(int i) {
        return ring() + cqes + ((long) ((head + i) & mask) << cqeShift);
    }

    /** The ring is closing: this queue refuses access from now on, before the memory is unmapped. */
    void close() {
        ring = Mapped.CLOSED;
    }

    /** The CQ ring's address, checked as {@link Mapped} describes. */
    private long ring() {
        return Mapped.checked(ring, "the CQ of a closed ring");
    }

    /**
     * {@code user_data} of a ready completion, read in place.
     *
     * @param i the completion's place among the ready ones, 0 the oldest; below {@link #ready()}
     * @return its {@code user_data}
     */
    public long userData(int i) {
        return (long) USER_DATA.get(Mapped.MEMORY, cqeAt(i));
    }

    /**
     * {@code res} of a ready completion, read in place.
     *
     * @param i the completion's place among the ready ones, 0 the oldest; below {@link #ready()}
     * @return its {@code res}
     */
    public int res(int i) {
        return (int) RES.get(Mapped.MEMORY, cqeAt(i));
    }

    /**
     * {@code flags} of a ready completion, read in place.
     *
     * @param i the completion's place among the ready ones, 0 the oldest; below {@link #ready()}
     * @return its {@code flags}
     */
    public int flags(int i) {
        return (int) FLAGS.get(Mapped.MEMORY, cqeAt(i));
    }

    /**
     * {@code big_cqe[k]} of a ready completion, on a ring set up with {@code IORING_SETUP_CQE32}.
     *
     * @param i the completion's place among the ready ones, 0 the oldest; below {@link #ready()}
     * @param k 0 or 1
     * @return the extra word
     * @throws IllegalArgumentException without {@code IORING_SETUP_CQE32}, or for another {@code k}
     */
    public long extra(int i, int k) {
        if (cqeShift != 5 || (k & ~1) != 0) {
            throw new IllegalArgumentException("big_cqe[" + k + "] needs IORING_SETUP_CQE32 and k in 0..1");
        }
        return Mapped.MEMORY.get(JAVA_LONG, cqeAt(i) + IoUringCqe.OFFSET_big_cqe + 8L * k);
    }

    /**
     * {@code io_uring_cq_advance}: marks completions consumed, freeing their slots for the kernel.
     *
     * @param n completions to consume, at most {@link #ready()}
     */
    public void advance(int n) {
        // Hands the slots back; pairs with the kernel's READ_ONCE of cq.head when it checks for
        // space, and orders our reads of those CQEs before the kernel may overwrite them.
        long r = ring();
        head += n;
        Barrier.storeRelease(r + khead, head);
    }

    /** {@return how many CQEs the kernel dropped because the CQ was full and it could not keep them ({@code cq.overflow})} */
    public int overflow() {
        return (int) Barrier.INT.get(Mapped.MEMORY, ring() + koverflow);
    }

    /** {@return the CQ ring's {@code flags} ({@code IORING_CQ_EVENTFD_DISABLED})} */
    public int flags() {
        return (int) Barrier.INT.get(Mapped.MEMORY, ring() + kflags);
    }

    /** {@return the CQ size} */
    public int entries() {
        return entries;
    }
}
