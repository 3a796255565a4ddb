package dev.uring4j.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A connection's output queue: bytes come out in the order written, whatever the block
 * boundaries and however short the sends; drained blocks go back to the pool, except one a
 * zero-copy send still reads; discarding keeps the block a send is reading.
 */
@Tag("transport-independent")
class OutboundQueueTest {
    private final Arena arena = Arena.ofConfined();
    private final BlockPool pool = new BlockPool(arena, null);
    private final OutboundQueue queue = new OutboundQueue(pool);

    @AfterEach
    void close() {
        arena.close();
    }

    /** Sends the head block in pieces of at most {@code sendSize}, like short sends, and returns every byte sent. */
    private byte[] drain(int sendSize) {
        byte[] out = new byte[(int) queue.pending()];
        int at = 0;
        while (!queue.isEmpty()) {
            BlockPool.Block b = queue.head();
            int n = Math.min(sendSize, b.readable());
            MemorySegment.copy(b.segment, JAVA_BYTE, b.readIndex, out, at, n);
            at += n;
            queue.advance(n);
        }
        assertEquals(out.length, at, "every pending byte was in a block");
        return out;
    }

    @Test
    void bytesComeOutInOrderAcrossBlocksAndShortSends() {
        Random random = new Random(42);
        byte[] all = new byte[3 * OutboundQueue.MAX_BLOCK + 12345];
        random.nextBytes(all);
        int at = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, 1 + random.nextInt(300_000));
            if (random.nextBoolean()) {
                queue.append(all, at, n);
            } else {
                queue.append(MemorySegment.ofArray(all), at, n);
            }
            at += n;
        }
        assertEquals(all.length, queue.pending());
        assertArrayEquals(all, drain(7_777));
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.pending());
        assertEquals(0, pool.inUseBytes(), "every drained block went back to the pool");
    }

    @Test
    void smallWritesShareOneBlock() {
        for (int i = 0; i < 100; i++) {
            queue.append(new byte[] {(byte) i}, 0, 1);
        }
        BlockPool.Block head = queue.head();
        assertEquals(100, head.readable(), "one block, one send");
        assertEquals(OutboundQueue.MIN_BLOCK, head.capacity());
        byte[] out = drain(Integer.MAX_VALUE);
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, out[i]);
        }
    }

    @Test
    void aBlockAZeroCopySendReadsIsNotWrittenToNorReleasedUntilItsNotification() {
        queue.append(new byte[1000], 0, 1000);
        BlockPool.Block sending = queue.head();
        sending.zcPending++;                            // a send_zc of it is in flight
        queue.append(new byte[10], 0, 10);
        assertEquals(1000, sending.writeIndex, "new bytes go to a new block, not under the kernel's read");
        queue.advance(1000);                            // the send completed
        assertTrue(sending.detached, "drained but still read by the kernel: detached, not released");
        long inUse = pool.inUseBytes();
        assertTrue(inUse >= sending.capacity(), "still counted in use");
        sending.zcPending--;                            // the notification: the transport releases it
        pool.release(sending);
        assertEquals(inUse - sending.capacity(), pool.inUseBytes());
        assertEquals(10, queue.pending());
    }

    @Test
    void discardKeepsOnlyTheBlockASendIsReading() {
        queue.append(new byte[OutboundQueue.MAX_BLOCK], 0, OutboundQueue.MAX_BLOCK);
        queue.append(new byte[5000], 0, 5000);
        BlockPool.Block sending = queue.head();
        assertEquals(OutboundQueue.MAX_BLOCK + 5000, queue.pending());

        queue.discard(true);
        assertSame(sending, queue.head());
        assertNull(sending.next);
        assertEquals(sending.readable(), queue.pending(), "the in-flight send's bytes stay counted");
        queue.advance(sending.readable());
        assertTrue(queue.isEmpty());
        assertEquals(0, pool.inUseBytes());
    }

    @Test
    void discardingAfterAZeroCopySendCompletedButBeforeItsNotificationKeepsTheBlockAlive() {
        queue.append(new byte[20_000], 0, 20_000);
        BlockPool.Block sent = queue.head();
        sent.zcPending++;                               // send_zc submitted for the head block
        queue.advance(5_000);                           // its result came: a short send, no send in flight now
        queue.discard(false);                           // the connection aborts before the notification
        assertTrue(queue.isEmpty());
        assertTrue(sent.detached, "the kernel may still read it: detached, not released");
        BlockPool.Block next = pool.acquire(sent.capacity());
        assertNotSame(sent, next, "a block the kernel may read is never handed out again");
        pool.release(next);
        sent.zcPending--;                               // the notification: now it may go back
        pool.release(sent);
        assertEquals(0, pool.inUseBytes());
    }

    @Test
    void discardWithNothingInFlightDropsEverything() {
        queue.append(new byte[70_000], 0, 70_000);
        queue.discard(false);
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.pending());
        assertEquals(0, pool.inUseBytes());
        queue.append(new byte[] {1, 2, 3}, 0, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, drain(2), "usable again after a discard");
    }

    @Test
    void releaseAllLetsGoOfEveryBlock() {
        queue.append(new byte[200_000], 0, 200_000);
        queue.releaseAll();
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.pending());
        assertEquals(0, pool.inUseBytes());
    }
}
