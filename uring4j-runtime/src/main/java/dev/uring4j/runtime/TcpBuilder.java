package dev.uring4j.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the builders of TCP connections take the same way ({@link TcpServer.Builder},
 * {@link TcpClient.Builder}): the handler of each connection, {@code TCP_NODELAY} and the idle
 * timeout, besides the settings of every {@link SocketBuilder}.
 *
 * <p>The class is sealed: its subclasses are the builders named above.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class TcpBuilder<B extends TcpBuilder<B>> extends SocketBuilder<B>
        permits TcpServer.Builder, TcpClient.Builder {
    private boolean tcpNoDelay = true;
    private Duration idleTimeout;
    private Supplier<? extends ConnectionHandler> handlers;
    private TlsConfig tls;

    TcpBuilder() {}

    /**
     * A new handler for each connection. Required: this or {@link #handler(ConnectionHandler)}.
     *
     * @param factory called once per connection, on the connection's loop thread
     * @return this builder
     */
    public B handler(Supplier<? extends ConnectionHandler> factory) {
        this.handlers = Objects.requireNonNull(factory, "factory");
        return self();
    }

    /**
     * One handler shared by every connection (it keeps per-connection state in attachments).
     * Required: this or {@link #handler(Supplier)}.
     *
     * @param shared the handler; with several loops it is called from several threads at once
     * @return this builder
     */
    public B handler(ConnectionHandler shared) {
        Objects.requireNonNull(shared, "shared");
        this.handlers = () -> shared;
        return self();
    }

    /**
     * {@code TCP_NODELAY} (default on: small writes go out at once).
     *
     * @param on {@code false} lets the kernel delay small sends to coalesce them (Nagle)
     * @return this builder
     */
    public B tcpNoDelay(boolean on) {
        this.tcpNoDelay = on;
        return self();
    }

    /**
     * Close connections that neither receive nor send for this long ({@code null}, the default:
     * never). The handler's {@code onClose} hears an {@code ETIMEDOUT} {@link ConnectionException}.
     *
     * @param timeout the idle time allowed, positive, or {@code null}
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = Settings.positiveOrNone("idleTimeout", timeout);
        return self();
    }

    /**
     * Speak TLS on every connection ({@code null}, the default: plaintext). A server needs a
     * server's config ({@link TlsConfig#server}), a client a client's ({@link TlsConfig#client()}).
     * Handlers see plaintext; a server's handler is opened, and a client's connect future
     * completes, once the handshake has.
     *
     * @param config the TLS settings, or {@code null}
     * @return this builder
     */
    public B tls(TlsConfig config) {
        this.tls = config;
        return self();
    }

    /** The runtime's view of the TLS config for this side, or {@code null}; refuses the other side's. */
    final dev.uring4j.runtime.internal.TlsContext tlsContext(boolean client) {
        if (tls == null) {
            return null;
        }
        if (tls.isClient() != client) {
            throw new IllegalStateException("a " + (client ? "client" : "server") + " needs TlsConfig."
                    + (client ? "client()" : "server(...)") + ", not the other side's config");
        }
        return tls.context();
    }

    final Supplier<? extends ConnectionHandler> handlers() {
        return Objects.requireNonNull(handlers, "a handler is required");
    }

    final boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    final long idleTimeoutNanos() {
        return idleTimeout == null ? 0 : idleTimeout.toNanos();
    }
}
