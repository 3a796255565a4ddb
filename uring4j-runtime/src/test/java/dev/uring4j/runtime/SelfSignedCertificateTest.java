package dev.uring4j.runtime;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.uring4j.runtime.SelfSignedCertificate.KeyAlgorithm;
import dev.uring4j.runtime.internal.tls.Pem;

/**
 * A self-signed certificate is a real one: it carries the fields and extensions a TLS server
 * certificate needs, and a client that trusts it alone accepts it in a real handshake by host
 * name and by IP address, whether that client is the JDK's (PKIX, HTTPS endpoint
 * identification), openssl's or curl's; a client that trusts only the usual roots refuses it.
 */
@Tag("transport-independent")
class SelfSignedCertificateTest {
    private static final Map<KeyAlgorithm, SelfSignedCertificate> MADE = new EnumMap<>(KeyAlgorithm.class);

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        // An RSA key takes a while to make: one of each kind serves every test.
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            MADE.put(algorithm, SelfSignedCertificate.generate(algorithm));
        }
    }

    @Test
    void holdsWhatAServerCertificateNeeds() throws Exception {
        Instant before = Instant.now();
        SelfSignedCertificate self = SelfSignedCertificate.generate("example.test", "*.example.test", "192.0.2.7", "2001:db8::1");
        X509Certificate c = self.certificate();
        assertEquals(3, c.getVersion());
        assertEquals("CN=example.test", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey()); // signed by its own key
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertEquals("EC", self.privateKey().getAlgorithm());
        assertEquals(List.of(List.of(2, "example.test"), List.of(2, "*.example.test"), List.of(7, "192.0.2.7"),
                List.of(7, "2001:db8:0:0:0:0:0:1")), List.copyOf(c.getSubjectAlternativeNames()));
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false}, c.getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), c.getExtendedKeyUsage());
        assertEquals(Set.of("2.5.29.19", "2.5.29.15"), c.getCriticalExtensionOIDs());
        assertTrue(c.getExtensionValue("2.5.29.14") != null, "a subjectKeyIdentifier");
        BigInteger serial = c.getSerialNumber();
        assertEquals(127, serial.bitLength(), "16 bytes, positive: " + serial.toString(16));
        assertTrue(SelfSignedCertificate.generate().certificate().getSerialNumber().compareTo(serial) != 0, "serials are random");
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        assertTrue(!notBefore.isAfter(before.minus(Duration.ofDays(1))) && notBefore.isAfter(before.minus(Duration.ofDays(1)).minusSeconds(60)),
                "valid from a day ago: " + notBefore);
        assertEquals(Duration.ofDays(366), Duration.between(notBefore, notAfter));
    }

    @Test
    void namesDefaultToTheLoopbackNamesAndAddresses() throws Exception {
        X509Certificate c = MADE.get(KeyAlgorithm.EC).certificate();
        assertEquals("CN=localhost", c.getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                List.copyOf(c.getSubjectAlternativeNames()));
    }

    @Test
    void anRsaCertificateHasA2048BitKeyForSigningAndEncipherment() {
        X509Certificate c = MADE.get(KeyAlgorithm.RSA).certificate();
        assertEquals("SHA256withRSA", c.getSigAlgName());
        assertEquals(2048, ((RSAPublicKey) c.getPublicKey()).getModulus().bitLength());
        assertArrayEquals(new boolean[] {true, false, true, false, false, false, false, false, false}, c.getKeyUsage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..test", "-a.test", "a-.test", "a b.test", "a.test.", "a.*.test", "*", "under_score.test", "1.2.3.256", "::g"})
    void aNameThatIsNeitherADnsNameNorAnIpLiteralIsRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificate.generate("localhost", name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void writePemWritesFilesThatReadBackAndAKeyOnlyItsOwnerCanRead() throws IOException {
        SelfSignedCertificate self = MADE.get(KeyAlgorithm.EC);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "an older key, readable by all");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        self.writePem(cert, key);
        assertEquals(self.certificatePem(), Files.readString(cert));
        assertEquals(self.privateKeyPem(), Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(List.of(self.certificate()), Pem.readCertificates(cert));
        assertArrayEquals(self.privateKey().getEncoded(), Pem.readPrivateKey(key).getEncoded());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left behind");
        }
    }

    /** A server whose key manager is the JDK's own, over a key store holding the certificate and its key. */
    private static Tls.Server server(SelfSignedCertificate self) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "unused".toCharArray();
        store.setKeyEntry("self", self.privateKey(), password, new X509Certificate[] {self.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        return new Tls.Server(Tls.context(keys.getKeyManagers()[0], null), false);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aJdkClientTrustingOnlyTheCertificateAcceptsItByNameAndByAddress(KeyAlgorithm algorithm) throws Exception {
        SelfSignedCertificate self = MADE.get(algorithm);
        SSLContext client = Tls.clientTrusting(null, self.certificate());
        try (Tls.Server server = server(self)) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                X509Certificate[] chain = Tls.handshake(client, server.port(), host);
                assertEquals(List.of(self.certificate()), List.of(chain), host);
            }
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> Tls.handshake(client, server.port(), "other.test"), "a name the certificate does not hold");
            assertTrue(e.getMessage().contains("other.test"), e.getMessage());
        }
    }

    @Test
    void aJdkClientTrustingOnlyTheUsualRootsRefusesIt() throws Exception {
        SSLContext client = Tls.context(null, null);
        try (Tls.Server server = server(MADE.get(KeyAlgorithm.EC))) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> Tls.handshake(client, server.port(), "localhost"));
            assertTrue(e.getMessage().contains("PKIX") && e.getMessage().contains("certification path"), e.getMessage());
        }
    }

    /** What a tool does against a server that presents a certificate, given the file that holds that certificate. */
    private interface ToolCheck {
        void run(Tls.Server server, String certificateFile) throws Exception;
    }

    private void againstServer(KeyAlgorithm algorithm, ToolCheck check) throws Exception {
        SelfSignedCertificate self = MADE.get(algorithm);
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, self.certificatePem());
        try (Tls.Server server = server(self)) {
            check.run(server, cert.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void opensslVerifiesItWithTheCertificateAsItsOnlyAuthority(KeyAlgorithm algorithm) throws Exception {
        Tls.assumeTool("openssl");
        againstServer(algorithm, (server, cert) -> {
            String connect = "127.0.0.1:" + server.port();
            for (String check : List.of("-verify_hostname=localhost", "-verify_ip=127.0.0.1")) {
                String[] option = check.split("=");
                Tls.Run run = Tls.run(dir, "openssl", "s_client", "-connect", connect, "-servername", "localhost",
                        "-CAfile", cert, "-verify_return_error", option[0], option[1]);
                assertTrue(run.exitCode() == 0 && run.output().contains("Verify return code: 0 (ok)"),
                        check + ": " + run.output() + "\nserver: " + server.failures());
            }
            Tls.Run wrongName = Tls.run(dir, "openssl", "s_client", "-connect", connect,
                    "-CAfile", cert, "-verify_return_error", "-verify_hostname", "other.test");
            assertTrue(wrongName.exitCode() != 0 && wrongName.output().contains("Verify return code: 62 (hostname mismatch)"), wrongName.output());
        });
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void curlFetchesOverItWithTheCertificateAsItsOnlyAuthority(KeyAlgorithm algorithm) throws Exception {
        Tls.assumeTool("curl");
        againstServer(algorithm, (server, cert) -> {
            int port = server.port();
            for (String url : List.of("https://localhost:" + port + "/", "https://127.0.0.1:" + port + "/")) {
                Tls.Run run = Tls.run(dir, "curl", "-sS", "--max-time", "20", "--cacert", cert,
                        "--resolve", "localhost:" + port + ":127.0.0.1", url);
                assertEquals(new Tls.Run(0, "ok\n"), run, url + "\nserver: " + server.failures());
            }
        });
    }
}
