package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;
import static dev.uring4j.ring.uapi.IoUringH.IOU_PBUF_RING_INC;

import dev.uring4j.ring.BufferRing;
import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.Leaks;

/**
 * The loop's provided-buffer groups: every connection of the loop receives into them, so buffer
 * memory scales with throughput, not with the number of connections.
 *
 * <p>Connections are spread over the groups; when a receive finds its group empty
 * ({@code -ENOBUFS}) the connection moves to the next group and re-arms, as the reference page
 * suggests. Buffers are handed back as soon as the data callback returns; ring tails are
 * published once per drained batch ({@link #publish}), not once per buffer.
 *
 * <p>Three ways to hand buffers to the kernel, best first: ring-mapped buffer rings (5.19);
 * with incremental consumption (6.12), where one large buffer takes many small receives and goes
 * back only when the kernel has filled it; and, on kernels without buffer rings, the legacy
 * {@code IORING_OP_PROVIDE_BUFFERS}, one SQE per returned buffer. Owned by the loop.
 */
public final class BufferGroups implements AutoCloseable {
    private final UringEventLoop loop;
    private final BufferRing[] rings;
    private final MemorySegment[] memory;
    /**
     * Each provided buffer as a segment of its own, made once: what a receive is handed, so a
     * handler can reach only the buffer its data is in, never the rest of a group other
     * connections' data is in.
     */
    private final MemorySegment[][] buffers;
    /** Zeros to wipe delivered bytes with, before their buffer goes back (allocation-free). */
    private final MemorySegment zeros;
    /** Buffers the kernel has handed us that we have not given back yet. */
    private final boolean[][] held;
    private int inUse;
    private final int[] bgids;
    private final int[] unpublished;
    private final int entries;
    private final int bufferSize;
    private final boolean legacy;
    private final boolean incremental;
    private int usedThisBatch;
    private int peakPerBatch;
    private int nextGroup;

    BufferGroups(UringEventLoop loop, IoUring ring, int groups, int entries, int bufferSize, int firstBgid,
                 boolean useRings, boolean incremental) throws ErrnoException {
        this.loop = loop;
        this.rings = new BufferRing[groups];
        this.memory = new MemorySegment[groups];
        this.buffers = new MemorySegment[groups][];
        this.held = new boolean[groups][entries];
        this.zeros = loop.arena().allocate(bufferSize);
        this.bgids = new int[groups];
        this.unpublished = new int[groups];
        this.entries = entries;
        this.bufferSize = bufferSize;
        this.legacy = !useRings;
        this.incremental = useRings && incremental;
        try {
            for (int g = 0; g < groups; g++) {
                bgids[g] = firstBgid + g;
                if (legacy) {
                    // The kernel may hold these until the ring is gone: they live as long as the loop.
                    memory[g] = loop.arena().allocate((long) entries * bufferSize, LibC.pageSize());
                    // Hand the whole group over in one SQE; it runs before any receive that uses it.
                    loop.sqeWithoutCompletion().prepProvideBuffers(memory[g].address(), bufferSize, entries, bgids[g], 0)
                            .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_PROVIDE_BUFFERS, 0, g));
                } else {
                    rings[g] = BufferRing.register(ring, bgids[g], entries, bufferSize,
                            this.incremental ? IOU_PBUF_RING_INC : 0);
                    memory[g] = rings[g].buffers();
                }
            }
            for (int g = 0; g < groups; g++) {
                buffers[g] = new MemorySegment[entries];
                for (int bid = 0; bid < entries; bid++) {
                    buffers[g][bid] = memory[g].asSlice((long) bid * bufferSize, bufferSize);
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            close();
            throw e;
        }
    }

    int groups() {
        return bgids.length;
    }

    /** The group a new connection starts on (round-robin). */
    int assign() {
        int g = nextGroup;
        nextGroup = g + 1 == bgids.length ? 0 : g + 1;
        return g;
    }

    int next(int group) {
        return group + 1 == bgids.length ? 0 : group + 1;
    }

    int bgid(int group) {
        return bgids[group];
    }

    /**
     * A completion handed us buffer {@code bid} of {@code group}: ours until {@link #recycle}, or
     * until {@link #leaveWithKernel} for an incremental buffer the kernel goes on filling.
     */
    void take(int group, int bid) {
        if (!held[group][bid]) {
            held[group][bid] = true;
            inUse++;
            if (loop.leaks != null) {
                loop.leaks.acquired(Leaks.Kind.PROVIDED_BUFFER, bgids[group] << 16 | bid, "buffer " + bid + " of group "
                        + bgids[group]);
            }
        }
    }

    /**
     * Gives up our hold on an incremental buffer the kernel has not finished
     * ({@code IORING_CQE_F_BUF_MORE}): it stays in the ring, and the next completion into it takes
     * it again.
     */
    void leaveWithKernel(int group, int bid) {
        if (held[group][bid]) {
            held[group][bid] = false;
            inUse--;
            if (loop.leaks != null) {
                loop.leaks.released(Leaks.Kind.PROVIDED_BUFFER, bgids[group] << 16 | bid);
            }
        }
    }

    /** Buffers taken and not yet given back: what the loop's connections and sockets hold now. */
    int inUse() {
        return inUse;
    }

    /** Buffer {@code bid} of {@code group}: exactly that buffer's memory. */
    MemorySegment buffer(int group, int bid) {
        return buffers[group][bid];
    }

    /**
     * Zeroes {@code [from, from + length)} of buffer {@code bid}: what a handler was shown, so that
     * whoever is handed the buffer next (another connection, or the next receive sharing an
     * incremental buffer) sees zeros wherever it looks beyond its own bytes.
     */
    void wipe(int group, int bid, long from, int length) {
        MemorySegment.copy(zeros, 0, buffers[group][bid], from, length);
    }

    private long offset(int bid) {
        return (long) bid * bufferSize;
    }

    int bufferSize() {
        return bufferSize;
    }

    boolean isValid(int group, int bid) {
        return group >= 0 && group < bgids.length && bid >= 0 && bid < entries;
    }

    boolean incremental() {
        return incremental;
    }

    /**
     * Where in buffer {@code bid} a completion's data starts: 0, or with incremental buffers the
     * end of what earlier completions took from it.
     */
    int dataOffset(int group, int bid, int res, int flags) {
        return incremental ? rings[group].consumeIncremental(bid, res, flags) : 0;
    }

    /**
     * Whether the kernel is done with buffer {@code bid} after this completion, so it may be
     * recycled: always, except an incremental buffer it keeps filling ({@code IORING_CQE_F_BUF_MORE}).
     */
    boolean released(int flags) {
        return !incremental || !Cqe.bufMore(flags);
    }

    /** The {@code k}-th buffer of a bundle completion that starts at {@code firstBid}. */
    int bundleBid(int group, int firstBid, int k) {
        return rings[group].bundleBid(firstBid, k);
    }

    /** Hands {@code bid} back; visible to the kernel at the next {@link #publish}. */
    void recycle(int group, int bid) {
        usedThisBatch++;
        if (held[group][bid]) {
            held[group][bid] = false;
            inUse--;
        }
        if (loop.leaks != null) {
            loop.leaks.released(Leaks.Kind.PROVIDED_BUFFER, bgids[group] << 16 | bid);
        }
        if (legacy) {
            loop.sqeWithoutCompletion().prepProvideBuffers(memory[group].address() + offset(bid), bufferSize, 1,
                            bgids[group], bid)
                    .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_PROVIDE_BUFFERS, 0, group));
            return;
        }
        rings[group].add(bid, unpublished[group]++);
    }

    /** Publishes every recycled buffer: one release store per group per batch. */
    void publish() {
        if (usedThisBatch > peakPerBatch) {
            peakPerBatch = usedThisBatch;
        }
        usedThisBatch = 0;
        if (legacy) {
            return;
        }
        for (int g = 0; g < rings.length; g++) {
            int n = unpublished[g];
            if (n != 0) {
                rings[g].advance(n);
                unpublished[g] = 0;
            }
        }
    }

    /**
     * The most buffers one drained batch consumed: how close the groups came to running dry
     * (every buffer is back with the kernel between batches).
     */
    int peakPerBatch() {
        return peakPerBatch;
    }

    /** Buffers in all groups. */
    int total() {
        return entries * bgids.length;
    }

    long bytes() {
        return (long) total() * bufferSize;
    }

    /**
     * Frees the groups, once no operation can select from them. Ring groups are unregistered and
     * their memory freed. Legacy groups give the kernel's remaining buffers back
     * ({@code IORING_OP_REMOVE_BUFFERS}), so the group ids can be used again; their memory stays
     * with the loop until it closes.
     */
    @Override
    public void close() {
        for (BufferRing r : rings) {
            if (r != null) {
                r.close();
            }
        }
        if (legacy && !loop.ring.isClosed()) {
            for (int g = 0; g < bgids.length; g++) {
                loop.sqeWithoutCompletion().prepRemoveBuffers(entries, bgids[g]).flags(IOSQE_CQE_SKIP_SUCCESS)
                        .userData(UserData.encode(UserData.OP_PROVIDE_BUFFERS, 0, g));
            }
        }
    }
}
