package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.ConnectionHandler;


/**
 * What a TCP server is on either transport: its listeners and the loops they run on, the count
 * of live connections that paces them, and the close that stops them all and closes every
 * connection after its output drains. {@code UringServer} and {@code NioServer} add how they
 * listen and hand connections to loops.
 */
public abstract class LoopServer {
    /** The handler of connections accepted while the server closes: they are closed at once, their input discarded. */
    protected static final ConnectionHandler CLOSING = (connection, buffer, offset, length) -> length;

    protected final LoopGroup group;
    private final Supplier<? extends ConnectionHandler> handlers;
    public final AcceptMode mode;
    public final AtomicInteger live = new AtomicInteger();
    private final List<LoopListener> listeners = new ArrayList<>();
    private final List<TransportLoop> listenerLoops = new ArrayList<>();
    public InetSocketAddress localAddress;
    public volatile boolean closed;
    /** TLS on every accepted connection, or {@code null}. */
    public final TlsContext tls;

    protected LoopServer(LoopGroup group, AcceptMode mode, ServerConfig config) {
        this.group = group;
        this.mode = mode;
        this.handlers = config.handlers();
        this.tls = config.tls();
    }

    /**
     * A handler for a connection just accepted, from the application's factory; {@code null}, said
     * in a WARN, when the factory returns none or throws. The caller then closes the connection
     * (counted as closed, so the server's count and its listeners stay right).
     */
    protected final ConnectionHandler newHandler() {
        try {
            ConnectionHandler h = handlers.get();
            if (h != null) {
                return h;
            }
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "the handler factory of the server on " + localAddress
                    + " returned null; the connection is closed");
        } catch (RuntimeException | Error e) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "the handler factory of the server on " + localAddress
                    + " threw; the connection is closed", e);
        }
        return null;
    }

    /**
     * Adds {@code listener}, which runs on {@code loop}, starts it on that loop's thread and waits
     * until it did: returns {@code null} once it accepts, or what its start threw (the caller
     * closes the socket and reports).
     */
    protected final Throwable startListener(TransportLoop loop, LoopListener listener) {
        listeners.add(listener);
        listenerLoops.add(loop);
        CompletableFuture<Void> armed = new CompletableFuture<>();
        loop.runOrPost(() -> {
            try {
                listener.start();
                armed.complete(null);
            } catch (Throwable t) {
                armed.completeExceptionally(t);
            }
        }, () -> armed.completeExceptionally(new RejectedExecutionException("event loop " + loop.name() + " has stopped")));
        try {
            TransportLoop.await(armed);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** A connection of this server closed: a listener that waits for room may accept again. */
    public final void connectionClosed() {
        live.decrementAndGet();
        for (int i = 0; i < listeners.size(); i++) {
            LoopListener l = listeners.get(i);
            TransportLoop loop = listenerLoops.get(i);
            if (loop.inEventLoop()) {
                if (l.waiting()) {
                    l.retryNow();
                }
            } else {
                loop.post(() -> {
                    if (l.waiting()) {
                        l.retryNow();
                    }
                });
            }
        }
    }

    /** Closes, on {@code loop}'s thread, each of this server's connections there once its output drains. */
    protected abstract void closeConnectionsOn(TransportLoop loop);

    /** After {@link #close}: what the transport still has to let go of. */
    protected void afterClose() {
    }

    /** The address the server is bound to (with the real port when 0 was asked for). */
    public final InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The accept mode in effect (REUSEPORT where ACCEPTOR was asked but the transport cannot hand over). */
    public final AcceptMode acceptMode() {
        return mode;
    }

    /** Connections open now. */
    public final int connections() {
        return live.get();
    }

    /**
     * Stops accepting and closes the server's connections after their queued output is sent.
     * Returns once its listeners are closed, or at once when called on one of the group's loops.
     */
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            LoopListener l = listeners.get(i);
            CompletableFuture<Void> f = new CompletableFuture<>();
            // A stopped loop has closed its listeners already.
            listenerLoops.get(i).runOrPost(() -> {
                l.stop();
                f.complete(null);
            }, () -> f.complete(null));
            done.add(f);
        }
        for (int i = 0; i < group.size(); i++) {
            closeConnectionsOn(group.loop(i));
        }
        CompletableFuture<Void> stopped = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        if (group.inAnyLoop()) {
            // Called by a handler: its own loop stops its listener once this returns.
            stopped.thenRun(this::afterClose);
            return;
        }
        if (!group.isClosed()) {
            stopped.join();
        }
        afterClose();
    }
}
