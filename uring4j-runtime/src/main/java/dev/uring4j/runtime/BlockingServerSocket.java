package dev.uring4j.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket for plain blocking code: {@link #accept()} waits for the next connection, as
 * {@link java.net.ServerSocket#accept()} does, while the event loops accept, receive and send. Each
 * accepted {@link BlockingSocket} is usually served by a virtual thread of its own.
 *
 * <p>It is a {@link TcpServer} underneath, built from the builder given to {@link #bind}: its
 * address, loops, limits and TLS all apply. Connections the loops have accepted wait here until
 * {@code accept()} takes them (a backlog of its own, bounded by the server's
 * {@link TcpServer.Builder#maxConnections}).
 *
 * <p>{@link #close()} stops accepting, makes a blocked {@code accept()} throw
 * {@link SocketException} ("Socket closed"), and closes the connections nobody accepted. The
 * sockets already accepted stay open when the builder was given a group; without one the server's
 * own loops close with it, and their sockets too. A virtual thread interrupted in {@code accept()} closes the
 * server socket and gets {@link SocketException} ("Closed by interrupt"), as the JDK's does.
 */
public final class BlockingServerSocket implements Closeable {
    /** Marks the end of the accept queue: whoever takes it puts it back for the next waiter. */
    private static final BlockingSocket CLOSED = new BlockingSocket(null);

    private final LinkedBlockingQueue<BlockingSocket> accepted = new LinkedBlockingQueue<>();
    private final TcpServer server;
    private volatile boolean closed;
    private volatile long acceptTimeoutNanos;

    private BlockingServerSocket(TcpServer.Builder builder) throws IOException {
        BlockingSocket.Listener listener = new BlockingSocket.Listener() {
            @Override
            public void opened(BlockingSocket socket) {
                if (closed) {
                    socket.close();
                } else {
                    accepted.add(socket);
                }
            }

            @Override
            public void closed(BlockingSocket socket) {
                // A connection that ends before it is accepted is taken all the same: its reads
                // see what it sent and the end, as with a kernel backlog.
            }
        };
        this.server = builder.handler(() -> new BlockingSocket(listener).handler()).start();
    }

    /**
     * Starts listening as {@code builder} says (its handler is set here) and returns the socket
     * to accept from.
     *
     * @param builder the server's settings: address, loops, limits, TLS
     * @return the listening socket
     * @throws IOException naming the cause when it cannot listen ({@code EADDRINUSE} and the like)
     */
    public static BlockingServerSocket bind(TcpServer.Builder builder) throws IOException {
        return new BlockingServerSocket(builder);
    }

    /**
     * The next connection, waiting for one (at most the accept timeout, if set).
     *
     * @return the accepted socket
     * @throws SocketTimeoutException when none came within the accept timeout
     * @throws SocketException when the server socket is closed (or a virtual thread's interrupt closed it)
     */
    public BlockingSocket accept() throws IOException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        BlockingSocket s;
        try {
            long timeout = acceptTimeoutNanos;
            if (timeout > 0) {
                s = accepted.poll(timeout, TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new SocketTimeoutException("Accept timed out");
                }
            } else {
                s = accepted.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SocketException("Closed by interrupt");
        }
        if (s == CLOSED) {
            accepted.add(CLOSED);
            throw new SocketException("Socket closed");
        }
        return s;
    }

    /**
     * Sets how long {@link #accept()} waits ({@code null} or zero: forever).
     *
     * @param timeout the accept timeout
     */
    public void setAcceptTimeout(Duration timeout) {
        this.acceptTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    /**
     * Where it listens.
     *
     * @return the bound address
     */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /**
     * The server underneath: its group, counters and connection count.
     *
     * @return the TCP server
     */
    public TcpServer server() {
        return server;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Stops accepting; blocked {@code accept()} calls throw; connections nobody accepted are closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        accepted.add(CLOSED);
        for (BlockingSocket s : accepted) {
            if (s != CLOSED) {
                s.close();
            }
        }
        server.close();
    }
}
