package dev.uring4j.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS between curl (OpenSSL's TLS) and the HTTP server, configured as an HTTPS server usually
 * is, with ALPN {@code http/1.1}: GET over TLS 1.3 and over TLS 1.2, by the name
 * {@code localhost} and by the address {@code 127.0.0.1}, with the certificate checked against
 * the PEM file alone; what curl says it negotiated is checked, not assumed. A 64 MiB body is
 * echoed back as it arrives, which needs a client that reads while it sends, as curl does. Runs
 * twice (see the pom), on the transport each execution names.
 */
@ExtendWith(DefaultTransportTests.class)
class HttpsCurlTest {
    private static final long BIG = 64L << 20;
    private static final int CHUNK = 64 * 1024;
    /** What {@code -w} appends after the body: the HTTP version and the certificate check's result (0: verified). */
    private static final String WRITE_OUT = "\n%{http_version} %{ssl_verify_result}";
    /** What curl's -v says ALPN agreed on and offered; curl before 7.87 words it "ALPN, server accepted to use" and "ALPN, offering". */
    private static final Pattern ALPN_HTTP11 = Pattern.compile("ALPN[:,] server accepted (to use )?http/1\\.1");
    private static final Pattern ALPN_OFFERS_H2 = Pattern.compile("ALPN(: offers|, offering) h2");

    @TempDir
    static Path directory;
    private static HttpsServer https;

    @BeforeAll
    static void start() throws Exception {
        https = new HttpsServer(directory, HttpServer.builder(TestApp.router()).maxBodyBytes(BIG).build(),
                tls -> tls.applicationProtocols("http/1.1"));
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    @BeforeEach
    void needsCurl() {
        Tool.assumeInstalled("curl");
    }

    /** curl in the certificate's directory, silent but for errors, verbose on stderr, trusting the certificate alone. */
    private static Tool.Run curl(String... arguments) {
        String[] command = new String[arguments.length + 7];
        System.arraycopy(new String[] {"curl", "-sS", "-v", "--max-time", "15", "--cacert", https.certificateFile.toString()},
                0, command, 0, 7);
        System.arraycopy(arguments, 0, command, 7, arguments.length);
        Tool.Run run = Tool.run(directory, "", command);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void getOverTls13(String host) {
        Tool.Run run = curl("--tlsv1.3", "--http1.1", "-w", WRITE_OUT, https.url(host, "/"));
        assertEquals("Hello, World!\n1.1 0", run.out(), run::toString);
        assertTrue(run.err().contains("SSL connection using TLSv1.3"), run::toString);
        assertTrue(ALPN_HTTP11.matcher(run.err()).find(), "ALPN agreed on http/1.1: " + run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void getOverTls12WithCurlOfferingH2First(String host) {
        Tool.Run run = curl("--tlsv1.2", "--tls-max", "1.2", "-w", WRITE_OUT, https.url(host, "/"));
        assertEquals("Hello, World!\n1.1 0", run.out(), run::toString);
        assertTrue(run.err().contains("SSL connection using TLSv1.2"), run::toString);
        assertTrue(ALPN_OFFERS_H2.matcher(run.err()).find(), "curl offered h2 as well: " + run);
        assertTrue(ALPN_HTTP11.matcher(run.err()).find(), "the server picked http/1.1: " + run);
    }

    @Test
    void threeRequestsShareOneConnection() {
        String url = https.url("localhost", "/");
        Tool.Run run = curl("--http1.1", "-w", " %{num_connects}\n", url, url, url);
        assertEquals("Hello, World! 1\nHello, World! 0\nHello, World! 0\n", run.out(),
                "one connection made, then reused twice: " + run);
    }

    @Test
    void aSixtyFourMebibytePostIsEchoedBackWhileItIsSent() throws Exception {
        Path body = directory.resolve("body.bin");
        Path echoed = directory.resolve("echoed.bin");
        try (InputStream octets = PacedWriter.octets(BIG, CHUNK)) {
            Files.copy(octets, body);
        }
        try {
            Tool.Run run = curl("--http1.1", "--data-binary", "@" + body, "-H", "Content-Type: application/octet-stream",
                    "-o", echoed.toString(), "-w", "%{http_code} %{size_upload} %{size_download}", https.url("localhost", "/echo"));
            assertEquals("200 " + BIG + " " + BIG, run.out(), run::toString);
            assertEquals(PacedWriter.digest(BIG, CHUNK), PacedWriter.digest(Files.newInputStream(echoed)), "the echoed body");
        } finally {
            Files.deleteIfExists(body);
            Files.deleteIfExists(echoed);
        }
    }

    @Test
    void aChunkedPostReachesTheHandler() {
        Tool.Run run = curl("--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "thirteen octs",
                https.url("localhost", "/sink"));
        assertEquals("len=13 trailers=", run.out(), run::toString);
    }
}
