package dev.uring4j.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every way a TLS peer can fail closes that connection only, with a cause that names what went
 * wrong (the alert, the timeout, the plaintext); a connection opened before keeps working.
 */
class TlsFaultsTest {
    private final LinkedBlockingQueue<TlsException> failures = new LinkedBlockingQueue<>();

    private TcpServer start(TlsConfig.Builder tls) throws Exception {
        return TcpServer.builder().tls(tls.onHandshakeFailure(failures::add).build()).handler(EchoHandler::new).start();
    }

    /** The server's next reported handshake failure, whose message and causes must mention {@code expected}. */
    private TlsException failure(String expected) throws InterruptedException {
        TlsException e = failures.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "the server reported the failed handshake");
        assertTrue(describe(e).contains(expected), "the cause names " + expected + ": " + describe(e));
        return e;
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }

    /** A connection opened before the fault still echoes after it. */
    private static void assertStillEchoes(SSLSocket s, int seed) throws Exception {
        byte[] msg = Net.pattern(10_000, seed);
        s.getOutputStream().write(msg);
        s.getOutputStream().flush();
        assertArrayEquals(msg, s.getInputStream().readNBytes(msg.length), "the other connection is unaffected");
    }

    private static byte[] readToEnd(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        return s.getInputStream().readAllBytes();
    }

    @Test
    void aPeerThatStallsTheHandshakeIsClosedAtTheDeadline() throws Exception {
        try (TcpServer server = start(TlsPeers.server().handshakeTimeout(Duration.ofMillis(300)));
             SSLSocket other = TlsPeers.connect(server.localAddress());
             Socket slow = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            // The first bytes of a ClientHello record, and then nothing.
            slow.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
            failure("not completed within 300 ms");
            readToEnd(slow);
            assertStillEchoes(other, 1);
        }
    }

    @Test
    void plaintextSentToATlsPortClosesThatConnection() throws Exception {
        try (TcpServer server = start(TlsPeers.server());
             SSLSocket other = TlsPeers.connect(server.localAddress());
             Socket plain = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            TlsException e = failure("plaintext connection");
            assertInstanceOf(SSLException.class, e.getCause(), "the engine's exception is the cause");
            byte[] answer = readToEnd(plain);
            assertTrue(answer.length < 10, "at most an alert came back, no data: " + answer.length + " bytes");
            assertStillEchoes(other, 2);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsItsConnectNamingTheCertificatePath() throws Exception {
        try (TcpServer server = start(TlsPeers.server());
             SSLSocket other = TlsPeers.connect(server.localAddress());
             TcpClient client = TcpClient.builder().tls(TlsConfig.client().build()).handler(new Recorder()).build()) {
            CompletableFuture<Connection> connect = client.connect(new InetSocketAddress("localhost", server.localAddress().getPort()));
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            TlsException tls = assertInstanceOf(TlsException.class, e.getCause());
            assertTrue(describe(tls).contains("PKIX path building failed"), describe(tls));
            failure("certificate_unknown");
            assertStillEchoes(other, 3);
        }
    }

    @Test
    void aServerCertificateForAnotherNameIsRefused() throws Exception {
        SelfSignedCertificate elsewhere = SelfSignedCertificate.generate("elsewhere.test");
        try (TcpServer server = start(TlsConfig.server(java.util.List.of(elsewhere.certificate()), elsewhere.privateKey()));
             TcpClient client = TcpClient.builder().tls(TlsConfig.client().trust(elsewhere.certificate()).build())
                     .handler(new Recorder()).build()) {
            CompletableFuture<Connection> connect = client.connect(new InetSocketAddress("localhost", server.localAddress().getPort()));
            ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            assertTrue(describe(e.getCause()).contains("localhost"), "the name check failed: " + describe(e.getCause()));
        }
    }

    @Test
    void noProtocolInCommonFailsBothSidesNamingTheProtocols() throws Exception {
        try (TcpServer server = start(TlsPeers.server().protocols("TLSv1.3"));
             SSLSocket other = TlsPeers.connect(server.localAddress())) {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                    () -> TlsPeers.connect(server.localAddress(), "TLSv1.2"));
            assertInstanceOf(SSLException.class, e.getCause());
            failure("protocol");
            assertStillEchoes(other, 4);
        }
    }

    @Test
    void aRequiredClientCertificateIsChecked() throws Exception {
        try (TcpServer server = start(TlsPeers.server().clientAuth(TlsConfig.ClientAuth.NEED).trust(TlsPeers.CLIENT.certificate()))) {
            // Without a certificate: refused.
            try (Socket s = TlsPeers.jdkContext(null).getSocketFactory().createSocket("localhost", server.localAddress().getPort())) {
                s.setSoTimeout(10_000);
                assertThrows(java.io.IOException.class, () -> {
                    s.getOutputStream().write(1);
                    s.getInputStream().read();
                });
            }
            failure("certificate_required");
            // With one the server does not trust (our client presents it whatever the server asks for): refused.
            SelfSignedCertificate stranger = SelfSignedCertificate.generate("stranger.test");
            Recorder strangerSide = new Recorder();
            try (TcpClient client = TcpClient.builder().tls(TlsPeers.client()
                    .certificate(List.of(stranger.certificate()), stranger.privateKey()).build()).handler(() -> strangerSide).build()) {
                CompletableFuture<Connection> connect = client.connect(new InetSocketAddress("localhost", server.localAddress().getPort()));
                // In TLS 1.3 the client's handshake completes before the server checks its certificate:
                // the refusal may come after the connect, as the reason the connection closed.
                Throwable refused;
                try {
                    connect.get(10, TimeUnit.SECONDS);
                    refused = strangerSide.closed.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    refused = e.getCause();
                }
                assertTrue(describe(refused).contains("certificate"), describe(refused));
            }
            failure("PKIX");
            // With the trusted one: the handler sees it.
            CompletableFuture<Certificate> seen = new CompletableFuture<>();
            try (TcpServer checking = TcpServer.builder()
                    .tls(TlsPeers.server().clientAuth(TlsConfig.ClientAuth.NEED).trust(TlsPeers.CLIENT.certificate()).build())
                    .handler(new Recorder() {
                        @Override
                        public void onOpen(Connection c) {
                            super.onOpen(c);
                            try {
                                seen.complete(c.tlsSession().getPeerCertificates()[0]);
                            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                                seen.completeExceptionally(e);
                            }
                        }
                    }).start();
                 Socket s = TlsPeers.jdkContext(TlsPeers.CLIENT).getSocketFactory().createSocket("localhost", checking.localAddress().getPort())) {
                s.getOutputStream().write(1);
                assertEquals(TlsPeers.CLIENT.certificate(), seen.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void alpnAgreesOnACommonProtocolAndRefusesAClientWithNone() throws Exception {
        Recorder serverSide = new Recorder();
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().applicationProtocols("http/1.1")
                        .onHandshakeFailure(failures::add).build()).handler(() -> serverSide).start();
             TcpClient client = TcpClient.builder().tls(TlsPeers.client().applicationProtocols("h2", "http/1.1").build())
                     .handler(new Recorder()).build();
             TcpClient h2Only = TcpClient.builder().tls(TlsPeers.client().applicationProtocols("h2").build())
                     .handler(new Recorder()).build()) {
            InetSocketAddress to = new InetSocketAddress("localhost", server.localAddress().getPort());
            Connection c = client.connect(to).get(10, TimeUnit.SECONDS);
            assertEquals("http/1.1", c.applicationProtocol());
            assertEquals("http/1.1", serverSide.opened.get(10, TimeUnit.SECONDS).applicationProtocol());
            CompletableFuture<Connection> refused = h2Only.connect(to);
            ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
            assertTrue(describe(e.getCause()).contains("no_application_protocol"), describe(e.getCause()));
            failure("no_application_protocol");
        }
    }

    @Test
    void aRenegotiationIsRefused() throws Exception {
        Recorder serverSide = new Recorder();
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().build()).handler(() -> serverSide).start();
             SSLSocket s = TlsPeers.connect(server.localAddress(), "TLSv1.2")) {
            OutputStream out = s.getOutputStream();
            out.write("before".getBytes());
            out.flush();
            Net.await(Duration.ofSeconds(10), "the first bytes", () -> serverSide.received() == 6);
            s.startHandshake();
            InputStream in = s.getInputStream();
            assertThrows(java.io.IOException.class, () -> {
                out.write("after".getBytes());
                out.flush();
                in.read();
            });
            Throwable cause = serverSide.closed.get(10, TimeUnit.SECONDS);
            assertTrue(describe(cause).contains("renegotiation"), describe(cause));
        }
    }
}
