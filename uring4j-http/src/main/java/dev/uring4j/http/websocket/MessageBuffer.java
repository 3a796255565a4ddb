package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;

/**
 * A growable heap buffer with a cached segment view of its array, so that handing its content to a
 * handler as a {@link MemorySegment} allocates nothing once it has grown to the session's messages.
 * Owned by one session, used on its loop only.
 */
final class MessageBuffer {
    private byte[] array;
    private MemorySegment view;
    int length;

    MessageBuffer(int initialCapacity) {
        array = new byte[initialCapacity];
        view = MemorySegment.ofArray(array);
    }

    byte[] array() {
        return array;
    }

    MemorySegment segment() {
        return view;
    }

    /** Makes room for {@code more} octets after {@link #length}, doubling, but never past {@code max} unless needed. */
    void ensure(int more) {
        long needed = (long) length + more;
        if (needed <= array.length) {
            return;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a message buffer cannot hold " + needed + " octets");
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * array.length));
        array = java.util.Arrays.copyOf(array, capacity);
        view = MemorySegment.ofArray(array);
    }

    void append(byte[] src, int offset, int n) {
        ensure(n);
        System.arraycopy(src, offset, array, length, n);
        length += n;
    }

    /** Empties the buffer, giving back memory a rare large message grew it to. */
    void clear(int keep) {
        length = 0;
        if (array.length > keep) {
            array = new byte[keep];
            view = MemorySegment.ofArray(array);
        }
    }
}
