package dev.uring4j.runtime.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;

/**
 * What one side of a TLS connection presents: a certificate chain, leaf first, and the private
 * key of the leaf. Checked when made, so that a key that does not belong to its certificate is
 * an error naming both at configuration time rather than a handshake that fails for every client.
 * Immutable.
 *
 * @param chain the leaf certificate, then the certificates that issued it, as nginx's {@code ssl_certificate} holds them
 * @param key   the private key whose public key is the leaf's
 */
public record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    /**
     * @throws IllegalArgumentException if the chain is empty or the key is not the private half of the leaf's public key
     */
    public KeyMaterial {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf certificate");
        }
        X509Certificate leaf = chain.getFirst();
        if (!matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("the " + key.getAlgorithm() + " private key does not belong to the certificate of "
                    + leaf.getSubjectX500Principal() + ", whose public key is " + leaf.getPublicKey().getAlgorithm());
        }
    }

    /**
     * Reads a chain and its key from PEM files, as nginx's {@code ssl_certificate} and
     * {@code ssl_certificate_key} (both may name the same file).
     *
     * @throws IOException naming the file and what is wrong with it, or both files when the key does not belong to the certificate
     */
    public static KeyMaterial read(Path chainFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(chainFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        try {
            return new KeyMaterial(chain, key);
        } catch (IllegalArgumentException e) {
            throw new IOException(keyFile + ": does not match the certificate in " + chainFile + ": " + e.getMessage(), e);
        }
    }

    /** The leaf's key algorithm, as JSSE names the key types it asks a key manager for: "EC", "RSA", "RSASSA-PSS", "EdDSA". */
    public String keyType() {
        return chain.getFirst().getPublicKey().getAlgorithm();
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: RSA keys share their modulus;
     * other keys are checked by signing a random message and verifying it, as there is no public
     * API to derive their public key.
     */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        // Ed25519 and Ed448 keys both report "EdDSA", the name of the signature that takes either.
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot check that the " + key.getAlgorithm()
                    + " private key belongs to the certificate: " + e.getMessage(), e);
        }
    }
}
