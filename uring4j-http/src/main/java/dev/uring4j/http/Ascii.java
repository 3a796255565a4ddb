package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Octet classes of RFC 9110/9112 as one lookup table, and the few comparisons the parser needs
 * over receive views. Every method works on octets in place: nothing here allocates.
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
        if (length != lowercase.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(at(segment, offset + i)) != lowercase[i]) {
                return false;
            }
        }
        return true;
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
        if (length != bytes.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (at(segment, offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
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
