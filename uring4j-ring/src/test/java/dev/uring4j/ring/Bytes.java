package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Copies bytes between test arrays and native memory: what was received, what is to be sent. */
final class Bytes {
    private Bytes() {}

    /** {@code len} bytes of buffer {@code bid} of {@code buffers}, starting {@code offset} bytes in. */
    static byte[] of(BufferRing buffers, int bid, int offset, int len) {
        return of(buffers.buffers(), (long) bid * buffers.bufferSize() + offset, len);
    }

    /** Fills the start of buffer {@code bid} of {@code buffers} with {@code data}. */
    static void put(BufferRing buffers, int bid, byte[] data) {
        MemorySegment.copy(data, 0, buffers.buffers(), JAVA_BYTE, (long) bid * buffers.bufferSize(), data.length);
    }

    static byte[] of(MemorySegment segment, long offset, int len) {
        return segment.asSlice(offset, len).toArray(JAVA_BYTE);
    }
}
