package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loop's native block pool: power-of-two blocks from 4 KiB to 16 MiB, a released block is the
 * one handed out next for its size (steady traffic allocates nothing), a double release is caught
 * before two owners share a block, the byte counters add up, and a reused block comes back empty.
 */
@Tag("transport-independent")
class BlockPoolTest {
    private final Arena arena = Arena.ofConfined();
    private final BlockPool pool = new BlockPool(arena, null);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void sizesRoundUpToAPowerOfTwoFrom4KiBTo16MiB() {
        assertEquals(4096, pool.acquire(0).capacity(), "the smallest block is 4 KiB");
        assertEquals(4096, pool.acquire(1).capacity());
        assertEquals(4096, pool.acquire(4096).capacity(), "an exact power of two is not doubled");
        assertEquals(8192, pool.acquire(4097).capacity());
        assertEquals(65536, pool.acquire(40_000).capacity());
        assertEquals(1 << 24, pool.acquire((1 << 23) + 1).capacity());
        assertEquals(1 << 24, pool.acquire(1 << 24).capacity(), "16 MiB, the largest, is served");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.acquire((1 << 24) + 1));
        assertTrue(e.getMessage().contains("16777217"), e.getMessage());
    }

    @Test
    void aReleasedBlockIsTheOneHandedOutNextForItsSize() {
        BlockPool.Block a = pool.acquire(5000);
        BlockPool.Block b = pool.acquire(5000);
        assertNotSame(a, b);
        long allocated = pool.allocatedBytes();
        pool.release(a);
        pool.release(b);
        // Last released, first reused.
        assertSame(b, pool.acquire(6000), "a block of the same size class is reused");
        assertSame(a, pool.acquire(8192));
        assertEquals(allocated, pool.allocatedBytes(), "reuse allocates no native memory");
        BlockPool.Block c = pool.acquire(8192);
        assertNotSame(a, c);
        assertEquals(allocated + 8192, pool.allocatedBytes(), "with the free list empty, a new block");
    }

    @Test
    void aBlockIsNotReusedForAnotherSizeClass() {
        BlockPool.Block small = pool.acquire(4096);
        pool.release(small);
        BlockPool.Block large = pool.acquire(8192);
        assertNotSame(small, large);
        assertEquals(8192, large.capacity());
        assertSame(small, pool.acquire(100), "the small one still waits for a small request");
    }

    @Test
    void releasingTwiceIsAnError() {
        BlockPool.Block b = pool.acquire(4096);
        pool.release(b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(b));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
        // The pool was not corrupted: the block is handed out once, then a new one.
        BlockPool.Block first = pool.acquire(4096);
        BlockPool.Block second = pool.acquire(4096);
        assertSame(b, first);
        assertNotSame(b, second, "one block must never have two owners");
        assertEquals(8192, pool.inUseBytes());
    }

    @Test
    void aBlockAcquiredAgainCanBeReleasedAgain() {
        BlockPool.Block b = pool.acquire(4096);
        pool.release(b);
        assertSame(b, pool.acquire(4096));
        pool.release(b); // not a double release: it was acquired in between
        assertEquals(0, pool.inUseBytes());
    }

    @Test
    void inUseAndAllocatedBytesAddUp() {
        assertEquals(0, pool.inUseBytes());
        assertEquals(0, pool.allocatedBytes());
        BlockPool.Block a = pool.acquire(100);     // 4 KiB
        BlockPool.Block b = pool.acquire(10_000);  // 16 KiB
        BlockPool.Block c = pool.acquire(70_000);  // 128 KiB
        assertEquals(4096 + 16384 + 131072, pool.inUseBytes());
        assertEquals(4096 + 16384 + 131072, pool.allocatedBytes());
        pool.release(b);
        assertEquals(4096 + 131072, pool.inUseBytes(), "a released block is no longer in use");
        assertEquals(4096 + 16384 + 131072, pool.allocatedBytes(), "but its memory is kept for reuse");
        pool.acquire(16384);
        assertEquals(4096 + 16384 + 131072, pool.inUseBytes());
        pool.release(a);
        pool.release(c);
        assertEquals(16384, pool.inUseBytes());
    }

    @Test
    void aReusedBlockComesBackEmpty() {
        BlockPool.Block b = pool.acquire(4096);
        assertEquals(0, b.readable());
        assertEquals(4096, b.writable());
        b.segment.set(JAVA_BYTE, 0, (byte) 7);
        b.writeIndex = 300;
        b.readIndex = 120;
        b.zcPending = 2;
        b.detached = true;
        ByteBuffer view = b.readableBuffer();
        assertEquals(120, view.position());
        assertEquals(300, view.limit());
        pool.release(b);

        BlockPool.Block again = pool.acquire(4096);
        assertSame(b, again);
        assertEquals(0, again.readIndex);
        assertEquals(0, again.readable(), "no stale pending bytes from the previous owner");
        assertEquals(4096, again.writable());
        assertEquals(0, again.zcPending);
        assertFalse(again.detached);
        ByteBuffer reused = again.readableBuffer();
        assertEquals(0, reused.remaining(), "the kept view shows the new, empty range");
    }

    @Test
    void blocksAreDistinctMemory() {
        BlockPool.Block a = pool.acquire(4096);
        BlockPool.Block b = pool.acquire(4096);
        a.segment.fill((byte) 1);
        b.segment.fill((byte) 2);
        assertEquals(1, a.segment.get(JAVA_BYTE, 4095));
        assertEquals(2, b.segment.get(JAVA_BYTE, 0));
        assertEquals(0, a.segment.address() % 64, "blocks are cache-line aligned");
    }
}
