package dev.uring4j.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import dev.uring4j.runtime.internal.TlsContext;
import dev.uring4j.runtime.internal.tls.KeyMaterial;
import dev.uring4j.runtime.internal.tls.Pem;
import dev.uring4j.runtime.internal.tls.SniKeyManager;

/**
 * TLS for a {@link TcpServer}, a {@link TcpClient} or an HTTP server: the JDK's own
 * {@link javax.net.ssl.SSLEngine}, driven on the connection's loop. Handlers see plaintext exactly
 * as without TLS; a server's handler is opened once the handshake has completed, and a client's
 * connect future completes then.
 *
 * <p>Defaults: TLS 1.3 and 1.2 (nothing older is offered or accepted), the JDK's cipher suites
 * for those, no ALPN, no client certificates, a 10 s handshake timeout; a client checks the
 * server's certificate against the JDK's trusted authorities and its name against the host it
 * connects to.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.server(List.of(certificate), privateKey)
 *         .applicationProtocols("http/1.1")
 *         .build();
 * TcpServer server = TcpServer.builder().port(8443).tls(tls).handler(EchoHandler::new).start();
 *
 * TlsConfig trusting = TlsConfig.client().trust(certificate).build();
 * TcpClient client = TcpClient.builder().tls(trusting).handler(MyHandler::new).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; one config may serve any number of servers and clients.
 */
public final class TlsConfig {
    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Set<String> REFUSED_PROTOCOLS = Set.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

    /** Whether a server asks clients for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A certificate is asked for; a client without one is accepted, one with an untrusted one refused. */
        WANT,
        /** A trusted client certificate is required: a client without one fails the handshake. */
        NEED
    }

    private final TlsContext context;

    private TlsConfig(TlsContext context) {
        this.context = context;
    }

    /**
     * A server's config presenting {@code chain} (leaf first) signed for by {@code key}.
     *
     * @param chain the certificate chain, leaf first
     * @param key   the leaf's private key (RSA or EC)
     * @return a builder for the rest
     */
    public static Builder server(List<X509Certificate> chain, PrivateKey key) {
        return new Builder(false, null).certificate(chain, key);
    }

    /**
     * A server's config presenting the certificate chain of a PEM file (leaf first, as nginx's
     * {@code ssl_certificate}) with the private key of another (PKCS#8, or the traditional RSA
     * and EC forms; not encrypted).
     *
     * @param certificateChain the PEM file of the chain
     * @param privateKey       the PEM file of the leaf's private key
     * @return a builder for the rest
     * @throws IOException naming the file and what is wrong with it, or when the key is not the
     *                     certificate's
     */
    public static Builder server(Path certificateChain, Path privateKey) throws IOException {
        KeyMaterial m = KeyMaterial.read(certificateChain, privateKey);
        return server(m.chain(), m.key());
    }

    /**
     * A server's config with the keys and trust of an {@link SSLContext} the application built
     * (a key store, a provider of its choice). Its protocols and suites are still filtered as the
     * builder says.
     *
     * @param context an initialised context
     * @return a builder for the rest
     */
    public static Builder server(SSLContext context) {
        return new Builder(false, Objects.requireNonNull(context, "context"));
    }

    /**
     * A client's config that trusts the JDK's default authorities (replace them with
     * {@link Builder#trust}).
     *
     * @return a builder for the rest
     */
    public static Builder client() {
        return new Builder(true, null);
    }

    /**
     * A client's config with the keys and trust of an {@link SSLContext} the application built.
     *
     * @param context an initialised context
     * @return a builder for the rest
     */
    public static Builder client(SSLContext context) {
        return new Builder(true, Objects.requireNonNull(context, "context"));
    }

    /**
     * Whether connections made with this config take the client's side of the handshake.
     *
     * @return {@code true} for a client's config
     */
    public boolean isClient() {
        return context.client();
    }

    /**
     * The protocols offered and accepted, in the engine's names ({@code "TLSv1.3"}).
     *
     * @return the protocols
     */
    public List<String> protocols() {
        return List.of(context.parameters().getProtocols());
    }

    /**
     * The ALPN protocols, in preference order; empty when ALPN is not used.
     *
     * @return the application protocols
     */
    public List<String> applicationProtocols() {
        return List.of(context.parameters().getApplicationProtocols());
    }

    /**
     * How long a handshake may take before its connection is closed.
     *
     * @return the handshake timeout
     */
    public Duration handshakeTimeout() {
        return Duration.ofNanos(context.handshakeTimeoutNanos());
    }

    /** The runtime's view of the config. */
    TlsContext context() {
        return context;
    }

    /**
     * Builder of {@link TlsConfig}. Certificate and trust settings apply when the config was not
     * made from an {@link SSLContext} (which carries its own); asking for them with one is refused.
     */
    public static final class Builder {
        private final boolean client;
        private final SSLContext given;
        private KeyMaterial keys;
        private final Map<String, KeyMaterial> byHostName = new LinkedHashMap<>();
        private final List<X509Certificate> trusted = new ArrayList<>();
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean verifyHostname = true;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Consumer<? super TlsException> failures;

        private Builder(boolean client, SSLContext given) {
            this.client = client;
            this.given = given;
        }

        /**
         * The certificate chain (leaf first) and private key to present: a server's certificate,
         * or a client's for servers that ask for one.
         *
         * @param chain the chain, leaf first, not empty
         * @param key   the leaf's private key
         * @return this builder
         * @throws IllegalStateException with a config made from an {@link SSLContext}
         */
        public Builder certificate(List<X509Certificate> chain, PrivateKey key) {
            ownKeysOnly("certificate");
            this.keys = new KeyMaterial(List.copyOf(chain), Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * {@link #certificate(List, PrivateKey)} from PEM files, as {@link TlsConfig#server(Path, Path)} reads them.
         *
         * @param certificateChain the PEM file of the chain, leaf first
         * @param privateKey       the PEM file of the leaf's private key
         * @return this builder
         * @throws IOException naming the file and what is wrong with it
         */
        public Builder certificate(Path certificateChain, Path privateKey) throws IOException {
            ownKeysOnly("certificate");
            this.keys = KeyMaterial.read(certificateChain, privateKey);
            return this;
        }

        /**
         * SNI: present this chain to clients that ask for {@code hostName} (case-insensitive; a
         * {@code *.example.com} entry matches one label), and the default certificate to others.
         * Entries with RSA and EC keys may share a name: each client gets one its handshake can use.
         *
         * @param hostName the name, or a wildcard one
         * @param chain    the chain, leaf first
         * @param key      the leaf's private key
         * @return this builder
         * @throws IllegalStateException on a client's config, or one made from an {@link SSLContext}
         */
        public Builder sniCertificate(String hostName, List<X509Certificate> chain, PrivateKey key) {
            ownKeysOnly("sniCertificate");
            if (client) {
                throw new IllegalStateException("sniCertificate is a server's setting");
            }
            byHostName.put(hostName.toLowerCase(java.util.Locale.ROOT), new KeyMaterial(List.copyOf(chain), key));
            return this;
        }

        /**
         * Trusts the certificates of a PEM file (a CA bundle, as curl's {@code --cacert}); see
         * {@link #trust(X509Certificate...)}.
         *
         * @param certificates the PEM file
         * @return this builder
         * @throws IOException naming the file and what is wrong with it
         */
        public Builder trust(Path certificates) throws IOException {
            return trust(Pem.readCertificates(certificates).toArray(X509Certificate[]::new));
        }

        /**
         * Trusts these certificates (authorities, or a self-signed peer's own certificate)
         * instead of the JDK's default authorities: a client checks servers against them, a
         * server checks client certificates ({@link #clientAuth}).
         *
         * @param certificates the trust anchors
         * @return this builder
         * @throws IllegalStateException with a config made from an {@link SSLContext}
         */
        public Builder trust(X509Certificate... certificates) {
            ownKeysOnly("trust");
            trusted.addAll(Arrays.asList(certificates));
            return this;
        }

        /**
         * The protocols to offer and accept (default TLS 1.3 and 1.2). Older ones are refused.
         *
         * @param names engine names, {@code "TLSv1.3"} or {@code "TLSv1.2"}
         * @return this builder
         * @throws IllegalArgumentException for an empty list or a protocol older than TLS 1.2
         */
        public Builder protocols(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("at least one protocol is needed");
            }
            for (String p : names) {
                if (REFUSED_PROTOCOLS.contains(p)) {
                    throw new IllegalArgumentException(p + " is refused: only TLSv1.3 and TLSv1.2 are safe");
                }
            }
            this.protocols = List.of(names);
            return this;
        }

        /**
         * The cipher suites to allow, in preference order (default: the JDK's for the protocols).
         *
         * @param names the suites' standard names
         * @return this builder
         */
        public Builder cipherSuites(String... names) {
            this.cipherSuites = List.of(names);
            return this;
        }

        /**
         * ALPN: the application protocols, most preferred first ({@code "h2"}, {@code "http/1.1"}).
         * A server picks the first of its own that the client offers and refuses a client that
         * offers only others ({@code no_application_protocol}); a client offers them. What was
         * agreed is {@link Connection#applicationProtocol()}.
         *
         * @param names the protocol names
         * @return this builder
         */
        public Builder applicationProtocols(String... names) {
            this.applicationProtocols = List.of(names);
            return this;
        }

        /**
         * Whether a server asks clients for certificates (default {@link ClientAuth#NONE}); they
         * are checked against {@link #trust} (or the JDK's default authorities).
         *
         * @param auth none, want or need
         * @return this builder
         * @throws IllegalStateException on a client's config
         */
        public Builder clientAuth(ClientAuth auth) {
            if (client) {
                throw new IllegalStateException("clientAuth is a server's setting");
            }
            this.clientAuth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /**
         * Whether a client checks that the server's certificate names the host it connects to
         * (default on; the host is the connect address's host string, a name or an IP literal).
         *
         * @param on {@code false} to accept any trusted certificate whatever name it carries
         * @return this builder
         * @throws IllegalStateException on a server's config
         */
        public Builder hostnameVerification(boolean on) {
            if (!client) {
                throw new IllegalStateException("hostnameVerification is a client's setting");
            }
            this.verifyHostname = on;
            return this;
        }

        /**
         * How long a handshake may take, from the TCP connection's start (default 10 s). A peer
         * that is slower has its connection closed with a {@link TlsException} saying so.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Settings.positiveOrNone("handshakeTimeout", Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /**
         * Told about each server connection whose handshake failed (its handler never saw it); by
         * default such failures are logged at DEBUG, as other faults peers cause. Called on the
         * connection's loop thread: it must not block.
         *
         * @param listener gets the {@link TlsException}, whose cause names the alert
         * @return this builder
         */
        public Builder onHandshakeFailure(Consumer<? super TlsException> listener) {
            this.failures = Objects.requireNonNull(listener, "listener");
            return this;
        }

        private void ownKeysOnly(String setting) {
            if (given != null) {
                throw new IllegalStateException(setting + " cannot be set on a config made from an SSLContext: the context carries its keys and trust");
            }
        }

        /**
         * The config.
         *
         * @return the config
         * @throws IllegalStateException when a server's config has no certificate, or the JDK
         *                               cannot build the context (the cause says why)
         * @throws IllegalArgumentException when no requested protocol or suite is supported
         */
        public TlsConfig build() {
            if (!client && given == null && keys == null) {
                throw new IllegalStateException("a TLS server needs a certificate and its private key");
            }
            SSLContext ssl = given != null ? given : ownContext();
            SSLParameters supported = ssl.getSupportedSSLParameters();
            SSLParameters p = ssl.getDefaultSSLParameters();
            p.setProtocols(supportedOnly("protocols", protocols, supported.getProtocols()));
            if (cipherSuites != null) {
                p.setCipherSuites(supportedOnly("cipher suites", cipherSuites, supported.getCipherSuites()));
            }
            p.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
            if (client) {
                p.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
            } else {
                p.setNeedClientAuth(clientAuth == ClientAuth.NEED);
                if (clientAuth == ClientAuth.WANT) {
                    p.setWantClientAuth(true);
                }
                // The server's order of suites decides, as nginx's ssl_prefer_server_ciphers.
                p.setUseCipherSuitesOrder(true);
            }
            return new TlsConfig(new TlsContext(ssl, p, client, handshakeTimeout.toNanos(), failures));
        }

        private static String[] supportedOnly(String what, List<String> wanted, String[] supported) {
            List<String> all = Arrays.asList(supported);
            String[] kept = wanted.stream().filter(all::contains).toArray(String[]::new);
            if (kept.length == 0) {
                throw new IllegalArgumentException("none of the " + what + " " + wanted + " is supported by this JDK");
            }
            return kept;
        }

        private SSLContext ownContext() {
            try {
                KeyManager[] presented = null;
                if (keys != null) {
                    presented = new KeyManager[] {new SniKeyManager(keys, byHostName)};
                }
                TrustManager[] trust = null;
                if (!trusted.isEmpty()) {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(Pem.trustStore(trusted));
                    trust = tmf.getTrustManagers();
                }
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(presented, trust, null);
                return ssl;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
            }
        }
    }
}
