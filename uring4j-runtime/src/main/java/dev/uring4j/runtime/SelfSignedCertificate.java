package dev.uring4j.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;

import dev.uring4j.runtime.internal.tls.Der;
import dev.uring4j.runtime.internal.tls.Pem;

/**
 * A self-signed X.509 certificate and its private key, made in memory, for tests, demos and a
 * first TLS server on a development machine where no certificate authority is at hand. A client
 * trusts it by trusting this very certificate: {@code curl --cacert cert.pem}, {@code openssl
 * s_client -CAfile cert.pem}, or a JDK trust manager over a key store that holds it.
 *
 * <pre>{@code
 * SelfSignedCertificate self = SelfSignedCertificate.generate("localhost");
 * self.writePem(Path.of("cert.pem"), Path.of("key.pem"));
 * // curl --cacert cert.pem https://localhost:8443/
 * }</pre>
 *
 * <p>What it holds: an X.509 v3 certificate with a random positive 16-byte serial number, valid
 * from a day before it was made (so that a client whose clock is a little behind accepts it) to
 * 365 days after; subject and issuer {@code CN=} the first host name; and the extensions a
 * server or client certificate needs: subjectAltName with every host name (a DNS name, or an IP
 * address for an IPv4 or IPv6 literal), basicConstraints not a CA, keyUsage digitalSignature
 * (and keyEncipherment for RSA), extendedKeyUsage serverAuth and clientAuth, and a
 * subjectKeyIdentifier. It is signed with its own key and parsed back by the JDK's
 * {@link CertificateFactory}.
 *
 * <p>Not for production: nothing revokes it, and every client must be told to trust it. Immutable
 * and safe to share between threads.
 */
public final class SelfSignedCertificate {
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    // GeneralName choices of subjectAltName (RFC 5280 4.2.1.6), both IMPLICIT over a primitive type.
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private static final List<String> DEFAULT_HOST_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(365);

    /** The kind of key, and with it the signature, of a self-signed certificate. */
    public enum KeyAlgorithm {
        /** An EC key on the P-256 curve (secp256r1), signed with SHA256withECDSA: small, fast, and taken by every TLS client. */
        EC("SHA256withECDSA", "1.2.840.10045.4.3.2"),
        /** An RSA key of 2048 bits, signed with SHA256withRSA: for clients that take no EC certificate. */
        RSA("SHA256withRSA", "1.2.840.113549.1.1.11");

        private final String signature;
        private final String signatureOid;

        KeyAlgorithm(String signature, String signatureOid) {
            this.signature = signature;
            this.signatureOid = signatureOid;
        }

        private KeyPair generateKeyPair() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(name());
            if (this == EC) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        }

        /** The AlgorithmIdentifier of the signature: RSA's carries NULL parameters, ECDSA's none (RFC 3279, RFC 5758). */
        private byte[] signatureAlgorithm() {
            return this == RSA
                    ? Der.sequence(Der.oid(signatureOid), Der.nullValue())
                    : Der.sequence(Der.oid(signatureOid));
        }

        /**
         * keyUsage's named bits, bit 0 first: digitalSignature (0), for the TLS handshake's
         * signatures; keyEncipherment (2) for RSA, which TLS 1.2's RSA key exchange uses. DER
         * drops trailing zero bits and counts them as unused.
         */
        private byte[] keyUsage() {
            return this == RSA ? Der.bitString(new byte[] {(byte) 0xa0}, 5) : Der.bitString(new byte[] {(byte) 0x80}, 7);
        }
    }

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * A certificate with an EC P-256 key for {@code hostNames}; with none, for {@code localhost},
     * {@code 127.0.0.1} and {@code ::1}.
     *
     * @param hostNames DNS names ({@code *.example.com} stands for any one first label) or IPv4 and IPv6 literals; the first is also the subject's common name
     * @return the certificate and its key
     * @throws IllegalArgumentException if a name is neither a DNS name nor an IP literal
     */
    public static SelfSignedCertificate generate(String... hostNames) {
        return generate(KeyAlgorithm.EC, hostNames);
    }

    /**
     * A certificate with a key of {@code algorithm} for {@code hostNames}; with none, for
     * {@code localhost}, {@code 127.0.0.1} and {@code ::1}. An RSA key takes a few hundred
     * milliseconds to generate; an EC key, about one.
     *
     * @param algorithm the kind of key, which decides the signature too
     * @param hostNames DNS names ({@code *.example.com} stands for any one first label) or IPv4 and IPv6 literals; the first is also the subject's common name
     * @return the certificate and its key
     * @throws IllegalArgumentException if a name is neither a DNS name nor an IP literal
     */
    public static SelfSignedCertificate generate(KeyAlgorithm algorithm, String... hostNames) {
        List<String> names = hostNames.length == 0 ? DEFAULT_HOST_NAMES : List.of(hostNames);
        byte[][] altNames = new byte[names.size()][];
        for (int i = 0; i < altNames.length; i++) {
            altNames[i] = generalName(names.get(i));
        }
        try {
            KeyPair keys = algorithm.generateKeyPair();
            byte[] publicKeyInfo = keys.getPublic().getEncoded();
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(names.getFirst()))));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            byte[] tbsCertificate = Der.sequence(
                    Der.explicit(0, Der.integer(2)), // v3
                    Der.integer(serialNumber()),
                    algorithm.signatureAlgorithm(),
                    name,
                    Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(VALIDITY))),
                    name,
                    publicKeyInfo,
                    Der.explicit(3, Der.sequence(
                            extension(BASIC_CONSTRAINTS, true, Der.sequence()), // cA FALSE is the default, so absent
                            extension(KEY_USAGE, true, algorithm.keyUsage()),
                            extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))),
                            extension(SUBJECT_ALT_NAME, false, Der.sequence(altNames)),
                            extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(publicKeyInfo))))));
            Signature signer = Signature.getInstance(algorithm.signature);
            signer.initSign(keys.getPrivate());
            signer.update(tbsCertificate);
            byte[] der = Der.sequence(tbsCertificate, algorithm.signatureAlgorithm(), Der.bitString(signer.sign(), 0));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new SelfSignedCertificate(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            // Every JDK has EC P-256, RSA, SHA-256 and X.509: this is a JDK without them, or a bug here.
            throw new IllegalStateException("cannot make a self-signed " + algorithm + " certificate: " + e.getMessage(), e);
        }
    }

    /** RFC 5280 4.1.2.2: positive, at most 20 bytes; 16 random bytes with the top bit clear and the next set, so always 16. */
    private static BigInteger serialNumber() {
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] = (byte) ((serial[0] & 0x7f) | 0x40);
        return new BigInteger(serial);
    }

    /** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (absent when false), extnValue OCTET STRING }. */
    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** RFC 5280 4.2.1.2, method 1: the SHA-1 of the subjectPublicKey BIT STRING's bits, as openssl computes it. */
    private static byte[] keyIdentifier(byte[] subjectPublicKeyInfo) throws IOException, GeneralSecurityException {
        byte[] bits = Der.parse(subjectPublicKeyInfo).children().get(1).expect(Der.BIT_STRING, "the subjectPublicKey").contents();
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(bits, 1, bits.length - 1); // after the count of unused bits
        return sha1.digest();
    }

    /** An iPAddress for an IPv4 or IPv6 literal, else a dNSName; nothing is looked up. */
    private static byte[] generalName(String name) {
        InetAddress address = ipLiteral(name);
        if (address != null) {
            return Der.implicit(IP_ADDRESS, address.getAddress());
        }
        if (!isDnsName(name)) {
            throw new IllegalArgumentException("'" + name + "' is neither a DNS name (letters, digits and hyphens in dot-separated labels, "
                    + "a first label of * for a wildcard) nor an IPv4 or IPv6 literal");
        }
        return Der.implicit(DNS_NAME, name.getBytes(StandardCharsets.US_ASCII));
    }

    private static InetAddress ipLiteral(String name) {
        try {
            if (name.indexOf(':') >= 0) {
                return Inet6Address.ofLiteral(name);
            }
            if (!name.isEmpty() && name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                return Inet4Address.ofLiteral(name);
            }
            return null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' looks like an IP address but is not a valid literal: " + e.getMessage(), e);
        }
    }

    /** RFC 1123 host name syntax (letters, digits, hyphens, at most 63 per label, 253 in all), with a wildcard first label allowed. */
    private static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            boolean wildcard = i == 0 && labels.length > 1 && label.equals("*");
            if (!wildcard && !label.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The certificate.
     *
     * @return the certificate, as the JDK's {@link CertificateFactory} parsed it
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The private key of the certificate.
     *
     * @return the key, whose encoding is PKCS#8
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The certificate as PEM, what {@code curl --cacert} and nginx's {@code ssl_certificate} read.
     *
     * @return one {@code CERTIFICATE} block
     */
    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /**
     * The private key as PEM, what nginx's {@code ssl_certificate_key} reads.
     *
     * @return one unencrypted PKCS#8 {@code PRIVATE KEY} block
     */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    /**
     * Writes the certificate and the private key as PEM, replacing the files if they exist. The
     * key file is readable by its owner only (0600) where the file system has POSIX permissions:
     * it is written to a new file made so and then renamed over {@code keyFile}, so that no other
     * user can read the key at any moment.
     *
     * @param certificateFile where the certificate goes
     * @param keyFile         where the private key goes
     * @throws IOException if either file cannot be written
     */
    public void writePem(Path certificateFile, Path keyFile) throws IOException {
        Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
        Path directory = keyFile.toAbsolutePath().getParent();
        FileAttribute<?>[] ownerOnly = keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, ".key-", ".tmp", ownerOnly);
        try {
            Files.writeString(temporary, privateKeyPem(), StandardCharsets.US_ASCII);
            Files.move(temporary, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
