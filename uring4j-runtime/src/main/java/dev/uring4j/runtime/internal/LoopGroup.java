package dev.uring4j.runtime.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.LoopStats;

/**
 * The running loops of one group on one transport: what servers, clients and endpoints pick loops
 * from, and what starts and stops them together. The public {@code EventLoopGroup} is its face.
 */
public final class LoopGroup {
    private final TransportProvider provider;
    private final TransportLoop[] loops;
    private final List<EventLoop> view;
    private final LoopOptions options;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    private LoopGroup(TransportProvider provider, TransportLoop[] loops, LoopOptions options) {
        this.provider = provider;
        this.loops = loops;
        this.view = List.of(loops);
        this.options = options;
    }

    /**
     * Starts {@code threads} loops of {@code provider}'s transport and waits until each is set up.
     * If any fails, the others are shut down and the first failure is thrown: a group starts whole
     * or not at all.
     */
    public static LoopGroup start(TransportProvider provider, int threads, LoopOptions options, String namePrefix)
            throws IOException {
        TransportLoop[] loops = provider.newLoops(threads, options, namePrefix);
        for (TransportLoop l : loops) {
            l.start();
        }
        Throwable failure = null;
        for (TransportLoop l : loops) {
            try {
                l.started.join();
            } catch (CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure != null) {
            long deadline = System.nanoTime();
            for (TransportLoop l : loops) {
                if (!l.terminated.isDone()) {
                    l.shutdown(deadline);
                }
            }
            for (TransportLoop l : loops) {
                l.terminated.join();
            }
            if (failure instanceof ErrnoException ee) {
                throw ee;
            }
            throw new IOException("starting the " + provider.transport() + " event loops failed: " + failure, failure);
        }
        return new LoopGroup(provider, loops, options);
    }

    /** The transport the loops run on. */
    public TransportProvider provider() {
        return provider;
    }

    /** The next loop, round-robin. */
    public TransportLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** The loop at {@code index}. */
    public TransportLoop loop(int index) {
        return loops[index];
    }

    /** Every loop, by index. */
    public List<EventLoop> loops() {
        return view;
    }

    /** How many loops. */
    public int size() {
        return loops.length;
    }

    /** The options every loop was built with. */
    public LoopOptions options() {
        return options;
    }

    /** Whether {@code loop} is one of these. */
    public boolean contains(EventLoop loop) {
        for (TransportLoop l : loops) {
            if (l == loop) {
                return true;
            }
        }
        return false;
    }

    /** The sum of every loop's counters. */
    public LoopStats stats() {
        LoopStats total = loops[0].stats();
        for (int i = 1; i < loops.length; i++) {
            total = total.plus(loops[i].stats());
        }
        return total;
    }

    /**
     * Shuts every loop down gracefully, queued output draining until {@code deadlineNanos}
     * ({@link System#nanoTime()}), and returns when every loop thread has finished and freed its
     * memory. Called on one of the loops (a handler closing its own server), it only starts the
     * shutdown: that loop cannot finish while it waits for itself, and the loops end on their own.
     */
    public void close(long deadlineNanos) {
        closed = true;
        for (TransportLoop l : loops) {
            if (!l.terminated.isDone()) {
                l.shutdown(deadlineNanos);
            }
        }
        if (inAnyLoop()) {
            return;
        }
        for (TransportLoop l : loops) {
            l.terminated.join();
        }
    }

    /** Whether the calling thread is one of the loops: it must not wait for what its own loop does next. */
    public boolean inAnyLoop() {
        for (TransportLoop l : loops) {
            if (l.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }
}
