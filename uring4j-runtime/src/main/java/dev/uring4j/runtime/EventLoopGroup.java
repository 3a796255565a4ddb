package dev.uring4j.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import dev.uring4j.runtime.internal.nio.NioTransport;
import dev.uring4j.runtime.internal.Transport;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.uring.UringTransport;

/**
 * A set of event loops, one thread each, on one transport (io_uring, or the NIO fallback where
 * io_uring is unavailable). Servers and clients pick loops from it round-robin.
 *
 * <p>The transport is chosen when the group is built ({@link Builder#transport}, the
 * {@code -During4j.transport} property; rules in {@link TransportSelection}). Falling back to NIO
 * logs one WARN per process naming why io_uring cannot run here (the errno, and
 * {@code kernel.io_uring_disabled}, the seccomp filter or the missing feature and its kernel).
 *
 * <p>{@link #close()} shuts every loop down gracefully: listeners stop, connections send what they
 * have queued (until the drain deadline), every operation in flight completes, and only then is
 * native memory freed.
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final TransportSelection selection;
    private final Transport transport;
    private final TransportLoop[] loops;
    private final List<EventLoop> view;
    private final AtomicInteger next = new AtomicInteger();
    private final LoopOptions options;
    private volatile boolean closed;

    private EventLoopGroup(Builder b) throws IOException {
        this.options = b.options;
        this.selection = TransportSelection.resolve(b.transport);
        this.transport = selection.transport().equals(NioTransport.NAME) ? NioTransport.INSTANCE : UringTransport.INSTANCE;
        this.loops = transport.startLoops(this, b.threads, options, b.name);
        this.view = List.of(loops);
        log(selection);
    }

    /** Says once per process how groups are placed: WARN for a fallback, INFO for NIO by choice. */
    private static void log(TransportSelection s) {
        System.Logger.Level level = s.fallback() ? System.Logger.Level.WARNING
                : s.transport().equals(NioTransport.NAME) ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        if (LOGGED.add(s.reason())) {
            TransportLoop.LOG.log(level, s.logLine());
        }
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

    /** Why the loops run on {@link #transportName()}. */
    public TransportSelection transportSelection() {
        return selection;
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
        private TransportChoice transport = TransportChoice.AUTO;

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

        /**
         * The transport (default {@link TransportChoice#AUTO}: io_uring where it can run, else NIO;
         * {@code -During4j.transport} decides for AUTO when set). {@link #build()} fails naming the
         * reason when {@link TransportChoice#IO_URING} is asked for and cannot run here.
         */
        public Builder transport(TransportChoice choice) {
            this.transport = java.util.Objects.requireNonNull(choice, "transport");
            return this;
        }

        public EventLoopGroup build() throws IOException {
            return new EventLoopGroup(this);
        }
    }
}
