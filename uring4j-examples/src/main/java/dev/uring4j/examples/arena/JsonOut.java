package dev.uring4j.examples.arena;

import java.util.Arrays;

/**
 * A growable byte array a response body is written into, one per event loop thread and reused:
 * once it has grown to the largest body, writing one allocates nothing. The response copies the
 * octets when it is sent, so the next request may write over them.
 */
final class JsonOut {
    private static final ThreadLocal<JsonOut> PER_THREAD = ThreadLocal.withInitial(JsonOut::new);
    private static final byte[] MIN_LONG = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes = new byte[16 * 1024];
    private int length;

    /** This thread's buffer, emptied. */
    static JsonOut get() {
        JsonOut out = PER_THREAD.get();
        out.length = 0;
        return out;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    JsonOut raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    JsonOut raw(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    JsonOut number(long v) {
        if (v == Long.MIN_VALUE) {
            return raw(MIN_LONG);
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v / 10; t != 0; t /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--, v /= 10) {
            bytes[i] = (byte) ('0' + v % 10);
        }
        length += digits;
        return this;
    }

    JsonOut bool(boolean b) {
        return raw(b ? TRUE : FALSE);
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + extra, bytes.length * 2));
        }
    }
}
