package dev.uring4j.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The tests' certificates and TLS peers: one self-signed server certificate, trusted by the clients made here. */
final class TlsPeers {
    /** The server's certificate, for {@code localhost} and {@code 127.0.0.1}. */
    static final SelfSignedCertificate SERVER = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    /** A client's certificate, for servers that ask for one. */
    static final SelfSignedCertificate CLIENT = SelfSignedCertificate.generate("client.test");

    private TlsPeers() {}

    static TlsConfig.Builder server() {
        return TlsConfig.server(List.of(SERVER.certificate()), SERVER.privateKey());
    }

    /** A client of ours that trusts {@link #SERVER}. */
    static TlsConfig.Builder client() {
        return TlsConfig.client().trust(SERVER.certificate());
    }

    /** The JDK's own TLS, trusting {@link #SERVER} and presenting {@code key} (or nothing). */
    static SSLContext jdkContext(SelfSignedCertificate key) {
        try {
            char[] none = new char[0];
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("server", SERVER.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            KeyManagerFactory kmf = null;
            if (key != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("key", key.privateKey(), none, new java.security.cert.X509Certificate[] {key.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK client socket to {@code address} (by the name {@code localhost}), handshaken, with a 30 s read timeout. */
    static SSLSocket connect(InetSocketAddress address, String... protocols) {
        try {
            SSLSocket s = (SSLSocket) jdkContext(null).getSocketFactory().createSocket("localhost", address.getPort());
            if (protocols.length > 0) {
                s.setEnabledProtocols(protocols);
            }
            s.setSoTimeout(30_000);
            s.startHandshake();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
