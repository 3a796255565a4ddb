package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Octet classes of RFC 9110/9112 as one lookup table, and the few comparisons and scans the parser
 * needs over receive views. Every method works on octets in place: nothing here allocates.
 *
 * <p><b>Eight octets at a time.</b> The scans over the long runs of a head (the target, field
 * values) and the comparisons read a {@code long} at a time and find the first octet that ends the
 * run with bit arithmetic (SWAR: SIMD within a register), rather than looking up every octet. Each
 * per-octet test below sets the high bit of exactly the octets it matches, with no carry or borrow
 * crossing into a neighbour, so the lowest set bit always names the first octet that stops the
 * run, and the rest of the word is never misread. Words are read little-endian whatever the
 * platform's order, so that the lowest bits are the first octet.
 */
final class Ascii {
    /** {@code tchar}: the characters of a token (RFC 9110 section 5.6.2). */
    static final int TOKEN = 1;
    /** {@code field-vchar}: VCHAR or obs-text, the non-blank octets of a field value. */
    static final int FIELD_VCHAR = 1 << 1;
    /** Octets a request-target may contain: VCHAR except '#' (a fragment is never sent). */
    static final int TARGET = 1 << 2;
    /** Octets of a Host value: unreserved, sub-delims, '%', ':', '[', ']' (RFC 3986 authority). */
    static final int HOST = 1 << 3;
    /** {@code qdtext} of a quoted-string, without the HTAB and SP the callers accept themselves. */
    static final int QDTEXT = 1 << 4;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort PAIR = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long LOW7 = 0x7F7F_7F7F_7F7F_7F7FL;
    private static final long HIGH = 0x8080_8080_8080_8080L;

    private static final byte[] CLASSES = new byte[256];
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        for (int c = 0x21; c <= 0x7E; c++) {
            CLASSES[c] |= FIELD_VCHAR | TARGET;
            if (c != '"' && c != '\\') {
                CLASSES[c] |= QDTEXT;
            }
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            CLASSES[c] |= FIELD_VCHAR | QDTEXT;
        }
        CLASSES['#'] &= ~TARGET;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            CLASSES[c] |= TOKEN;
        }
        for (int c = 0; c < 256; c++) {
            HEX_VALUE[c] = -1;
            if (isAlphaOrDigit(c)) {
                CLASSES[c] |= TOKEN | HOST;
            }
        }
        for (char c : "-._~!$&'()*+,;=%:[]".toCharArray()) {
            CLASSES[c] |= HOST;
        }
        for (int c = '0'; c <= '9'; c++) {
            HEX_VALUE[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX_VALUE[c] = (byte) (c - 'a' + 10);
            HEX_VALUE[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    private Ascii() {
    }

    private static boolean isAlphaOrDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Whether octet {@code b} belongs to every class in {@code mask}. */
    static boolean is(byte b, int mask) {
        return (CLASSES[b & 0xFF] & mask) == mask;
    }

    /** The value of a hexadecimal digit, or -1. */
    static int hexValue(byte b) {
        return HEX_VALUE[b & 0xFF];
    }

    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    static byte at(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** Whether {@code length} octets at {@code offset} equal {@code lowercase}, ignoring ASCII case. */
    static boolean equalsIgnoreCase(MemorySegment segment, long offset, int length, byte[] lowercase) {
        return length == lowercase.length && regionEquals(segment, offset, lowercase, true);
    }

    /** As {@link #equalsIgnoreCase(MemorySegment, long, int, byte[])} for a caller's text. */
    static boolean equalsIgnoreCase(MemorySegment segment, long offset, int length, CharSequence text) {
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF || lower(at(segment, offset + i)) != lower((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code length} octets at {@code offset} equal {@code text} exactly. */
    static boolean equals(MemorySegment segment, long offset, int length, CharSequence text) {
        if (length != text.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((at(segment, offset + i) & 0xFF) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code length} octets at {@code offset} equal {@code bytes} exactly. */
    static boolean equals(MemorySegment segment, long offset, int length, byte[] bytes) {
        return length == bytes.length && regionEquals(segment, offset, bytes, false);
    }

    /**
     * Whether the octets at {@code offset} equal {@code bytes}, upper-case letters lowered first when
     * {@code fold}: compared a word at a time, the last word overlapping the one before rather than
     * octet by octet, and an int at a time below eight octets. Reads nothing outside the region.
     */
    private static boolean regionEquals(MemorySegment segment, long offset, byte[] bytes, boolean fold) {
        int n = bytes.length;
        if (n >= Long.BYTES) {
            for (int i = 0; ; i += Long.BYTES) {
                int at = Math.min(i, n - Long.BYTES);
                long w = word(segment, offset + at);
                if ((fold ? lowerWord(w) : w) != (long) ARRAY_WORD.get(bytes, at)) {
                    return false;
                }
                if (at == n - Long.BYTES) {
                    return true;
                }
            }
        }
        if (n >= Integer.BYTES) {
            return intEquals(segment, offset, bytes, 0, fold) && intEquals(segment, offset, bytes, n - Integer.BYTES, fold);
        }
        for (int i = 0; i < n; i++) {
            byte b = at(segment, offset + i);
            if ((fold ? lower(b) : b) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean intEquals(MemorySegment segment, long offset, byte[] bytes, int at, boolean fold) {
        long w = segment.get(INT, offset + at) & 0xFFFF_FFFFL;
        return (fold ? lowerWord(w) : w) == ((int) ARRAY_INT.get(bytes, at) & 0xFFFF_FFFFL);
    }

    /** {@code w} with its upper-case ASCII letters lowered, every other octet as it was. */
    private static long lowerWord(long w) {
        // The mark of an octet in 'A'..'Z' is its high bit; two places lower it is the case bit.
        return w | ((below(w, 'Z' + 1) & ~below(w, 'A')) >>> 2);
    }

    /** The two octets at {@code offset}, the first in the lowest bits. */
    static int pair(MemorySegment segment, long offset) {
        return segment.get(PAIR, offset) & 0xFFFF;
    }

    /** The octets CR LF as a {@link #pair}. */
    static final int CRLF = '\r' | '\n' << Byte.SIZE;

    /** The eight octets at {@code offset}, the first in the lowest bits. */
    static long word(MemorySegment segment, long offset) {
        return segment.get(WORD, offset);
    }

    /** The eight octets of ASCII text, the first in the lowest bits: a constant to compare {@link #word} with. */
    static long word(String eightOctets) {
        return (long) ARRAY_WORD.get(bytes(eightOctets), 0);
    }

    /**
     * The first index in {@code [from, end)} whose octet (relative to {@code base}) may not continue
     * a request-target or is {@code '?'}, which starts the query; {@code end} if there is none.
     */
    static int skipTarget(MemorySegment segment, long base, int from, int end) {
        return scan(segment, base, from, end, true);
    }

    /**
     * The first index in {@code [from, end)} whose octet (relative to {@code base}) is not a
     * {@code field-vchar}: a blank, a control, DEL or a line ending; {@code end} if there is none.
     */
    static int skipFieldVchars(MemorySegment segment, long base, int from, int end) {
        return scan(segment, base, from, end, false);
    }

    /**
     * The first index in {@code [from, end)} that ends a request-target ({@code target}) or a field
     * value, a word at a time: the octets after the last whole word are read as the run's last word,
     * overlapping the one before, with the octets already scanned masked off.
     */
    private static int scan(MemorySegment segment, long base, int from, int end, boolean target) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long w = word(segment, base + i);
            long stop = target ? targetStops(w) : valueStops(w);
            if (stop != 0) {
                return i + firstMarked(stop);
            }
        }
        if (i == end) {
            return end;
        }
        if (end - from >= Long.BYTES) {
            int last = end - Long.BYTES;
            long w = word(segment, base + last);
            long stop = (target ? targetStops(w) : valueStops(w)) & (-1L << (Byte.SIZE * (i - last)));
            return stop != 0 ? last + firstMarked(stop) : end;
        }
        for (; i < end; i++) {
            byte b = at(segment, base + i);
            if (target ? !is(b, TARGET) || b == '?' : !is(b, FIELD_VCHAR)) {
                return i;
            }
        }
        return end;
    }

    /** Marks the octets of {@code w} that may not continue a request-target, and '?'. */
    private static long targetStops(long w) {
        return below(w, 0x21) | delOrAbove(w) | equal(w, '#') | equal(w, '?');
    }

    /** Marks the octets of {@code w} that are not field-vchar (obs-text is). */
    private static long valueStops(long w) {
        return below(w, 0x21) | equal(w, 0x7F);
    }

    /**
     * The first index in {@code [from, end)} whose octet (relative to {@code base}) is not in every
     * class of {@code mask}; {@code end} if there is none.
     */
    static int skip(MemorySegment segment, long base, int from, int end, int mask) {
        // Classes such as tchar have no short arithmetic form: each octet is looked up, eight of them
        // from one word in a register rather than read from the view one at a time.
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long w = word(segment, base + i);
            for (int k = 0; k < Long.BYTES; k++, w >>>= 8) {
                if ((CLASSES[(int) w & 0xFF] & mask) != mask) {
                    return i + k;
                }
            }
        }
        if (i < end && end - from >= Long.BYTES) {
            int last = end - Long.BYTES; // the rest, as the run's last word
            long w = word(segment, base + last) >>> (Byte.SIZE * (i - last));
            for (; i < end; i++, w >>>= 8) {
                if ((CLASSES[(int) w & 0xFF] & mask) != mask) {
                    return i;
                }
            }
        }
        for (; i < end; i++) {
            if (!is(at(segment, base + i), mask)) {
                return i;
            }
        }
        return end;
    }

    /** Marks (high bit) each octet of {@code w} below {@code n}, for {@code n <= 0x80}. */
    private static long below(long w, int n) {
        // The low seven bits plus (0x80 - n) reach the high bit exactly when they are at least n, and
        // never carry out of the octet; an octet with its own high bit set is not below n either.
        return ~(((w & LOW7) + (0x80 - n) * ONES) | w) & HIGH;
    }

    /** Marks each octet of {@code w} equal to {@code c}. */
    private static long equal(long w, int c) {
        return below(w ^ (c * ONES), 1);
    }

    /** Marks each octet of {@code w} that is DEL (0x7F) or above. */
    private static long delOrAbove(long w) {
        return (((w & LOW7) + ONES) | w) & HIGH;
    }

    /** The position, 0 to 7, of the first octet marked in a non-zero mask. */
    private static int firstMarked(long marks) {
        return Long.numberOfTrailingZeros(marks) >>> 3;
    }

    /** Decodes octets as ISO-8859-1, the charset RFC 9110 gives field values. Allocates. */
    static String string(MemorySegment segment, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The octets of ASCII text, for constants. */
    static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
