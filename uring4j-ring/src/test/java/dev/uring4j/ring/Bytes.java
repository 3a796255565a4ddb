package dev.uring4j.ring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Copies received bytes out of native memory for assertions. */
final class Bytes {
    private Bytes() {}

    /** {@code len} bytes of buffer {@code bid} of {@code buffers}, starting {@code offset} bytes in. */
    static byte[] of(BufferRing buffers, int bid, int offset, int len) {
        return of(buffers.buffers(), (long) bid * buffers.bufferSize() + offset, len);
    }

    static byte[] of(MemorySegment segment, long offset, int len) {
        return segment.asSlice(offset, len).toArray(JAVA_BYTE);
    }
}
