package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTPS between the JDK's own {@link HttpClient} (HTTP/1.1, trusting the server's self-signed
 * certificate alone, checking its name) and the HTTP server: requests on one kept-alive
 * connection over TLS 1.3 and over 1.2, 64 MiB request and response bodies streamed through TLS
 * records and checked by digest, a KeyUpdate in the middle of a request, and a plaintext request
 * on the TLS port closing only its own connection. Runs twice (see the pom), on the transport each
 * execution names.
 *
 * <p>The request body is checked by a digest the server computes, not by an echo: the JDK client
 * reads no response before it has sent the whole request, so once an echo's response has filled the
 * socket buffers and the server's output bound, the server stops reading and the client cannot
 * finish sending; a large echo stalls, without TLS too. curl reads while it sends, and checks the
 * echo ({@link HttpsCurlTest}).
 */
@ExtendWith(DefaultTransportTests.class)
class HttpsJdkClientTest {
    private static final long BIG = 64L << 20;
    private static final int CHUNK = 64 * 1024;

    /** {@code POST /sha256}: {@link PacedWriter#digest(InputStream)} of the request body as the server received it. */
    private static final HttpHandler SHA256 = (request, response) -> request.onBody(new HttpBodyListener() {
        private final MessageDigest digest = PacedWriter.sha256();
        private long length;

        @Override
        public void onData(HttpRequest r, MemorySegment buffer, long offset, int n) {
            digest.update(buffer.asSlice(offset, n).asByteBuffer());
            length += n;
        }

        @Override
        public void onEnd(HttpRequest r, HttpHeaders trailers) {
            r.response().send(PacedWriter.describe(digest, length).getBytes(StandardCharsets.US_ASCII));
        }
    });

    @TempDir
    static Path directory;
    private static HttpsServer https;

    @BeforeAll
    static void start() throws Exception {
        Router router = Router.builder()
                .get("/", TestApp.PLAINTEXT)
                .post("/sha256", SHA256)
                .post("/sink", TestApp.SINK)
                .get("/stream", PacedWriter.handler(BIG, CHUNK, new PacedWriter.Progress()))
                .build();
        https = new HttpsServer(directory, HttpServer.builder(router).maxBodyBytes(BIG).build(), tls -> tls);
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    @BeforeEach
    void forgetFailures() {
        https.forgetFailures();
    }

    /** An HTTP/1.1 client offering {@code protocols} (its defaults, TLS 1.3 and 1.2, if none). */
    private static HttpClient client(String... protocols) {
        SSLContext context = https.trustingContext();
        SSLParameters parameters = context.getDefaultSSLParameters();
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create(https.url("localhost", path))).timeout(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void requestsOnOneConnectionAreAnswered(String protocol) throws Exception {
        long opened = https.server.group().stats().connectionsOpened();
        try (HttpClient client = client(protocol)) {
            for (int i = 0; i < 5; i++) {
                var response = client.send(request("/").build(), BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("Hello, World!", response.body());
                assertEquals(HttpClient.Version.HTTP_1_1, response.version());
                assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());
            }
        }
        assertEquals(1, https.server.group().stats().connectionsOpened() - opened,
                "the five requests went over one kept-alive connection");
    }

    @Test
    void aSixtyFourMebibyteRequestBodyArrivesIntact() throws Exception {
        try (HttpClient client = client()) {
            var body = BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> PacedWriter.octets(BIG, CHUNK)), BIG);
            var response = client.send(request("/sha256").POST(body).build(), BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(PacedWriter.digest(BIG, CHUNK), response.body(), "the body the server received");
        }
    }

    @Test
    void aSixtyFourMebibyteResponseBodyArrivesIntact() throws Exception {
        try (HttpClient client = client()) {
            var response = client.send(request("/stream").build(), BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertEquals(PacedWriter.digest(BIG, CHUNK), PacedWriter.digest(response.body()), "the streamed body");
        }
    }

    @Test
    void plaintextHttpOnTheTlsPortIsClosedWithoutAnAnswerAndOtherConnectionsServeOn() throws Exception {
        try (SSLSocket before = https.connect(); Socket plain = new Socket("127.0.0.1", https.port())) {
            HttpsServer.assertServes(before);
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes();
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("HTTP/"),
                    "no HTTP response on the TLS port, at most an alert: " + HexFormat.of().formatHex(answer));
            https.failure("plaintext");
            HttpsServer.assertServes(before);
        }
    }

    @Test
    void aKeyUpdateInTheMiddleOfARequestBodyLeavesTheRequestWhole() throws Exception {
        try (SSLSocket s = https.connect()) {
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /sink HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // On a TLS 1.3 session the JDK's startHandshake sends a KeyUpdate that asks for the
            // server's: a post-handshake message, after which the connection goes on as it was.
            s.startHandshake();
            out.write("world".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpNetworkCases.Response r = HttpNetworkCases.read(new BufferedInputStream(s.getInputStream()));
            assertEquals("len=10 trailers=", r.text(), "the body read across the KeyUpdate");
            HttpsServer.assertServes(s);
        }
    }
}
