package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;

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
    private final MemorySegment ring;
    private final long khead;
    private final long ktail;
    private final long koverflow;
    private final long kflags;
    private final long cqes;
    private final int mask;
    private final int entries;
    private final int cqeShift;

    CompletionQueue(MemorySegment ring, MemorySegment params, boolean cqe32) {
        long cqOff = IoUringParams.OFFSET_cq_off;
        this.ring = ring;
        this.khead = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_head);
        this.ktail = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_tail);
        this.koverflow = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_overflow);
        this.kflags = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_flags);
        this.cqes = params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_cqes);
        this.mask = ring.get(JAVA_INT, params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_ring_mask));
        this.entries = ring.get(JAVA_INT, params.get(JAVA_INT, cqOff + IoCqringOffsets.OFFSET_ring_entries));
        this.cqeShift = cqe32 ? 5 : 4;
    }

    /** {@code io_uring_cq_ready}: completions posted and not yet consumed. */
    public int ready() {
        // Consumes the kernel's tail; pairs with its smp_store_release(&rings->cq.tail) in
        // io_commit_cqring, making the CQE contents below it visible.
        return Barrier.loadAcquire(ring, ktail) - ring.get(JAVA_INT, khead);
    }

    /**
     * Hands every ready completion to {@code handler} and consumes them; returns how many. A
     * completion whose handler throws counts as consumed, so one bad completion is not delivered
     * again; the ones after it stay in the ring for the next call.
     */
    public int forEach(CqeHandler handler) {
        MemorySegment r = ring;
        int head = r.get(JAVA_INT, khead);
        int tail = Barrier.loadAcquire(r, ktail);
        int consumed = 0;
        try {
            while (head + consumed != tail) {
                long cqe = cqes + ((long) ((head + consumed) & mask) << cqeShift);
                consumed++;
                handler.handle(r.get(JAVA_LONG, cqe + IoUringCqe.OFFSET_user_data),
                        r.get(JAVA_INT, cqe + IoUringCqe.OFFSET_res),
                        r.get(JAVA_INT, cqe + IoUringCqe.OFFSET_flags));
            }
        } finally {
            if (consumed != 0) {
                advance(consumed);
            }
        }
        return consumed;
    }

    private long cqeAt(int i) {
        int head = ring.get(JAVA_INT, khead);
        return cqes + ((long) ((head + i) & mask) << cqeShift);
    }

    /** {@code user_data} of the {@code i}-th ready completion (0 is the oldest); {@code i < ready()}. */
    public long userData(int i) {
        return ring.get(JAVA_LONG, cqeAt(i) + IoUringCqe.OFFSET_user_data);
    }

    /** {@code res} of the {@code i}-th ready completion. */
    public int res(int i) {
        return ring.get(JAVA_INT, cqeAt(i) + IoUringCqe.OFFSET_res);
    }

    /** {@code flags} of the {@code i}-th ready completion. */
    public int flags(int i) {
        return ring.get(JAVA_INT, cqeAt(i) + IoUringCqe.OFFSET_flags);
    }

    /** {@code big_cqe[k]} of the {@code i}-th ready completion, on a ring set up with {@code IORING_SETUP_CQE32}. */
    public long extra(int i, int k) {
        if (cqeShift != 5 || (k & ~1) != 0) {
            throw new IllegalArgumentException("big_cqe[" + k + "] needs IORING_SETUP_CQE32 and k in 0..1");
        }
        return ring.get(JAVA_LONG, cqeAt(i) + IoUringCqe.OFFSET_big_cqe + 8L * k);
    }

    /** {@code io_uring_cq_advance}: marks {@code n} completions consumed, freeing their slots for the kernel. */
    public void advance(int n) {
        // Hands the slots back; pairs with the kernel's READ_ONCE of cq.head when it checks for
        // space, and orders our reads of those CQEs before the kernel may overwrite them.
        Barrier.storeRelease(ring, khead, ring.get(JAVA_INT, khead) + n);
    }

    /** CQEs the kernel had to drop because the CQ was full and it could not keep them ({@code cq.overflow}). */
    public int overflow() {
        return ring.get(JAVA_INT, koverflow);
    }

    /** The CQ ring's {@code flags} ({@code IORING_CQ_EVENTFD_DISABLED}). */
    public int flags() {
        return ring.get(JAVA_INT, kflags);
    }

    public int entries() {
        return entries;
    }
}
