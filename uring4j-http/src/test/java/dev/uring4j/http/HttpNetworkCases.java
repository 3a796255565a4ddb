package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;

/**
 * The HTTP engine on the real runtime and kernel: what {@code ./uring4j http} serves, checked over
 * sockets (keep-alive, pipelining, multi-MiB bodies both ways, back-pressure with a slow reader,
 * a smuggling-shaped request rejected without disturbing other connections). Run in plaintext
 * ({@link HttpNetworkTest}) and over TLS ({@link HttpsNetworkTest}): the same behaviour either way.
 * Each runs twice (see the pom), on the transport each execution names.
 */
@ExtendWith(DefaultTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpNetworkCases {
    private TcpServer server;

    /** What the TCP server is built with besides the HTTP engine: TLS or not. */
    abstract TcpServer.Builder tcp();

    /** A client socket to {@code address}, connected, with {@code receiveBuffer} set before connecting (0: the default). */
    abstract Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException;

    @BeforeAll
    void start() throws Exception {
        server = HttpServer.builder(TestApp.router()).build().serve(tcp().threads(2));
        System.out.println(getClass().getSimpleName() + ": HTTP over the " + server.group().transport() + " transport");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A parsed response: status, headers (lower-case names), body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private Socket connect() throws IOException {
        return connect(0);
    }

    /**
     * A client socket; a small receive buffer must be set before connecting: shrinking it on an
     * established connection shrinks the advertised window, and TCP then crawls on its persist timer.
     */
    private Socket connect(int receiveBuffer) throws IOException {
        Socket s = connect(server.localAddress(), receiveBuffer);
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
        LoopOptions options = server.group().options();
        // Past the high watermark the server stops reading the request until its output drains, so
        // it holds the watermark plus what the receives it already had added, counted in whole
        // blocks (the sampler counts every block in use: output, and input kept while paused). A
        // multishot receive's pause takes effect a batch of completions late, and on resume the
        // kept input is offered before receiving starts again, so a chunk of kept input and its
        // echo can be held at once. A server that went on reading would queue up to the
        // connection's output limit (and then fail the connection); one that paused late, most of
        // the way there.
        long bound = options.maxPendingOutput() / 3;
        OutputSampler output = new OutputSampler(server);
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
            // The reader has not started: the server's output backs up past the high watermark.
            output.await(options.highWatermark());
            InputStream in = new BufferedInputStream(s.getInputStream());
            Response fixed = read(in);
            assertEquals(200, fixed.status());
            assertArrayEquals(body, fixed.body(), "Content-Length body echoed intact");
            Response chunked = read(in);
            assertEquals("chunked", chunked.headers().get("transfer-encoding"));
            assertArrayEquals(body, chunked.body(), "chunked body echoed intact");
            writer.join();
        } finally {
            output.stop();
        }
        System.out.println("slow reader: server output peaked at " + output.peak() + " bytes");
        assertTrue(output.peak() <= bound, "queued output stayed near the high watermark ("
                + options.highWatermark() + " bytes), under " + bound + ", while 24 MiB went through; it peaked at "
                + output.peak());
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
    void anEmptyLineAfterARequestIsIgnoredAndTheIdleConnectionClosesWithoutA408() throws Exception {
        TcpServer quick = HttpServer.builder(TestApp.router())
                .headerTimeout(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(1500)).build()
                .serve(tcp().group(server.group()));
        try (Socket s = connect(quick.localAddress(), 0)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, read(in).status());
            Thread.sleep(600); // three header timeouts: the empty line starts no request
            out.write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("Hello, World!", read(in).text(), "the connection still serves");
            long before = System.nanoTime();
            assertEquals(-1, in.read(), "closed on idle, with nothing sent");
            long waited = (System.nanoTime() - before) / 1_000_000;
            assertTrue(waited > 1000, "closed by the idle timeout, not earlier: " + waited + " ms");
        } finally {
            quick.close();
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
