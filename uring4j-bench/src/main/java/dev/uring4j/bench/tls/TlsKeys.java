package dev.uring4j.bench.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The certificate chain and private key every HTTPS server of one benchmark run presents, kept in
 * a PKCS12 file that the orchestrator makes once and hands to each server: so every server signs
 * its handshakes with the same kind of key (EC P-256), and none spends its start-up making one.
 *
 * @param chain the chain, leaf first
 * @param key   the leaf's private key
 */
public record TlsKeys(List<X509Certificate> chain, PrivateKey key) {
    /** The key store's password; the file is a throw-away in the run's output directory. */
    static final char[] PASSWORD = "uring4j-bench".toCharArray();
    /** The alias of the one key entry. */
    static final String ALIAS = "server";

    /**
     * Reads the key entry of {@code keystore}.
     *
     * @param keystore a PKCS12 file written by {@link TlsBench}
     * @return its chain and key
     * @throws IOException if the file cannot be read or holds no key entry {@value #ALIAS}
     */
    public static TlsKeys load(Path keystore) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            if (!(store.getKey(ALIAS, PASSWORD) instanceof PrivateKey key)) {
                throw new IOException(keystore + " holds no private key under the alias '" + ALIAS + "'");
            }
            Certificate[] chain = store.getCertificateChain(ALIAS);
            return new TlsKeys(Arrays.stream(chain).map(X509Certificate.class::cast).toList(), key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key store " + keystore + ": " + e.getMessage(), e);
        }
    }
}
