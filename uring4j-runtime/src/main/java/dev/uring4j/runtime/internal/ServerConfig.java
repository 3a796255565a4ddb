package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.function.Supplier;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.ConnectionHandler;

/**
 * What a {@code TcpServer} was built with, handed to the transport that runs it.
 *
 * @param address          where to listen
 * @param mode             how to accept (the transport may fall back and say why)
 * @param backlog          listen(2) backlog
 * @param tcpNoDelay       TCP_NODELAY on accepted connections
 * @param sendBufferSize   SO_SNDBUF, 0 for the kernel's default
 * @param receiveBufferSize SO_RCVBUF, 0 for the kernel's default
 * @param maxConnections   connections open at once at most
 * @param idleTimeoutNanos idle timeout, 0 for none
 * @param handlers         a handler per connection
 * @param tls              TLS on every connection, or {@code null}
 */
public record ServerConfig(InetSocketAddress address, AcceptMode mode, int backlog, boolean tcpNoDelay,
                    int sendBufferSize, int receiveBufferSize, int maxConnections, long idleTimeoutNanos,
                    Supplier<? extends ConnectionHandler> handlers, TlsContext tls) {
}
