package dev.uring4j.http.jdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.uring4j.runtime.TlsConfig;

/**
 * The {@link HttpsServer} that {@link UringHttpServerProvider} makes: a {@link UringHttpServer}
 * behind uring4j's TLS, configured from the {@link HttpsConfigurator} when the server starts (its
 * {@code SSLContext}, and what its {@code configure} sets: protocols, cipher suites, client
 * authentication). It listens from {@code start} on.
 */
final class UringHttpsServer extends HttpsServer {
    private final UringHttpServer server = new UringHttpServer(this, this::tlsConfig);
    private volatile HttpsConfigurator configurator;

    @Override
    public void setHttpsConfigurator(HttpsConfigurator config) {
        configurator = Objects.requireNonNull(config, "null HttpsConfigurator");
    }

    @Override
    public HttpsConfigurator getHttpsConfigurator() {
        return configurator;
    }

    /**
     * uring4j's TLS settings from the configurator: its context, and the protocols, suites and
     * client authentication its {@code configure} chose where they differ from the context's
     * defaults (uring4j refuses protocols older than TLS 1.2 outright).
     */
    private TlsConfig tlsConfig() {
        HttpsConfigurator config = configurator;
        if (config == null) {
            throw new IllegalStateException("HttpsConfigurator not set: call setHttpsConfigurator before start");
        }
        SSLContext context = config.getSSLContext();
        SSLParameters defaults = context.getDefaultSSLParameters();
        Parameters parameters = new Parameters(config);
        config.configure(parameters);
        SSLParameters chosen = parameters.ssl != null ? parameters.ssl : defaults;
        TlsConfig.Builder tls = TlsConfig.server(context);
        if (chosen.getProtocols() != null && !Arrays.equals(chosen.getProtocols(), defaults.getProtocols())) {
            tls.protocols(chosen.getProtocols());
        }
        if (chosen.getCipherSuites() != null && !Arrays.equals(chosen.getCipherSuites(), defaults.getCipherSuites())) {
            tls.cipherSuites(chosen.getCipherSuites());
        }
        tls.clientAuth(chosen.getNeedClientAuth() ? TlsConfig.ClientAuth.NEED
                : chosen.getWantClientAuth() ? TlsConfig.ClientAuth.WANT : TlsConfig.ClientAuth.NONE);
        return tls.build();
    }

    /**
     * What the configurator's {@code configure} is given: it is asked once, when the server starts,
     * for every client, so there is no client address.
     */
    private static final class Parameters extends HttpsParameters {
        private final HttpsConfigurator config;
        private SSLParameters ssl;

        Parameters(HttpsConfigurator config) {
            this.config = config;
        }

        @Override
        public HttpsConfigurator getHttpsConfigurator() {
            return config;
        }

        @Override
        public InetSocketAddress getClientAddress() {
            return null;
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            ssl = params;
        }
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        server.bind(addr, backlog);
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        server.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return server.getExecutor();
    }

    @Override
    public void stop(int delay) {
        server.stop(delay);
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return server.createContext(path, handler);
    }

    @Override
    public HttpContext createContext(String path) {
        return server.createContext(path);
    }

    @Override
    public void removeContext(String path) {
        server.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        server.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return server.getAddress();
    }
}
