package dev.uring4j.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Gzip for dynamic responses, opted into with {@link HttpServer.Builder#compression}. A response is
 * compressed when all of these hold:
 *
 * <ul>
 *   <li>the request's {@code Accept-Encoding} accepts {@code gzip}: listed with a q-value above 0,
 *       or not listed and {@code *} is (no {@code Accept-Encoding} at all: not compressed);</li>
 *   <li>the response's {@code Content-Type} is one of {@link #types}, and it has no
 *       {@code Content-Encoding} yet (a body is never encoded twice);</li>
 *   <li>its status may have a body (not {@code 204} or {@code 304});</li>
 *   <li>its body is at least {@link #minimumBytes} octets, or of unknown length
 *       ({@link HttpResponse#startChunked()}).</li>
 * </ul>
 *
 * <p>A compressed response gets {@code Content-Encoding: gzip}; every response that would be
 * compressed for a client that accepts it gets {@code Vary: Accept-Encoding}, so that caches keep
 * the two apart. The body sent whole ({@link HttpResponse#send(byte[])}) keeps a
 * {@code Content-Length}, now the compressed one, up to 64 KiB; larger and streamed bodies go
 * chunked. Every write of a streamed body is flushed through the compressor (a sync flush), so a
 * client sees each part as soon as it would without compression. {@code HEAD} gets the headers a
 * {@code GET} would.
 *
 * <p>The compressors are the JDK's {@link Deflater} (raw deflate in a gzip member), pooled per event
 * loop and writing into native buffers: compressing allocates nothing per response beyond what
 * {@code Deflater} itself does. Immutable; the {@code with} methods return a changed copy.
 */
public final class Compression {
    /** The types compressed unless {@link #types} says otherwise. */
    private static final String[] DEFAULT_TYPES = {"text/*", "application/json", "application/javascript",
            "application/xml", "image/svg+xml", "+json", "+xml"};

    private final int minimumBytes;
    private final int level;
    /** Lower-case patterns: {@code type/subtype}, {@code type/} (from {@code type/*}), or {@code +suffix}. */
    private final byte[][] patterns;
    private final String[] types;

    private Compression(int minimumBytes, int level, String[] types) {
        this.minimumBytes = minimumBytes;
        this.level = level;
        this.types = types.clone();
        this.patterns = new byte[types.length][];
        for (int i = 0; i < types.length; i++) {
            String t = types[i].trim().toLowerCase(Locale.ROOT);
            boolean wildcard = t.endsWith("/*") && t.indexOf('/') == t.length() - 2 && t.length() > 2;
            boolean suffix = t.startsWith("+") && t.length() > 1;
            if (!wildcard && !suffix && (t.indexOf('/') <= 0 || t.indexOf('/') == t.length() - 1 || t.indexOf('*') >= 0)) {
                throw new IllegalArgumentException("compressible type \"" + types[i] + "\" is none of type/subtype, "
                        + "type/* or +suffix");
            }
            patterns[i] = Ascii.bytes(wildcard ? t.substring(0, t.length() - 1) : t);
        }
    }

    /**
     * Gzip with the defaults: bodies of 1024 octets or more, level 6 (zlib's default balance of speed
     * and size), types {@code text/*}, {@code application/json}, {@code application/javascript},
     * {@code application/xml}, {@code image/svg+xml} and any {@code +json} or {@code +xml} type.
     *
     * @return the default gzip settings
     */
    public static Compression gzip() {
        return new Compression(1024, 6, DEFAULT_TYPES);
    }

    /**
     * The same settings with another size threshold: smaller bodies are sent as they are, since
     * gzip's 18 octets of framing and the work would gain little.
     *
     * @param bytes the smallest body compressed, 0 or more
     * @return a copy with that threshold
     * @throws IllegalArgumentException if negative
     */
    public Compression withMinimumBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("minimumBytes " + bytes + " is negative");
        }
        return new Compression(bytes, level, types);
    }

    /**
     * The same settings with another compression level.
     *
     * @param level 1 (fastest) to 9 (smallest), as {@link Deflater#setLevel}
     * @return a copy with that level
     * @throws IllegalArgumentException outside 1..9
     */
    public Compression withLevel(int level) {
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level " + level + " is outside 1..9");
        }
        return new Compression(minimumBytes, level, types);
    }

    /**
     * The same settings compressing other media types, matched case-insensitively against the
     * response's {@code Content-Type} without its parameters.
     *
     * @param types each {@code type/subtype} exactly, {@code type/*} for every subtype, or
     *     {@code +suffix} for every type whose subtype ends so (e.g. {@code +json})
     * @return a copy compressing those types
     * @throws IllegalArgumentException for a pattern of none of these forms
     */
    public Compression withTypes(String... types) {
        return new Compression(minimumBytes, level, types);
    }

    /**
     * The size threshold.
     *
     * @return the smallest body compressed, in octets
     */
    public int minimumBytes() {
        return minimumBytes;
    }

    /**
     * The compression level.
     *
     * @return 1 (fastest) to 9 (smallest)
     */
    public int level() {
        return level;
    }

    /**
     * The compressible media types.
     *
     * @return the patterns, as given
     */
    public String[] types() {
        return types.clone();
    }

    @Override
    public String toString() {
        return "gzip level " + level + " from " + minimumBytes + " bytes for " + String.join(", ", types);
    }

    // ---- Deciding, without allocating.

    /**
     * Whether the header lines in {@code headers[0, length)} ({@code Name: value\r\n} each) name a
     * compressible {@code Content-Type} and no {@code Content-Encoding}.
     */
    boolean compressible(byte[] headers, int length) {
        boolean typeOk = false;
        for (int line = 0; line < length; ) {
            int end = line;
            while (end < length && headers[end] != '\n') {
                end++;
            }
            int colon = line;
            while (colon < end && headers[colon] != ':') {
                colon++;
            }
            if (nameIs(headers, line, colon, CONTENT_ENCODING)) {
                return false;
            }
            if (nameIs(headers, line, colon, CONTENT_TYPE)) {
                int v = colon + 1;
                while (v < end && (headers[v] == ' ' || headers[v] == '\t')) {
                    v++;
                }
                int typeEnd = v;
                while (typeEnd < end && headers[typeEnd] != ';' && headers[typeEnd] != ' ' && headers[typeEnd] != '\t'
                        && headers[typeEnd] != '\r') {
                    typeEnd++;
                }
                typeOk = matches(headers, v, typeEnd);
            }
            line = end + 1;
        }
        return typeOk;
    }

    private static final byte[] CONTENT_TYPE = Ascii.bytes("content-type");
    private static final byte[] CONTENT_ENCODING = Ascii.bytes("content-encoding");

    private static boolean nameIs(byte[] b, int from, int to, byte[] lowercase) {
        return to - from == lowercase.length && regionIs(b, from, lowercase);
    }

    private static boolean regionIs(byte[] b, int from, byte[] lowercase) {
        for (int i = 0; i < lowercase.length; i++) {
            if (Ascii.lower(b[from + i]) != lowercase[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the media type {@code b[from, to)} matches one of the patterns. */
    private boolean matches(byte[] b, int from, int to) {
        int length = to - from;
        for (byte[] p : patterns) {
            if (p[0] == '+') {
                if (length > p.length && regionIs(b, to - p.length, p)) {
                    return true;
                }
            } else if (p[p.length - 1] == '/' ? length > p.length && regionIs(b, from, p)
                    : length == p.length && regionIs(b, from, p)) {
                return true;
            }
        }
        return false;
    }

    private static final byte[] GZIP = Ascii.bytes("gzip");
    private static final byte[] X_GZIP = Ascii.bytes("x-gzip");
    private static final int NOT_LISTED = -1;

    /**
     * Whether the {@code Accept-Encoding} fields of {@code headers} accept gzip (RFC 9110 section
     * 12.5.3): by name with a q-value above 0, else through {@code *} with one above 0.
     *
     * @param scratch where each field value is copied to be read
     * @return whether gzip is accepted
     */
    static boolean acceptsGzip(HttpHeaders headers, Negotiation scratch) {
        int gzip = NOT_LISTED;
        int any = NOT_LISTED;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!headers.nameEquals(i, "Accept-Encoding")) {
                continue;
            }
            byte[] value = scratch.room(headers.valueLength(i));
            int length = headers.copyValue(i, value, 0);
            for (int at = 0; at < length; ) {
                int end = at;
                while (end < length && value[end] != ',') {
                    end++;
                }
                int q = NOT_LISTED;
                int codingEnd = at;
                while (codingEnd < end && value[codingEnd] != ';') {
                    codingEnd++;
                }
                int s = trimStart(value, at, codingEnd);
                int e = trimEnd(value, s, codingEnd);
                if (e > s) {
                    q = qValue(value, codingEnd, end);
                    if (nameIs(value, s, e, GZIP) || nameIs(value, s, e, X_GZIP)) {
                        gzip = Math.max(gzip, q);
                    } else if (e - s == 1 && value[s] == '*') {
                        any = Math.max(any, q);
                    }
                }
                at = end + 1;
            }
        }
        return gzip != NOT_LISTED ? gzip > 0 : any > 0;
    }

    private static int trimStart(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /**
     * The q parameter among {@code b[from, to)} ({@code ;name=value} pairs), in thousandths: 1000
     * when absent, 0 for a malformed one (an unreadable weight is no consent).
     */
    private static int qValue(byte[] b, int from, int to) {
        for (int at = from; at < to; ) {
            int end = at + 1;
            while (end < to && b[end] != ';') {
                end++;
            }
            int s = trimStart(b, at + 1, end);
            int e = trimEnd(b, s, end);
            if (e - s >= 2 && Ascii.lower(b[s]) == 'q') {
                int v = trimStart(b, s + 1, e);
                if (v < e && b[v] == '=') {
                    return weight(b, trimStart(b, v + 1, e), e);
                }
            }
            at = end;
        }
        return 1000;
    }

    /** An RFC 9110 qvalue ({@code 0[.ddd]} or {@code 1[.000]}) in thousandths; 0 if malformed. */
    private static int weight(byte[] b, int from, int to) {
        if (from >= to || (b[from] != '0' && b[from] != '1')) {
            return 0;
        }
        int w = (b[from] - '0') * 1000;
        if (from + 1 == to) {
            return w;
        }
        if (b[from + 1] != '.' || to - from > 5) {
            return 0;
        }
        int scale = 100;
        for (int i = from + 2; i < to; i++, scale /= 10) {
            if (b[i] < '0' || b[i] > '9') {
                return 0;
            }
            w += (b[i] - '0') * scale;
        }
        return Math.min(w, 1000);
    }

    /** A reusable array to read header values into, kept by each exchange. */
    static final class Negotiation {
        private byte[] value = new byte[64];

        byte[] room(int length) {
            if (value.length < length) {
                value = Arrays.copyOf(value, Math.max(length, value.length * 2));
            }
            return value;
        }
    }
}
