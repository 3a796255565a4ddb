package dev.uring4j.runtime.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Certificates and private keys in PEM files (RFC 7468), read as nginx's {@code ssl_certificate}
 * and {@code ssl_certificate_key} read them, and written for openssl, curl and the command line.
 * The JDK's own PEM API is a preview in JDK 25, so the text is parsed here and the DER handed to
 * {@link CertificateFactory} and {@link KeyFactory}.
 *
 * <p>Reading is tolerant of what tools put around the blocks (openssl's "Bag Attributes",
 * comments, CRLF line ends, an {@code EC PARAMETERS} block before a key) and strict about the
 * blocks themselves: every error is an {@link IOException} whose message starts with the file
 * and says what is wrong with it, at which line. Stateless; every method is safe from any thread.
 */
public final class Pem {
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

    /** The key algorithm of a PKCS#8 PrivateKeyInfo, by the object identifier in it, as {@link KeyFactory} names it. */
    private static final Map<String, String> KEY_FACTORIES = Map.of(
            RSA_ENCRYPTION, "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            EC_PUBLIC_KEY, "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private static final byte[] LINE_END = {'\n'};

    private Pem() {}

    /**
     * Reads every {@code CERTIFICATE} block of {@code file}, in file order: a chain is written leaf
     * first, then the certificates that issued it. Other blocks (a private key in the same file)
     * and text between blocks are skipped.
     *
     * @throws IOException naming the file and the problem: no certificate in it, a block with bad
     *                     base64, no END line, or contents that are not an X.509 certificate
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        List<Block> blocks = blocks(file, content);
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = block.decode(file);
            try {
                Der.parse(der);
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IOException | CertificateException e) {
                throw problem(file, "the CERTIFICATE block at line " + block.line()
                        + " is not an X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw problem(file, nothingFound(file, content, blocks, "CERTIFICATE", "x509"), null);
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the one private key of {@code file}: unencrypted PKCS#8 ({@code PRIVATE KEY}) of any
     * algorithm the JDK has a {@link KeyFactory} for (RSA, RSASSA-PSS, EC, Ed25519, Ed448),
     * or OpenSSL's traditional PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY},
     * named curves) forms, which are wrapped into PKCS#8 here. Other blocks are skipped.
     *
     * @throws IOException naming the file and the problem: no key, more than one, an encrypted key
     *                     (with the openssl command that decrypts it), bad base64, or contents
     *                     that are not a key of the algorithm they name
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        List<Block> blocks = blocks(file, content);
        List<Block> keys = blocks.stream().filter(b -> b.label().endsWith("PRIVATE KEY")).toList();
        if (keys.isEmpty()) {
            throw problem(file, nothingFound(file, content, blocks, "PRIVATE KEY", "pkey"), null);
        }
        if (keys.size() > 1) {
            throw problem(file, "holds " + keys.size() + " private keys (" + where(keys) + "), expected one", null);
        }
        Block key = keys.getFirst();
        String at = "the " + key.label() + " block at line " + key.line();
        if (key.encrypted()) {
            throw problem(file, at + " is encrypted, and encrypted keys are not supported: decrypt it with `openssl pkcs8 -topk8 -nocrypt -in "
                    + file + " -out " + file + ".unencrypted`", null);
        }
        byte[] der = key.decode(file);
        try {
            byte[] pkcs8 = switch (key.label()) {
                case "PRIVATE KEY" -> der;
                case "RSA PRIVATE KEY" -> privateKeyInfo(Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()), der);
                case "EC PRIVATE KEY" -> privateKeyInfo(Der.sequence(Der.oid(EC_PUBLIC_KEY), Der.oid(sec1Curve(der))), der);
                default -> throw new IOException("a key format not supported here: convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out " + file + ".pkcs8`");
            };
            return pkcs8Key(pkcs8);
        } catch (IOException e) {
            throw problem(file, at + ": " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PrivateKeyInfo (RFC 5208): version 0, the algorithm, the algorithm's own key encoding. */
    private static byte[] privateKeyInfo(byte[] algorithm, byte[] privateKey) {
        return Der.sequence(Der.integer(0), algorithm, Der.octetString(privateKey));
    }

    /**
     * The named curve of a SEC1 ECPrivateKey (RFC 5915): {@code SEQUENCE { version, privateKey
     * OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }}; PKCS#8 carries the curve
     * in the algorithm identifier instead.
     */
    private static String sec1Curve(byte[] der) throws IOException {
        for (Der.Element field : Der.parse(der).expect(Der.SEQUENCE, "an ECPrivateKey sequence").children()) {
            if (field.tag() == Der.explicitTag(0)) {
                Der.Element parameters = field.children().getFirst();
                if (parameters.tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IOException("explicit curve parameters are not supported: write the key with a named curve "
                            + "(`openssl ec -param_enc named_curve`)");
                }
                return parameters.oid();
            }
        }
        throw new IOException("the ECPrivateKey does not name its curve (it has no [0] parameters)");
    }

    private static PrivateKey pkcs8Key(byte[] pkcs8) throws IOException {
        List<Der.Element> info = Der.parse(pkcs8).expect(Der.SEQUENCE, "a PrivateKeyInfo sequence").children();
        if (info.size() < 3) {
            throw new IOException("not a PKCS#8 PrivateKeyInfo: it has " + info.size() + " fields, not 3 or more");
        }
        String oid = info.get(1).expect(Der.SEQUENCE, "an AlgorithmIdentifier").children().getFirst().oid();
        String algorithm = KEY_FACTORIES.get(oid);
        if (algorithm == null) {
            throw new IOException("the key's algorithm " + oid + " is none of " + KEY_FACTORIES.values());
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("this JDK has no key factory for its " + algorithm + " key", e);
        } catch (InvalidKeySpecException e) {
            throw new IOException("not a valid " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /**
     * The chain as PEM: one {@code CERTIFICATE} block per certificate, in the order given (leaf first).
     *
     * @throws IllegalArgumentException if the chain is empty or a certificate cannot be encoded
     */
    public static String encode(X509Certificate... chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("no certificate to encode");
        }
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                appendBlock(pem, "CERTIFICATE", certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("the certificate of " + certificate.getSubjectX500Principal()
                        + " cannot be encoded: " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /**
     * The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block.
     *
     * @throws IllegalArgumentException if the key has no PKCS#8 encoding (a key held in hardware)
     */
    public static String encode(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (!"PKCS#8".equals(key.getFormat()) || encoded == null) {
            throw new IllegalArgumentException("only a key encoded as PKCS#8 can be written as PEM; this "
                    + key.getAlgorithm() + " key's encoding is " + key.getFormat());
        }
        StringBuilder pem = new StringBuilder();
        appendBlock(pem, "PRIVATE KEY", encoded);
        return pem.toString();
    }

    /** RFC 7468: base64 in lines of 64 characters between the BEGIN and END lines. */
    private static void appendBlock(StringBuilder pem, String label, byte[] der) {
        pem.append("-----BEGIN ").append(label).append("-----\n")
                .append(Base64.getMimeEncoder(64, LINE_END).encodeToString(der)).append('\n')
                .append("-----END ").append(label).append("-----\n");
    }

    /**
     * An in-memory PKCS12 key store holding each certificate as a trusted entry, for a
     * {@link javax.net.ssl.TrustManagerFactory} that trusts exactly these.
     */
    public static KeyStore trustStore(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK's PKCS12 key store cannot hold trusted certificates in memory: " + e.getMessage(), e);
        }
    }

    /**
     * One {@code -----BEGIN label-----} to {@code -----END label-----} block, its base64 not yet
     * decoded (a block this read does not use may be broken without failing it).
     *
     * @param line      the line of its BEGIN, from 1
     * @param encrypted whether an RFC 1421 header says {@code Proc-Type: 4,ENCRYPTED}, or the label is PKCS#8's encrypted form
     */
    private record Block(String label, int line, boolean encrypted, String base64) {

        byte[] decode(Path file) throws IOException {
            if (base64.isEmpty()) {
                throw problem(file, "the " + label + " block at line " + line + " is empty", null);
            }
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw problem(file, "the " + label + " block at line " + line + " has bad base64: " + e.getMessage(), e);
            }
        }
    }

    /** The file's blocks in order; lines outside blocks are skipped, whatever they hold. */
    private static List<Block> blocks(Path file, byte[] content) throws IOException {
        // Base64 and the markers are ASCII; Latin-1 maps any byte to one char, so junk never fails decoding.
        String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n", -1);
        List<Block> blocks = new ArrayList<>();
        String label = null;
        int begin = 0;
        boolean encrypted = false;
        StringBuilder base64 = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
                    label = line.substring(11, line.length() - 5);
                    begin = i + 1;
                    encrypted = label.equals("ENCRYPTED PRIVATE KEY");
                    base64.setLength(0);
                }
            } else if (line.startsWith("-----END ")) {
                if (!line.equals("-----END " + label + "-----")) {
                    throw problem(file, "the " + label + " block at line " + begin + " ends at line " + (i + 1)
                            + " with '" + line + "', not -----END " + label + "-----", null);
                }
                blocks.add(new Block(label, begin, encrypted, base64.toString()));
                label = null;
            } else if (line.startsWith("-----BEGIN ")) {
                throw problem(file, "the " + label + " block at line " + begin + " has no END line before the BEGIN at line " + (i + 1), null);
            } else if (base64.isEmpty() && line.indexOf(':') > 0) {
                // RFC 1421 headers of the traditional forms: "Proc-Type: 4,ENCRYPTED", "DEK-Info: ...".
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                base64.append(line);
            }
        }
        if (label != null) {
            throw problem(file, "the " + label + " block at line " + begin + " has no -----END " + label + "----- line", null);
        }
        return blocks;
    }

    /** Why a file holds no {@code label} block, saying what it holds instead. */
    private static String nothingFound(Path file, byte[] content, List<Block> blocks, String label, String opensslCommand) {
        String expected = "expected a -----BEGIN " + label + "----- block";
        if (new String(content, StandardCharsets.ISO_8859_1).isBlank()) {
            return "is empty, " + expected;
        }
        if (blocks.isEmpty() && content[0] == Der.SEQUENCE) {
            return "holds binary DER, not PEM text: convert it with `openssl " + opensslCommand + " -inform der -in "
                    + file + " -out " + file + ".pem`";
        }
        if (blocks.isEmpty()) {
            return "holds no PEM block, " + expected;
        }
        return "holds no " + label + " block, only " + where(blocks) + ": " + expected;
    }

    private static String where(List<Block> blocks) {
        return blocks.stream().map(b -> b.label() + " at line " + b.line()).collect(Collectors.joining(", "));
    }

    private static IOException problem(Path file, String problem, Exception cause) {
        return new IOException(file + ": " + problem, cause);
    }
}
