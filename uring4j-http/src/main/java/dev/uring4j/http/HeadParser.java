package dev.uring4j.http;

import static dev.uring4j.http.Ascii.FIELD_VCHAR;
import static dev.uring4j.http.Ascii.TARGET;
import static dev.uring4j.http.Ascii.TOKEN;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The strict, resumable parser of a request head (request line and header section, RFC 9112
 * sections 2 to 5) and of a chunked body's trailer section, working on the receive view in place.
 *
 * <p><b>Resumable without re-scanning.</b> While a head is incomplete the connection consumes none
 * of it, so the transport presents it again, from its first byte, together with what arrived next.
 * Everything the parser remembers is an offset relative to that first byte, and it resumes at the
 * first byte it has not examined: each octet is examined once however the head is split, so a head
 * trickled byte by byte costs O(n). {@link #examined()} counts examined octets to prove it.
 *
 * <p><b>Whole lines at once.</b> A request line or field line that is complete in the view and
 * plainly well-formed is taken in one step, its runs (method, target, name, value) scanned eight
 * octets at a time ({@link Ascii}); anything else about the line (a limit reached, an octet out of
 * place, the line not complete yet) leaves it to the octet-by-octet state machine, which alone
 * decides every rejection. So the fast steps change how fast a head is read, never what is accepted.
 *
 * <p>What the fields mean (body framing, persistence, expectations, the target's form) is
 * {@link RequestFraming}'s business; it sees each field once, as the line completes.
 *
 * <p><b>Nothing is copied and nothing allocated.</b> Fields are recorded as offsets in a table
 * sized by the field-count limit; the segment is never retained after {@link #parse} returns. Limits
 * are checked on the octet that exceeds them, before the rest of the head has even arrived.
 *
 * <p>Owned by one connection, used on its event loop only.
 */
final class HeadParser {
    /** {@link #parse} result: the section is incomplete; present it again with more octets. */
    static final int NEED_MORE = 0;
    /** {@link #parse} result: the input is rejected; see {@link #rejection()}. */
    static final int REJECTED = -1;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    // States in octet order; the limit checks below rely on the ranges.
    private static final int LEADING = 0;        // optional empty lines before the request line
    private static final int LEADING_LF = 1;
    private static final int METHOD = 2;
    private static final int TARGET_START = 3;
    private static final int TARGET_CHARS = 4;
    private static final int VERSION = 5;
    private static final int REQUEST_LINE_LF = 6;
    private static final int FIELD_START = 7;
    private static final int FIELD_NAME = 8;
    private static final int FIELD_OWS = 9;
    private static final int FIELD_VALUE = 10;
    private static final int FIELD_LF = 11;
    private static final int END_LF = 12;

    private static final byte[] VERSION_PREFIX = Ascii.bytes("HTTP/");
    private static final long HTTP_1_1 = Ascii.word("HTTP/1.1");
    private static final long HTTP_1_0 = Ascii.word("HTTP/1.0");

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxFields;
    private final RequestFraming framing;
    /** Fields a new connection's table has room for: grown (to the limit) by a head with more. */
    private static final int INITIAL_FIELDS = 16;

    /**
     * Per field: name start, name end, value start, value end (OWS trimmed), relative to the base.
     * Small until a head needs more, so an idle connection does not hold a table for the limit.
     */
    private int[] fields;

    private boolean trailers;
    private int state;
    private int pos;
    private long examined;
    private Rejection rejection;
    private int fieldCount;
    private int fieldsStart;
    private int nameStart;
    private int nameEnd;
    private int valueStart;
    private int valueEnd;

    // Request line, relative to the base.
    private int lineStart;
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private int queryStart;
    private int versionStart;
    private int major;
    private int minor;
    private int methodId;

    HeadParser(int maxRequestLineBytes, int maxHeaderBytes, int maxFields, long maxBodyBytes) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxFields = maxFields;
        this.framing = new RequestFraming(maxBodyBytes);
        this.fields = new int[Math.min(maxFields, INITIAL_FIELDS) * 4];
        startRequest();
    }

    /**
     * A copy of where the parts of the last complete head are, without the parse state: what a
     * {@link FieldsView} over a copy of the head's octets needs ({@link FieldsView#detach}). The
     * field table is cut to the fields in use.
     */
    private HeadParser(HeadParser head) {
        maxRequestLineBytes = head.maxRequestLineBytes;
        maxHeaderBytes = head.maxHeaderBytes;
        maxFields = head.fieldCount;
        framing = head.framing.copy();
        fields = Arrays.copyOf(head.fields, head.fieldCount * 4);
        copyPositions(head);
    }

    /** Makes this copy ({@link #copyOffsets}) a copy of the last complete head of {@code head} instead. */
    void copyOffsetsFrom(HeadParser head) {
        framing.copyFrom(head.framing);
        if (fields.length < head.fieldCount * 4) {
            fields = new int[head.fieldCount * 4];
        }
        System.arraycopy(head.fields, 0, fields, 0, head.fieldCount * 4);
        copyPositions(head);
    }

    private void copyPositions(HeadParser head) {
        fieldCount = head.fieldCount;
        lineStart = head.lineStart;
        methodEnd = head.methodEnd;
        targetStart = head.targetStart;
        targetEnd = head.targetEnd;
        queryStart = head.queryStart;
        versionStart = head.versionStart;
        major = head.major;
        minor = head.minor;
        methodId = head.methodId;
    }

    /** The offsets of the last complete head, copied; see the constructor. */
    HeadParser copyOffsets() {
        return new HeadParser(this);
    }

    /** Where the last octet of the last complete head that any offset points into ends, relative to the base. */
    int headEnd() {
        return fieldCount > 0 ? valueEnd(fieldCount - 1) : targetEnd;
    }

    /** Prepares for the next request head. */
    void startRequest() {
        trailers = false;
        state = LEADING;
        reset();
        lineStart = methodEnd = targetStart = targetEnd = versionStart = 0;
        queryStart = -1;
        major = minor = 0;
        methodId = Methods.OTHER;
        framing.reset();
    }

    /** Prepares for the trailer section after a chunked body's last chunk. */
    void startTrailers() {
        trailers = true;
        state = FIELD_START;
        reset();
    }

    private void reset() {
        pos = 0;
        fieldCount = 0;
        fieldsStart = 0;
        rejection = null;
    }

    /**
     * Whether a request has begun: its request line (or, for a trailer section, any octet) has been
     * seen. Empty lines before a request line do not start a request (RFC 9112 section 2.2): they
     * are examined and kept with the head, but a connection that received only empty lines is
     * still between requests, so no header timeout runs for them.
     */
    boolean started() {
        return state > LEADING_LF && pos > 0;
    }

    /**
     * Continues parsing the section that starts at {@code base}; {@code available} octets are there,
     * including those examined by earlier calls.
     *
     * @return the length of the complete section including its final CRLF, {@link #NEED_MORE}, or
     *     {@link #REJECTED}
     */
    int parse(MemorySegment segment, long base, int available) {
        if (available < pos) {
            throw new IllegalStateException("the transport presented " + available + " bytes of a head of which "
                    + pos + " were already examined: unconsumed bytes must be kept and presented again");
        }
        int i = pos;
        try {
            for (; i < available; i++) {
                byte b = Ascii.at(segment, base + i);
                if (state <= VERSION) {
                    // Empty lines before the request line count toward its limit, so a peer sending
                    // nothing but empty lines is refused once they fill a request line.
                    if (i >= maxRequestLineBytes && b != CR) {
                        return reject(state == LEADING_LF ? Rejection.TOO_MANY_EMPTY_LINES : Rejection.REQUEST_LINE_TOO_LONG);
                    }
                } else if (state >= FIELD_START && state <= FIELD_LF && i - fieldsStart >= maxHeaderBytes
                        && !(state == FIELD_START && b == CR)) {
                    return reject(trailers ? Rejection.TRAILER_SECTION_TOO_LARGE : Rejection.HEADER_SECTION_TOO_LARGE);
                }
                switch (state) {
                    case LEADING -> {
                        if (b == CR) {
                            state = LEADING_LF;
                        } else if (Ascii.is(b, TOKEN)) {
                            int next = plainRequestLine(segment, base, i, available);
                            if (next > i) {
                                i = next - 1; // the loop's increment lands on the first field line
                            } else {
                                lineStart = i;
                                state = METHOD;
                            }
                        } else {
                            return reject(b == LF ? Rejection.BAD_LINE_ENDING : Rejection.BAD_METHOD);
                        }
                    }
                    case LEADING_LF -> {
                        if (b != LF) {
                            return reject(Rejection.BAD_LINE_ENDING);
                        }
                        state = LEADING;
                    }
                    case METHOD -> {
                        if (b == ' ') {
                            methodEnd = i;
                            methodId = Methods.identify(segment, base + lineStart, methodEnd - lineStart);
                            state = TARGET_START;
                        } else if (!Ascii.is(b, TOKEN)) {
                            return reject(b == CR || b == LF ? Rejection.BAD_REQUEST_LINE : Rejection.BAD_METHOD);
                        }
                    }
                    case TARGET_START -> {
                        if (!Ascii.is(b, TARGET)) {
                            return reject(b == ' ' || b == CR || b == LF ? Rejection.BAD_REQUEST_LINE : Rejection.BAD_TARGET);
                        }
                        targetStart = i;
                        if (b == '?') {
                            queryStart = i;
                        }
                        state = TARGET_CHARS;
                    }
                    case TARGET_CHARS -> {
                        if (b == ' ') {
                            targetEnd = i;
                            versionStart = i + 1;
                            state = VERSION;
                        } else if (b == '?') {
                            if (queryStart < 0) {
                                queryStart = i;
                            }
                        } else if (!Ascii.is(b, TARGET)) {
                            return reject(b == CR || b == LF ? Rejection.BAD_REQUEST_LINE : Rejection.BAD_TARGET);
                        }
                    }
                    case VERSION -> {
                        if (!versionOctet(b, i - versionStart)) {
                            return reject(b == LF ? Rejection.BAD_LINE_ENDING : Rejection.BAD_VERSION);
                        }
                    }
                    case REQUEST_LINE_LF -> {
                        if (b != LF) {
                            return reject(Rejection.BAD_LINE_ENDING);
                        }
                        if (major != 1) {
                            return reject(Rejection.VERSION_NOT_SUPPORTED);
                        }
                        fieldsStart = i + 1;
                        state = FIELD_START;
                    }
                    case FIELD_START -> {
                        if (b == CR) {
                            state = END_LF;
                        } else if (Ascii.is(b, TOKEN)) {
                            if (fieldCount == maxFields) {
                                return reject(trailers ? Rejection.TOO_MANY_TRAILER_FIELDS : Rejection.TOO_MANY_HEADER_FIELDS);
                            }
                            int next = plainFieldLine(segment, base, i, available);
                            if (next > i) {
                                i = next - 1; // at the line's LF, where the octet-by-octet path adds a field
                                Rejection r = addField(segment, base);
                                if (r != null) {
                                    return reject(r);
                                }
                                continue;
                            }
                            nameStart = i;
                            state = FIELD_NAME;
                        } else if (Ascii.isBlank(b)) {
                            // A line starting with whitespace continues the previous one (obs-fold)
                            // or, right after the request line, hides a field from some parsers.
                            return reject(fieldCount == 0 && !trailers
                                    ? Rejection.WHITESPACE_BEFORE_FIRST_FIELD : Rejection.OBS_FOLD);
                        } else {
                            return reject(b == LF ? Rejection.BAD_LINE_ENDING : Rejection.BAD_FIELD_NAME);
                        }
                    }
                    case FIELD_NAME -> {
                        if (b == ':') {
                            nameEnd = i;
                            state = FIELD_OWS;
                        } else if (Ascii.isBlank(b)) {
                            return reject(Rejection.WHITESPACE_BEFORE_COLON);
                        } else if (!Ascii.is(b, TOKEN)) {
                            return reject(Rejection.BAD_FIELD_NAME);
                        }
                    }
                    case FIELD_OWS -> {
                        if (Ascii.is(b, FIELD_VCHAR)) {
                            valueStart = i;
                            valueEnd = i + 1;
                            state = FIELD_VALUE;
                        } else if (b == CR) {
                            valueStart = valueEnd = i;
                            state = FIELD_LF;
                        } else if (!Ascii.isBlank(b)) {
                            return reject(b == LF ? Rejection.BAD_LINE_ENDING : Rejection.BAD_FIELD_VALUE);
                        }
                    }
                    case FIELD_VALUE -> {
                        if (Ascii.is(b, FIELD_VCHAR)) {
                            valueEnd = i + 1; // trailing whitespace stays outside the value
                        } else if (b == CR) {
                            state = FIELD_LF;
                        } else if (!Ascii.isBlank(b)) {
                            return reject(b == LF ? Rejection.BAD_LINE_ENDING : Rejection.BAD_FIELD_VALUE);
                        }
                    }
                    case FIELD_LF -> {
                        if (b != LF) {
                            return reject(Rejection.BAD_LINE_ENDING);
                        }
                        Rejection r = addField(segment, base);
                        if (r != null) {
                            return reject(r);
                        }
                        state = FIELD_START;
                    }
                    case END_LF -> {
                        if (b != LF) {
                            return reject(Rejection.BAD_LINE_ENDING);
                        }
                        if (!trailers) {
                            Rejection r = framing.finish(segment, base, this);
                            if (r != null) {
                                return reject(r);
                            }
                        }
                        i++;
                        return i;
                    }
                    default -> throw new IllegalStateException("parser state " + state);
                }
            }
            return NEED_MORE;
        } finally {
            examined += i - pos;
            pos = i;
        }
    }

    /** Records the field line just read (name and value as the parser's cursors say) and lets the framing see it. */
    private Rejection addField(MemorySegment segment, long base) {
        int at = fieldCount * 4;
        if (at + 4 > fields.length) {
            // Within the limit, which the caller checked: grown once per connection at most a few times.
            fields = Arrays.copyOf(fields, Math.min(Math.max(fields.length * 2, 4), maxFields * 4));
        }
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fieldCount++;
        return trailers ? null : framing.field(segment, base + nameStart, nameEnd - nameStart,
                base + valueStart, valueEnd - valueStart);
    }

    /**
     * Takes the request line starting at {@code start} whole if it is complete within the
     * request-line limit and plainly valid: {@code method SP target SP HTTP/1.x CRLF}.
     *
     * @return the index after its LF, the line recorded and the state at the first field line; or
     *     {@code start}, nothing changed, for the octet-by-octet path to take the line
     */
    private int plainRequestLine(MemorySegment segment, long base, int start, int available) {
        int end = Math.min(available, maxRequestLineBytes); // every octet up to the LF below the limit
        int space = Ascii.skip(segment, base, start + 1, end, TOKEN);
        int target = space + 1;
        if (target >= end) {
            return start;
        }
        int pair = Ascii.pair(segment, base + space);
        byte first = (byte) (pair >>> Byte.SIZE);
        if ((byte) pair != ' ' || !Ascii.is(first, TARGET)) {
            return start;
        }
        int query = first == '?' ? target : -1;
        int targetStop = Ascii.skipTarget(segment, base, target + 1, end);
        byte stop = 0;
        while (targetStop < end && (stop = Ascii.at(segment, base + targetStop)) == '?') {
            query = query < 0 ? targetStop : query;
            targetStop = Ascii.skipTarget(segment, base, targetStop + 1, end);
        }
        int version = targetStop + 1;
        int crlf = version + Long.BYTES;
        if (crlf + 1 >= end || stop != ' ' || Ascii.pair(segment, base + crlf) != Ascii.CRLF) {
            return start;
        }
        long word = Ascii.word(segment, base + version);
        if (word != HTTP_1_1 && word != HTTP_1_0) {
            return start;
        }
        int lf = crlf + 1;
        lineStart = start;
        methodEnd = space;
        // The line is longer than a word, so the method's word is read within it.
        methodId = Methods.identify(Ascii.word(segment, base + start), space - start);
        targetStart = target;
        targetEnd = targetStop;
        queryStart = query;
        versionStart = version;
        major = 1;
        minor = word == HTTP_1_1 ? 1 : 0;
        fieldsStart = lf + 1;
        state = FIELD_START;
        return lf + 1;
    }

    /**
     * Takes the field line starting at {@code start} (a token octet) whole if it is complete within
     * the section's limit and plainly valid: {@code name ":" OWS value OWS CRLF}.
     *
     * @return the index after its LF, with the name and value cursors set for {@link #addField}; or
     *     {@code start}, for the octet-by-octet path to take the line
     */
    private int plainFieldLine(MemorySegment segment, long base, int start, int available) {
        int end = (int) Math.min(available, (long) fieldsStart + maxHeaderBytes); // up to the LF below the limit
        int colon = Ascii.skip(segment, base, start + 1, end, TOKEN);
        if (colon + 1 >= end) {
            return start;
        }
        int pair = Ascii.pair(segment, base + colon);
        if ((byte) pair != ':') {
            return start;
        }
        int i = colon + 1;
        byte b = (byte) (pair >>> Byte.SIZE);
        while (Ascii.isBlank(b)) {
            if (++i >= end) {
                return start;
            }
            b = Ascii.at(segment, base + i);
        }
        int valueFrom = i;
        int valueTo = i; // trailing whitespace stays outside the value
        while (true) {
            if (i + 1 >= end) {
                return start;
            }
            pair = Ascii.pair(segment, base + i);
            if (pair == Ascii.CRLF) {
                break;
            }
            b = (byte) pair;
            if (Ascii.is(b, FIELD_VCHAR)) {
                i = Ascii.skipFieldVchars(segment, base, i + 1, end);
                valueTo = i;
            } else if (Ascii.isBlank(b)) {
                i++;
            } else {
                return start;
            }
        }
        nameStart = start;
        nameEnd = colon;
        valueStart = valueFrom;
        valueEnd = valueTo;
        return i + 2;
    }

    private int reject(Rejection why) {
        rejection = why;
        return REJECTED;
    }

    /** Checks the octet at {@code index} of {@code HTTP/d.d CR}; records the digits. */
    private boolean versionOctet(byte b, int index) {
        if (index < VERSION_PREFIX.length) {
            return b == VERSION_PREFIX[index]; // HTTP-name is case-sensitive
        }
        switch (index) {
            case 5 -> major = b - '0';
            case 6 -> {
                return b == '.';
            }
            case 7 -> minor = b - '0';
            case 8 -> {
                state = REQUEST_LINE_LF;
                return b == CR;
            }
            default -> {
                return false;
            }
        }
        return b >= '0' && b <= '9';
    }

    Rejection rejection() {
        return rejection;
    }

    long examined() {
        return examined;
    }

    int fieldCount() {
        return fieldCount;
    }

    int nameStart(int field) {
        return fields[field * 4];
    }

    int nameEnd(int field) {
        return fields[field * 4 + 1];
    }

    int valueStart(int field) {
        return fields[field * 4 + 2];
    }

    int valueEnd(int field) {
        return fields[field * 4 + 3];
    }

    int methodId() {
        return methodId;
    }

    int methodStart() {
        return lineStart;
    }

    int methodEnd() {
        return methodEnd;
    }

    int targetStart() {
        return targetStart;
    }

    int targetEnd() {
        return targetEnd;
    }

    int queryStart() {
        return queryStart;
    }

    boolean http11() {
        return minor >= 1;
    }

    /** What the fields of the last complete request head say. */
    RequestFraming framing() {
        return framing;
    }
}
