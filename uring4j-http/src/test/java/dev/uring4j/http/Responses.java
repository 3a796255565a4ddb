package dev.uring4j.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict parser of what the server wrote: the tests' oracle. It fails on anything a client could
 * misread: a malformed status line or header, framing that disagrees with the body, a chunk that
 * breaks the grammar, a response after one that announced {@code Connection: close}.
 */
final class Responses {
    record Response(int status, List<String[]> headers, byte[] body) {
        String header(String name) {
            String found = null;
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    if (found != null) {
                        throw new AssertionError("header " + name + " sent twice");
                    }
                    found = h[1];
                }
            }
            return found;
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        boolean closes() {
            String c = header("Connection");
            return c != null && c.equalsIgnoreCase("close");
        }

        /** Everything a client sees, body included, for comparing two outputs. */
        String full() {
            return toString() + " " + bodyText();
        }

        @Override
        public String toString() {
            return status + " " + headers.stream().map(h -> h[0] + ": " + h[1]).toList() + " body=" + body.length;
        }
    }

    /** The output ends inside a response: what a client sees when the server gives up on one. */
    static final class Truncated extends AssertionError {
        Truncated(String message) {
            super(message);
        }
    }

    private final byte[] data;
    private int pos;

    private Responses(byte[] data) {
        this.data = data;
    }

    /**
     * Parses every response in {@code output}; {@code headRequests[i]} says whether the i-th final
     * response answers HEAD (missing entries mean no). Interim 100 responses are returned too.
     * {@code closed} says whether the connection ended, which a close-delimited body needs.
     */
    static List<Response> parse(byte[] output, boolean closed, boolean... headRequests) {
        return parseAll(output, closed, false, headRequests);
    }

    /** As {@link #parse(byte[], boolean, boolean...)} for a closed connection that may have cut its last response. */
    static List<Response> parseAllowingCutLast(byte[] output, boolean... headRequests) {
        return parseAll(output, true, true, headRequests);
    }

    /**
     * As {@link #parse(byte[], boolean, boolean...)}, but when {@code cutLastAllowed} the output may
     * end inside its last response (a {@link Truncated} can only come from the end of the output),
     * as it does when the server gives up on a response it had started; that response is left out.
     */
    private static List<Response> parseAll(byte[] output, boolean closed, boolean cutLastAllowed, boolean[] headRequests) {
        Responses p = new Responses(output);
        List<Response> all = new ArrayList<>();
        int finals = 0;
        boolean closing = false;
        while (p.pos < output.length) {
            if (closing) {
                throw new AssertionError("bytes after a response with Connection: close: " + p.rest());
            }
            boolean head = finals < headRequests.length && headRequests[finals];
            Response r;
            try {
                r = p.next(head, closed);
            } catch (Truncated cut) {
                if (!cutLastAllowed || !closed) {
                    throw cut;
                }
                break;
            }
            all.add(r);
            if (r.status >= 200) {
                finals++;
                closing = r.closes();
            }
        }
        return all;
    }

    /** Only the final responses. */
    static List<Response> finals(byte[] output, boolean closed, boolean... headRequests) {
        return parse(output, closed, headRequests).stream().filter(r -> r.status >= 200).toList();
    }

    static List<Integer> statuses(byte[] output, boolean closed) {
        return finals(output, closed).stream().map(Response::status).toList();
    }

    private String rest() {
        return new String(data, pos, Math.min(80, data.length - pos), StandardCharsets.ISO_8859_1);
    }

    private String line() {
        for (int i = pos; i + 1 < data.length; i++) {
            if (data[i] == '\r') {
                if (data[i + 1] != '\n') {
                    throw new AssertionError("bare CR in response head at " + i);
                }
                String s = new String(data, pos, i - pos, StandardCharsets.ISO_8859_1);
                pos = i + 2;
                return s;
            }
            if (data[i] == '\n') {
                throw new AssertionError("bare LF in response head at " + i);
            }
        }
        throw new Truncated("incomplete response line: " + rest());
    }

    private Response next(boolean head, boolean closed) {
        String statusLine = line();
        if (!statusLine.matches("HTTP/1\\.1 [1-5][0-9][0-9] [\\x20-\\x7e]*")) {
            throw new AssertionError("malformed status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> headers = new ArrayList<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
                    || !line.startsWith(": ", colon) || line.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new AssertionError("malformed header line: " + line);
            }
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 2)});
        }
        Response framing = new Response(status, headers, new byte[0]);
        String length = framing.header("Content-Length");
        String coding = framing.header("Transfer-Encoding");
        if (length != null && coding != null) {
            throw new AssertionError("response with both Content-Length and Transfer-Encoding");
        }
        if (status < 200 || status == 204 || status == 304) {
            if (length != null || coding != null) {
                throw new AssertionError(status + " response with framing headers");
            }
            return framing;
        }
        if (framing.header("Date") == null || !framing.header("Date").matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT")) {
            throw new AssertionError("missing or malformed Date: " + framing.header("Date"));
        }
        if (head) {
            return framing;
        }
        byte[] body;
        if (length != null) {
            if (!length.matches("\\d+")) {
                throw new AssertionError("malformed Content-Length " + length);
            }
            int n = Integer.parseInt(length);
            if (pos + n > data.length) {
                throw new Truncated("body shorter than Content-Length " + n + ": " + (data.length - pos));
            }
            body = java.util.Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
        } else if (coding != null) {
            if (!coding.toLowerCase(Locale.ROOT).equals("chunked")) {
                throw new AssertionError("unexpected Transfer-Encoding " + coding);
            }
            body = chunkedBody();
        } else {
            if (!closed || !framing.closes()) {
                throw new AssertionError("response without framing on a connection that did not close");
            }
            body = java.util.Arrays.copyOfRange(data, pos, data.length);
            pos = data.length;
        }
        return new Response(status, headers, body);
    }

    private byte[] chunkedBody() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (!size.matches("[0-9a-f]+")) {
                throw new AssertionError("malformed chunk size line: " + size);
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                if (!line().isEmpty()) {
                    throw new AssertionError("the server sent trailers");
                }
                return body.toByteArray();
            }
            if (pos + n + 2 > data.length) {
                throw new Truncated("truncated chunk");
            }
            body.write(data, pos, n);
            pos += n;
            if (data[pos] != '\r' || data[pos + 1] != '\n') {
                throw new AssertionError("chunk data not followed by CRLF");
            }
            pos += 2;
        }
    }
}
