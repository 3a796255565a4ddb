package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;

/**
 * Encodes frames (RFC 6455 section 5.2): the header, and for a client the masked payload, into a
 * session's scratch buffer. A server's frames are never masked; a client's always are, each with a
 * fresh key from a strong random source (section 10.3: a predictable key would let a page steer
 * the bytes a proxy sees). Keys are drawn from {@link SecureRandom} in batches, so a frame costs no
 * call into it. Owned by one session; a frame sent from another thread is encoded on the loop.
 */
final class FrameWriter {
    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    /** The longest header: two octets, a 64-bit length, a mask key. */
    static final int MAX_HEADER = 14;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean masking;
    private final byte[] keys;
    private int nextKey;

    FrameWriter(boolean masking) {
        this.masking = masking;
        this.keys = masking ? new byte[256] : null;
        this.nextKey = masking ? keys.length : 0;
    }

    boolean masking() {
        return masking;
    }

    /**
     * Appends the header of a frame to {@code out}.
     *
     * @param b0 FIN, RSV and opcode bits
     * @return the mask key used (0 when not masking)
     */
    int header(MessageBuffer out, int b0, long length) {
        out.ensure(MAX_HEADER);
        byte[] a = out.array();
        int p = out.length;
        a[p++] = (byte) b0;
        int maskBit = masking ? 0x80 : 0;
        if (length < 126) {
            a[p++] = (byte) (maskBit | length);
        } else if (length <= 0xFFFF) {
            a[p++] = (byte) (maskBit | 126);
            a[p++] = (byte) (length >>> 8);
            a[p++] = (byte) length;
        } else {
            a[p++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                a[p++] = (byte) (length >>> shift);
            }
        }
        int key = 0;
        if (masking) {
            key = nextKey();
            a[p++] = (byte) (key >>> 24);
            a[p++] = (byte) (key >>> 16);
            a[p++] = (byte) (key >>> 8);
            a[p++] = (byte) key;
        }
        out.length = p;
        return key;
    }

    /** Appends a whole frame, header and (masked, for a client) payload, to {@code out}. */
    void frame(MessageBuffer out, int b0, byte[] array, MemorySegment segment, long offset, int length) {
        int key = header(out, b0, length);
        out.ensure(length);
        int at = out.length;
        if (array != null) {
            System.arraycopy(array, (int) offset, out.array(), at, length);
        } else {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out.array(), at, length);
        }
        if (masking) {
            Bytes.mask(out.array(), at, length, key, 0);
        }
        out.length = at + length;
    }

    private int nextKey() {
        if (nextKey == keys.length) {
            RANDOM.nextBytes(keys);
            nextKey = 0;
        }
        int k = ((keys[nextKey] & 0xFF) << 24) | ((keys[nextKey + 1] & 0xFF) << 16) | ((keys[nextKey + 2] & 0xFF) << 8)
                | (keys[nextKey + 3] & 0xFF);
        nextKey += 4;
        return k;
    }
}
