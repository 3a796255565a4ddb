package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link HttpHeaders} over the field table of a {@link HeadParser} and the receive view the fields
 * are in, and the rest of a request head (target, path) for {@link HttpRequest}. Bound for the
 * duration of one callback and unbound right after, so a handler that keeps it gets an exception
 * rather than octets of a later request.
 */
final class FieldsView implements HttpHeaders {
    /** The trailers of a body that has none (a Content-Length body, or chunked without trailers). */
    static final HttpHeaders EMPTY = new FieldsView(new HeadParser(1, 1, 1, 0)).boundToNothing();

    /** Head octets a copy ({@link #detach}) keeps for the next copy. */
    private static final int KEPT_COPY_BYTES = 8192;

    private final HeadParser parser;
    private MemorySegment segment;
    private long base;
    /** The array a copy's view is over, kept to be reused; null for a view of the receive buffer. */
    private byte[] octets;

    FieldsView(HeadParser parser) {
        this.parser = parser;
    }

    private FieldsView boundToNothing() {
        segment = MemorySegment.NULL;
        return this;
    }

    void bind(MemorySegment segment, long base) {
        this.segment = segment;
        this.base = base;
    }

    /**
     * A view of a copy of this head that stays readable, for a handler on another thread: the
     * head's octets (bounded by the head limits) into a heap array, and the offsets into them. Made
     * again in {@code reused}, an earlier such copy whose reader is done with it, when not null.
     */
    FieldsView detach(FieldsView reused) {
        FieldsView copy;
        if (reused == null) {
            copy = new FieldsView(parser.copyOffsets());
        } else {
            copy = reused;
            copy.parser.copyOffsetsFrom(parser);
        }
        int length = parser.headEnd();
        if (copy.octets == null || copy.octets.length < length) {
            // Kept for the next copy only up to a common head's size: an oversized one goes with its request.
            byte[] octets = new byte[length];
            copy.octets = length <= KEPT_COPY_BYTES ? octets : null;
            copy.bind(MemorySegment.ofArray(octets), 0);
        }
        MemorySegment.copy(segment(), base, copy.segment, 0, length);
        return copy;
    }

    void unbind() {
        segment = null;
    }

    private MemorySegment segment() {
        if (segment == null) {
            throw new IllegalStateException("fields are a view of the receive buffer, readable only during the "
                    + "callback that received them; copy what you need before it returns");
        }
        return segment;
    }

    private void check(int index) {
        if (index < 0 || index >= parser.fieldCount()) {
            throw new IndexOutOfBoundsException("field " + index + " of " + parser.fieldCount());
        }
    }

    HeadParser parser() {
        return parser;
    }

    /** The head's octets {@code [start, end)}, offsets relative to the head, as ISO-8859-1 text. */
    String text(int start, int end) {
        return Ascii.string(segment(), base + start, end - start);
    }

    /** Whether the head's octets {@code [start, end)} equal {@code bytes}, or start with them when {@code prefix}. */
    boolean regionMatches(int start, int end, byte[] bytes, boolean prefix) {
        MemorySegment s = segment();
        int length = end - start;
        if (length == 0) {
            // An absolute-form target without a path means "/".
            return bytes.length == 1 && bytes[0] == '/' || prefix && bytes.length == 0;
        }
        if (prefix ? length < bytes.length : length != bytes.length) {
            return false;
        }
        return Ascii.equals(s, base + start, bytes.length, bytes);
    }

    @Override
    public int size() {
        segment();
        return parser.fieldCount();
    }

    @Override
    public int indexOf(CharSequence name) {
        MemorySegment s = segment();
        int n = parser.fieldCount();
        for (int i = 0; i < n; i++) {
            if (Ascii.equalsIgnoreCase(s, base + parser.nameStart(i), parser.nameEnd(i) - parser.nameStart(i), name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean nameEquals(int index, CharSequence name) {
        MemorySegment s = segment();
        check(index);
        return Ascii.equalsIgnoreCase(s, base + parser.nameStart(index), parser.nameEnd(index) - parser.nameStart(index), name);
    }

    @Override
    public boolean valueEquals(int index, CharSequence value) {
        MemorySegment s = segment();
        check(index);
        return Ascii.equals(s, base + parser.valueStart(index), valueLength(index), value);
    }

    @Override
    public boolean valueEqualsIgnoreCase(int index, CharSequence value) {
        MemorySegment s = segment();
        check(index);
        return Ascii.equalsIgnoreCase(s, base + parser.valueStart(index), valueLength(index), value);
    }

    @Override
    public int valueLength(int index) {
        segment();
        check(index);
        return parser.valueEnd(index) - parser.valueStart(index);
    }

    @Override
    public int copyValue(int index, byte[] destination, int destinationOffset) {
        int length = valueLength(index);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, base + parser.valueStart(index), destination, destinationOffset, length);
        return length;
    }

    @Override
    public String name(int index) {
        MemorySegment s = segment();
        check(index);
        return Ascii.string(s, base + parser.nameStart(index), parser.nameEnd(index) - parser.nameStart(index));
    }

    @Override
    public String value(int index) {
        MemorySegment s = segment();
        check(index);
        return Ascii.string(s, base + parser.valueStart(index), valueLength(index));
    }
}
