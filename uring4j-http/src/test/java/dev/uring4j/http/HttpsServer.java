package dev.uring4j.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;
import dev.uring4j.runtime.TlsException;

/**
 * An HTTPS server for the interoperability tests, set up as an operator would: a self-signed
 * certificate for {@code localhost} and {@code 127.0.0.1} written as PEM files ({@code cert.pem},
 * {@code key.pem}) into a directory, and a server reading them. Clients trust that certificate
 * alone: curl and openssl through the file, the JDK through {@link #trustingContext}. The
 * handshake failures the server reports are kept, so that a test can check the server's side of
 * a refusal as well as the client's.
 */
final class HttpsServer implements AutoCloseable {
    final Path certificateFile;
    final SelfSignedCertificate certificate;
    final TcpServer server;
    private final LinkedBlockingQueue<TlsException> failures = new LinkedBlockingQueue<>();

    /** Changes to the TLS defaults, which may read PEM files as the builder's setters do. */
    interface Settings {
        TlsConfig.Builder apply(TlsConfig.Builder tls) throws IOException;
    }

    /** Serves {@code http} over TLS with the defaults, changed as {@code tls} says. */
    HttpsServer(Path directory, HttpServer http, Settings tls) throws IOException {
        this.certificateFile = directory.resolve("cert.pem");
        Path keyFile = directory.resolve("key.pem");
        this.certificate = SelfSignedCertificate.generate("localhost", "127.0.0.1");
        certificate.writePem(certificateFile, keyFile);
        TlsConfig config = tls.apply(TlsConfig.server(certificateFile, keyFile)).onHandshakeFailure(failures::add).build();
        this.server = http.serve(TcpServer.builder().threads(2).tls(config));
        System.out.println("HTTPS over the " + server.group().transport() + " transport");
    }

    int port() {
        return server.localAddress().getPort();
    }

    /** {@code https://<host>:<port>} followed by {@code path}. */
    String url(String host, String path) {
        return "https://" + host + ":" + port() + path;
    }

    /** Forgets the handshake failures reported so far: a test sees only those of its own connections. */
    void forgetFailures() {
        failures.clear();
    }

    /** The server's next handshake failure, whose message or causes must mention {@code expected}. */
    void failure(String expected) throws InterruptedException {
        TlsException e = failures.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "the server reported the failed handshake");
        StringBuilder causes = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            causes.append(c.getMessage()).append(" / ");
        }
        assertTrue(causes.toString().contains(expected), "the server's cause names " + expected + ": " + causes);
    }

    /** A JDK context trusting this server's certificate alone. */
    SSLContext trustingContext() {
        return trusting(certificate.certificate());
    }

    /** A JDK context trusting {@code server} alone, presenting no certificate of its own. */
    static SSLContext trusting(X509Certificate server) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("server", server);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new AssertionError("cannot make a JDK context trusting " + server.getSubjectX500Principal(), e);
        }
    }

    /** A JDK TLS socket to {@code localhost}, checking the server's name, handshaken, with a 30 s read timeout. */
    SSLSocket connect() {
        try {
            SSLSocket s = (SSLSocket) trustingContext().getSocketFactory().createSocket("localhost", port());
            var parameters = s.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(parameters);
            s.setSoTimeout(30_000);
            s.startHandshake();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code GET /} on an open connection and checks that TestApp's greeting comes back. */
    static void assertServes(SSLSocket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = new BufferedInputStream(s.getInputStream());
        HttpNetworkCases.Response r = HttpNetworkCases.read(in);
        assertNotNull(r, "a response came back");
        assertEquals(200, r.status());
        assertEquals("Hello, World!", r.text());
    }

    @Override
    public void close() {
        server.close();
    }
}
