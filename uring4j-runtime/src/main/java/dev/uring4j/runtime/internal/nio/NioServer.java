package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.internal.LoopServer;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * A TCP server on NIO loops, behind the public {@code TcpServer}.
 *
 * <p>{@link AcceptMode#ACCEPTOR}: the first loop accepts every connection and hands
 * each to a loop round-robin (a socket channel may be registered with any loop's selector, so
 * the hand-over is a task on the target loop). {@link AcceptMode#REUSEPORT}: every loop
 * has its own listening channel on the port ({@code SO_REUSEPORT}); the kernel spreads
 * connections. Both modes are available on every kernel, so the mode asked for is the mode used.
 */
public final class NioServer extends LoopServer {
    private final ServerConfig config;

    private NioServer(LoopGroup group, ServerConfig config) {
        super(group, config.mode(), config);
        this.config = config;
    }

    /** Binds and starts accepting. */
    static NioServer start(LoopGroup group, ServerConfig config) throws IOException {
        NioServer server = new NioServer(group, config);
        try {
            server.listen();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() throws IOException {
        InetSocketAddress bindTo = config.address();
        int loopsWithListener = mode == AcceptMode.ACCEPTOR ? 1 : group.size();
        for (int i = 0; i < loopsWithListener; i++) {
            ServerSocketChannel channel = listenChannel(bindTo);
            if (localAddress == null) {
                localAddress = (InetSocketAddress) channel.getLocalAddress();
                bindTo = localAddress;
            }
            NioEventLoop loop = (NioEventLoop) group.loop(i);
            Throwable failed = startListener(loop, new NioListener(loop, this, channel));
            if (failed != null) {
                NioEventLoop.closeQuietly(channel);
                throw new IllegalStateException("starting the listener on " + localAddress + " failed", failed);
            }
        }
    }

    private ServerSocketChannel listenChannel(InetSocketAddress address) throws ErrnoException {
        ServerSocketChannel channel;
        try {
            channel = ServerSocketChannel.open(NioEventLoop.family(address));
        } catch (IOException e) {
            throw NioErrors.errnoException("socket", e);
        }
        String step = "setsockopt";
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (mode == AcceptMode.REUSEPORT) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            // Accepted sockets inherit the receive buffer from the listener (and with it the window
            // scale the handshake announces); NIO sets the rest on each accepted channel.
            if (config.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferSize());
            }
            step = "bind to " + address;
            channel.bind(address, config.backlog());
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            NioEventLoop.closeQuietly(channel);
            ErrnoException ee = NioErrors.errnoException(step, e);
            if (ee.errno() == Errno.EADDRINUSE) {
                ErrnoException named = new ErrnoException(step, Errno.EADDRINUSE, "another socket is listening on that port");
                named.initCause(e);
                throw named;
            }
            throw ee;
        }
    }

    // ------------------------------------------------------------------ called by loops

    /** A connection was accepted on {@code loop}: configure it and open it here or on the next loop. */
    void accepted(NioEventLoop loop, SocketChannel channel) {
        if (closed) {
            NioEventLoop.closeQuietly(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
            if (config.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferSize());
            }
        } catch (IOException e) {
            // The peer may already be gone; the connection never opened, so only the log can tell.
            TransportLoop.LOG.log(System.Logger.Level.DEBUG, () -> "configuring an accepted connection on "
                    + localAddress + " failed: " + NioErrors.errnoException("setsockopt", e).getMessage());
            NioEventLoop.closeQuietly(channel);
            return;
        }
        live.incrementAndGet();
        NioEventLoop target = mode == AcceptMode.ACCEPTOR && group.size() > 1
                ? (NioEventLoop) group.next() : loop;
        if (target == loop) {
            open(loop, channel);
        } else {
            target.post(() -> open(target, channel), () -> {
                live.decrementAndGet();
                NioEventLoop.closeQuietly(channel);
            });
        }
    }

    private void open(NioEventLoop loop, SocketChannel channel) {
        if (closed || loop.isShuttingDown()) {
            live.decrementAndGet();
            NioEventLoop.closeQuietly(channel);
            return;
        }
        NioConnection c;
        try {
            ConnectionHandler handler = newHandler();
            if (handler == null) {
                live.decrementAndGet();
                NioEventLoop.closeQuietly(channel);
                return;
            }
            c = loop.adopt(channel, handler, this);
        } catch (IOException e) {
            live.decrementAndGet();
            NioEventLoop.closeQuietly(channel);
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "registering an accepted connection with "
                    + loop.name() + " failed: " + NioErrors.errnoException("register", e).getMessage());
            return;
        }
        c.open(config.idleTimeoutNanos());
    }

    /** How many more connections the listeners may accept. */
    int room() {
        return Math.max(0, config.maxConnections() - live.get());
    }

    /** Connections a listener takes per readiness at most: the backlog, as much as the kernel queues. */
    int burst() {
        return config.backlog();
    }

    /** Why {@link #room} is zero, for the log. */
    String fullReason() {
        return "the server's limit of " + config.maxConnections() + " connections is reached";
    }

    @Override
    protected void closeConnectionsOn(TransportLoop loop) {
        NioEventLoop n = (NioEventLoop) loop;
        n.post(() -> n.closeConnectionsOf(this));
    }
}
