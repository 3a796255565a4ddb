package dev.uring4j.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.uring4j.runtime.SelfSignedCertificate.KeyAlgorithm;
import dev.uring4j.runtime.internal.tls.Der;
import dev.uring4j.runtime.internal.tls.KeyMaterial;
import dev.uring4j.runtime.internal.tls.Pem;

/**
 * PEM files as servers are given them: what Pem writes reads back the same; chains keep their
 * order; the text tools leave around blocks and CRLF line ends do not matter; OpenSSL's
 * traditional PKCS#1 and SEC1 keys read as the keys they are; and every file that cannot be
 * read fails with a message that names the file and what is wrong with it.
 */
@Tag("transport-independent")
class PemTest {
    private static final SelfSignedCertificate A = SelfSignedCertificate.generate("a.test");
    private static final SelfSignedCertificate B = SelfSignedCertificate.generate("b.test");

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "RSA"})
    void aCertificateAndItsKeyReadBackAsWritten(String algorithm) throws IOException {
        SelfSignedCertificate self = algorithm.equals("EC") ? A : SelfSignedCertificate.generate(KeyAlgorithm.RSA, "r.test");
        self.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        assertEquals(List.of(self.certificate()), Pem.readCertificates(dir.resolve("cert.pem")));
        PrivateKey key = Pem.readPrivateKey(dir.resolve("key.pem"));
        assertEquals(algorithm, key.getAlgorithm());
        assertArrayEquals(self.privateKey().getEncoded(), key.getEncoded());
        String pem = Files.readString(dir.resolve("cert.pem"));
        assertTrue(pem.lines().allMatch(line -> line.length() <= 64), "lines of at most 64 characters:\n" + pem);
    }

    @Test
    void aChainReadsBackInItsOrder() throws IOException {
        Path chain = write("chain.pem", Pem.encode(A.certificate(), B.certificate()));
        assertEquals(List.of(A.certificate(), B.certificate()), Pem.readCertificates(chain));
    }

    @Test
    void textAroundTheBlocksAndCrlfLineEndsAreSkipped() throws IOException {
        // As `openssl pkcs12 -nodes` writes a key and its chain into one file, with Windows line ends.
        String text = "Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: a.test\nsubject=CN = a.test\n\nissuer=CN = a.test\n"
                + A.certificatePem()
                + "# the issuer, indented by a careless editor\nBag Attributes: <No Attributes>\n"
                + B.certificatePem().lines().map(line -> "  " + line + "  ").reduce("", (a, b) -> a + b + "\n")
                + "Key Attributes: <No Attributes>\n"
                + A.privateKeyPem() + "trailing words\n";
        Path file = write("bundle.pem", text.replace("\n", "\r\n"));
        assertEquals(List.of(A.certificate(), B.certificate()), Pem.readCertificates(file));
        assertArrayEquals(A.privateKey().getEncoded(), Pem.readPrivateKey(file).getEncoded());
        assertEquals(List.of(A.certificate(), B.certificate()), KeyMaterial.read(file, file).chain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ed25519", "Ed448", "RSASSA-PSS"})
    void pkcs8KeysOfTheOtherSignatureAlgorithmsReadBack(String algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            generator.initialize(1024); // the size does not matter here, and a smaller key is faster to make
        }
        PrivateKey key = generator.generateKeyPair().getPrivate();
        PrivateKey read = Pem.readPrivateKey(write("key.pem", Pem.encode(key)));
        assertEquals(key.getAlgorithm(), read.getAlgorithm());
        assertArrayEquals(key.getEncoded(), read.getEncoded());
    }

    static Stream<Arguments> unreadable() throws Exception {
        String cert = A.certificatePem();
        String key = A.privateKeyPem();
        String x25519 = Pem.encode(KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate());
        String base64 = Base64.getEncoder().encodeToString(new byte[40]);
        return Stream.of(
                certs("an empty file", "", "is empty, expected a -----BEGIN CERTIFICATE----- block"),
                keys("a blank file", "\n \r\n", "is empty, expected a -----BEGIN PRIVATE KEY----- block"),
                certs("text with no block", "hello\n", "holds no PEM block, expected a -----BEGIN CERTIFICATE----- block"),
                certs("a key where a certificate belongs", key, "holds no CERTIFICATE block, only PRIVATE KEY at line 1"),
                keys("a certificate where a key belongs", "x\n" + cert, "holds no PRIVATE KEY block, only CERTIFICATE at line 2"),
                certs("binary DER", new String(A.certificate().getEncoded(), StandardCharsets.ISO_8859_1),
                        "holds binary DER, not PEM text: convert it with `openssl x509 -inform der -in "),
                certs("garbage base64", "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n",
                        "the CERTIFICATE block at line 1 has bad base64"),
                certs("an empty block", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "the CERTIFICATE block at line 1 is empty"),
                certs("no END line", cert.substring(0, cert.indexOf("-----END")), "the CERTIFICATE block at line 1 has no -----END CERTIFICATE----- line"),
                certs("a BEGIN inside a block", cert.substring(0, cert.indexOf("-----END")) + key,
                        "the CERTIFICATE block at line 1 has no END line before the BEGIN at line"),
                certs("the wrong END line", cert.replace("END CERTIFICATE", "END X509 CRL"), "not -----END CERTIFICATE-----"),
                certs("DER that is no certificate", "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n",
                        "the CERTIFICATE block at line 1 is not an X.509 certificate"),
                keys("an encrypted PKCS#8 key", key.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
                        "the ENCRYPTED PRIVATE KEY block at line 1 is encrypted, and encrypted keys are not supported: decrypt it with `openssl pkcs8 -topk8 -nocrypt -in "),
                keys("an encrypted traditional key", key.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n")
                        .replace("PRIVATE KEY", "RSA PRIVATE KEY"), "the RSA PRIVATE KEY block at line 1 is encrypted"),
                keys("two keys", key + key, "holds 2 private keys (PRIVATE KEY at line 1, PRIVATE KEY at line " + (key.lines().count() + 1) + "), expected one"),
                keys("a key form not read here", key.replace("PRIVATE KEY", "DSA PRIVATE KEY"),
                        "the DSA PRIVATE KEY block at line 1: a key format not supported here: convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in "),
                keys("a key of no signature algorithm", x25519, "the key's algorithm 1.3.101.110 is none of"),
                keys("an RSA key that is no key", block("RSA PRIVATE KEY", Der.sequence(Der.integer(0), Der.integer(7))),
                        "the RSA PRIVATE KEY block at line 1: not a valid RSA key"),
                keys("an EC key that names no curve", block("EC PRIVATE KEY", Der.sequence(Der.integer(1), Der.octetString(new byte[32]))),
                        "the EC PRIVATE KEY block at line 1: the ECPrivateKey does not name its curve"),
                keys("an EC key with explicit parameters", block("EC PRIVATE KEY",
                                Der.sequence(Der.integer(1), Der.octetString(new byte[32]), Der.explicit(0, Der.sequence(Der.integer(1))))),
                        "explicit curve parameters are not supported"),
                keys("BER where DER belongs", block("PRIVATE KEY", new byte[] {0x30, (byte) 0x80, 0, 0}),
                        "the PRIVATE KEY block at line 1: DER: indefinite length at offset 1"));
    }

    private static Arguments certs(String what, String content, String problem) {
        return Arguments.of(what, content, false, problem);
    }

    private static Arguments keys(String what, String content, String problem) {
        return Arguments.of(what, content, true, problem);
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getEncoder().encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void aFileThatCannotBeReadFailsNamingItAndTheProblem(String what, String content, boolean readKey, String problem) throws IOException {
        Path file = write("bad.pem", content);
        IOException e = assertThrows(IOException.class, () -> {
            if (readKey) {
                Pem.readPrivateKey(file);
            } else {
                Pem.readCertificates(file);
            }
        });
        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "says '" + problem + "': " + e.getMessage());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingBothFiles() throws IOException {
        A.writePem(dir.resolve("a.pem"), dir.resolve("a.key"));
        B.writePem(dir.resolve("b.pem"), dir.resolve("b.key"));
        IOException e = assertThrows(IOException.class, () -> KeyMaterial.read(dir.resolve("a.pem"), dir.resolve("b.key")));
        assertTrue(e.getMessage().startsWith(dir.resolve("b.key") + ": does not match the certificate in " + dir.resolve("a.pem")), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KeyMaterial(List.of(A.certificate()), B.privateKey()));
        assertThrows(IllegalArgumentException.class, () -> new KeyMaterial(List.of(), A.privateKey()));
    }

    /** OpenSSL's traditional key forms and the certificate openssl makes over each, as a server operator would have them. */
    static Stream<Arguments> traditionalKeys() {
        return Stream.of(
                Arguments.of("PKCS#1 RSA", "RSA PRIVATE KEY", List.of("openssl", "genrsa", "-traditional", "-out", "key.pem", "2048"), 2048),
                Arguments.of("SEC1 P-256 after its EC PARAMETERS", "EC PRIVATE KEY",
                        List.of("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-out", "key.pem"), 256),
                Arguments.of("SEC1 P-384", "EC PRIVATE KEY",
                        List.of("openssl", "ecparam", "-genkey", "-noout", "-name", "secp384r1", "-out", "key.pem"), 384));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traditionalKeys")
    void opensslTraditionalKeysReadAsTheKeysTheyAre(String what, String label, List<String> generate, int bits) throws Exception {
        Tls.assumeTool("openssl");
        openssl(generate.toArray(String[]::new));
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("-----BEGIN " + label + "-----"), "openssl wrote the form under test");
        openssl("openssl", "req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=t.test", "-days", "1", "-out", "cert.pem");
        PrivateKey key = Pem.readPrivateKey(dir.resolve("key.pem"));
        X509Certificate cert = Pem.readCertificates(dir.resolve("cert.pem")).getFirst();
        if (key instanceof ECPrivateKey ec) {
            assertEquals(bits, ec.getParams().getCurve().getField().getFieldSize(), "the curve the key names");
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] message = "signed with the key read, verified with the certificate openssl made over it".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(message);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(message);
        assertTrue(verifier.verify(signer.sign()), what);
    }

    static Stream<Arguments> encryptedKeys() {
        return Stream.of(
                Arguments.of("PKCS#8", List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-aes-128-cbc", "-pass", "pass:secret", "-out", "key.pem")),
                Arguments.of("SEC1", List.of("sh", "-c", "openssl ecparam -genkey -noout -name prime256v1 "
                        + "| openssl ec -aes128 -passout pass:secret -out key.pem")));
    }

    /** The command the error gives decrypts the key: run as given (with the passphrase added), its output reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptedKeys")
    void anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt(String what, List<String> generate) throws Exception {
        Tls.assumeTool("openssl");
        openssl(generate.toArray(String[]::new));
        Path key = dir.resolve("key.pem");
        IOException e = assertThrows(IOException.class, () -> Pem.readPrivateKey(key));
        String message = e.getMessage();
        int start = message.indexOf("`openssl ");
        assertTrue(message.contains("encrypted keys are not supported") && start > 0, message);
        String command = message.substring(start + 1, message.indexOf('`', start + 1));
        openssl((command + " -passin pass:secret").split(" "));
        assertEquals("EC", Pem.readPrivateKey(dir.resolve("key.pem.unencrypted")).getAlgorithm());
    }

    private void openssl(String... command) {
        Tls.Run run = Tls.run(dir, command);
        assertEquals(0, run.exitCode(), String.join(" ", command) + ": " + run.output());
    }
}
