package dev.uring4j.runtime.internal;

import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import dev.uring4j.runtime.TlsException;

/**
 * What a {@code TlsConfig} was built with, as the connections use it: the context engines come
 * from, the parameters each engine gets, which side we are, the handshake's deadline and who hears
 * about a server's failed handshakes.
 *
 * @param context               makes the engines
 * @param parameters            protocols, cipher suites, ALPN, client authentication, endpoint identification
 * @param client                whether engines take the client's side
 * @param handshakeTimeoutNanos how long a handshake may take
 * @param failures              told about each failed handshake of a server's connection, or {@code null}
 */
public record TlsContext(SSLContext context, SSLParameters parameters, boolean client, long handshakeTimeoutNanos,
                         Consumer<? super TlsException> failures) {

    /**
     * An engine for one connection. A client's engine names the server ({@code peerHost}, for SNI,
     * the check of its certificate's name and session resumption); a server's takes no peer.
     */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = client ? context.createSSLEngine(peerHost, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(client);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A server's connection failed its handshake: its handler never saw it, so it is reported here. */
    void handshakeFailed(TlsException e) {
        if (failures == null) {
            TransportLoop.LOG.log(System.Logger.Level.DEBUG, e.getMessage(), e);
            return;
        }
        try {
            failures.accept(e);
        } catch (RuntimeException | Error t) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "the TLS handshake-failure listener threw", t);
        }
    }
}
