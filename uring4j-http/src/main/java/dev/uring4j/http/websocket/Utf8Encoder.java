package dev.uring4j.http.websocket;

/** Encodes text to UTF-8 into a buffer the caller keeps, so that sending text allocates nothing once it has grown. */
final class Utf8Encoder {
    private Utf8Encoder() {
    }

    /** Replaces {@code out}'s content with {@code text} in UTF-8; an unpaired surrogate becomes '?', as {@code String.getBytes} does. */
    static void encode(CharSequence text, MessageBuffer out) {
        int n = text.length();
        out.length = 0;
        out.ensure(n * 3);
        byte[] a = out.array();
        int p = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                a[p++] = (byte) c;
            } else if (c < 0x800) {
                a[p++] = (byte) (0xC0 | (c >> 6));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                a[p++] = (byte) (0xF0 | (cp >> 18));
                a[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                a[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                a[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                a[p++] = '?';
            } else {
                a[p++] = (byte) (0xE0 | (c >> 12));
                a[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out.length = p;
    }
}
