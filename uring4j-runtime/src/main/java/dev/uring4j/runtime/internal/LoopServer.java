package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.TcpServer;

/**
 * What a TCP server is on either transport: its listeners and the loops they run on, the count
 * of live connections that paces them, and the close that stops them all and closes every
 * connection after its output drains. {@code UringServer} and {@code NioServer} add how they
 * listen and hand connections to loops.
 */
public abstract class LoopServer implements ServerCore {
    /** What the server asks of a listener, always on the listener's loop. */
    public interface Listener {
        /** Starts accepting; runs on the listener's loop. */
        void start() throws Exception;

        /** Whether accepting is paused (at the connection limit, or backing off after EMFILE). */
        boolean waiting();

        /** Accepts again now: a connection closed, so a descriptor or a slot may be free. */
        void retryNow();

        /** Stops accepting for good. */
        void stop();
    }

    public final EventLoopGroup group;
    public final TcpServer.AcceptMode mode;
    public final AtomicInteger live = new AtomicInteger();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<TransportLoop> listenerLoops = new ArrayList<>();
    public InetSocketAddress localAddress;
    public volatile boolean closed;

    public LoopServer(EventLoopGroup group, TcpServer.AcceptMode mode) {
        this.group = group;
        this.mode = mode;
    }

    /**
     * Adds {@code listener}, which runs on {@code loop}, starts it on that loop's thread and waits
     * until it did: returns {@code null} once it accepts, or what its start threw (the caller
     * closes the socket and reports).
     */
    protected final Throwable startListener(TransportLoop loop, Listener listener) {
        listeners.add(listener);
        listenerLoops.add(loop);
        CompletableFuture<Void> armed = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                listener.start();
                armed.complete(null);
            } catch (Throwable t) {
                armed.completeExceptionally(t);
            }
        });
        try {
            armed.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** A connection of this server closed: a listener that waits for room may accept again. */
    public final void connectionClosed() {
        live.decrementAndGet();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            TransportLoop loop = listenerLoops.get(i);
            if (loop.inEventLoop()) {
                if (l.waiting()) {
                    l.retryNow();
                }
            } else {
                loop.execute(() -> {
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

    @Override
    public final InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public final TcpServer.AcceptMode acceptMode() {
        return mode;
    }

    @Override
    public final int connections() {
        return live.get();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            CompletableFuture<Void> f = new CompletableFuture<>();
            listenerLoops.get(i).execute(() -> {
                l.stop();
                f.complete(null);
            });
            done.add(f);
        }
        for (EventLoop loop : group.loops()) {
            closeConnectionsOn((TransportLoop) loop);
        }
        if (!group.isClosed()) {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
        afterClose();
    }
}
