package dev.uring4j.runtime;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.uring4j.ring.Probe;

/**
 * How event loops are built: ring and buffer sizes, and which io_uring features they use.
 *
 * <p>Each {@link Path} is used when the kernel has it ({@link Probe}) and it is not disabled,
 * here or with {@code -During4j.disable=PATH,PATH} (names as in {@link Path}); otherwise the loop
 * takes the older path the feature replaced. {@code ./uring4j probe} prints the choice.
 * Immutable; build with {@link #builder()}.
 */
public final class LoopOptions {

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
         * as are free in one completion, so under many greedy senders the slowest connection's
         * share fell to 0.45 of the mean (0.93 without), while 64-byte echo gained nothing.
         */
        RECV_BUNDLE(Probe.Feature.RECVSEND_BUNDLE, "one buffer per completion", false),
        /**
         * Incrementally consumed buffers; else whole buffers per receive. Off unless enabled: the
         * loop hands every buffer back as soon as its callback returns, so sharing one buffer
         * among receives saves nothing and costs about 10% of small-message throughput (measured:
         * 64-byte echo, 64 connections); it pays where buffers are few and large.
         */
        INCREMENTAL_BUFFERS(Probe.Feature.PBUF_RING_INC, "whole buffers", false),
        /** Zero-copy send above the threshold; else copying send. */
        SEND_ZC(Probe.Feature.SEND_ZC, "copying send"),
        /** Acceptor mode hands connections over with {@code msg_ring} fd passing; else each loop accepts (SO_REUSEPORT). */
        MSG_RING_FD(Probe.Feature.MSG_RING_FD, "SO_REUSEPORT accept on every loop"),
        /** {@code IORING_OP_BIND}/{@code LISTEN}; else bind(2)/listen(2). */
        BIND_LISTEN(Probe.Feature.BIND_LISTEN, "bind(2) and listen(2)");

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

        /** Whether the loop takes the path where the kernel has it, unless it is disabled. */
        public boolean onByDefault() {
            return onByDefault;
        }

        /** The kernel feature this path needs. */
        public Probe.Feature feature() {
            return feature;
        }

        /** What the loop does without it. */
        public String fallback() {
            return fallback;
        }
    }

    /** The paths disabled by {@code -During4j.disable}. */
    static Set<Path> disabledByProperty() {
        return pathsOf("uring4j.disable");
    }

    private static Set<Path> pathsOf(String property) {
        Set<Path> set = EnumSet.noneOf(Path.class);
        String value = System.getProperty(property, "");
        for (String name : value.split(",")) {
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

    public final int sqEntries;
    public final int cqEntries;
    public final int bufferSize;
    public final int buffersPerGroup;
    public final int bufferGroups;
    public final int maxConnections;
    public final int sendZcThreshold;
    public final long highWatermark;
    public final long lowWatermark;
    public final long maxPendingOutput;
    public final int maxUnconsumedInput;
    public final boolean strictCompletions;
    public final int batchCompletions;
    public final int batchWaitMicros;
    private final Set<Path> disabled;
    private final Set<Path> enabled;

    private LoopOptions(Builder b) {
        this.sqEntries = b.sqEntries;
        this.cqEntries = b.cqEntries;
        this.bufferSize = b.bufferSize;
        this.buffersPerGroup = b.buffersPerGroup;
        this.bufferGroups = b.bufferGroups;
        this.maxConnections = b.maxConnections;
        this.sendZcThreshold = b.sendZcThreshold;
        this.highWatermark = b.highWatermark;
        this.lowWatermark = b.lowWatermark;
        this.maxPendingOutput = b.maxPendingOutput;
        this.maxUnconsumedInput = b.maxUnconsumedInput;
        this.strictCompletions = b.strictCompletions;
        this.batchCompletions = b.batchCompletions;
        this.batchWaitMicros = b.batchWaitMicros;
        EnumSet<Path> d = EnumSet.noneOf(Path.class);
        d.addAll(b.disabled);
        d.addAll(disabledByProperty());
        this.disabled = d;
        EnumSet<Path> e = EnumSet.noneOf(Path.class);
        e.addAll(b.enabled);
        e.addAll(pathsOf("uring4j.enable"));
        this.enabled = e;
    }

    public static LoopOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the loop takes {@code path}: the kernel has it, it is on (by default or enabled), and not disabled. */
    public boolean uses(Path path) {
        return !disabled.contains(path) && (path.onByDefault || enabled.contains(path))
                && Probe.current().supports(path.feature());
    }

    /** Why {@code path} is not taken, or {@code null} when it is. */
    public String whyNot(Path path) {
        if (disabled.contains(path)) {
            return "disabled by configuration";
        }
        if (!path.onByDefault && !enabled.contains(path)) {
            return "off by default (LoopOptions.Builder.enable or -During4j.enable=" + path.name() + ")";
        }
        return Probe.current().whyMissing(path.feature());
    }

    /** A table: each path, taken or not, and what is used instead. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-20s %-5s %s%n", "RUNTIME PATH", "USED", "OTHERWISE / WHY NOT"));
        for (Path p : Path.values()) {
            String why = whyNot(p);
            b.append(String.format("%-20s %-5s %s%n", p.name(), why == null ? "yes" : "no",
                    why == null ? "(else " + p.fallback() + ")" : p.fallback() + ": " + why));
        }
        return b.toString();
    }

    public int bufferSize() {
        return bufferSize;
    }

    public int buffersPerGroup() {
        return buffersPerGroup;
    }

    public int bufferGroups() {
        return bufferGroups;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Completions a waiting loop asks for before {@link #batchWaitMicros()} runs out (1: wake on the first). */
    public int batchCompletions() {
        return batchCompletions;
    }

    /** The longest a completion waits for others to share a wakeup with, in microseconds (0: never). */
    public int batchWaitMicros() {
        return batchWaitMicros;
    }

    /** Builder of {@link LoopOptions}. */
    public static final class Builder {
        private int sqEntries = 4096;
        private int cqEntries = 16384;
        private int bufferSize = 4096;
        private int buffersPerGroup = 512;
        private int bufferGroups = 2;
        private int maxConnections = 65536;
        private int sendZcThreshold = Integer.MAX_VALUE;
        private long highWatermark = 64 * 1024;
        private long lowWatermark = 32 * 1024;
        private long maxPendingOutput = 4L << 20;
        private int maxUnconsumedInput = 4 << 20;
        private boolean strictCompletions = Boolean.getBoolean("uring4j.strictCompletions");
        private int batchCompletions = 1;
        private int batchWaitMicros;
        private final Set<Path> disabled = EnumSet.noneOf(Path.class);
        private final Set<Path> enabled = EnumSet.noneOf(Path.class);

        private Builder() {}

        /** SQ entries per loop ring; a full SQ is submitted and refilled, never dropped. */
        public Builder sqEntries(int n) {
            this.sqEntries = n;
            return this;
        }

        /** CQ entries per loop ring (multishot operations want several per SQE). */
        public Builder cqEntries(int n) {
            this.cqEntries = n;
            return this;
        }

        /** Bytes per provided receive buffer. */
        public Builder bufferSize(int n) {
            this.bufferSize = n;
            return this;
        }

        /** Buffers per group (a power of two); memory per loop is groups x buffers x size, whatever the connection count. */
        public Builder buffersPerGroup(int n) {
            this.buffersPerGroup = n;
            return this;
        }

        /** Buffer groups per loop; a receive that finds its group empty moves to the next. */
        public Builder bufferGroups(int n) {
            this.bufferGroups = n;
            return this;
        }

        /** Direct-descriptor table size: connections a loop can hold. */
        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        /**
         * Sends of at least this many bytes use {@code IORING_OP_SEND_ZC}; {@code Integer.MAX_VALUE}
         * (the default) never. Measured over loopback, where the kernel copies zero-copy pages
         * into the receiver anyway, zero-copy cost 22-42 % more server CPU per round trip at every
         * size from 16 KiB to 256 KiB (docs/BENCHMARKS.md, "send_zc threshold"); set a threshold
         * for traffic that leaves the host through a NIC, after measuring there.
         */
        public Builder sendZcThreshold(int bytes) {
            this.sendZcThreshold = bytes;
            return this;
        }

        /** Queued output above {@code high} makes a connection unwritable until it drops to {@code low}. */
        public Builder watermarks(long low, long high) {
            if (low > high) {
                throw new IllegalArgumentException("low watermark " + low + " above high " + high);
            }
            this.lowWatermark = low;
            this.highWatermark = high;
            return this;
        }

        /** Queued output beyond which {@link Connection#write} refuses bytes (default 4 MiB). */
        public Builder maxPendingOutput(long bytes) {
            this.maxPendingOutput = bytes;
            return this;
        }

        /** Unconsumed input a handler may leave before its connection is closed (default 4 MiB). */
        public Builder maxUnconsumedInput(int bytes) {
            this.maxUnconsumedInput = bytes;
            return this;
        }

        /** Throw on a completion that cannot be matched (tests) instead of counting and dropping it. */
        public Builder strictCompletions(boolean strict) {
            this.strictCompletions = strict;
            return this;
        }

        /** Use {@code path}, which is off by default, where the kernel has it. */
        public Builder enable(Path... paths) {
            this.enabled.addAll(java.util.List.of(paths));
            return this;
        }

        /**
         * Wake-up batching: a waiting loop returns once {@code completions} completions are ready,
         * or {@code maxDelayMicros} after it started waiting if at least one is, or at its timer
         * deadline ({@code io_uring_submit_and_wait_min_timeout}, {@code IORING_FEAT_MIN_TIMEOUT},
         * 6.12). At rates where each wakeup would carry one completion, this trades at most
         * {@code maxDelayMicros} of added latency for fewer wakeups, which is where a busy server's
         * CPU goes; docs/BENCHMARKS.md ("UDP") measures both sides. Default off (1, 0): wake on the
         * first completion. On an older kernel the option is ignored and the loop logs why.
         */
        public Builder batchWait(int completions, int maxDelayMicros) {
            if (completions < 1 || maxDelayMicros < 0 || (completions > 1) != (maxDelayMicros > 0)) {
                throw new IllegalArgumentException("batchWait takes completions > 1 with a positive delay, or (1, 0) for"
                        + " none; was (" + completions + ", " + maxDelayMicros + ")");
            }
            this.batchCompletions = completions;
            this.batchWaitMicros = maxDelayMicros;
            return this;
        }

        /** Do not use {@code path} even where the kernel has it. */
        public Builder disable(Path... paths) {
            this.disabled.addAll(java.util.List.of(paths));
            return this;
        }

        public LoopOptions build() {
            if (Integer.bitCount(buffersPerGroup) != 1) {
                throw new IllegalArgumentException("buffersPerGroup must be a power of two, was " + buffersPerGroup);
            }
            return new LoopOptions(this);
        }
    }
}
