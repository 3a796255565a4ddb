package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Word-at-a-time access to byte arrays and the masking of RFC 6455 section 5.3, shared by both directions. */
final class Bytes {
    /** Eight octets of a byte array as one little-endian long. */
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    /**
     * Copies {@code length} octets from {@code src} into {@code dst} and XORs them with the mask
     * key, continuing the key at {@code maskPosition} (the payload offset of the first octet, so a
     * frame's payload may arrive in pieces).
     *
     * @param mask the four key octets as a big-endian int (the order they appear on the wire)
     */
    static void unmask(MemorySegment src, long srcOffset, byte[] dst, int dstOffset, int length, int mask, long maskPosition) {
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, srcOffset, dst, dstOffset, length);
        mask(dst, dstOffset, length, mask, maskPosition);
    }

    /** XORs {@code data[offset, offset + length)} in place with the key, starting at key octet {@code maskPosition % 4}. */
    static void mask(byte[] data, int offset, int length, int mask, long maskPosition) {
        int shift = (int) (maskPosition & 3);
        // The key rotated so that its octet for data[offset] comes first, then repeated over a long
        // in memory (little-endian) order.
        int rotated = Integer.rotateLeft(mask, 8 * shift);
        int le = Integer.reverseBytes(rotated);
        long key = (le & 0xFFFFFFFFL) | ((long) le << 32);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            LONG.set(data, i, (long) LONG.get(data, i) ^ key);
        }
        for (int k = 0; i < end; i++, k++) {
            data[i] ^= (byte) (rotated >>> (24 - 8 * (k & 3)));
        }
    }
}
