package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;

/**
 * Input a connection's handler left unconsumed: kept in one pooled native block, to be presented
 * again first and contiguous with what arrives next, so a handler can leave a partial message for
 * later. The block grows (to the next size class) or compacts as needed, and goes back to the
 * pool as soon as everything kept is consumed. Owned by the connection's loop thread.
 */
public final class KeptInput {
    private final BlockPool pool;
    private BlockPool.Block block;

    public KeptInput(BlockPool pool) {
        this.pool = pool;
    }

    /** Whether nothing is kept. */
    public boolean isEmpty() {
        return block == null;
    }

    /** Bytes kept. */
    public int size() {
        return block == null ? 0 : block.readable();
    }

    /** The memory holding the kept bytes, at {@link #offset()}; only while not {@link #isEmpty()}. */
    public MemorySegment segment() {
        return block.segment;
    }

    /** Where the kept bytes start in {@link #segment()}. */
    public long offset() {
        return block.readIndex;
    }

    /** Keeps {@code length} more bytes of {@code memory} from {@code offset}, after those already kept. */
    public void append(MemorySegment memory, long offset, int length) {
        BlockPool.Block b = block;
        int have = size();
        if (b == null || b.capacity() - b.readIndex < have + length) {
            BlockPool.Block bigger = pool.acquire(have + length);
            // A pooled block holds whatever its last owner left; the handler is shown this one whole.
            bigger.segment.fill((byte) 0);
            if (b != null) {
                MemorySegment.copy(b.segment, b.readIndex, bigger.segment, 0, have);
                pool.release(b);
            }
            bigger.writeIndex = have;
            block = b = bigger;
        } else if (b.writable() < length) {
            MemorySegment.copy(b.segment, b.readIndex, b.segment, 0, have);
            b.readIndex = 0;
            b.writeIndex = have;
        }
        MemorySegment.copy(memory, offset, b.segment, b.writeIndex, length);
        b.writeIndex += length;
    }

    /** The handler consumed the first {@code n} kept bytes; the block goes back to the pool once none are left. */
    public void consume(int n) {
        block.readIndex += n;
        if (block.readable() == 0) {
            release();
        }
    }

    /** Drops whatever is kept. */
    public void release() {
        if (block != null) {
            pool.release(block);
            block = null;
        }
    }
}
