package dev.uring4j.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * What the load sends, so that every byte that comes back can be checked: each message is a
 * slice of one fixed block of pseudo-random bytes, starting at an offset derived from the
 * message's own seed. A byte lost, duplicated, reordered or taken from another message lands
 * against different expected bytes; checking is {@link Arrays#mismatch} over the slice, cheap
 * enough to verify gigabytes without the checker becoming the load.
 */
final class Payload {
    /** The largest message: offsets stay below this, the block is twice as long. */
    static final int MAX_MESSAGE = 4 << 20;
    private static final byte[] BLOCK = new byte[2 * MAX_MESSAGE];

    static {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < BLOCK.length; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int k = 0; k < 8; k++) {
                BLOCK[i + k] = (byte) (x >>> (8 * k));
            }
        }
    }

    private Payload() {}

    /** Where the message with {@code seed} starts in the block. */
    static int offset(long seed) {
        long z = seed * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z ^= z >>> 31;
        z *= 0x94D049BB133111EBL;
        z ^= z >>> 29;
        return (int) (z & (MAX_MESSAGE - 1));
    }

    /** Writes {@code length} bytes of the message starting at {@code offset}, from its byte {@code from}. */
    static void write(OutputStream out, int offset, int from, int length) throws IOException {
        out.write(BLOCK, offset + from, length);
    }

    /** Copies message bytes into {@code dst} (for datagrams). */
    static void copy(int offset, int from, byte[] dst, int dstOff, int length) {
        System.arraycopy(BLOCK, offset + from, dst, dstOff, length);
    }

    /** The bytes expected back for the message with {@code seed} of {@code length} bytes. */
    static Check check(long seed, int length) {
        return new Check(BLOCK, offset(seed), length);
    }

    /**
     * Expected bytes and how many of them have arrived: received bytes are handed over in the
     * order they came, and each is compared with the byte due at that position.
     */
    static final class Check {
        private final byte[] source;
        private final int start;
        final long length;
        long received;

        Check(byte[] source, int start, long length) {
            this.source = source;
            this.start = start;
            this.length = length;
        }

        /** A fixed reply, such as a response body that is always the same. */
        static Check of(byte[] bytes) {
            return new Check(bytes, 0, bytes.length);
        }

        long remaining() {
            return length - received;
        }

        /**
         * Takes {@code n} received bytes; returns how many of them are wrong (bytes past the
         * expected length all are).
         */
        int accept(byte[] buf, int off, int n) {
            int due = (int) Math.min(n, remaining());
            int wrong = n - due;
            int from = start + (int) received;
            int first = Arrays.mismatch(buf, off, off + due, source, from, from + due);
            if (first >= 0) {
                for (int i = first; i < due; i++) {
                    if (buf[off + i] != source[from + i]) {
                        wrong++;
                    }
                }
            }
            received += n;
            return wrong;
        }
    }
}
