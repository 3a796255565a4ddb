package dev.uring4j.http;

import static dev.uring4j.http.Ascii.FIELD_VCHAR;
import static dev.uring4j.http.Ascii.TARGET;
import static dev.uring4j.http.Ascii.TOKEN;

import java.lang.foreign.MemorySegment;

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
    private static final byte[] HOST = Ascii.bytes("host");
    private static final byte[] EXPECT = Ascii.bytes("expect");
    private static final byte[] CONNECTION = Ascii.bytes("connection");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final byte[] CHUNKED = Ascii.bytes("chunked");
    private static final byte[] CLOSE = Ascii.bytes("close");
    private static final byte[] KEEP_ALIVE = Ascii.bytes("keep-alive");
    private static final byte[] CONTINUE = Ascii.bytes("100-continue");

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxFields;
    private final long maxBodyBytes;
    /** Per field: name start, name end, value start, value end (OWS trimmed), relative to the base. */
    private final int[] fields;

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
    private int pathStart;
    private int pathEnd;
    private int versionStart;
    private int major;
    private int minor;
    private int methodId;

    // What the header fields say about framing and the connection.
    private long contentLength;
    private int transferCodings;
    private boolean lastCodingChunked;
    private boolean codingAfterChunked;
    private boolean otherCoding;
    private int hostCount;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;
    private boolean expectOther;

    HeadParser(int maxRequestLineBytes, int maxHeaderBytes, int maxFields, long maxBodyBytes) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxFields = maxFields;
        this.maxBodyBytes = maxBodyBytes;
        this.fields = new int[maxFields * 4];
        startRequest();
    }

    /** Prepares for the next request head. */
    void startRequest() {
        trailers = false;
        state = LEADING;
        reset();
        lineStart = methodEnd = targetStart = targetEnd = versionStart = 0;
        queryStart = pathStart = pathEnd = -1;
        major = minor = 0;
        methodId = Methods.OTHER;
        contentLength = -1;
        transferCodings = 0;
        lastCodingChunked = codingAfterChunked = otherCoding = false;
        hostCount = 0;
        connectionClose = connectionKeepAlive = expectContinue = expectOther = false;
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

    /** Whether any octet of the current section has been examined: a request has begun. */
    boolean started() {
        return pos > 0;
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
                    if (i >= maxRequestLineBytes && b != CR) {
                        return reject(Rejection.REQUEST_LINE_TOO_LONG);
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
                            lineStart = i;
                            state = METHOD;
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
                        int at = fieldCount * 4;
                        fields[at] = nameStart;
                        fields[at + 1] = nameEnd;
                        fields[at + 2] = valueStart;
                        fields[at + 3] = valueEnd;
                        fieldCount++;
                        if (!trailers) {
                            Rejection r = interpretField(segment, base, fieldCount - 1);
                            if (r != null) {
                                return reject(r);
                            }
                        }
                        state = FIELD_START;
                    }
                    case END_LF -> {
                        if (b != LF) {
                            return reject(Rejection.BAD_LINE_ENDING);
                        }
                        if (!trailers) {
                            Rejection r = finishRequest(segment, base);
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

    /** Interprets the fields that decide framing and connection handling, once each. */
    private Rejection interpretField(MemorySegment segment, long base, int field) {
        int at = field * 4;
        long name = base + fields[at];
        int nameLength = fields[at + 1] - fields[at];
        long value = base + fields[at + 2];
        int valueLength = fields[at + 3] - fields[at + 2];
        if (Ascii.equalsIgnoreCase(segment, name, nameLength, CONTENT_LENGTH)) {
            if (contentLength >= 0) {
                return Rejection.DUPLICATE_CONTENT_LENGTH;
            }
            contentLength = parseContentLength(segment, value, valueLength);
            return contentLength < 0 ? Rejection.BAD_CONTENT_LENGTH : null;
        }
        if (Ascii.equalsIgnoreCase(segment, name, nameLength, TRANSFER_ENCODING)) {
            return parseTransferCodings(segment, value, valueLength);
        }
        if (Ascii.equalsIgnoreCase(segment, name, nameLength, HOST)) {
            if (++hostCount > 1) {
                return Rejection.DUPLICATE_HOST;
            }
            for (int i = 0; i < valueLength; i++) {
                if (!Ascii.is(Ascii.at(segment, value + i), Ascii.HOST)) {
                    return Rejection.BAD_HOST;
                }
            }
            return null;
        }
        if (Ascii.equalsIgnoreCase(segment, name, nameLength, CONNECTION)) {
            parseConnectionOptions(segment, value, valueLength);
            return null;
        }
        if (Ascii.equalsIgnoreCase(segment, name, nameLength, EXPECT)) {
            if (Ascii.equalsIgnoreCase(segment, value, valueLength, CONTINUE)) {
                expectContinue = true;
            } else {
                expectOther = true;
            }
        }
        return null;
    }

    /** {@code 1*DIGIT}, nothing else (no sign, no list, no whitespace inside); -1 if malformed. */
    private static long parseContentLength(MemorySegment segment, long value, int length) {
        if (length == 0) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < length; i++) {
            int digit = Ascii.at(segment, value + i) - '0';
            if (digit < 0 || digit > 9 || n > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            n = n * 10 + digit;
        }
        return n;
    }

    /** Reads a {@code #transfer-coding} list; the codings of repeated fields continue one list. */
    private Rejection parseTransferCodings(MemorySegment segment, long value, int length) {
        boolean any = false;
        int i = 0;
        while (true) {
            while (i < length && (Ascii.isBlank(Ascii.at(segment, value + i)) || Ascii.at(segment, value + i) == ',')) {
                i++; // empty list elements are allowed and ignored (RFC 9110 section 5.6.1)
            }
            if (i == length) {
                return any ? null : Rejection.BAD_TRANSFER_ENCODING;
            }
            int start = i;
            while (i < length && Ascii.is(Ascii.at(segment, value + i), TOKEN)) {
                i++;
            }
            if (i == start) {
                return Rejection.BAD_TRANSFER_ENCODING;
            }
            if (lastCodingChunked) {
                codingAfterChunked = true;
            }
            lastCodingChunked = Ascii.equalsIgnoreCase(segment, value + start, i - start, CHUNKED);
            otherCoding |= !lastCodingChunked;
            transferCodings++;
            any = true;
            while (i < length && Ascii.isBlank(Ascii.at(segment, value + i))) {
                i++;
            }
            // Parameters (";") are not defined for chunked and we implement no other coding.
            if (i < length && Ascii.at(segment, value + i) != ',') {
                return Rejection.BAD_TRANSFER_ENCODING;
            }
        }
    }

    private void parseConnectionOptions(MemorySegment segment, long value, int length) {
        int i = 0;
        while (i < length) {
            while (i < length && (Ascii.isBlank(Ascii.at(segment, value + i)) || Ascii.at(segment, value + i) == ',')) {
                i++;
            }
            int start = i;
            while (i < length && Ascii.at(segment, value + i) != ',' && !Ascii.isBlank(Ascii.at(segment, value + i))) {
                i++;
            }
            connectionClose |= Ascii.equalsIgnoreCase(segment, value + start, i - start, CLOSE);
            connectionKeepAlive |= Ascii.equalsIgnoreCase(segment, value + start, i - start, KEEP_ALIVE);
        }
    }

    /** The checks that need the whole header section, in the order their answers take precedence. */
    private Rejection finishRequest(MemorySegment segment, long base) {
        boolean http11 = minor >= 1;
        if (http11 && hostCount == 0) {
            return Rejection.MISSING_HOST;
        }
        if (transferCodings > 0) {
            if (!http11) {
                return Rejection.TRANSFER_ENCODING_IN_HTTP_1_0;
            }
            if (contentLength >= 0) {
                return Rejection.CONTENT_LENGTH_WITH_TRANSFER_ENCODING;
            }
            if (codingAfterChunked || !lastCodingChunked) {
                return Rejection.CHUNKED_NOT_FINAL;
            }
            if (otherCoding) {
                return Rejection.UNSUPPORTED_TRANSFER_CODING;
            }
        }
        if (methodId == Methods.CONNECT) {
            return Rejection.CONNECT_NOT_SUPPORTED;
        }
        Rejection target = classifyTarget(segment, base);
        if (target != null) {
            return target;
        }
        if (contentLength > maxBodyBytes) {
            return Rejection.BODY_TOO_LARGE;
        }
        if (http11 && expectOther) {
            return Rejection.EXPECTATION_FAILED; // HTTP/1.0 expectations are ignored (RFC 9110 10.1.1)
        }
        return null;
    }

    /** Accepts origin-form, absolute-form (http/https) and, for OPTIONS, asterisk-form. */
    private Rejection classifyTarget(MemorySegment segment, long base) {
        int end = queryStart >= 0 ? queryStart : targetEnd;
        byte first = Ascii.at(segment, base + targetStart);
        if (first == '/') {
            pathStart = targetStart;
            pathEnd = end;
            return null;
        }
        if (targetEnd - targetStart == 1 && first == '*') {
            pathStart = targetStart;
            pathEnd = targetEnd;
            return methodId == Methods.OPTIONS ? null : Rejection.BAD_TARGET;
        }
        int authority = schemeLength(segment, base + targetStart, targetEnd - targetStart);
        if (authority == 0) {
            return Rejection.BAD_TARGET;
        }
        int i = targetStart + authority;
        while (i < end && Ascii.at(segment, base + i) != '/') {
            i++;
        }
        if (i == targetStart + authority) {
            return Rejection.BAD_TARGET; // no host
        }
        pathStart = i; // an empty path means "/" (RFC 9110 section 4.2.3)
        pathEnd = end;
        return null;
    }

    /** The length of a leading {@code http://} or {@code https://}, ignoring case, or 0. */
    private static int schemeLength(MemorySegment segment, long at, int length) {
        if (length > 7 && Ascii.equalsIgnoreCase(segment, at, 7, "http://")) {
            return 7;
        }
        if (length > 8 && Ascii.equalsIgnoreCase(segment, at, 8, "https://")) {
            return 8;
        }
        return 0;
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

    int pathStart() {
        return pathStart;
    }

    int pathEnd() {
        return pathEnd;
    }

    boolean http11() {
        return minor >= 1;
    }

    /** Whether the connection stays open after this request (RFC 9112 section 9.3). */
    boolean keepAlive() {
        return !connectionClose && (minor >= 1 || connectionKeepAlive);
    }

    boolean chunked() {
        return transferCodings > 0;
    }

    /** The declared body length, 0 without Content-Length; meaningless when {@link #chunked()}. */
    long contentLength() {
        return Math.max(contentLength, 0);
    }

    /** {@code Expect: 100-continue} in an HTTP/1.1 request. */
    boolean expectContinue() {
        return expectContinue && minor >= 1;
    }
}
