package dev.uring4j.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.internal.LoopServer;
import dev.uring4j.runtime.internal.ServerConfig;

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

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final LoopServer core;
    private volatile boolean closed;

    private TcpServer(EventLoopGroup group, boolean ownsGroup, LoopServer core) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.core = core;
    }

    /**
     * A builder: 127.0.0.1 on an ephemeral port, one loop of its own, acceptor mode.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The address the server is bound to (with the real port when 0 was asked for).
     *
     * @return the listening address
     */
    public InetSocketAddress localAddress() {
        return core.localAddress();
    }

    /**
     * The group the server runs on.
     *
     * @return the application's group, or the server's own
     */
    public EventLoopGroup group() {
        return group;
    }

    /**
     * The accept mode in effect.
     *
     * @return the mode asked for, or {@link AcceptMode#REUSEPORT} where {@link AcceptMode#ACCEPTOR}
     *         was asked but the transport cannot hand connections over
     */
    public AcceptMode acceptMode() {
        return core.acceptMode();
    }

    /**
     * The io_uring paths this server takes: its group's ({@link EventLoopGroup#pathsInUse()}),
     * with {@link UringOptions.Path#MSG_RING_FD} only when it hands accepted connections to other
     * loops (acceptor mode on more than one loop).
     *
     * @return the paths taken; empty on the NIO transport
     */
    public Set<UringOptions.Path> pathsInUse() {
        Set<UringOptions.Path> paths = EnumSet.noneOf(UringOptions.Path.class);
        paths.addAll(group.pathsInUse());
        if (acceptMode() != AcceptMode.ACCEPTOR || group.size() == 1) {
            paths.remove(UringOptions.Path.MSG_RING_FD);
        }
        return paths;
    }

    /**
     * Why this server does not take {@code path}.
     *
     * @param path the path to ask about
     * @return the reason in words (the transport, the options, the kernel, or what the server does
     *         instead), or {@code null} when {@link #pathsInUse()} holds it
     */
    public String whyNot(UringOptions.Path path) {
        if (pathsInUse().contains(path)) {
            return null;
        }
        if (group.transport() != Transport.IO_URING) {
            return "the server runs on the " + group.transport() + " transport";
        }
        String why = group.options().uring().whyNot(path);
        if (why != null) {
            return why;
        }
        if (path == UringOptions.Path.MSG_RING_FD) {
            return group.size() == 1 ? "one loop accepts and serves: nothing to hand over"
                    : "each loop accepts its own connections (" + acceptMode() + ")";
        }
        return "not taken when the loops set up (their log says why)";
    }

    /**
     * Connections open now.
     *
     * @return the server's open connections, over all its loops
     */
    public int connections() {
        return core.connections();
    }

    /**
     * Stops accepting and closes the server's connections after their queued output is sent; with
     * a group of its own, shuts the group down too (at most 5 s of draining). Returns when that is
     * done; called from a handler (on one of the server's loops), it starts it and returns at once.
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

    /**
     * Builder of {@link TcpServer}; the settings it shares with other builders are in
     * {@link TcpBuilder} and {@link SocketBuilder}. The local address
     * ({@link SocketBuilder#address}, {@link SocketBuilder#port}) is where the server listens:
     * by default 127.0.0.1 and an ephemeral port.
     */
    public static final class Builder extends TcpBuilder<Builder> {
        private AcceptMode mode = AcceptMode.ACCEPTOR;
        private int backlog = 4096;
        private int maxConnections = Integer.MAX_VALUE;

        private Builder() {}

        /**
         * How connections are accepted and spread over the loops (default {@link AcceptMode#ACCEPTOR}).
         *
         * @param mode the accept mode
         * @return this builder
         */
        public Builder acceptMode(AcceptMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The listen(2) backlog (default 4096; the kernel caps it at {@code net.core.somaxconn}).
         *
         * @param backlog connections the kernel may hold that are not yet accepted, 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException when {@code backlog} is out of range
         */
        public Builder backlog(int backlog) {
            this.backlog = Settings.inRange("backlog", backlog, 1, 65535);
            return this;
        }

        /**
         * At most this many connections at once: at the limit, accepting pauses (connections wait
         * in the backlog) until one closes. Default: no limit.
         *
         * @param max the most connections open at once, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code max} is not positive
         */
        public Builder maxConnections(int max) {
            this.maxConnections = Settings.inRange("maxConnections", max, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Binds, starts accepting, and returns the running server. Without a group, starts one of
         * its own first, and closes it again if the server cannot start.
         *
         * @return the running server, to be closed by the caller
         * @throws IOException naming the cause when the loops cannot start or the address cannot
         *                     be bound ({@code EADDRINUSE} and the like)
         * @throws NullPointerException when no handler was given
         */
        public TcpServer start() throws IOException {
            InetSocketAddress listen = address() != null ? address()
                    : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            ServerConfig config = new ServerConfig(listen, mode, backlog, tcpNoDelay(), sendBufferSize(),
                    receiveBufferSize(), maxConnections, idleTimeoutNanos(), handlers(), tlsContext(false));
            EventLoopGroup g = groupOrOwn("uring4j-loop", TransportSelection.Workload.TCP);
            try {
                LoopGroup loops = g.loopGroup();
                return new TcpServer(g, ownsGroup(), loops.provider().startServer(loops, config));
            } catch (IOException | RuntimeException e) {
                if (ownsGroup()) {
                    g.close();
                }
                throw e;
            }
        }
    }
}
