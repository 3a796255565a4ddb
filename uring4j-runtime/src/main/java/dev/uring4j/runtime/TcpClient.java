package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

/**
 * Opens TCP connections on an {@link EventLoopGroup}, with the same {@link Connection} API as a
 * server's.
 *
 * <p>The connect is submitted together with a linked timeout: if the timeout fires first the
 * connect completes with {@code -ECANCELED}, the timeout with {@code -ETIME}, and the future fails
 * with a {@link ConnectionException} naming the address and the duration. Refused, unreachable and
 * reset connects fail naming their errno. Cancelling the future cancels the connect and closes the
 * socket.
 */
public final class TcpClient {
    private final EventLoopGroup group;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final boolean tcpNoDelay;
    private final int sendBufferSize;
    private final int receiveBufferSize;

    private TcpClient(Builder b) {
        this.group = Objects.requireNonNull(b.group, "an event loop group is required");
        this.handlers = Objects.requireNonNull(b.handlers, "a handler is required");
        this.connectTimeout = b.connectTimeout;
        this.idleTimeout = b.idleTimeout;
        this.tcpNoDelay = b.tcpNoDelay;
        this.sendBufferSize = b.sendBufferSize;
        this.receiveBufferSize = b.receiveBufferSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects on the group's next loop. */
    public CompletableFuture<Connection> connect(InetSocketAddress address) {
        return connect(address, group.nextUring());
    }

    /** Connects on {@code loop} (which must belong to this client's group). */
    public CompletableFuture<Connection> connect(InetSocketAddress address, EventLoop loop) {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (address.isUnresolved()) {
            future.completeExceptionally(new IllegalArgumentException("unresolved address " + address));
            return future;
        }
        UringEventLoop l = (UringEventLoop) loop;
        l.execute(() -> start(l, address, future));
        return future;
    }

    private void start(UringEventLoop loop, InetSocketAddress address, CompletableFuture<Connection> future) {
        int fd = LibC.socket(SockAddr.familyOf(address), LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            future.completeExceptionally(new ConnectionException("socket for connect to " + address, -fd, "(none)"));
            return;
        }
        LibC.setsockoptInt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        if (sendBufferSize > 0) {
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, sendBufferSize);
        }
        if (receiveBufferSize > 0) {
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, receiveBufferSize);
        }
        int slot = loop.clientSlot(fd);
        ConnectionHandler handler = Objects.requireNonNull(handlers.get(), "handler factory returned null");
        UringConnection c = loop.adopt(slot, fd, false, handler, null);
        c.connect(address, connectTimeout == null ? 0 : connectTimeout.toNanos(),
                idleTimeout == null ? 0 : idleTimeout.toNanos(), future);
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
