package dev.uring4j.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of event loops, one thread each, on one transport (io_uring, or the NIO fallback where
 * io_uring is unavailable). Servers and clients pick loops from it round-robin.
 *
 * <p>{@link #close()} shuts every loop down gracefully: listeners stop, connections send what they
 * have queued (until the drain deadline), every operation in flight completes, and only then is
 * native memory freed.
 */
public final class EventLoopGroup implements AutoCloseable {
    private final Transport transport;
    private final TransportLoop[] loops;
    private final List<EventLoop> view;
    private final AtomicInteger next = new AtomicInteger();
    private final LoopOptions options;
    private volatile boolean closed;

    private EventLoopGroup(Builder b) throws IOException {
        this.options = b.options;
        this.transport = UringTransport.INSTANCE;
        this.loops = transport.startLoops(this, b.threads, options, b.name);
        this.view = List.of(loops);
    }

    /** A group of {@code threads} loops with default options. */
    public static EventLoopGroup create(int threads) throws IOException {
        return builder().threads(threads).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The next loop, round-robin. */
    public EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** Every loop, by index. */
    public List<EventLoop> loops() {
        return view;
    }

    public int size() {
        return loops.length;
    }

    public LoopOptions options() {
        return options;
    }

    /** The transport the loops run on: {@code "io_uring"} or {@code "nio"}. */
    public String transportName() {
        return transport.name();
    }

    Transport transport() {
        return transport;
    }

    /** The sum of every loop's counters. */
    public LoopStats stats() {
        LoopStats total = loops[0].stats();
        for (int i = 1; i < loops.length; i++) {
            total = total.plus(loops[i].stats());
        }
        return total;
    }

    /** Graceful shutdown with a 5 s drain deadline. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops accepting, lets queued output drain for at most {@code drain}, then cancels what is
     * left, waits for every operation's final completion, and frees the loops' memory. Returns when
     * every loop thread has finished.
     */
    public void close(Duration drain) {
        closed = true;
        long deadline = System.nanoTime() + drain.toNanos();
        for (TransportLoop l : loops) {
            if (!l.terminationFuture().isDone()) {
                l.shutdown(deadline);
            }
        }
        for (TransportLoop l : loops) {
            l.terminationFuture().join();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Builder of {@link EventLoopGroup}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private LoopOptions options = LoopOptions.defaults();
        private String name = "uring4j-loop";

        private Builder() {}

        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Builder options(LoopOptions options) {
            this.options = options;
            return this;
        }

        /** Prefix of the loop threads' names. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public EventLoopGroup build() throws IOException {
            return new EventLoopGroup(this);
        }
    }
}
