package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.TcpServer;

/**
 * The HTTP engine on the real runtime and kernel: what {@code ./uring4j http} serves, checked over
 * sockets (keep-alive, pipelining, multi-MiB bodies both ways, back-pressure with a slow reader,
 * a smuggling-shaped request rejected without disturbing other connections).
 */
class HttpNetworkTest {
    private static TcpServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.builder(TestApp.router()).build().serve(TcpServer.builder().threads(2));
        address = server.localAddress();
        System.out.println("HTTP over the " + server.group().transport() + " transport");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A parsed response: status, headers (lower-case names), body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    static Socket connect() throws IOException {
        return connect(0);
    }

    /**
     * A client socket; a small receive buffer must be set before connecting: shrinking it on an
     * established connection shrinks the advertised window, and TCP then crawls on its persist timer.
     */
    static Socket connect(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(address);
        s.setSoTimeout(30_000);
        return s;
    }

    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equals(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Test
    void plaintextKeepsTheConnectionAlive() throws Exception {
        try (Socket s = connect()) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 3; i++) {
                s.getOutputStream().write("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                Response r = read(in);
                assertEquals(200, r.status());
                assertEquals("Hello, World!", r.text());
                assertEquals("text/plain", r.headers().get("content-type"));
                assertNotNull(r.headers().get("date"));
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = connect()) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append(i % 2 == 0 ? "GET /plaintext" : "GET /nothing-here").append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 100; i++) {
                assertEquals(i % 2 == 0 ? 200 : 404, read(in).status(), "response " + i);
            }
        }
    }

    @Test
    void multiMegabyteBodiesEchoBothWaysWithASlowReader() throws Exception {
        byte[] body = new byte[12 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 4093);
        }
        try (Socket s = connect(16 * 1024)) {
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    out.write(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.write(("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // Let the server's output back up against a reader that has not started reading.
            Thread.sleep(500);
            InputStream in = new BufferedInputStream(s.getInputStream());
            Response fixed = read(in);
            assertEquals(200, fixed.status());
            assertArrayEquals(body, fixed.body(), "Content-Length body echoed intact");
            Response chunked = read(in);
            assertEquals("chunked", chunked.headers().get("transfer-encoding"));
            assertArrayEquals(body, chunked.body(), "chunked body echoed intact");
            writer.join();
        }
        assertTrue(server.group().stats().outputBytes() < 8 << 20, "output stayed bounded: " + server.group().stats());
    }

    @Test
    void smugglingShapedRequestGets400AndCloseWhileOthersAreServed() throws Exception {
        try (Socket bystander = connect(); Socket attacker = connect()) {
            attacker.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(attacker.getInputStream());
            assertEquals(400, read(in).status());
            assertEquals(-1, in.read(), "the connection is closed after the 400; the smuggled request is not answered");
            bystander.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("Hello, World!", read(new BufferedInputStream(bystander.getInputStream())).text());
        }
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertEquals(200, read(in).status());
            assertEquals(-1, in.read());
        }
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            assertEquals("Hello, World!", read(in).text());
            assertEquals(-1, in.read(), "HTTP/1.0 without keep-alive closes");
        }
    }
}
