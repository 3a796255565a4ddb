package dev.uring4j.runtime;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import dev.uring4j.ring.Probe;

/**
 * How the io_uring transport sets up each loop: ring sizes, provided-buffer groups, the
 * registered file table, zero-copy sends, wake-up batching, and which kernel features it uses.
 * Ignored by the NIO transport. Immutable; build with {@link #builder()}, hand to
 * {@link LoopOptions.Builder#uring}.
 *
 * <p>Each {@link Path} is used when the kernel has it ({@link Probe}) and it is not disabled,
 * here or with {@code -During4j.disable=PATH,PATH}; paths that are off by default are turned on
 * with {@link Builder#enable} or {@code -During4j.enable=PATH}. Where a path is not used, the loop
 * takes the older way the feature replaced. {@code ./uring4j probe} prints the choice.
 *
 * <pre>{@code
 * LoopOptions options = LoopOptions.builder()
 *         .uring(UringOptions.builder().buffersPerGroup(1024).disable(UringOptions.Path.SEND_ZC).build())
 *         .build();
 * }</pre>
 */
public final class UringOptions {

    /** The io_uring features the runtime can use, each with the path it falls back to. */
    public enum Path {
        /** {@code SINGLE_ISSUER | DEFER_TASKRUN}; else {@code COOP_TASKRUN | TASKRUN_FLAG}. */
        DEFER_TASKRUN(Probe.Feature.DEFER_TASKRUN, "COOP_TASKRUN | TASKRUN_FLAG"),
        /** Enters through the registered ring fd; else the plain ring fd. */
        REGISTERED_RING_FD(Probe.Feature.REGISTERED_RING_FD, "plain ring fd"),
        /** {@code IORING_SETUP_NO_SQARRAY}; else the SQ index array. */
        NO_SQARRAY(Probe.Feature.NO_SQARRAY, "SQ index array"),
        /** Connections in direct descriptors; else normal fds. */
        DIRECT_DESCRIPTORS(Probe.Feature.ACCEPT_DIRECT, "normal file descriptors"),
        /** Multishot accept; else one accept SQE per connection. */
        MULTISHOT_ACCEPT(Probe.Feature.MULTISHOT_ACCEPT, "single-shot accept, re-armed"),
        /** Multishot recv; else a single-shot recv with buffer selection, re-armed per completion. */
        RECV_MULTISHOT(Probe.Feature.RECV_MULTISHOT, "single-shot recv with buffer selection"),
        /** Ring-mapped provided buffers; else legacy {@code IORING_OP_PROVIDE_BUFFERS}. */
        BUFFER_RING(Probe.Feature.PBUF_RING, "IORING_OP_PROVIDE_BUFFERS"),
        /**
         * Receive bundles (several buffers per completion); else one buffer per completion. Off
         * unless enabled: a connection with much data waiting takes as many of the shared buffers
         * as are free in one completion, so under many greedy senders the bandwidth is shared
         * unevenly, the slowest connections getting much less than the others, while
         * small-message echo gains nothing (docs/BENCHMARKS.md).
         */
        RECV_BUNDLE(Probe.Feature.RECVSEND_BUNDLE, "one buffer per completion", false),
        /**
         * Incrementally consumed buffers; else whole buffers per receive. Off unless enabled: the
         * loop hands every buffer back as soon as its callback returns, so sharing one buffer
         * among receives saves nothing and costs small-message throughput; it pays where buffers
         * are few and large.
         */
        INCREMENTAL_BUFFERS(Probe.Feature.PBUF_RING_INC, "whole buffers", false),
        /**
         * Queued output spread over several blocks leaves in one {@code sendmsg} with an iovec per
         * block (up to 16); else one send per block, the next after the previous completes.
         */
        SEND_BATCH(Probe.Feature.SENDMSG, "one send per output block"),
        /**
         * A file region queued with {@link Connection#writeFile} goes from the file to a pipe and
         * from the pipe to the socket ({@code IORING_OP_SPLICE}, linked), never entering user
         * memory; else it is read into the connection's memory a piece at a time and sent from
         * there. Not taken on TLS connections, which must encrypt the bytes.
         */
        SPLICE(Probe.Feature.SPLICE, "reads into the connection's memory, then sends"),
        /** Zero-copy send above the threshold; else copying send. */
        SEND_ZC(Probe.Feature.SEND_ZC, "copying send"),
        /** Acceptor mode hands connections over with {@code msg_ring} fd passing; else each loop accepts (SO_REUSEPORT). */
        MSG_RING_FD(Probe.Feature.MSG_RING_FD, "SO_REUSEPORT accept on every loop"),
        /**
         * A task one io_uring loop gives another ({@code execute} from a handler) rides a ring
         * message that names it, the target finding it in its CQ; else it goes into the target's
         * task queue and a ring message only wakes the target when it sleeps. The message leaves
         * with the giving loop's next submission, so a handler must not block waiting for work it
         * gave another loop (the runtime's own waits, such as starting a server from a handler,
         * submit first). Off unless enabled: a message costs the kernel more than a queued task
         * costs the two loops, so between busy loops it hands over several times fewer tasks per
         * second, and it only ties when every task wakes a sleeping loop (docs/BENCHMARKS.md).
         */
        MSG_RING_TASKS(Probe.Feature.MSG_RING, "the target's task queue, a ring message waking it", false),
        /** {@code IORING_OP_BIND}/{@code LISTEN}; else bind(2)/listen(2). */
        BIND_LISTEN(Probe.Feature.BIND_LISTEN, "bind(2) and listen(2)"),
        /**
         * A {@link LoopFile}'s open, stat, read and close are operations on the loop's ring; else
         * blocking calls on a small shared thread pool that post their results to the loop.
         */
        FILE_IO(Probe.Feature.FILE_IO, "blocking calls on a small shared thread pool"),
        /**
         * Adaptive completion batching: when completions arrive faster than one per
         * {@link #waitBudget()}, a waiting loop asks for as many as it expects within the budget
         * and lets the first wait that long for the others ({@code min_wait_usec}); else it wakes
         * on every completion, as without it. Not taken when {@link Builder#batchWait} fixes the
         * wait or the budget is zero. Off unless enabled: each batched wait arms a short kernel
         * timer, and where programming a timer is dear (a virtual machine, where it exits to the
         * hypervisor) that costs more than the wake-ups it saves; measure on your host
         * (docs/BENCHMARKS.md).
         */
        ADAPTIVE_WAIT(Probe.Feature.MIN_TIMEOUT, "wake on every completion", false),
        /**
         * NAPI busy polling ({@code IORING_REGISTER_NAPI}): each wait first polls the network
         * device queues of the loop's sockets for {@link #napiBusyPollTimeout()}, for the latency of
         * traffic through a real NIC, at the cost of a busy CPU; else receive is interrupt-driven.
         * Off unless enabled ({@link Builder#napiBusyPoll}): loopback has no device queue to poll,
         * so it costs CPU here and gains nothing.
         */
        NAPI_BUSY_POLL(Probe.Feature.NAPI, "interrupt-driven receive", false);

        private final Probe.Feature feature;
        private final String fallback;
        private final boolean onByDefault;

        Path(Probe.Feature feature, String fallback) {
            this(feature, fallback, true);
        }

        Path(Probe.Feature feature, String fallback, boolean onByDefault) {
            this.feature = feature;
            this.fallback = fallback;
            this.onByDefault = onByDefault;
        }

        /**
         * Whether the loop takes the path where the kernel has it, unless it is disabled.
         *
         * @return {@code false} for paths that must be enabled ({@link Builder#enable})
         */
        public boolean onByDefault() {
            return onByDefault;
        }

        /**
         * The kernel feature this path needs.
         *
         * @return the feature, which names its kernel version
         */
        public Probe.Feature feature() {
            return feature;
        }

        /**
         * What the loop does without it.
         *
         * @return the older way, in words
         */
        public String fallback() {
            return fallback;
        }
    }

    /** {@code IORING_MAX_ENTRIES}: the most SQ entries a ring takes. */
    private static final int MAX_SQ_ENTRIES = 32768;
    /** {@code IORING_MAX_CQ_ENTRIES}. */
    private static final int MAX_CQ_ENTRIES = 2 * MAX_SQ_ENTRIES;
    /** A provided-buffer ring's entries are fewer than 65536 and a power of two. */
    private static final int MAX_RING_BUFFERS = 32768;
    private static final int MAX_BUFFER_GROUPS = 256;
    private static final int MAX_REGISTERED_FILES = 1 << 20;
    /**
     * Small beside a round trip over a network and beside the scheduling delays a busy host adds
     * anyway, yet long enough for several completions to share a wake-up once they arrive faster
     * than one per wake-up is worth.
     */
    private static final Duration DEFAULT_WAIT_BUDGET = Duration.ofNanos(50_000);
    private static final UringOptions DEFAULTS = builder().build();

    private final int sqEntries;
    private final int cqEntries;
    private final int buffersPerGroup;
    private final int bufferGroups;
    private final int registeredFiles;
    private final int sendZcThreshold;
    private final int batchCompletions;
    private final Duration batchMaxDelay;
    private final Duration waitBudget;
    private final Duration napiBusyPollTimeout;
    private final boolean napiPreferBusyPoll;
    private final Set<Path> disabled;
    private final Set<Path> enabled;

    private UringOptions(Builder b) {
        this.sqEntries = b.sqEntries;
        this.cqEntries = b.cqEntries;
        this.buffersPerGroup = b.buffersPerGroup;
        this.bufferGroups = b.bufferGroups;
        this.registeredFiles = b.registeredFiles;
        this.sendZcThreshold = b.sendZcThreshold;
        this.batchCompletions = b.batchCompletions;
        this.batchMaxDelay = b.batchMaxDelay;
        this.waitBudget = b.waitBudget;
        this.napiBusyPollTimeout = b.napiBusyPollTimeout;
        this.napiPreferBusyPoll = b.napiPreferBusyPoll;
        EnumSet<Path> d = EnumSet.noneOf(Path.class);
        d.addAll(b.disabled);
        d.addAll(pathsOf("uring4j.disable"));
        this.disabled = d;
        EnumSet<Path> e = EnumSet.noneOf(Path.class);
        e.addAll(b.enabled);
        e.addAll(pathsOf("uring4j.enable"));
        this.enabled = e;
    }

    private static Set<Path> pathsOf(String property) {
        Set<Path> set = EnumSet.noneOf(Path.class);
        for (String name : System.getProperty(property, "").split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            if (!n.isEmpty()) {
                try {
                    set.add(Path.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-D" + property + ": unknown path '" + name.trim()
                            + "'; known: " + EnumSet.allOf(Path.class));
                }
            }
        }
        return set;
    }

    /**
     * The defaults (with {@code -During4j.disable} and {@code -During4j.enable} applied).
     *
     * @return the default options
     */
    public static UringOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the loop takes {@code path}: the kernel has it, it is on (by default or enabled),
     * not disabled, and the options give it something to do ({@link Path#SEND_ZC} needs a
     * {@link Builder#sendZcThreshold}; {@link Path#MSG_RING_FD} passes direct descriptors, so needs
     * {@link Path#DIRECT_DESCRIPTORS}). Whether a server then hands connections over with
     * {@code MSG_RING_FD} also depends on it: see {@code TcpServer.pathsInUse()}.
     *
     * @param path the path to ask about
     * @return {@code true} when loops built with these options take it on this kernel
     */
    public boolean uses(Path path) {
        return whyNot(path) == null;
    }

    /**
     * Why {@code path} is not taken, or {@code null} when it is.
     *
     * @param path the path to ask about
     * @return the reason in words (disabled, off by default, or what the kernel lacks), or
     *         {@code null}
     */
    public String whyNot(Path path) {
        if (disabled.contains(path)) {
            return "disabled by configuration";
        }
        if (!path.onByDefault && !enabled.contains(path)) {
            return "off by default (UringOptions.Builder.enable or -During4j.enable=" + path.name() + ")";
        }
        if (path == Path.SEND_ZC && sendZcThreshold == Integer.MAX_VALUE) {
            return "no send is large enough: sendZcThreshold is never (UringOptions.Builder.sendZcThreshold)";
        }
        if (path == Path.ADAPTIVE_WAIT && waitBudget.isZero()) {
            return "the wait budget is zero (UringOptions.Builder.waitBudget)";
        }
        if (path == Path.ADAPTIVE_WAIT && batchCompletions > 1) {
            return "batchWait(" + batchCompletions + ", " + batchMaxDelay + ") fixes the wait";
        }
        if (path == Path.MSG_RING_FD && !uses(Path.DIRECT_DESCRIPTORS)) {
            return "it passes direct descriptors, and DIRECT_DESCRIPTORS is not taken: " + whyNot(Path.DIRECT_DESCRIPTORS);
        }
        return Probe.current().whyMissing(path.feature());
    }

    /**
     * SQ entries per loop ring.
     *
     * @return the SQ size asked for
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * CQ entries per loop ring.
     *
     * @return the CQ size asked for
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * Provided buffers per buffer group (a power of two).
     *
     * @return buffers per group
     */
    public int buffersPerGroup() {
        return buffersPerGroup;
    }

    /**
     * Buffer groups per loop.
     *
     * @return the number of groups
     */
    public int bufferGroups() {
        return bufferGroups;
    }

    /**
     * The size of each loop's registered file table: the connections one loop can hold in direct
     * descriptors.
     *
     * @return the table size asked for
     */
    public int registeredFiles() {
        return registeredFiles;
    }

    /**
     * Sends of at least this many bytes are zero-copy; {@code Integer.MAX_VALUE}: never.
     *
     * @return the threshold in bytes
     */
    public int sendZcThreshold() {
        return sendZcThreshold;
    }

    /**
     * Completions a waiting loop asks for before {@link #batchMaxDelay()} runs out (1: wake on the first).
     *
     * @return the completions to wait for
     */
    public int batchCompletions() {
        return batchCompletions;
    }

    /**
     * The longest a completion waits for others to share a wake-up with ({@link Duration#ZERO}: never).
     *
     * @return the longest added wait
     */
    public Duration batchMaxDelay() {
        return batchMaxDelay;
    }

    /**
     * The most latency {@link Path#ADAPTIVE_WAIT} adds to a completion: how long the first
     * completion of a wait may wait for the others ({@link Duration#ZERO}: never batch).
     *
     * @return the wait budget
     */
    public Duration waitBudget() {
        return waitBudget;
    }

    /**
     * How long each wait busy-polls the device queues with {@link Path#NAPI_BUSY_POLL}.
     *
     * @return the busy-poll timeout (default 50 µs)
     */
    public Duration napiBusyPollTimeout() {
        return napiBusyPollTimeout;
    }

    /**
     * Whether {@link Path#NAPI_BUSY_POLL} keeps the device's interrupts masked while the loop polls
     * ({@code SO_PREFER_BUSY_POLL}).
     *
     * @return {@code true} to prefer busy polling (default {@code false})
     */
    public boolean napiPreferBusyPoll() {
        return napiPreferBusyPoll;
    }

    /** Builder of {@link UringOptions}. */
    public static final class Builder {
        private int sqEntries = 4096;
        private int cqEntries = 16384;
        private int buffersPerGroup = 512;
        private int bufferGroups = 2;
        private int registeredFiles = 65536;
        private int sendZcThreshold = Integer.MAX_VALUE;
        private int batchCompletions = 1;
        private Duration batchMaxDelay = Duration.ZERO;
        private Duration waitBudget = DEFAULT_WAIT_BUDGET;
        private Duration napiBusyPollTimeout = Duration.ofNanos(50_000);
        private boolean napiPreferBusyPoll;
        private final Set<Path> disabled = EnumSet.noneOf(Path.class);
        private final Set<Path> enabled = EnumSet.noneOf(Path.class);

        private Builder() {}

        /**
         * SQ entries per loop ring (default 4096); a full SQ is submitted and refilled, never dropped.
         *
         * @param n SQ entries, 1 to 32768 ({@code IORING_MAX_ENTRIES}); the kernel rounds up to a
         *          power of two
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is out of range
         */
        public Builder sqEntries(int n) {
            this.sqEntries = Settings.inRange("sqEntries", n, 1, MAX_SQ_ENTRIES);
            return this;
        }

        /**
         * CQ entries per loop ring (default 16384): multishot operations post several per SQE.
         *
         * @param n CQ entries, at least {@link #sqEntries} and at most 65536
         *          ({@code IORING_MAX_CQ_ENTRIES}); checked against {@code sqEntries} by {@link #build}
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is out of range
         */
        public Builder cqEntries(int n) {
            this.cqEntries = Settings.inRange("cqEntries", n, 1, MAX_CQ_ENTRIES);
            return this;
        }

        /**
         * Buffers per group (a power of two, default 512). Receive memory per loop is groups x
         * buffers x {@link LoopOptions#bufferSize()}, whatever the connection count.
         *
         * @param n buffers per group, a power of two up to 32768 (the most a buffer ring holds)
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is not a power of two in that range
         */
        public Builder buffersPerGroup(int n) {
            this.buffersPerGroup = Settings.powerOfTwo("buffersPerGroup", n, MAX_RING_BUFFERS);
            return this;
        }

        /**
         * Buffer groups per loop (default 2); a receive that finds its group empty moves to the next.
         *
         * @param n the number of groups, 1 to 256
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is out of range
         */
        public Builder bufferGroups(int n) {
            this.bufferGroups = Settings.inRange("bufferGroups", n, 1, MAX_BUFFER_GROUPS);
            return this;
        }

        /**
         * The size of each loop's registered file table (default 65536, and never above
         * {@code RLIMIT_NOFILE}): how many connections one loop can hold in direct descriptors.
         *
         * @param n slots in the table, 1 to 1048576
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is out of range
         */
        public Builder registeredFiles(int n) {
            this.registeredFiles = Settings.inRange("registeredFiles", n, 1, MAX_REGISTERED_FILES);
            return this;
        }

        /**
         * Sends of at least this many bytes use {@code IORING_OP_SEND_ZC}; {@code Integer.MAX_VALUE}
         * (the default) never. Over loopback the kernel copies zero-copy pages into the receiver
         * anyway, and zero-copy sends cost more CPU there at every size measured
         * (docs/BENCHMARKS.md); set a threshold for traffic that leaves the host through a NIC,
         * after measuring there.
         *
         * @param bytes the smallest send made zero-copy, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Builder sendZcThreshold(int bytes) {
            this.sendZcThreshold = Settings.inRange("sendZcThreshold", bytes, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Wake-up batching: a waiting loop returns once {@code completions} completions are ready,
         * or {@code maxDelay} after the first one if fewer are, or at its timer deadline
         * ({@code io_uring_submit_and_wait_min_timeout}, {@code IORING_FEAT_MIN_TIMEOUT}, Linux
         * 6.12). Where each wake-up would otherwise carry one completion, this trades at most
         * {@code maxDelay} of added latency for fewer wake-ups. Default off ({@code 1},
         * {@link Duration#ZERO}). On an older kernel the option is ignored and the loop logs why.
         *
         * @param completions completions to wait for, more than 1; or 1 for no batching
         * @param maxDelay    the longest added wait, positive and at most {@code Integer.MAX_VALUE}
         *                    microseconds; or {@link Duration#ZERO} with {@code completions} 1
         * @return this builder
         * @throws IllegalArgumentException for any other combination
         */
        public Builder batchWait(int completions, Duration maxDelay) {
            Objects.requireNonNull(maxDelay, "maxDelay");
            boolean none = completions == 1 && maxDelay.isZero();
            boolean some = completions > 1 && !maxDelay.isNegative() && !maxDelay.isZero()
                    && maxDelay.toNanos() / 1000 <= Integer.MAX_VALUE;
            if (!none && !some) {
                throw new IllegalArgumentException("batchWait takes completions > 1 with a positive delay, or (1, ZERO)"
                        + " for none; was (" + completions + ", " + maxDelay + ")");
            }
            this.batchCompletions = completions;
            this.batchMaxDelay = maxDelay;
            return this;
        }

        /**
         * The most latency adaptive completion batching ({@link Path#ADAPTIVE_WAIT}, Linux 6.12,
         * off unless enabled) may add to a completion (default 50 µs). Under load the loop expects completions at the
         * rate it has observed, asks the kernel for as many as would arrive within the budget, and
         * lets the first one wait at most the budget for them; below two completions per budget it
         * wakes on every completion. {@link Duration#ZERO} turns batching off.
         *
         * @param budget zero, or a positive duration of at most one second
         * @return this builder
         * @throws IllegalArgumentException when {@code budget} is negative or above one second
         */
        public Builder waitBudget(Duration budget) {
            Objects.requireNonNull(budget, "budget");
            if (budget.isNegative() || budget.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("waitBudget must be between 0 and 1 s; was " + budget);
            }
            this.waitBudget = budget;
            return this;
        }

        /**
         * Turns on NAPI busy polling ({@link Path#NAPI_BUSY_POLL}, Linux 6.9) with these settings:
         * each wait of a loop first busy-polls the network device queues its sockets receive from,
         * for up to {@code timeout}. For latency-sensitive traffic through a real NIC, where it
         * saves the interrupt and the wake-up; measure there. Loopback has no device queue, so
         * it only costs CPU on one host. A kernel that refuses the registration (built without
         * {@code CONFIG_NET_RX_BUSY_POLL}) leaves the loop interrupt-driven, with a warning.
         *
         * @param timeout        how long each wait busy-polls, 1 µs to 1 s
         * @param preferBusyPoll keep the device's interrupts masked while the loop polls
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is outside 1 µs to 1 s
         */
        public Builder napiBusyPoll(Duration timeout, boolean preferBusyPoll) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toNanos() < 1000 || timeout.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("napiBusyPoll timeout must be between 1 µs and 1 s; was " + timeout);
            }
            this.napiBusyPollTimeout = timeout;
            this.napiPreferBusyPoll = preferBusyPoll;
            this.enabled.add(Path.NAPI_BUSY_POLL);
            return this;
        }

        /**
         * Use {@code paths}, which are off by default, where the kernel has them. Adds to those
         * already enabled; a path also disabled stays off.
         *
         * @param paths the paths to turn on
         * @return this builder
         */
        public Builder enable(Path... paths) {
            this.enabled.addAll(List.of(paths));
            return this;
        }

        /**
         * Do not use {@code paths} even where the kernel has them; the loop takes the older way
         * ({@link Path#fallback()}). Adds to those already disabled.
         *
         * @param paths the paths to turn off
         * @return this builder
         */
        public Builder disable(Path... paths) {
            this.disabled.addAll(List.of(paths));
            return this;
        }

        /**
         * The options, with {@code -During4j.disable} and {@code -During4j.enable} added to what
         * was set here.
         *
         * @return new immutable options
         * @throws IllegalArgumentException when one of those properties names an unknown path, or
         *                                  {@code cqEntries} is below {@code sqEntries}
         */
        public UringOptions build() {
            Settings.inRange("cqEntries", cqEntries, sqEntries, MAX_CQ_ENTRIES);
            return new UringOptions(this);
        }
    }
}
