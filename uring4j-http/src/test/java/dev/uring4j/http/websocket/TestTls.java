package dev.uring4j.http.websocket;

import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.TlsConfig;

/** TLS material for the suites: one self-signed certificate, as the runtime's configs and as JDK contexts for the raw peers. */
final class TestTls {
    static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate("localhost");

    private TestTls() {
    }

    static TlsConfig server() {
        return TlsConfig.server(List.of(CERTIFICATE.certificate()), CERTIFICATE.privateKey()).build();
    }

    static TlsConfig client() {
        return TlsConfig.client().trust(CERTIFICATE.certificate()).hostnameVerification(false).build();
    }

    /** A JDK context that serves the certificate (a raw server) and trusts it (a raw client). */
    static SSLContext context() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", CERTIFICATE.privateKey(), new char[0], new java.security.cert.Certificate[] {CERTIFICATE.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", CERTIFICATE.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
