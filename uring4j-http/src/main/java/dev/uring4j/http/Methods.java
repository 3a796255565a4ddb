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
    private static final byte[][] OCTETS = new byte[NAMES.length][];

    static {
        for (int id = 0; id < NAMES.length; id++) {
            OCTETS[id] = Ascii.bytes(NAMES[id]);
        }
    }

    private Methods() {
    }

    /** The id of the method token at {@code offset}, or {@link #OTHER}. */
    static int identify(MemorySegment segment, long offset, int length) {
        for (int id = 0; id < NAMES.length; id++) {
            if (Ascii.equals(segment, offset, length, OCTETS[id])) {
                return id;
            }
        }
        return OTHER;
    }

    /** The constant name of a known method; {@code null} for {@link #OTHER}. */
    static String name(int id) {
        return id == OTHER ? null : NAMES[id];
    }
}
