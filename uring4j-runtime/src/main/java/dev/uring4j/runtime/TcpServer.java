package dev.uring4j.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.internal.ServerCore;

/**
 * A TCP server on an {@link EventLoopGroup}.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.builder()
 *         .port(7007).threads(2)
 *         .handler(() -> (connection, buffer, offset, length) -> {
 *             connection.writeAndFlush(buffer, offset, length);   // echo
 *             return length;
 *         })
 *         .start();
 * }</pre>
 *
 * <p>Two ways to accept, chosen with {@link AcceptMode}. On io_uring, connections live in direct
 * descriptors where the kernel has them, and {@link AcceptMode#ACCEPTOR} hands them between
 * loops with {@code msg_ring} fd passing. On the NIO transport the
 * acceptor hands channels over as tasks.
 */
public final class TcpServer implements AutoCloseable {

    /** How connections are accepted and spread over the loops. */
    public enum AcceptMode {
        /** One acceptor (the first loop) takes every connection and hands it to a loop round-robin. */
        ACCEPTOR,
        /** Each loop accepts on its own SO_REUSEPORT socket; the kernel spreads connections. */
        REUSEPORT
    }

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ServerCore core;
    private volatile boolean closed;

    private TcpServer(EventLoopGroup group, boolean ownsGroup, ServerCore core) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.core = core;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The address the server is bound to (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return core.localAddress();
    }

    public EventLoopGroup group() {
        return group;
    }

    /** The accept mode in effect (REUSEPORT where ACCEPTOR was asked but the transport cannot hand over). */
    public AcceptMode acceptMode() {
        return core.acceptMode();
    }

    /** Connections open now. */
    public int connections() {
        return core.connections();
    }

    /**
     * Stops accepting and closes the server's connections after their queued output is sent; with
     * a group of its own, shuts the group down too (at most 5 s of draining).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        core.close();
        if (ownsGroup) {
            group.close();
        }
    }

    /** Builder of {@link TcpServer}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private EventLoopGroup group;
        private int threads = 1;
        private LoopOptions options = LoopOptions.defaults();
        private TransportChoice transport = TransportChoice.AUTO;
        private AcceptMode mode = AcceptMode.ACCEPTOR;
        private int backlog = LibC.SOMAXCONN;
        private boolean tcpNoDelay = true;
        private int sendBufferSize;
        private int receiveBufferSize;
        private int maxConnections = Integer.MAX_VALUE;
        private Duration idleTimeout;
        private Supplier<? extends ConnectionHandler> handlers;

        private Builder() {}

        /** Where to listen (default 127.0.0.1 and an ephemeral port). */
        public Builder address(InetSocketAddress address) {
            this.address = address;
            return this;
        }

        /** Listen on all interfaces at {@code port} (0 for an ephemeral one). */
        public Builder port(int port) {
            this.address = new InetSocketAddress(port);
            return this;
        }

        /** Serve on this group (it is not closed with the server). */
        public Builder group(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** Without {@link #group}: the server starts a group of this many loops, closed with it. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Without {@link #group}: the options of the server's own loops. */
        public Builder options(LoopOptions options) {
            this.options = options;
            return this;
        }

        /** Without {@link #group}: the transport of the server's own loops (see {@link EventLoopGroup.Builder#transport}). */
        public Builder transport(TransportChoice choice) {
            this.transport = Objects.requireNonNull(choice, "transport");
            return this;
        }

        public Builder acceptMode(AcceptMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
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

        /**
         * At most this many connections at once: at the limit, accepting pauses (connections wait
         * in the backlog) until one closes.
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /** Close connections that neither receive nor send for this long. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** A new handler for each connection. */
        public Builder handler(Supplier<? extends ConnectionHandler> factory) {
            this.handlers = factory;
            return this;
        }

        /** One handler shared by every connection (it must keep per-connection state in attachments). */
        public Builder handler(ConnectionHandler shared) {
            this.handlers = () -> shared;
            return this;
        }

        /** Binds, starts accepting, and returns the running server. */
        public TcpServer start() throws IOException {
            Objects.requireNonNull(handlers, "a handler is required");
            boolean own = group == null;
            EventLoopGroup g = own
                    ? EventLoopGroup.builder().threads(threads).options(options).transport(transport).build() : group;
            ServerConfig config = new ServerConfig(address, mode, backlog, tcpNoDelay, sendBufferSize, receiveBufferSize,
                    maxConnections, idleTimeout == null ? 0 : idleTimeout.toNanos(), handlers);
            try {
                return new TcpServer(g, own, g.transport().startServer(g, config));
            } catch (IOException | RuntimeException e) {
                if (own) {
                    g.close();
                }
                throw e;
            }
        }
    }

    /** Handler of connections accepted while a server closes: they are closed at once. */
    public static final class Closing implements ConnectionHandler {
        public static final Closing INSTANCE = new Closing();

        @Override
        public int onData(Connection connection, MemorySegment buffer, long offset, int length) {
            return length;
        }
    }
}
