package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_MMAP_MASK;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_PBUF_RING;
import static dev.uring4j.ring.uapi.IoUringH.IORING_OFF_PBUF_SHIFT;
import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_INC;
import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_MMAP;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.uapi.IoUringBuf;
import dev.uring4j.ring.uapi.IoUringBufRing;

/**
 * A ring-mapped provided-buffer group (5.19): a shared ring of {@code struct io_uring_buf} through
 * which the application hands buffers to the kernel, and the buffers themselves.
 *
 * <p>A receive with {@code IOSQE_BUFFER_SELECT} on this group lets the kernel pick a buffer when
 * data arrives; the completion names it ({@link Cqe#bufferId}). The application gives it back with
 * {@link #recycle} or, batched, {@link #add} + {@link #advance}, or together with the CQ head in
 * {@link #cqAdvance} ({@code io_uring_buf_ring_cq_advance}). When the ring is empty, receives on
 * the group fail with {@code -ENOBUFS}.
 *
 * <pre>
 *  ring (entries x 16 B, page aligned)          buffers (entries x bufferSize)
 *  +------+------+------+-----+                 +-----------+-----------+---
 *  | buf0 | buf1 | buf2 | ... |  addr ------->  | bid 0     | bid 1     | ...
 *  +------+------+------+-----+                 +-----------+-----------+---
 *   kernel consumes at head, we publish at tail (u16 in entry 0's resv)
 * </pre>
 *
 * <p>The ring memory is either ours (page-aligned, registered by address) or the kernel's
 * ({@code IOU_PBUF_RING_MMAP}, 6.4, mapped at {@code IORING_OFF_PBUF_RING | bgid << 16}). With
 * {@code IOU_PBUF_RING_INC} (6.12) the kernel consumes a buffer incrementally: completions carry
 * {@code IORING_CQE_F_BUF_MORE} while it keeps the buffer, and each one's data starts where the
 * previous one's ended ({@link #consumeIncremental}).
 *
 * <p><b>Thread and lifetime.</b> Owned by the ring's thread. {@link #close()} unregisters the group
 * and frees its memory: call it only after every operation that may select from the group has
 * posted its final completion, since the kernel writes into these buffers.
 */
public final class BufferRing implements AutoCloseable {
    // The fields of the io_uring_buf at its address in Mapped.MEMORY: one "16 bytes fit" compare per
    // add instead of one per field (C2 does not merge bounds checks on long offsets), and the
    // segment's other checks folded (Mapped says what stands in for its liveness check).
    private static final VarHandle BUF_ADDR = IoUringBuf.LAYOUT.varHandle(groupElement("addr"));
    private static final VarHandle BUF_LEN = IoUringBuf.LAYOUT.varHandle(groupElement("len"));
    private static final VarHandle BUF_BID = IoUringBuf.LAYOUT.varHandle(groupElement("bid"));

    private static final int MAX_ENTRIES = 32768;
    private static final int MAX_MMAP_BGID = (int) ((~IORING_OFF_MMAP_MASK & 0xFFFFFFFFL) >>> IORING_OFF_PBUF_SHIFT) + 1;

    private final IoUring ring;
    private final int bgid;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final int flags;
    private final Arena arena;
    /** The ring's address in {@link Mapped#MEMORY}; {@link Mapped#CLOSED} once closed. */
    private long ringAddress;
    private final MemorySegment buffers;
    private final long buffersAddress;
    /**
     * Ring position each buffer id was last published at (bundles: the ids of a bundle's other
     * buffers are read from the ring entries after the first one's).
     */
    private final int[] positionOfBid;
    /** With IOU_PBUF_RING_INC: bytes of each buffer already consumed by completions. */
    private final int[] incrementalOffset;
    private int tail;

    private BufferRing(IoUring ring, int bgid, int entries, int bufferSize, int flags, Arena arena,
                       MemorySegment ringMemory, MemorySegment buffers) {
        this.ring = ring;
        this.bgid = bgid;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.flags = flags;
        this.arena = arena;
        this.ringAddress = ringMemory.address();
        this.buffers = buffers;
        this.buffersAddress = buffers.address();
        this.positionOfBid = new int[entries];
        this.incrementalOffset = (flags & IOU_PBUF_RING_INC) != 0 ? new int[entries] : null;
    }

    /**
     * {@code io_uring_setup_buf_ring}: registers group {@code bgid} with {@code entries} buffers of
     * {@code bufferSize} bytes each and hands all of them to the kernel.
     *
     * @param ring       the ring whose receives will select from the group; must be open
     * @param bgid       the group id, 16 bits (below 2048 with {@code IOU_PBUF_RING_MMAP})
     * @param entries    a power of two, at most 32768
     * @param bufferSize bytes per buffer
     * @param flags      0, {@code IOU_PBUF_RING_MMAP} and/or {@code IOU_PBUF_RING_INC}
     * @return the group, owned by the caller
     * @throws ErrnoException           when the kernel refuses the group (the id is taken, the
     *                                  flags are newer than the kernel, or the memory is over
     *                                  {@code RLIMIT_MEMLOCK})
     * @throws IllegalArgumentException when an argument is out of its range
     */
    public static BufferRing register(IoUring ring, int bgid, int entries, int bufferSize, int flags)
            throws ErrnoException {
        IoUring.requireOpen(ring);
        if (entries <= 0 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("buffer ring entries must be a power of two in 1.." + MAX_ENTRIES
                    + ", was " + entries);
        }
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize must be positive, was " + bufferSize);
        }
        if (bgid < 0 || bgid > 0xFFFF) {
            throw new IllegalArgumentException("bgid must fit in 16 bits, was " + bgid);
        }
        if ((flags & IOU_PBUF_RING_MMAP) != 0 && bgid >= MAX_MMAP_BGID) {
            // The group id travels in the mmap offset, bits 16..26 below IORING_OFF_MMAP_MASK.
            throw new IllegalArgumentException("with IOU_PBUF_RING_MMAP the bgid must be below " + MAX_MMAP_BGID
                    + " (it is encoded in the mmap offset), was " + bgid);
        }
        long ringBytes = (long) entries * IoUringBuf.LAYOUT.byteSize();
        Arena arena = Arena.ofShared();
        boolean registered = false;
        try {
            boolean kernelMemory = (flags & IOU_PBUF_RING_MMAP) != 0;
            MemorySegment ringMemory = kernelMemory ? null : arena.allocate(ringBytes, LibC.pageSize());
            Register.bufRing(ring, kernelMemory ? 0 : ringMemory.address(), entries, bgid, flags);
            registered = true;
            if (kernelMemory) {
                long offset = IORING_OFF_PBUF_RING | ((long) bgid << IORING_OFF_PBUF_SHIFT);
                ringMemory = IoUringBuilder.map(arena, ring.fd(), ringBytes, offset, "buffer ring " + bgid);
            }
            MemorySegment buffers = arena.allocate((long) entries * bufferSize, LibC.pageSize());
            BufferRing br = new BufferRing(ring, bgid, entries, bufferSize, flags, arena, ringMemory, buffers);
            for (int bid = 0; bid < entries; bid++) {
                br.add(bid, bid);
            }
            br.advance(entries);
            return br;
        } catch (ErrnoException | RuntimeException | Error e) {
            if (registered) {
                Register.unregisterBufRing(ring, bgid);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * {@code io_uring_buf_ring_add}: writes buffer {@code bid} (of this group's memory) at ring
     * position {@code tail + offset}; it becomes visible to the kernel at the next {@link #advance}.
     *
     * @param bid    the buffer id, {@code 0..entries-1}
     * @param offset the position after the tail, for adding several buffers before one advance
     */
    public void add(int bid, int offset) {
        add(buffersAddress + (long) bid * bufferSize, bufferSize, bid, offset);
    }

    /**
     * {@code io_uring_buf_ring_add} for arbitrary memory.
     *
     * @param addr   address of the buffer, which must stay valid while the kernel holds it
     * @param len    its length
     * @param bid    the id completions will name it by
     * @param offset the position after the tail, for adding several buffers before one advance
     */
    public void add(long addr, int len, int bid, int offset) {
        int at = tail + offset;
        long entry = entry(at);
        BUF_ADDR.set(Mapped.MEMORY, entry, addr);
        BUF_LEN.set(Mapped.MEMORY, entry, len);
        BUF_BID.set(Mapped.MEMORY, entry, (short) bid);
        int[] positions = positionOfBid;
        // The length is the ring's size, a power of two: C2 sees the index is in bounds.
        positions[bid & (positions.length - 1)] = at;
    }

    /** The address of the ring entry at {@code position} (taken modulo the ring's size), checked. */
    private long entry(int position) {
        return ring() + (long) (position & mask) * IoUringBuf.LAYOUT.byteSize();
    }

    /** The ring's address, checked as {@link Mapped} describes. */
    private long ring() {
        return Mapped.checked(ringAddress, "this buffer group is closed");
    }

    /**
     * {@code io_uring_buf_ring_advance}: publishes the buffers added since the last advance.
     *
     * @param count how many were added
     */
    public void advance(int count) {
        tail += count;
        // Publishes the entries written by add(); pairs with the kernel's smp_load_acquire of
        // br->tail in io_ring_buffer_select/io_ring_buffers_peek.
        Barrier.storeRelease16(ring() + IoUringBufRing.OFFSET_tail, (short) tail);
    }

    /**
     * Gives buffer {@code bid} back to the kernel: {@code add(bid, 0)} then {@code advance(1)}.
     *
     * @param bid the buffer id a completion named
     */
    public void recycle(int bid) {
        add(bid, 0);
        advance(1);
        if (incrementalOffset != null) {
            incrementalOffset[bid & mask] = 0;
        }
    }

    /**
     * {@code io_uring_buf_ring_cq_advance}: publishes added buffers and consumes completions of
     * {@code ring} together, as the reference page describes.
     *
     * @param ring     the ring whose completions were read in place
     * @param cqCount  completions to consume
     * @param bufCount buffers added since the last advance
     */
    public void cqAdvance(IoUring ring, int cqCount, int bufCount) {
        advance(bufCount);
        ring.cqAdvance(cqCount);
    }

    /**
     * With {@code IOU_PBUF_RING_INC}: where in buffer {@code bid} a completion's {@code res} bytes
     * start. Call once per completion, in completion order; when {@code cqeFlags} lacks
     * {@code IORING_CQE_F_BUF_MORE} the kernel is done with the buffer and it may be recycled.
     *
     * @param bid      the buffer id the completion named
     * @param res      the completion's {@code res}
     * @param cqeFlags the completion's {@code flags}
     * @return the offset of the completion's data in the buffer; always 0 without
     *         {@code IOU_PBUF_RING_INC}
     */
    public int consumeIncremental(int bid, int res, int cqeFlags) {
        if (incrementalOffset == null) {
            return 0;
        }
        int start = incrementalOffset[bid & mask];
        incrementalOffset[bid & mask] = Cqe.bufMore(cqeFlags) ? start + Math.max(res, 0) : 0;
        return start;
    }

    /**
     * The id of the {@code k}-th buffer of a bundle completion: bundles take consecutive ring
     * positions, whatever ids were put there.
     *
     * @param firstBid the buffer id the completion named
     * @param k        the buffer's place in the bundle, from 0
     * @return the buffer id
     */
    public int bundleBid(int firstBid, int k) {
        // The kernel never writes an entry's bid, and a bundle's entries are not reused before its
        // buffers come back.
        return Short.toUnsignedInt((short) BUF_BID.get(Mapped.MEMORY, entry(positionOfBid[firstBid & mask] + k)));
    }

    /**
     * How many buffers a bundle completion spans.
     *
     * @param res the completion's {@code res}
     * @return the number of buffers, at least 1
     */
    public int bundleCount(int res) {
        return res <= 0 ? 1 : (res + bufferSize - 1) / bufferSize;
    }

    /**
     * The kernel's head ({@code IORING_REGISTER_PBUF_STATUS}, 6.8): buffers up to it have been
     * consumed. With the local tail it tells how many buffers the kernel still holds.
     *
     * @return the head, as the 16-bit counter the kernel keeps
     * @throws ErrnoException when the kernel cannot tell (before 6.8: {@code EINVAL})
     */
    public int kernelHead() throws ErrnoException {
        return Register.bufRingHead(ring, bgid);
    }

    /**
     * Buffers published to the kernel and not yet consumed: from {@link #kernelHead} to the tail.
     *
     * @return how many
     * @throws ErrnoException as {@link #kernelHead}
     */
    public int available() throws ErrnoException {
        return (short) (tail - kernelHead()) & 0xFFFF;
    }

    /** {@return all buffer memory, valid until {@link #close()}: buffer {@code bid} at {@code bid * bufferSize()}} */
    public MemorySegment buffers() {
        return buffers;
    }

    /**
     * The address of one of this group's buffers.
     *
     * @param bid the buffer id
     * @return its address
     */
    public long bufferAddress(int bid) {
        return buffersAddress + (long) bid * bufferSize;
    }

    /** {@return the group id} */
    public int bgid() {
        return bgid;
    }

    /** {@return how many buffers the group has} */
    public int entries() {
        return entries;
    }

    /** {@return the size of each buffer} */
    public int bufferSize() {
        return bufferSize;
    }

    /** {@return the {@code IOU_PBUF_RING_*} flags the group was registered with} */
    public int flags() {
        return flags;
    }

    /**
     * Whether {@code bid} is a buffer id of this group (completions are checked before use).
     *
     * @param bid the id a completion named
     * @return whether it is in {@code 0..entries-1}
     */
    public boolean isValidBid(int bid) {
        return bid >= 0 && bid < entries;
    }

    /**
     * {@code io_uring_free_buf_ring}: unregisters the group and frees its memory. Only once no
     * operation can still select from it.
     */
    @Override
    public void close() {
        if (ringAddress == Mapped.CLOSED) {
            return;
        }
        ringAddress = Mapped.CLOSED;
        if (!ring.isClosed()) {
            Register.unregisterBufRing(ring, bgid);
        }
        arena.close();
    }
}
