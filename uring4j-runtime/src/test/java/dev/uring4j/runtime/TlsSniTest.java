package dev.uring4j.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A server with certificates per name presents each client the one for the name it asked for (SNI). */
class TlsSniTest {
    private static final SelfSignedCertificate A = SelfSignedCertificate.generate("a.test");
    private static final SelfSignedCertificate B = SelfSignedCertificate.generate(SelfSignedCertificate.KeyAlgorithm.RSA, "b.test");
    private static final SelfSignedCertificate WILD = SelfSignedCertificate.generate("*.w.test");

    /** The certificate a client of ours, connecting by {@code name} (resolved to loopback), is shown and accepts. */
    private static X509Certificate presentedTo(TcpServer server, String name) throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}),
                server.localAddress().getPort());
        TlsConfig trusting = TlsConfig.client()
                .trust(TlsPeers.SERVER.certificate(), A.certificate(), B.certificate(), WILD.certificate()).build();
        try (TcpClient client = TcpClient.builder().tls(trusting).handler(new Recorder()).build()) {
            Connection c = client.connect(to).get(10, TimeUnit.SECONDS);
            X509Certificate shown = (X509Certificate) c.tlsSession().getPeerCertificates()[0];
            c.close();
            return shown;
        }
    }

    @Test
    void eachNameGetsItsCertificateAndOthersTheDefault() throws Exception {
        TlsConfig tls = TlsPeers.server()
                .sniCertificate("a.test", List.of(A.certificate()), A.privateKey())
                .sniCertificate("B.TEST", List.of(B.certificate()), B.privateKey())
                .sniCertificate("*.w.test", List.of(WILD.certificate()), WILD.privateKey())
                .build();
        try (TcpServer server = TcpServer.builder().tls(tls).handler(EchoHandler::new).start()) {
            assertEquals(A.certificate(), presentedTo(server, "a.test"));
            assertEquals(B.certificate(), presentedTo(server, "b.test"), "names match whatever their case, with an RSA key");
            assertEquals(WILD.certificate(), presentedTo(server, "x.w.test"), "a wildcard covers one label");
            assertEquals(TlsPeers.SERVER.certificate(), presentedTo(server, "localhost"),
                    "a client asking for no listed name gets the default");
        }
    }
}
