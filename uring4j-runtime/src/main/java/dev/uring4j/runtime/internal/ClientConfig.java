package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;

import dev.uring4j.runtime.ConnectionHandler;

/**
 * What a {@code TcpClient} was built with, handed to the loop that connects.
 *
 * @param handlers            a handler per connection
 * @param connectTimeoutNanos connect timeout, 0 for the kernel's
 * @param idleTimeoutNanos    idle timeout, 0 for none
 * @param tcpNoDelay          TCP_NODELAY
 * @param sendBufferSize      SO_SNDBUF, 0 for the default
 * @param receiveBufferSize   SO_RCVBUF, 0 for the default
 * @param localAddress        where a socket binds before it connects, {@code null} to let the kernel pick
 * @param tls                 TLS on every connection, or {@code null}
 */
public record ClientConfig(Supplier<? extends ConnectionHandler> handlers, long connectTimeoutNanos, long idleTimeoutNanos,
                           boolean tcpNoDelay, int sendBufferSize, int receiveBufferSize,
                           InetSocketAddress localAddress, TlsContext tls) {

    /**
     * A handler for a new connection, asked for before anything is opened for it, so that a
     * factory that returns nothing or throws leaves nothing behind.
     *
     * @throws NullPointerException when the factory returns {@code null}
     */
    public ConnectionHandler newHandler() {
        return Objects.requireNonNull(handlers.get(), "the client's handler factory returned null");
    }
}
