package dev.uring4j.http;

import java.util.Locale;

/**
 * The one byte range a {@code Range} field asks for (RFC 9110 section 14.1.2), resolved against a
 * representation of {@code size} bytes: {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}.
 * A field that asks for several ranges, names another unit or does not parse is not an error: the
 * whole representation is served ({@link #WHOLE}); one whose range starts past the end is
 * {@link #UNSATISFIABLE} (416).
 *
 * @param first the first byte served
 * @param last  the last byte served, inclusive
 */
record ByteRange(long first, long last) {
    /** Serve the whole representation: no range, or one the server does not honour. */
    static final ByteRange WHOLE = new ByteRange(-1, -1);
    /** No byte of the representation is in the range: {@code 416}. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    /** {@return how many bytes the range holds} */
    long length() {
        return last - first + 1;
    }

    /** The range {@code field} asks of a representation of {@code size} bytes. */
    static ByteRange parse(String field, long size) {
        String s = field.trim();
        int eq = s.indexOf('=');
        if (eq < 0 || !s.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return WHOLE;
        }
        String set = s.substring(eq + 1).trim();
        // A list may have empty elements ("1#" in RFC 9110); more than one range is served whole.
        String spec = null;
        for (String element : set.split(",", -1)) {
            String e = element.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (spec != null) {
                return WHOLE;
            }
            spec = e;
        }
        if (spec == null) {
            return WHOLE;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        long first = digits(spec, 0, dash);
        long last = digits(spec, dash + 1, spec.length());
        if (dash == 0) { // suffix: the last n bytes
            if (last < 0) {
                return WHOLE;
            }
            return last == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - last), size - 1);
        }
        if (first < 0 || (dash + 1 < spec.length() && last < 0)) {
            return WHOLE;
        }
        if (dash + 1 < spec.length() && last < first) {
            return WHOLE; // invalid: last before first
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, dash + 1 == spec.length() ? size - 1 : Math.min(last, size - 1));
    }

    /**
     * The decimal number in {@code s[from, to)}; -1 if empty or not all digits; a number too large
     * for a long is {@link Long#MAX_VALUE} (past any file's end).
     */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }
}
