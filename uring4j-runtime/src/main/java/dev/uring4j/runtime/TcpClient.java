package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import dev.uring4j.runtime.internal.ClientConfig;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * Opens TCP connections on an {@link EventLoopGroup}, with the same {@link Connection} API as a
 * server's.
 *
 * <p>On io_uring the connect is submitted together with a linked timeout: if the timeout fires
 * first the connect completes with {@code -ECANCELED}, the timeout with {@code -ETIME}, and the
 * future fails with a {@link ConnectionException} naming the address and the duration (on NIO a
 * loop timer bounds the connect, with the same outcome). Refused,
 * unreachable and reset connects fail naming their errno. Cancelling the future cancels the
 * connect and closes the socket.
 */
public final class TcpClient {
    private final EventLoopGroup group;
    private final ClientConfig config;

    private TcpClient(Builder b) {
        this.group = Objects.requireNonNull(b.group, "an event loop group is required");
        this.config = new ClientConfig(Objects.requireNonNull(b.handlers, "a handler is required"),
                b.connectTimeout == null ? 0 : b.connectTimeout.toNanos(),
                b.idleTimeout == null ? 0 : b.idleTimeout.toNanos(), b.tcpNoDelay, b.sendBufferSize,
                b.receiveBufferSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects on the group's next loop. */
    public CompletableFuture<Connection> connect(InetSocketAddress address) {
        return connect(address, group.next());
    }

    /** Connects on {@code loop} (which must belong to this client's group). */
    public CompletableFuture<Connection> connect(InetSocketAddress address, EventLoop loop) {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (address.isUnresolved()) {
            future.completeExceptionally(new IllegalArgumentException("unresolved address " + address));
            return future;
        }
        if (!group.loops().contains(loop)) {
            future.completeExceptionally(new IllegalArgumentException("the loop is not in this client's group"));
            return future;
        }
        ((TransportLoop) loop).connect(config, address, future);
        return future;
    }

    /** Builder of {@link TcpClient}. */
    public static final class Builder {
        private EventLoopGroup group;
        private Supplier<? extends ConnectionHandler> handlers;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout;
        private boolean tcpNoDelay = true;
        private int sendBufferSize;
        private int receiveBufferSize;

        private Builder() {}

        public Builder group(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        public Builder handler(Supplier<? extends ConnectionHandler> factory) {
            this.handlers = factory;
            return this;
        }

        public Builder handler(ConnectionHandler shared) {
            this.handlers = () -> shared;
            return this;
        }

        /** How long a connect may take (default 10 s); {@code null} waits as long as the kernel does. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = bytes;
            return this;
        }

        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        public TcpClient build() {
            return new TcpClient(this);
        }
    }
}
