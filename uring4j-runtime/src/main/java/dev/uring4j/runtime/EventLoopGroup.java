package dev.uring4j.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.internal.nio.NioTransport;
import dev.uring4j.runtime.internal.TransportProvider;
import dev.uring4j.runtime.internal.uring.UringTransport;


/**
 * A set of event loops, one thread each, on one transport (io_uring, or the NIO fallback where
 * io_uring is unavailable). Servers, clients and UDP endpoints pick loops from it round-robin.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.builder().threads(2).build()) {
 *     TcpServer server = TcpServer.builder().group(group).port(7007).handler(EchoHandler::new).start();
 *     ...
 * }
 * }</pre>
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
    private static final System.Logger LOG = System.getLogger("dev.uring4j.runtime");

    private final TransportSelection selection;
    private final LoopGroup loops;

    private EventLoopGroup(Builder b) throws IOException {
        this.selection = b.workload == TransportSelection.Workload.UDP ? TransportSelection.resolveForUdp(b.transport)
                : TransportSelection.resolve(b.transport);
        TransportProvider provider = selection.transport() == Transport.NIO ? NioTransport.INSTANCE
                : UringTransport.INSTANCE;
        this.loops = LoopGroup.start(provider, b.threads, b.options, b.name);
        log(selection);
    }

    /** Says once per process how groups are placed: WARN for a fallback, INFO for NIO by choice. */
    private static void log(TransportSelection s) {
        System.Logger.Level level = s.fallback() ? System.Logger.Level.WARNING
                : s.transport() == Transport.NIO ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        if (LOGGED.add(s.reason())) {
            LOG.log(level, s.logLine());
        }
    }

    /**
     * A group of {@code threads} loops with default options, on the transport
     * {@link Transport#AUTO} picks.
     *
     * @param threads how many loops (threads), at least 1
     * @return the running group, to be closed by the caller
     * @throws IOException naming the cause when the loops cannot start, or when
     *                     {@code -During4j.transport} requires io_uring and it cannot run here
     */
    public static EventLoopGroup create(int threads) throws IOException {
        return builder().threads(threads).build();
    }

    /**
     * A builder: as many loops as processors, default options, the transport AUTO picks.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The next loop, round-robin; safe from any thread.
     *
     * @return one of the group's loops
     */
    public EventLoop next() {
        return loops.next();
    }

    /**
     * Every loop, by index.
     *
     * @return the loops, element {@code i} being the loop of {@link EventLoop#index()} {@code i}
     */
    public List<EventLoop> loops() {
        return loops.loops();
    }

    /**
     * How many loops the group has.
     *
     * @return the number of loops (threads)
     */
    public int size() {
        return loops.size();
    }

    /**
     * The options every loop was built with.
     *
     * @return the loops' options
     */
    public LoopOptions options() {
        return loops.options();
    }

    /**
     * The transport the loops run on: {@link Transport#IO_URING} or {@link Transport#NIO}.
     *
     * @return the loops' transport, never {@link Transport#AUTO}
     */
    public Transport transport() {
        return selection.transport();
    }

    /**
     * Why the loops run on {@link #transport()}.
     *
     * @return the transport, the reason in words, and whether NIO is a fallback
     */
    public TransportSelection transportSelection() {
        return selection;
    }

    /** The running loops, for the servers, clients and endpoints of this package. */
    LoopGroup loopGroup() {
        return loops;
    }

    /**
     * The io_uring paths the group's loops took on this kernel with their options: each
     * {@link UringOptions.Path} the kernel has and the options allow, the older way otherwise
     * ({@link UringOptions#whyNot} says why). All loops of a group take the same.
     *
     * @return the paths taken; empty on the NIO transport
     */
    public Set<UringOptions.Path> pathsInUse() {
        return loops.loop(0).pathsInUse();
    }

    /**
     * The sum of every loop's counters.
     *
     * @return a snapshot of the group's totals (see {@link LoopStats#plus})
     */
    public LoopStats stats() {
        return loops.stats();
    }

    /** Graceful shutdown with a 5 s drain deadline. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops accepting, lets queued output drain for at most {@code drain}, then cancels what is
     * left, waits for every operation's final completion, and frees the loops' memory. Returns when
     * every loop thread has finished; called on one of the group's loops (from a handler), it
     * starts all this and returns at once, since that loop cannot finish while it waits.
     *
     * @param drain the longest queued output may take to be sent
     */
    public void close(Duration drain) {
        loops.close(System.nanoTime() + drain.toNanos());
    }

    /**
     * Whether {@link #close} was called.
     *
     * @return {@code true} once closing has begun
     */
    public boolean isClosed() {
        return loops.isClosed();
    }

    /** Builder of {@link EventLoopGroup}. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private LoopOptions options = LoopOptions.defaults();
        private String name = "uring4j-loop";
        private Transport transport = Transport.AUTO;
        private TransportSelection.Workload workload = TransportSelection.Workload.TCP;

        private Builder() {}

        /**
         * How many loops (threads); default: the number of processors.
         *
         * @param threads the number of loops, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code threads} is not positive
         */
        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * The loops' options (default {@link LoopOptions#defaults()}).
         *
         * @param options what every loop is built with
         * @return this builder
         */
        public Builder options(LoopOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Prefix of the loop threads' names (default {@code uring4j-loop}); each thread adds
         * {@code -} and its loop's index.
         *
         * @param name the prefix
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The transport (default {@link Transport#AUTO}: io_uring where it can run, else NIO;
         * {@code -During4j.transport} decides for AUTO when set). {@link #build()} fails naming the
         * reason when {@link Transport#IO_URING} is asked for and cannot run here.
         *
         * @param choice the transport, or {@link Transport#AUTO} to let the runtime pick
         * @return this builder
         */
        public Builder transport(Transport choice) {
            this.transport = Objects.requireNonNull(choice, "transport");
            return this;
        }

        /** What the group is for: a UDP endpoint's own group needs more of io_uring than TCP does. */
        Builder workload(TransportSelection.Workload workload) {
            this.workload = workload;
            return this;
        }

        /**
         * Starts the loops; fails naming the cause when they cannot start (no loop is left running).
         * Each call starts a new group.
         *
         * @return the running group, to be closed by the caller
         * @throws IOException naming the cause when the loops cannot start, or when io_uring is
         *                     required and cannot run here (see {@link TransportSelection})
         */
        public EventLoopGroup build() throws IOException {
            return new EventLoopGroup(this);
        }
    }
}
