package dev.uring4j.http;

/**
 * A response header line checked and encoded once ({@code Name: value\r\n}), so that adding it to
 * a response is one array copy: make constants of these for headers sent on every response.
 *
 * <p>Names must be tokens and values visible ISO-8859-1 characters, spaces or tabs: a CR or LF
 * could otherwise split the response. The fields that frame the message or manage the connection
 * ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}) and {@code Date} are
 * written by the engine and refused here.
 */
public final class HttpHeader {
    private static final String[] RESERVED = {"content-length", "transfer-encoding", "connection", "date"};

    private final byte[] line;

    private HttpHeader(byte[] line) {
        this.line = line;
    }

    /**
     * The header line {@code name: value}.
     *
     * @param name the field name, a token
     * @param value the field value: visible ISO-8859-1 characters, spaces and tabs
     * @return the checked and encoded line
     * @throws IllegalArgumentException if the name is not a token, is one the engine writes, or
     *     the value contains a control character or a character above U+00FF
     */
    public static HttpHeader of(String name, String value) {
        ByteBuf buf = new ByteBuf(name.length() + value.length() + 4);
        encode(buf, name, value);
        byte[] line = new byte[buf.length()];
        System.arraycopy(buf.array(), 0, line, 0, line.length);
        return new HttpHeader(line);
    }

    byte[] bytes() {
        return line;
    }

    /** Checks {@code name} and {@code value} and appends the line; allocates nothing. */
    static void encode(ByteBuf out, CharSequence name, CharSequence value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !Ascii.is((byte) c, Ascii.TOKEN)) {
                throw new IllegalArgumentException("header name \"" + name + "\" has a character that is not a token character at " + i);
            }
        }
        for (String reserved : RESERVED) {
            if (reserved.length() == name.length() && reserved.equalsIgnoreCase(name.toString())) {
                throw new IllegalArgumentException(name + " is written by the engine: the length comes from send/start/"
                        + "startChunked, persistence from the request, the date from the server clock");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F) {
                throw new IllegalArgumentException("header " + name + " has a control or non-ISO-8859-1 character at " + i
                        + " (U+" + Integer.toHexString(c) + "); CR and LF would split the response");
            }
        }
        out.appendLatin1(name).append((byte) ':').append((byte) ' ').appendLatin1(value).append((byte) '\r').append((byte) '\n');
    }

    @Override
    public String toString() {
        return new String(line, 0, line.length - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
