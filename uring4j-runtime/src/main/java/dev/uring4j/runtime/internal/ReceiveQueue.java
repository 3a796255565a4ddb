package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Bytes received for a blocking socket, between the loop that receives them and the one thread
 * that reads them: a ring of bytes with one producer (the loop, copying each receive view in as
 * it completes) and one consumer (the reader). A read of bytes already here takes no system call
 * and no hand-off between threads; a reader that finds none parks until the loop unparks it.
 *
 * <p>The indexes only grow; each side publishes its own with a release store and reads the
 * other's with an acquire load, so neither side ever waits for the other except a reader with
 * nothing to read.
 */
public final class ReceiveQueue {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ReceiveQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(ReceiveQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] ring;
    private final int mask;
    /** Bytes read so far: written by the reader. */
    private long head;
    /** Bytes received so far: written by the loop. */
    private long tail;

    /** A queue holding up to {@code capacity} bytes, rounded up to a power of two. */
    public ReceiveQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(capacity, 64) - 1) << 1;
        this.ring = new byte[size];
        this.mask = size - 1;
    }

    /** How many bytes the queue holds at most. */
    public int capacity() {
        return ring.length;
    }

    /** Bytes waiting to be read (either side). */
    public int available() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    /** The loop: copies up to {@code length} bytes of {@code memory} in; returns how many fitted. */
    public int offer(MemorySegment memory, long offset, int length) {
        long t = tail;
        int room = ring.length - (int) (t - (long) HEAD.getAcquire(this));
        int n = Math.min(room, length);
        int at = (int) (t & mask);
        int first = Math.min(n, ring.length - at);
        MemorySegment.copy(memory, JAVA_BYTE, offset, ring, at, first);
        MemorySegment.copy(memory, JAVA_BYTE, offset + first, ring, 0, n - first);
        TAIL.setRelease(this, t + n);
        return n;
    }

    /** The reader: copies up to {@code length} waiting bytes into {@code dst}; returns how many (0 when none wait). */
    public int poll(byte[] dst, int offset, int length) {
        long h = head;
        int n = Math.min(length, (int) ((long) TAIL.getAcquire(this) - h));
        int at = (int) (h & mask);
        int first = Math.min(n, ring.length - at);
        System.arraycopy(ring, at, dst, offset, first);
        System.arraycopy(ring, 0, dst, offset + first, n - first);
        HEAD.setRelease(this, h + n);
        return n;
    }
}
