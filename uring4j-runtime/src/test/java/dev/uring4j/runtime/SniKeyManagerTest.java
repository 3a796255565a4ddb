package dev.uring4j.runtime;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.uring4j.runtime.SelfSignedCertificate.KeyAlgorithm;
import dev.uring4j.runtime.internal.tls.KeyMaterial;
import dev.uring4j.runtime.internal.tls.Pem;
import dev.uring4j.runtime.internal.tls.SniKeyManager;

/**
 * A server with one certificate per host name presents, to each client, the certificate of the
 * name the client sent as SNI: exactly, regardless of case, or through a wildcard over the first
 * label; else the default. An RSA-only name gets its RSA certificate even from a client that
 * prefers EC keys, and a client that takes no key type of that name's entry is refused rather
 * than given the default for a name it does not hold. The same key manager presents a client
 * certificate. Through {@code SSLEngine} (the runtime's path) and {@code SSLSocket}.
 */
@Tag("transport-independent")
class SniKeyManagerTest {
    private static final SelfSignedCertificate LOCALHOST = SelfSignedCertificate.generate("localhost");
    private static final SelfSignedCertificate A_RSA = SelfSignedCertificate.generate(KeyAlgorithm.RSA, "a.test");
    private static final SelfSignedCertificate B_EC = SelfSignedCertificate.generate("b.test");
    private static final SelfSignedCertificate WILDCARD = SelfSignedCertificate.generate("*.w.test");

    private static final SniKeyManager KEYS = new SniKeyManager(material(LOCALHOST),
            Map.of("a.test", material(A_RSA), "B.Test", material(B_EC), "*.w.test", material(WILDCARD)));
    private static final SSLContext SERVER = Tls.context(KEYS, null);
    private static final SSLContext CLIENT = Tls.clientTrusting(null,
            LOCALHOST.certificate(), A_RSA.certificate(), B_EC.certificate(), WILDCARD.certificate());

    private static final String ONLY_EC = "ecdsa_secp256r1_sha256";
    private static final String ONLY_RSA = "rsa_pss_rsae_sha256";

    private static KeyMaterial material(SelfSignedCertificate self) {
        return new KeyMaterial(List.of(self.certificate()), self.privateKey());
    }

    /** Which certificate a client that sends {@code host} gets, and which one it must get. */
    private static Map<String, SelfSignedCertificate> expected() {
        Map<String, SelfSignedCertificate> expected = new LinkedHashMap<>();
        expected.put("a.test", A_RSA); // asked "EC" first by every client here: the RSA entry wins over the EC default
        expected.put("A.TEST", A_RSA);
        expected.put("b.test", B_EC);
        expected.put("x.w.test", WILDCARD);
        expected.put("w.test", LOCALHOST); // a wildcard stands for one label, not none
        expected.put("y.x.w.test", LOCALHOST); // nor two
        expected.put("other.test", LOCALHOST);
        return expected;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void eachClientGetsTheCertificateOfTheNameItSent(String protocol) throws Exception {
        for (Map.Entry<String, SelfSignedCertificate> e : expected().entrySet()) {
            String host = e.getKey();
            boolean itsOwn = e.getValue() != LOCALHOST;
            X509Certificate[] chain = Tls.engineHandshake(SERVER, false, CLIENT, host, itsOwn,
                    p -> p.setProtocols(new String[] {protocol})).serverChain();
            assertEquals(List.of(e.getValue().certificate()), List.of(chain), protocol + " " + host);
        }
    }

    @Test
    void throughSslSocketsToo() throws Exception {
        try (Tls.Server server = new Tls.Server(SERVER, false)) {
            for (Map.Entry<String, SelfSignedCertificate> e : expected().entrySet()) {
                X509Certificate[] chain = Tls.handshake(CLIENT, server.port(), e.getKey(), false, p -> { });
                assertEquals(List.of(e.getValue().certificate()), List.of(chain), e.getKey() + "; server: " + server.failures());
            }
            assertEquals(List.of(LOCALHOST.certificate()), List.of(Tls.handshake(CLIENT, server.port(), "127.0.0.1", false, p -> { })),
                    "no SNI: the default");
        }
    }

    @Test
    void aClientThatTakesNoKeyTypeOfTheNamesEntryIsRefusedNotGivenTheDefault() throws Exception {
        assertHandshakeFails("a.test", ONLY_EC);
        assertEquals(B_EC.certificate(), handshake("b.test", ONLY_EC), "EC-only client, EC entry");
        assertEquals(LOCALHOST.certificate(), handshake("other.test", ONLY_EC), "EC-only client, EC default");
        assertEquals(A_RSA.certificate(), handshake("a.test", ONLY_RSA), "RSA-only client, RSA entry");
        assertHandshakeFails("b.test", ONLY_RSA);
        assertHandshakeFails("other.test", ONLY_RSA);
    }

    private static X509Certificate handshake(String host, String signatureScheme) throws Exception {
        return Tls.engineHandshake(SERVER, false, CLIENT, host, false, only(signatureScheme)).serverChain()[0];
    }

    private static void assertHandshakeFails(String host, String signatureScheme) {
        assertThrows(SSLHandshakeException.class, () -> handshake(host, signatureScheme), host + " with only " + signatureScheme);
    }

    private static Consumer<SSLParameters> only(String signatureScheme) {
        return p -> p.setSignatureSchemes(new String[] {signatureScheme});
    }

    @Test
    void theDefaultIsTheClientsCertificate() throws Exception {
        SelfSignedCertificate clientCertificate = SelfSignedCertificate.generate("client.test");
        SSLContext server = Tls.context(KEYS, Pem.trustStore(List.of(clientCertificate.certificate())));
        SSLContext client = Tls.clientTrusting(new SniKeyManager(material(clientCertificate), Map.of()), B_EC.certificate());
        Tls.Handshake engines = Tls.engineHandshake(server, true, client, "b.test", true, p -> { });
        assertArrayEquals(new X509Certificate[] {clientCertificate.certificate()}, engines.clientChain());
        try (Tls.Server sockets = new Tls.Server(server, true)) {
            Tls.handshake(client, sockets.port(), "b.test");
            assertEquals(clientCertificate.certificate(), sockets.clientCertificates.poll(10, TimeUnit.SECONDS), "server: " + sockets.failures());
        }
    }

    @Test
    void aClientCertificateIsOfferedOnlyForAKeyTypeTheServerTakes() {
        SniKeyManager client = new SniKeyManager(material(LOCALHOST), Map.of());
        assertEquals("default", client.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null));
        assertNull(client.chooseEngineClientAlias(new String[] {"RSA", "RSASSA-PSS"}, null, null));
        assertNull(new SniKeyManager(null, Map.of("a.test", material(A_RSA))).chooseClientAlias(new String[] {"RSA"}, null, null),
                "no default, no client certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "*.", "a.*.test", "*x.test", "**.test"})
    void aMalformedNameIsRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SniKeyManager(null, Map.of(name, material(B_EC))));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void namesThatDifferOnlyInCaseOrNoMaterialAtAllAreRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new SniKeyManager(null, Map.of("a.test", material(A_RSA), "A.test", material(B_EC))));
        assertTrue(twice.getMessage().contains("a.test"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SniKeyManager(null, Map.of()));
    }
}
