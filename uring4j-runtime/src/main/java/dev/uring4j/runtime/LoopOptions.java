package dev.uring4j.runtime;

import java.util.Objects;

/**
 * What every loop of a group does the same way on either transport: the receive buffer size and
 * the per-connection limits on queued output and unconsumed input. The io_uring transport's own
 * tuning is {@link #uring()}. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * EventLoopGroup group = EventLoopGroup.builder()
 *         .threads(2)
 *         .options(LoopOptions.builder().watermarks(32 * 1024, 128 * 1024).maxPendingOutput(1 << 20).build())
 *         .build();
 * }</pre>
 */
public final class LoopOptions {
    /** The largest block of native memory a loop hands out: bounds a buffer and the input one connection keeps. */
    private static final int MAX_BLOCK = 1 << 24;
    private static final LoopOptions DEFAULTS = builder().build();

    private final int bufferSize;
    private final long highWatermark;
    private final long lowWatermark;
    private final long maxPendingOutput;
    private final int maxUnconsumedInput;
    private final UringOptions uring;

    private LoopOptions(Builder b) {
        this.bufferSize = b.bufferSize;
        this.highWatermark = b.highWatermark;
        this.lowWatermark = b.lowWatermark;
        this.maxPendingOutput = b.maxPendingOutput;
        this.maxUnconsumedInput = b.maxUnconsumedInput;
        this.uring = b.uring;
    }

    /**
     * The defaults: the values {@link Builder} starts from.
     *
     * @return the default options
     */
    public static LoopOptions defaults() {
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
     * Bytes per receive buffer: each provided buffer on io_uring (a receive completion carries at
     * most this much), the loop's one read buffer on NIO (at least 64 KiB there).
     *
     * @return the buffer size in bytes
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * Queued output above which a connection turns unwritable.
     *
     * @return the high watermark in bytes
     */
    public long highWatermark() {
        return highWatermark;
    }

    /**
     * Queued output at or below which an unwritable connection turns writable again.
     *
     * @return the low watermark in bytes
     */
    public long lowWatermark() {
        return lowWatermark;
    }

    /**
     * Queued output beyond which {@link Connection#write} refuses bytes.
     *
     * @return the limit in bytes
     */
    public long maxPendingOutput() {
        return maxPendingOutput;
    }

    /**
     * Unconsumed input a handler may leave before its connection is closed.
     *
     * @return the limit in bytes
     */
    public int maxUnconsumedInput() {
        return maxUnconsumedInput;
    }

    /**
     * The io_uring transport's tuning (ignored on NIO).
     *
     * @return the io_uring options
     */
    public UringOptions uring() {
        return uring;
    }

    /** Builder of {@link LoopOptions}. */
    public static final class Builder {
        private int bufferSize = 4096;
        private long highWatermark = 64 * 1024;
        private long lowWatermark = 32 * 1024;
        private long maxPendingOutput = 4L << 20;
        private int maxUnconsumedInput = 4 << 20;
        private UringOptions uring = UringOptions.defaults();

        private Builder() {}

        /**
         * Bytes per receive buffer (default 4096); see {@link LoopOptions#bufferSize()}.
         *
         * @param bytes the buffer size, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Builder bufferSize(int bytes) {
            this.bufferSize = Settings.inRange("bufferSize", bytes, 1, MAX_BLOCK);
            return this;
        }

        /**
         * Queued output above {@code high} makes a connection unwritable until it drops to
         * {@code low} (default 32 KiB, 64 KiB).
         *
         * @param low  the low watermark in bytes
         * @param high the high watermark in bytes, at least {@code low}
         * @return this builder
         * @throws IllegalArgumentException when {@code low} is negative or above {@code high}
         */
        public Builder watermarks(long low, long high) {
            Settings.inRange("watermarks: low", low, 0, Long.MAX_VALUE);
            Settings.inRange("watermarks: high", high, low, Long.MAX_VALUE);
            this.lowWatermark = low;
            this.highWatermark = high;
            return this;
        }

        /**
         * Queued output beyond which {@link Connection#write} refuses bytes (default 4 MiB).
         *
         * @param bytes the limit per connection
         * @return this builder
         */
        public Builder maxPendingOutput(long bytes) {
            this.maxPendingOutput = Settings.inRange("maxPendingOutput", bytes, 1, Long.MAX_VALUE);
            return this;
        }

        /**
         * Unconsumed input a handler may leave before its connection is closed (default 4 MiB).
         *
         * @param bytes the limit per connection
         * @return this builder
         */
        public Builder maxUnconsumedInput(int bytes) {
            this.maxUnconsumedInput = Settings.inRange("maxUnconsumedInput", bytes, 1, MAX_BLOCK);
            return this;
        }

        /**
         * The io_uring transport's tuning (default {@link UringOptions#defaults()}).
         *
         * @param options the io_uring options
         * @return this builder
         */
        public Builder uring(UringOptions options) {
            this.uring = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The options. The builder may go on being used: later changes do not affect them.
         *
         * @return new immutable options
         */
        public LoopOptions build() {
            return new LoopOptions(this);
        }
    }
}
