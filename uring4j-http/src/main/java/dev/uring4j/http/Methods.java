package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * The methods RFC 9110 section 9 and RFC 5789 define, recognised in place so that a request with a
 * standard method gets a constant {@code String} and never allocates one.
 */
final class Methods {
    static final int OTHER = -1;
    static final int HEAD = 1;
    static final int CONNECT = 5;
    static final int OPTIONS = 6;

    /** Indexed by method id: the ids above are positions in this array. */
    private static final String[] NAMES = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
    /** The octets of each name as a word, the first octet lowest: every name fits in one. */
    private static final long[] WORDS = new long[NAMES.length];

    static {
        for (int id = 0; id < NAMES.length; id++) {
            byte[] octets = Ascii.bytes(NAMES[id]);
            for (int k = 0; k < octets.length; k++) {
                WORDS[id] |= (long) octets[k] << (Byte.SIZE * k);
            }
        }
    }

    private Methods() {
    }

    /** The id of the method token at {@code offset}, or {@link #OTHER}. */
    static int identify(MemorySegment segment, long offset, int length) {
        long word = 0;
        for (int k = 0; k < Math.min(length, Long.BYTES); k++) {
            word |= (Ascii.at(segment, offset + k) & 0xFFL) << (Byte.SIZE * k);
        }
        return identify(word, length);
    }

    /**
     * The id of the method token of {@code length} octets whose first octets are in {@code word}
     * (the first lowest; octets past the token are ignored), or {@link #OTHER}.
     */
    static int identify(long word, int length) {
        if (length > Long.BYTES) {
            return OTHER;
        }
        long token = length == Long.BYTES ? word : word & ((1L << (Byte.SIZE * length)) - 1);
        for (int id = 0; id < NAMES.length; id++) {
            if (WORDS[id] == token) {
                return id; // equal words of non-zero octets have equal lengths
            }
        }
        return OTHER;
    }

    /** The constant name of a known method; {@code null} for {@link #OTHER}. */
    static String name(int id) {
        return id == OTHER ? null : NAMES[id];
    }
}
