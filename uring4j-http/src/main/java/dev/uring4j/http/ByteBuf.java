package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A growable byte array with a length: response heads are assembled here and responses that wait
 * behind an earlier one in the pipeline are held here. It grows by doubling and is reused, so once
 * it has reached the size a connection needs it allocates nothing.
 */
final class ByteBuf {
    private static final byte[] HEX = Ascii.bytes("0123456789abcdef");

    private byte[] array;
    private int length;

    ByteBuf(int initialCapacity) {
        array = new byte[initialCapacity];
    }

    byte[] array() {
        return array;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Forgets the contents and, if the buffer grew past {@code maxCapacity}, its size too. */
    void reset(int maxCapacity, int initialCapacity) {
        length = 0;
        if (array.length > maxCapacity) {
            array = new byte[initialCapacity];
        }
    }

    private void ensure(int extra) {
        int needed = length + extra;
        if (needed < 0) {
            throw new OutOfMemoryError("buffer would exceed 2 GiB");
        }
        if (needed > array.length) {
            array = Arrays.copyOf(array, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, array.length * 2L)));
        }
    }

    ByteBuf append(byte b) {
        ensure(1);
        array[length++] = b;
        return this;
    }

    ByteBuf append(byte[] bytes) {
        return append(bytes, 0, bytes.length);
    }

    ByteBuf append(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, array, length, count);
        length += count;
        return this;
    }

    ByteBuf append(ByteBuf other) {
        return append(other.array, 0, other.length);
    }

    ByteBuf append(MemorySegment segment, long offset, int count) {
        ensure(count);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, array, length, count);
        length += count;
        return this;
    }

    /** Appends a non-negative number in decimal without allocating. */
    ByteBuf appendDecimal(long value) {
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            array[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** Appends a positive number in lowercase hexadecimal, as chunk sizes are written. */
    ByteBuf appendHex(long value) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        ensure(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            array[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        length += digits;
        return this;
    }

    /** Appends text whose characters were checked to be octets (ISO-8859-1). */
    ByteBuf appendLatin1(CharSequence text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            array[length++] = (byte) text.charAt(i);
        }
        return this;
    }
}
