package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.uapi.IoSqringOffsets;
import dev.uring4j.ring.uapi.IoUringH;

/**
 * The submission queue: the kernel-shared SQ ring ({@code head}, {@code tail}, {@code flags},
 * {@code dropped}, the index array) and the mapped SQE array.
 *
 * <p>As in liburing, SQEs are handed out from a local tail ({@code sqeTail}) and published to
 * the kernel in one release store by {@link #flush()}, once per batch. The kernel's head is read
 * only when the locally cached copy says the queue might be full. Owned by the submitting thread.
 */
public final class SubmissionQueue {
    /** The SQ ring's address in {@link Mapped#MEMORY}; {@link Mapped#CLOSED} once the ring is closed. */
    private long ring;
    private final long khead;
    private final long ktail;
    private final long kflags;
    private final long kdropped;
    private final int entries;
    private final boolean sqpoll;
    private final Sqe[] slots;

    /** Entries handed out by getSqe() but not yet published (liburing's sqe_head/sqe_tail). */
    private int sqeHead;
    private int sqeTail;
    /**
     * The kernel's head plus {@code entries}, as last read or as advanced by {@link #consumed}:
     * {@code getSqe} may hand out entries up to this tail without reading the head again.
     */
    private int sqeLimit;

    SubmissionQueue(MemorySegment ring, MemorySegment params, MemorySegment sqes, int sqeSize, boolean sqpoll,
                    boolean noSqArray) {
        long sqOff = dev.uring4j.ring.uapi.IoUringParams.OFFSET_sq_off;
        this.ring = ring.address();
        this.khead = params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_head);
        this.ktail = params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_tail);
        this.kflags = params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_flags);
        this.kdropped = params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_dropped);
        this.entries = ring.get(JAVA_INT, params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_ring_entries));
        this.sqpoll = sqpoll;
        if (!noSqArray) {
            // Identity mapping, written once: SQE i is always submitted from index slot i, as
            // liburing does, so the array never has to be touched on the hot path.
            long array = params.get(JAVA_INT, sqOff + IoSqringOffsets.OFFSET_array);
            for (int i = 0; i < entries; i++) {
                ring.setAtIndex(JAVA_INT, array / Integer.BYTES + i, i);
            }
        }
        this.slots = new Sqe[entries];
        for (int i = 0; i < entries; i++) {
            slots[i] = new Sqe(sqes.address() + (long) i * sqeSize);
        }
        this.sqeHead = this.sqeTail = ring.get(JAVA_INT, ktail);
        this.sqeLimit = sqeTail + entries;
    }

    /**
     * {@code io_uring_get_sqe}: the next free entry. Never submits: the caller decides when to enter
     * the kernel.
     *
     * @return the entry, to be prepared with one of its {@code prep} helpers before anything else is
     *         set, or {@code null} when the queue is full
     */
    public Sqe getSqe() {
        int tail = sqeTail;
        if (tail == sqeLimit) {
            // Consumes the kernel's head; pairs with the release store of sq.head in
            // io_commit_sqring (only concurrent with us under SQPOLL). Through the var handle
            // itself, not Barrier.loadAcquire: C2 does not inline a call this rarely taken, and a
            // call left in a prep loop makes it reload every field on each iteration, which slows
            // the whole loop. Reached when the queue is full, or under SQPOLL, where the poller
            // moves the head behind our back.
            sqeLimit = (int) Barrier.INT.getAcquire(Mapped.MEMORY, ring() + khead) + entries;
            if (tail == sqeLimit) {
                return null;
            }
        }
        sqeTail = tail + 1;
        Sqe[] s = slots;
        // The length is a power of two, so the index is always in bounds and C2 can tell.
        return s[tail & (s.length - 1)];
    }

    /**
     * {@code __io_uring_flush_sq}: publishes the entries prepared since the last flush and returns
     * how many the kernel has yet to consume.
     */
    int flush() {
        long r = ring();
        int tail = sqeTail;
        if (sqeHead != tail) {
            sqeHead = tail;
            // Publishes the SQE contents written above; pairs with the kernel's
            // smp_load_acquire(&rings->sq.tail) in io_sqring_entries.
            Barrier.storeRelease(r + ktail, tail);
        }
        int head = Barrier.loadAcquire(r + khead);
        sqeLimit = head + entries;
        return tail - head;
    }

    /**
     * The enter after {@link #flush} consumed {@code n} entries. Without SQPOLL only that enter
     * moves the kernel's head, so {@code getSqe} can count on those slots without reading the
     * head again: its slow path then stays cold, and C2 compiles it out of prep loops.
     */
    void consumed(int n) {
        if (n > 0 && !sqpoll) {
            sqeLimit += n;
        }
    }

    /** {@return entries prepared and not yet consumed by the kernel} */
    public int pending() {
        return sqeTail - Barrier.loadAcquire(ring() + khead);
    }

    /** {@return free entries ({@code io_uring_sq_space_left})} */
    public int spaceLeft() {
        return entries - pending();
    }

    /**
     * {@return the SQ ring's {@code flags}: {@code IORING_SQ_NEED_WAKEUP}, {@code IORING_SQ_CQ_OVERFLOW},
     * {@code IORING_SQ_TASKRUN}}
     */
    public int flags() {
        // The kernel sets these bits concurrently; a relaxed read is enough because every
        // decision taken from them is re-checked by the enter it causes.
        return (int) Barrier.INT.get(Mapped.MEMORY, ring() + kflags);
    }

    /** {@return how many SQEs the kernel dropped as invalid ({@code sq.dropped})} */
    public int dropped() {
        return (int) Barrier.INT.get(Mapped.MEMORY, ring() + kdropped);
    }

    /**
     * {@code sq_ring_needs_enter}: whether submitting {@code submitted} entries needs a syscall.
     * Without SQPOLL always; with SQPOLL only when the poller thread sleeps.
     */
    boolean needsEnter(int submitted) {
        if (submitted == 0) {
            return false;
        }
        if (!sqpoll) {
            return true;
        }
        // Orders the tail store in flush() before reading NEED_WAKEUP, pairing with the kernel's
        // smp_mb__after_atomic() after setting it: otherwise the poller could go to sleep
        // without seeing our tail while we do not see its flag.
        Barrier.fullFence();
        return (flags() & IoUringH.IORING_SQ_NEED_WAKEUP) != 0;
    }

    /** The ring is closing: this queue and every flyweight refuse access from now on, before the memory is unmapped. */
    void close() {
        ring = Mapped.CLOSED;
        for (Sqe sqe : slots) {
            sqe.close();
        }
    }

    /** The SQ ring's address, checked as {@link Mapped} describes. */
    private long ring() {
        return Mapped.checked(ring, "the SQ of a closed ring");
    }

    /** {@return the SQ size} */
    public int entries() {
        return entries;
    }
}
