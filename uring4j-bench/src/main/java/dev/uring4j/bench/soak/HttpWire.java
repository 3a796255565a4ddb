package dev.uring4j.bench.soak;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The little of HTTP/1.1 the load speaks, written out by hand so that nothing between the client
 * and the wire hides what the server sent: requests as bytes, response heads parsed strictly
 * (status, {@code Content-Length}, {@code Transfer-Encoding: chunked}, {@code Connection: close}),
 * chunked bodies decoded.
 */
final class HttpWire {
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 16 << 10;

    private HttpWire() {}

    static byte[] get(String path, boolean close) {
        return ascii("GET " + path + " HTTP/1.1\r\nHost: soak\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n");
    }

    static byte[] postHead(long contentLength) {
        return ascii("POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + contentLength + "\r\n\r\n");
    }

    static byte[] postChunkedHead() {
        return ascii("POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
    }

    /** Writes {@code length} message bytes as chunks of varying sizes, then the last chunk. */
    static void writeChunked(OutputStream out, int offset, int length) throws IOException {
        int[] sizes = {1, 100, 4096, 65536, 300_000};
        int sent = 0;
        for (int i = 0; sent < length; i++) {
            int n = Math.min(sizes[i % sizes.length], length - sent);
            out.write(ascii(Integer.toHexString(n) + "\r\n"));
            Payload.write(out, offset, sent, n);
            out.write(CRLF);
            sent += n;
        }
        out.write(ascii("0\r\n\r\n"));
    }

    private static final byte[] CRLF = ascii("\r\n");

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A response head: what the body's framing and the connection's fate depend on. */
    record Head(int status, long contentLength, boolean chunked, boolean close) {}

    /** Reads and parses one response head ({@code in} should be buffered). */
    static Head readHead(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new EOFException("the server closed the connection where a response was due");
        }
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new ProtocolException("not an HTTP/1.1 status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        int size = status.length();
        for (String h; !(h = line(in)).isEmpty(); ) {
            size += h.length();
            if (size > MAX_HEAD) {
                throw new ProtocolException("a response head longer than " + MAX_HEAD + " bytes");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("a malformed header line: '" + h + "'");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close");
                default -> { }
            }
        }
        if (!chunked && length < 0) {
            throw new ProtocolException("a response with neither Content-Length nor chunked encoding");
        }
        return new Head(code, length, chunked, close);
    }

    /** The size of the next chunk, after reading its size line; 0 for the last (trailers are read too). */
    static long chunkSize(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new EOFException("the server closed the connection inside a chunked body");
        }
        int semicolon = line.indexOf(';');
        long n = Long.parseLong((semicolon >= 0 ? line.substring(0, semicolon) : line).trim(), 16);
        if (n == 0) {
            String trailer = line(in);
            while (trailer != null && !trailer.isEmpty()) {
                trailer = line(in);     // trailers: none expected, none checked
            }
            if (trailer == null) {
                throw new EOFException("the server closed the connection inside the trailers");
            }
        }
        return n;
    }

    /** The CRLF after a chunk's data. */
    static void chunkEnd(InputStream in) throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new ProtocolException("chunk data not followed by CRLF");
        }
    }

    /** One CRLF-terminated line without its terminator; null at EOF before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                if (sb.isEmpty()) {
                    return null;
                }
                throw new EOFException("the server closed the connection inside a line: '" + sb + "'");
            }
            if (sb.length() > MAX_HEAD) {
                throw new ProtocolException("a line longer than " + MAX_HEAD + " bytes");
            }
            sb.append((char) c);
        }
        int end = sb.length();
        if (end == 0 || sb.charAt(end - 1) != '\r') {
            throw new ProtocolException("a line not ended by CRLF: '" + sb + "'");
        }
        return sb.substring(0, end - 1);
    }
}
