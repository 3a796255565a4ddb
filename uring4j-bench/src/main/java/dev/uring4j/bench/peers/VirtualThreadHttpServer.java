package dev.uring4j.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The smallest plausible HTTP server on virtual threads: the JDK's {@link ServerSocket}, a virtual
 * thread per connection, blocking reads and writes. It answers {@code GET /plaintext} (and
 * {@code GET /}) with uring4j's plaintext response bytes (same header names, order and date
 * format), anything else with 404. It frames requests by their empty line only, so a request with
 * a body closes the connection; the HTTP cells send none. Pipelined requests that arrive together
 * are answered with one write, as every server in the cell does.
 */
public final class VirtualThreadHttpServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND_TAIL = "\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_TAIL = ("\r\nContent-Type: text/plain\r\nContent-Length: " + HELLO.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] STATUS_OK = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_NOT_FOUND = "HTTP/1.1 404 Not Found\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATE = "Date: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_PLAINTEXT = "GET /plaintext ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_ROOT = "GET / ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);

    private VirtualThreadHttpServer() {}

    public static void main(String[] args) throws IOException {
        VirtualThreadEchoServer.serveForever(PeerArgs.parse("VirtualThreadHttpServer", args, Set.of()), VirtualThreadHttpServer::serve);
    }

    private static void serve(Socket s) {
        byte[] in = new byte[16 * 1024];
        byte[] out = new byte[16 * 1024];
        int filled = 0;
        try (s) {
            s.setTcpNoDelay(true);
            InputStream input = s.getInputStream();
            OutputStream output = s.getOutputStream();
            int n;
            while ((n = input.read(in, filled, in.length - filled)) > 0) {
                filled += n;
                int start = 0;
                int written = 0;
                int end;
                while ((end = headEnd(in, start, filled)) >= 0) {
                    if (hasBody(in, start, end)) {
                        return;
                    }
                    byte[] tail = isPlaintext(in, start) ? OK_TAIL : NOT_FOUND_TAIL;
                    byte[] date = HttpDate.current();
                    int need = STATUS_OK.length + DATE.length + date.length + tail.length + HELLO.length;
                    if (written + need > out.length) {
                        output.write(out, 0, written);
                        written = 0;
                    }
                    written = put(out, written, tail == OK_TAIL ? STATUS_OK : STATUS_NOT_FOUND);
                    written = put(out, written, DATE);
                    written = put(out, written, date);
                    written = put(out, written, tail);
                    if (tail == OK_TAIL) {
                        written = put(out, written, HELLO);
                    }
                    start = end;
                }
                if (written > 0) {
                    output.write(out, 0, written);
                }
                if (start == 0 && filled == in.length) {
                    return; // a head larger than the buffer: not a request this server takes
                }
                System.arraycopy(in, start, in, 0, filled - start);
                filled -= start;
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** The index just past the empty line ending the head that starts at {@code from}, or -1. */
    private static int headEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static boolean isPlaintext(byte[] b, int start) {
        return startsWith(b, start, GET_PLAINTEXT, false) || startsWith(b, start, GET_ROOT, false);
    }

    /** Whether a field line of the head in {@code [start, end)} announces a body. */
    private static boolean hasBody(byte[] b, int start, int end) {
        for (int i = start; i < end - 1; i++) {
            if (b[i] == '\n' && (startsWith(b, i + 1, CONTENT_LENGTH, true) || startsWith(b, i + 1, TRANSFER_ENCODING, true))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix, boolean ignoreCase) {
        if (at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            int c = b[at + i];
            if (ignoreCase && c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
