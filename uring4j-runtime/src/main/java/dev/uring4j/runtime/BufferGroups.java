package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

import dev.uring4j.ring.BufferRing;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.sys.ErrnoException;

/**
 * The loop's provided-buffer groups: every connection of the loop receives into them, so buffer
 * memory scales with throughput, not with the number of connections.
 *
 * <p>Connections are spread over the groups; when a receive finds its group empty
 * ({@code -ENOBUFS}) the connection moves to the next group and re-arms, as the reference page
 * suggests. Buffers are handed back as soon as the data callback returns; the ring tails are
 * published once per drained batch ({@link #publish}), not once per buffer. Owned by the loop.
 */
final class BufferGroups implements AutoCloseable {
    private final BufferRing[] rings;
    private final MemorySegment[] memory;
    private final int[] unpublished;
    private int usedThisBatch;
    private int peakPerBatch;
    private final int bufferSize;
    private int nextGroup;

    BufferGroups(IoUring ring, int groups, int entries, int bufferSize, int firstBgid, int flags)
            throws ErrnoException {
        this.rings = new BufferRing[groups];
        this.memory = new MemorySegment[groups];
        this.unpublished = new int[groups];
        this.bufferSize = bufferSize;
        try {
            for (int g = 0; g < groups; g++) {
                rings[g] = BufferRing.register(ring, firstBgid + g, entries, bufferSize, flags);
                memory[g] = rings[g].buffers();
            }
        } catch (ErrnoException | RuntimeException e) {
            close();
            throw e;
        }
    }

    int groups() {
        return rings.length;
    }

    /** The group a new connection starts on (round-robin). */
    int assign() {
        int g = nextGroup;
        nextGroup = g + 1 == rings.length ? 0 : g + 1;
        return g;
    }

    int next(int group) {
        return group + 1 == rings.length ? 0 : group + 1;
    }

    int bgid(int group) {
        return rings[group].bgid();
    }

    /** The group whose bgid is {@code bgid}, or -1. */
    int indexOf(int bgid) {
        for (int g = 0; g < rings.length; g++) {
            if (rings[g].bgid() == bgid) {
                return g;
            }
        }
        return -1;
    }

    MemorySegment memory(int group) {
        return memory[group];
    }

    long offset(int bid) {
        return (long) bid * bufferSize;
    }

    int bufferSize() {
        return bufferSize;
    }

    BufferRing ring(int group) {
        return rings[group];
    }

    boolean isValid(int group, int bid) {
        return group >= 0 && group < rings.length && rings[group].isValidBid(bid);
    }

    /** Hands {@code bid} back; visible to the kernel at the next {@link #publish}. */
    void recycle(int group, int bid) {
        rings[group].add(bid, unpublished[group]++);
        usedThisBatch++;
    }

    /** Publishes every recycled buffer: one release store per group per batch. */
    void publish() {
        if (usedThisBatch > peakPerBatch) {
            peakPerBatch = usedThisBatch;
        }
        usedThisBatch = 0;
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
        int n = 0;
        for (BufferRing r : rings) {
            n += r == null ? 0 : r.entries();
        }
        return n;
    }

    long bytes() {
        long n = 0;
        for (BufferRing r : rings) {
            if (r != null) {
                n += (long) r.entries() * r.bufferSize();
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (BufferRing r : rings) {
            if (r != null) {
                r.close();
            }
        }
    }
}
