package dev.uring4j.http;

import static dev.uring4j.http.Ascii.TOKEN;

import java.lang.foreign.MemorySegment;

/**
 * What a request head says beyond its syntax: how the body is framed ({@code Content-Length},
 * {@code Transfer-Encoding}), whether the connection persists ({@code Connection}, the version),
 * {@code Host}, {@code Expect}, and the form of the request target. {@link HeadParser} hands it
 * each field line once, as the line completes, and the whole head at its end; the smuggling-shaped
 * combinations are refused here (RFC 9112 sections 3.2, 6, 9.3; RFC 9110 section 10.1.1).
 *
 * <p>Values are read in place from the receive view; nothing is copied or allocated.
 */
final class RequestFraming {
    private static final byte[] HOST = Ascii.bytes("host");
    private static final byte[] EXPECT = Ascii.bytes("expect");
    private static final byte[] CONNECTION = Ascii.bytes("connection");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final byte[] CHUNKED = Ascii.bytes("chunked");
    private static final byte[] CLOSE = Ascii.bytes("close");
    private static final byte[] KEEP_ALIVE = Ascii.bytes("keep-alive");
    private static final byte[] CONTINUE = Ascii.bytes("100-continue");

    private final long maxBodyBytes;
    private boolean http11;
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
    private int pathStart;
    private int pathEnd;

    RequestFraming(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        reset();
    }

    /** A copy with the same findings, for a copy of the head they come from. */
    RequestFraming copy() {
        RequestFraming c = new RequestFraming(maxBodyBytes);
        c.copyFrom(this);
        return c;
    }

    /** Takes the findings of {@code o}, for a copy of the head they come from made again in place. */
    void copyFrom(RequestFraming o) {
        http11 = o.http11;
        contentLength = o.contentLength;
        transferCodings = o.transferCodings;
        lastCodingChunked = o.lastCodingChunked;
        codingAfterChunked = o.codingAfterChunked;
        otherCoding = o.otherCoding;
        hostCount = o.hostCount;
        connectionClose = o.connectionClose;
        connectionKeepAlive = o.connectionKeepAlive;
        expectContinue = o.expectContinue;
        expectOther = o.expectOther;
        pathStart = o.pathStart;
        pathEnd = o.pathEnd;
    }

    void reset() {
        http11 = false;
        contentLength = -1;
        transferCodings = 0;
        lastCodingChunked = codingAfterChunked = otherCoding = false;
        hostCount = 0;
        connectionClose = connectionKeepAlive = expectContinue = expectOther = false;
        pathStart = pathEnd = -1;
    }

    /** Interprets one complete field line; a field other than these five means nothing here. */
    Rejection field(MemorySegment segment, long name, int nameLength, long value, int valueLength) {
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
            return Ascii.skip(segment, value, 0, valueLength, Ascii.HOST) == valueLength ? null : Rejection.BAD_HOST;
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

    /** The checks that need the whole head, in the order their answers take precedence. */
    Rejection finish(MemorySegment segment, long base, HeadParser line) {
        http11 = line.http11();
        int methodId = line.methodId();
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
        Rejection target = classifyTarget(segment, base, line);
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
    private Rejection classifyTarget(MemorySegment segment, long base, HeadParser line) {
        int targetStart = line.targetStart();
        int targetEnd = line.targetEnd();
        int end = line.queryStart() >= 0 ? line.queryStart() : targetEnd;
        byte first = Ascii.at(segment, base + targetStart);
        if (first == '/') {
            pathStart = targetStart;
            pathEnd = end;
            return null;
        }
        if (targetEnd - targetStart == 1 && first == '*') {
            pathStart = targetStart;
            pathEnd = targetEnd;
            return line.methodId() == Methods.OPTIONS ? null : Rejection.BAD_TARGET;
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

    /** Whether the connection stays open after this request (RFC 9112 section 9.3). */
    boolean keepAlive() {
        return !connectionClose && (http11 || connectionKeepAlive);
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
        return expectContinue && http11;
    }

    /** Where the target's path starts, relative to the head; equal to {@link #pathEnd()} for "/". */
    int pathStart() {
        return pathStart;
    }

    int pathEnd() {
        return pathEnd;
    }
}
