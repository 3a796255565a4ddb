package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * The strict decoder of the chunked transfer coding (RFC 9112 section 7.1) up to the last chunk;
 * the trailer section after it is parsed by {@link HeadParser}.
 *
 * <p>Unlike a head, a chunked body is consumed as it arrives: the decoder keeps its position inside
 * a size line or a chunk in its own fields, so every octet handed to it is consumed and never
 * presented again. Each {@link #decode} call consumes framing octets until it reaches chunk data,
 * the end of the last-chunk line, or the end of the input, and reports at most one run of data.
 *
 * <p>Chunk extensions are checked against their grammar and ignored; sizes are checked for
 * overflow and, as they are read, against the body limit, before any of the chunk arrives.
 */
final class ChunkedDecoder {
    /** Longest size line (size and extensions) accepted; extensions carry nothing we use. */
    static final int MAX_CHUNK_LINE_BYTES = 4096;

    static final int REJECTED = -1;

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int EXT_BEFORE_SEMICOLON = 2; // BWS before ";"
    private static final int EXT_NAME_START = 3;
    private static final int EXT_NAME = 4;
    private static final int EXT_AFTER_NAME = 5;       // BWS before "="
    private static final int EXT_VALUE_START = 6;
    private static final int EXT_TOKEN_VALUE = 7;
    private static final int EXT_QUOTED_VALUE = 8;
    private static final int EXT_QUOTED_PAIR = 9;
    private static final int EXT_AFTER_QUOTED = 10;
    private static final int SIZE_LF = 11;
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    private static final int DONE = 15;

    private final long maxBodyBytes;
    private int state;
    private long size;
    private long remaining;
    private long total;
    private int lineBytes;
    private Rejection rejection;
    private int dataOffset;
    private int dataLength;

    ChunkedDecoder(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    void start() {
        state = SIZE_START;
        size = remaining = total = 0;
        lineBytes = 0;
        rejection = null;
    }

    /**
     * Consumes octets at {@code offset}.
     *
     * @return how many were consumed, or {@link #REJECTED}; afterwards {@link #dataLength()} octets
     *     of chunk data start {@link #dataOffset()} octets after {@code offset}
     */
    int decode(MemorySegment segment, long offset, int available) {
        dataLength = 0;
        int i = 0;
        while (i < available && state != DONE) {
            if (state == DATA) {
                int run = (int) Math.min(remaining, available - i);
                dataOffset = i;
                dataLength = run;
                remaining -= run;
                if (remaining == 0) {
                    state = DATA_CR;
                }
                return i + run;
            }
            byte b = Ascii.at(segment, offset + i);
            i++;
            if (state < SIZE_LF && ++lineBytes > MAX_CHUNK_LINE_BYTES) {
                return reject(Rejection.CHUNK_LINE_TOO_LONG);
            }
            Rejection r = step(b);
            if (r != null) {
                return reject(r);
            }
        }
        return i;
    }

    private Rejection step(byte b) {
        switch (state) {
            case SIZE_START -> {
                int digit = Ascii.hexValue(b);
                if (digit < 0) {
                    return Rejection.BAD_CHUNK_SIZE;
                }
                size = digit;
                state = SIZE;
            }
            case SIZE -> {
                int digit = Ascii.hexValue(b);
                if (digit >= 0) {
                    if ((size >>> 59) != 0) {
                        return Rejection.CHUNK_SIZE_OVERFLOW;
                    }
                    size = size << 4 | digit;
                } else {
                    return afterValue(b, Rejection.BAD_CHUNK_SIZE);
                }
            }
            case EXT_BEFORE_SEMICOLON -> {
                if (b == ';') {
                    state = EXT_NAME_START;
                } else if (!Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
            }
            case EXT_NAME_START -> {
                if (Ascii.is(b, Ascii.TOKEN)) {
                    state = EXT_NAME;
                } else if (!Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
            }
            case EXT_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (Ascii.isBlank(b)) {
                    state = EXT_AFTER_NAME;
                } else if (!Ascii.is(b, Ascii.TOKEN)) {
                    return afterValue(b, Rejection.BAD_CHUNK_EXTENSION);
                }
            }
            case EXT_AFTER_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_NAME_START;
                } else if (!Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
            }
            case EXT_VALUE_START -> {
                if (b == '"') {
                    state = EXT_QUOTED_VALUE;
                } else if (Ascii.is(b, Ascii.TOKEN)) {
                    state = EXT_TOKEN_VALUE;
                } else if (!Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
            }
            case EXT_TOKEN_VALUE -> {
                if (!Ascii.is(b, Ascii.TOKEN)) {
                    return afterValue(b, Rejection.BAD_CHUNK_EXTENSION);
                }
            }
            case EXT_QUOTED_VALUE -> {
                if (b == '"') {
                    state = EXT_AFTER_QUOTED;
                } else if (b == '\\') {
                    state = EXT_QUOTED_PAIR;
                } else if (!Ascii.is(b, Ascii.QDTEXT) && !Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
            }
            case EXT_QUOTED_PAIR -> {
                if (!Ascii.is(b, Ascii.FIELD_VCHAR) && !Ascii.isBlank(b)) {
                    return Rejection.BAD_CHUNK_EXTENSION;
                }
                state = EXT_QUOTED_VALUE;
            }
            case EXT_AFTER_QUOTED -> {
                return afterValue(b, Rejection.BAD_CHUNK_EXTENSION);
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    return Rejection.BAD_LINE_ENDING;
                }
                return endOfSizeLine();
            }
            case DATA_CR -> {
                if (b != '\r') {
                    return Rejection.BAD_CHUNK_TERMINATOR;
                }
                state = DATA_LF;
            }
            case DATA_LF -> {
                if (b != '\n') {
                    return Rejection.BAD_CHUNK_TERMINATOR;
                }
                state = SIZE_START;
                lineBytes = 0;
            }
            default -> throw new IllegalStateException("chunked decoder state " + state);
        }
        return null;
    }

    /** After the size or an extension: whitespace, the next extension, or the line's end. */
    private Rejection afterValue(byte b, Rejection otherwise) {
        if (b == ';') {
            state = EXT_NAME_START;
        } else if (Ascii.isBlank(b)) {
            state = EXT_BEFORE_SEMICOLON;
        } else if (b == '\r') {
            state = SIZE_LF;
        } else {
            return b == '\n' ? Rejection.BAD_LINE_ENDING : otherwise;
        }
        return null;
    }

    private Rejection endOfSizeLine() {
        if (size == 0) {
            state = DONE;
            return null;
        }
        if (size > maxBodyBytes - total) {
            return Rejection.BODY_TOO_LARGE;
        }
        total += size;
        remaining = size;
        state = DATA;
        return null;
    }

    private int reject(Rejection why) {
        rejection = why;
        return REJECTED;
    }

    /** Whether the last chunk's size line has been consumed: the trailer section comes next. */
    boolean lastChunkSeen() {
        return state == DONE;
    }

    int dataOffset() {
        return dataOffset;
    }

    int dataLength() {
        return dataLength;
    }

    Rejection rejection() {
        return rejection;
    }
}
