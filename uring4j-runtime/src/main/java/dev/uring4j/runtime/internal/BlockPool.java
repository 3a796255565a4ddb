package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import dev.uring4j.runtime.SharedBuffer;

/**
 * Native memory for send queues and partial-input accumulation, in power-of-two blocks kept on
 * free lists per size class, so steady-state traffic reuses blocks instead of allocating.
 *
 * <p>Blocks come from one arena owned by the loop and are freed together when the loop closes,
 * after every operation that could touch them has completed. A send queue also holds
 * <em>reference</em> blocks, which own no memory: each views a {@link SharedBuffer} it holds a
 * reference to, given back when the block is released. They are pooled too, and the pool knows
 * every one out, so that a loop that dies with connections unfinished still drops their
 * references ({@link #releaseReferences()}). A <em>file region</em> is a reference block too: it
 * holds an open file instead of a buffer, and lets go of it the same way. Owned by the loop's thread.
 */
public final class BlockPool {
    static final int MIN_SHIFT = 12;
    static final int MAX_SHIFT = 24;
    /** The size class of reference blocks. */
    private static final int REFERENCE = -1;

    /** A block of native memory (or a reference to shared memory); also the node of the free list and of send queues. */
    public static final class Block {
        /** The block's memory; for a reference block, the shared buffer's, set each time it is acquired. */
        public MemorySegment segment;
        final int sizeClass;
        Block next;
        /** The shared buffer a reference block holds a reference to; {@code null} for a block of the pool's memory. */
        SharedBuffer shared;
        /**
         * The file a file region holds (its close waits for the region), or {@code null}: its
         * pending bytes are the file's {@code [position + readIndex, position + writeIndex)}, not memory.
         */
        public LoopFileBase file;
        /** The file offset of the region's index 0. */
        public long position;
        /** Neighbours in the pool's list of reference blocks out. */
        private Block prevReference;
        private Block nextReference;
        /** Send queues: bytes [readIndex, writeIndex) are pending. */
        public int readIndex;
        int writeIndex;
        /** Zero-copy sends of this block whose notification has not arrived. */
        public int zcPending;
        /** Out of its send queue, waiting only for notifications before it is released. */
        public boolean detached;
        /** On the free list: releasing it again would hand one block to two owners. */
        boolean pooled;
        /** A view for NIO channel I/O, made on first use and kept with the pooled block. */
        private ByteBuffer buffer;

        public Block(MemorySegment segment, int sizeClass) {
            this.segment = segment;
            this.sizeClass = sizeClass;
        }

        int capacity() {
            return (int) segment.byteSize();
        }

        /** The block after this one in its send queue, or {@code null}. */
        public Block next() {
            return next;
        }

        public int readable() {
            return writeIndex - readIndex;
        }

        /** Room to append at the end: none in shared memory or a file region, never written through a queue. */
        int writable() {
            return shared != null || file != null ? 0 : capacity() - writeIndex;
        }

        /** Whether this is a file region, whose bytes are read or spliced from the file when it is sent. */
        public boolean isFile() {
            return file != null;
        }

        /** The file offset of the region's next byte to send. */
        public long filePosition() {
            return position + readIndex;
        }

        /** The pending bytes {@code [readIndex, writeIndex)} as a ByteBuffer (a view kept with the block). */
        public ByteBuffer readableBuffer() {
            if (buffer == null) {
                buffer = segment.asByteBuffer();
            }
            return buffer.limit(writeIndex).position(readIndex);
        }
    }

    private final Arena arena;
    private final Leaks leaks;
    private final Block[] free = new Block[MAX_SHIFT + 1];
    private Block freeReferences;
    /** Reference blocks out, each holding a reference to its shared buffer. */
    private Block references;
    private long allocatedBytes;
    private long inUseBytes;
    /** Bytes the loop's connections have queued to send and the kernel has not taken yet (kept by {@link OutboundQueue}). */
    long queuedOutputBytes;

    /** A pool allocating from {@code arena}; {@code leaks} (or {@code null}) records each block held. */
    public BlockPool(Arena arena, Leaks leaks) {
        this.arena = arena;
        this.leaks = leaks;
    }

    /** A block of at least {@code size} bytes (at most 1 << MAX_SHIFT), emptied. */
    public Block acquire(int size) {
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(size, 1) - 1));
        if (shift > MAX_SHIFT) {
            throw new IllegalArgumentException("block of " + size + " bytes exceeds " + (1 << MAX_SHIFT));
        }
        Block b = free[shift];
        if (b != null) {
            free[shift] = b.next;
            b.next = null;
            b.pooled = false;
        } else {
            b = new Block(arena.allocate(1L << shift, 64), shift);
            allocatedBytes += 1L << shift;
        }
        b.readIndex = b.writeIndex = 0;
        b.zcPending = 0;
        b.detached = false;
        inUseBytes += b.capacity();
        if (leaks != null) {
            leaks.acquired(Leaks.Kind.NATIVE_BLOCK, b, b.capacity() + " bytes");
        }
        return b;
    }

    /**
     * A reference block for bytes {@code [offset, offset + length)} of {@code shared}, which it
     * retains until it is released: its pending bytes are those, and nothing can be appended.
     */
    public Block acquireReference(SharedBuffer shared, long offset, int length) {
        // First: a freed buffer fails here, before a block is taken.
        shared.retain();
        Block b = takeReferenceBlock();
        b.shared = shared;
        if (b.segment != shared.segment()) {
            // The NIO view of the last buffer this block referred to is kept for the next write of
            // the same buffer (the free list hands the same block back), and made anew otherwise.
            b.segment = shared.segment();
            b.buffer = null;
        }
        b.readIndex = (int) offset;
        b.writeIndex = (int) (offset + length);
        track(b);
        if (leaks != null) {
            leaks.acquired(Leaks.Kind.SHARED_REFERENCE, b, length + " bytes of a " + shared.byteSize() + "-byte shared buffer");
        }
        return b;
    }

    /**
     * A file region for bytes {@code [position, position + length)} of {@code file}, which it holds
     * open ({@link LoopFileBase#hold()}) until it is released.
     */
    public Block acquireRegion(LoopFileBase file, long position, int length) {
        file.hold();
        Block b = takeReferenceBlock();
        b.file = file;
        b.segment = null;
        b.buffer = null;
        b.position = position;
        b.readIndex = 0;
        b.writeIndex = length;
        track(b);
        if (leaks != null) {
            leaks.acquired(Leaks.Kind.FILE_REGION, b, length + " bytes of " + file.path() + " at " + position);
        }
        return b;
    }

    private Block takeReferenceBlock() {
        Block b = freeReferences;
        if (b != null) {
            freeReferences = b.next;
            b.next = null;
            b.pooled = false;
        } else {
            b = new Block(null, REFERENCE);
        }
        b.zcPending = 0;
        b.detached = false;
        return b;
    }

    private void track(Block b) {
        b.nextReference = references;
        if (references != null) {
            references.prevReference = b;
        }
        references = b;
    }

    public void release(Block b) {
        if (b.pooled) {
            throw new IllegalStateException((b.sizeClass == REFERENCE ? "reference to a shared buffer" : "native block of "
                    + b.capacity() + " bytes") + " released twice");
        }
        b.pooled = true;
        if (b.sizeClass == REFERENCE) {
            releaseReference(b);
            return;
        }
        inUseBytes -= b.capacity();
        if (leaks != null) {
            leaks.released(Leaks.Kind.NATIVE_BLOCK, b);
        }
        b.next = free[b.sizeClass];
        free[b.sizeClass] = b;
    }

    private void releaseReference(Block b) {
        if (b.prevReference != null) {
            b.prevReference.nextReference = b.nextReference;
        } else {
            references = b.nextReference;
        }
        if (b.nextReference != null) {
            b.nextReference.prevReference = b.prevReference;
        }
        b.prevReference = b.nextReference = null;
        SharedBuffer shared = b.shared;
        LoopFileBase file = b.file;
        b.shared = null;
        b.file = null;
        b.next = freeReferences;
        freeReferences = b;
        if (leaks != null) {
            leaks.released(file != null ? Leaks.Kind.FILE_REGION : Leaks.Kind.SHARED_REFERENCE, b);
        }
        if (file != null) {
            file.letGo();
        } else {
            shared.release();
        }
    }

    /**
     * Drops the references of every reference block still out: the loop has stopped, and the
     * kernel no longer reads anything of it (its final completions have all arrived), but
     * connections that ended with the loop never gave their queues back.
     */
    public void releaseReferences() {
        while (references != null) {
            release(references);
        }
    }

    /** Native bytes allocated so far (blocks are kept for reuse, never returned until close). */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes in blocks currently held by connections. */
    public long inUseBytes() {
        return inUseBytes;
    }

    /** Bytes queued for output by the loop's connections now, not yet taken by the kernel. */
    public long queuedOutputBytes() {
        return queuedOutputBytes;
    }
}
