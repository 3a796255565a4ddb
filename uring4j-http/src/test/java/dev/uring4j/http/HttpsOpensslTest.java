package dev.uring4j.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.TlsConfig;

/**
 * The HTTP server's TLS as {@code openssl s_client} sees it: the certificate verified against its
 * PEM file alone, ALPN agreed or refused, sessions resumed, and client certificates required and
 * checked. A run that needs the server's answer sends one request with {@code Connection: close}
 * and {@code -ign_eof}, so s_client reads until the server has answered and closed: in TLS 1.3
 * the session ticket and a refusal of the client's certificate both come after the handshake.
 * Runs twice (see the pom), on the transport each execution names.
 */
@ExtendWith(DefaultTransportTests.class)
class HttpsOpensslTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    @TempDir
    static Path directory;
    /** Configured as HTTPS servers usually are: ALPN http/1.1, no client certificates. */
    private static HttpsServer https;
    /** Requires a client certificate, and trusts one. */
    private static HttpsServer mutual;

    @BeforeAll
    static void start() throws Exception {
        https = new HttpsServer(Files.createDirectory(directory.resolve("server")), HttpServer.builder(TestApp.router()).build(),
                tls -> tls.applicationProtocols("http/1.1"));
        SelfSignedCertificate.generate("client.test").writePem(directory.resolve("client.pem"), directory.resolve("client-key.pem"));
        SelfSignedCertificate.generate("stranger.test").writePem(directory.resolve("stranger.pem"), directory.resolve("stranger-key.pem"));
        mutual = new HttpsServer(Files.createDirectory(directory.resolve("mutual")), HttpServer.builder(TestApp.router()).build(),
                tls -> tls.clientAuth(TlsConfig.ClientAuth.NEED).trust(directory.resolve("client.pem")));
    }

    @AfterAll
    static void stop() {
        if (https != null) {
            https.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    @BeforeEach
    void needsOpenssl() {
        Tool.assumeInstalled("openssl");
        https.forgetFailures();
        mutual.forgetFailures();
    }

    /**
     * s_client to {@code server} on 127.0.0.1 as a client of {@code localhost} (sent as SNI and
     * checked against the certificate), trusting the server's PEM file alone and giving up on a
     * failed verification; {@code input} is all it sends.
     */
    private static Tool.Run sClient(HttpsServer server, String input, String... arguments) {
        String[] base = {"openssl", "s_client", "-connect", "127.0.0.1:" + server.port(), "-servername", "localhost",
                "-verify_hostname", "localhost", "-CAfile", server.certificateFile.toString(), "-verify_return_error"};
        String[] command = new String[base.length + arguments.length];
        System.arraycopy(base, 0, command, 0, base.length);
        System.arraycopy(arguments, 0, command, base.length, arguments.length);
        return Tool.run(directory, input, command);
    }

    private static void assertAnswered(Tool.Run run) {
        assertTrue(run.out().contains("HTTP/1.1 200 OK") && run.out().contains("Hello, World!"), "the request was answered: " + run);
    }

    private static void assertNotAnswered(Tool.Run run) {
        assertFalse(run.out().contains("HTTP/1.1"), "no HTTP response: " + run);
    }

    @Test
    void theCertificateVerifiesAgainstItsPemFileAlone() {
        Tool.Run run = sClient(https, "");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Verify return code: 0 (ok)"), run::toString);
        assertTrue(run.out().contains("New, TLSv1.3"), "TLS 1.3 by default: " + run);
        assertTrue(run.out().contains("No ALPN negotiated"), "a client offering no ALPN is served without: " + run);
    }

    @Test
    void alpnAgreesOnHttp11AndRefusesAClientOfferingOnlyH2() throws Exception {
        Tool.Run agreed = sClient(https, REQUEST, "-alpn", "http/1.1", "-ign_eof");
        assertTrue(agreed.out().contains("ALPN protocol: http/1.1"), agreed::toString);
        assertAnswered(agreed);

        Tool.Run refused = sClient(https, REQUEST, "-alpn", "h2", "-ign_eof");
        assertTrue(refused.all().contains("alert no application protocol"), "the no_application_protocol alert: " + refused);
        assertNotAnswered(refused);
        https.failure("no_application_protocol");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        String keepAlive = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        Tool.Run run = sClient(https, keepAlive + "GET /nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\n" + REQUEST, "-ign_eof");
        String out = run.out();
        int first = out.indexOf("HTTP/1.1 200 OK");
        int second = out.indexOf("HTTP/1.1 404 Not Found", first);
        int third = out.indexOf("HTTP/1.1 200 OK", second);
        assertTrue(first >= 0 && second > first && third > second, "200, 404, 200 in order: " + run);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "TLSv1.3 session ticket, -tls1_3, ''",
            "TLSv1.2 session ticket, -tls1_2, ''",
            "TLSv1.2 session id, -tls1_2, -no_ticket"})
    void aSessionIsResumed(String what, String protocol, String ticketOption) {
        String session = directory.resolve(what.replace(' ', '-') + ".session").toString();
        String version = protocol.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
        String[] options = ticketOption.isEmpty() ? new String[] {protocol, "-ign_eof"} : new String[] {protocol, ticketOption, "-ign_eof"};
        Tool.Run fresh = sClient(https, REQUEST, Stream.concat(Stream.of(options), Stream.of("-sess_out", session)).toArray(String[]::new));
        assertTrue(fresh.out().contains("New, " + version), fresh::toString);
        assertAnswered(fresh);
        assertTrue(Files.exists(Path.of(session)), "s_client saved the session: " + fresh);

        Tool.Run resumed = sClient(https, REQUEST, Stream.concat(Stream.of(options), Stream.of("-sess_in", session)).toArray(String[]::new));
        assertTrue(resumed.out().contains("Reused, " + version), "the " + what + " was taken: " + resumed);
        assertAnswered(resumed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void aTrustedClientCertificateIsServed(String protocol) {
        Tool.Run run = sClient(mutual, REQUEST, protocol, "-cert", "client.pem", "-key", "client-key.pem", "-ign_eof");
        assertAnswered(run);
    }

    /** TLS 1.3 has an alert for this; TLS 1.2 has none, and the JDK fails the handshake with handshake_failure. */
    @ParameterizedTest
    @CsvSource({
            "-tls1_3, alert certificate required, certificate_required",
            "-tls1_2, alert handshake failure, handshake_failure"})
    void aClientWithoutACertificateIsRefused(String protocol, String clientSees, String serverSays) throws Exception {
        Tool.Run run = sClient(mutual, REQUEST, protocol, "-ign_eof");
        assertTrue(run.all().contains(clientSees), "the " + serverSays + " alert: " + run);
        assertNotAnswered(run);
        mutual.failure(serverSays);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void anUntrustedClientCertificateIsRefused(String protocol) throws Exception {
        Tool.Run run = sClient(mutual, REQUEST, protocol, "-cert", "stranger.pem", "-key", "stranger-key.pem", "-ign_eof");
        assertTrue(run.all().contains("alert certificate unknown") || run.all().contains("alert bad certificate"),
                "an alert refusing the certificate: " + run);
        assertNotAnswered(run);
        mutual.failure("PKIX");
    }
}
