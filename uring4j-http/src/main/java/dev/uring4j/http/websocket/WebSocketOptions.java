package dev.uring4j.http.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and policies of WebSocket sessions, for the server route and the client alike.
 * Immutable; made by {@link #builder()}, {@link #DEFAULTS} holds the defaults listed there.
 */
public final class WebSocketOptions {
    /** The defaults of {@link Builder}. */
    public static final WebSocketOptions DEFAULTS = builder().build();

    private final int maxMessageBytes;
    private final boolean streaming;
    private final long idleTimeoutNanos;
    private final long closeTimeoutNanos;
    private final long sendQueueBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final boolean perMessageDeflate;
    private final int compressionThreshold;

    private WebSocketOptions(Builder b) {
        maxMessageBytes = b.maxMessageBytes;
        streaming = b.streaming;
        idleTimeoutNanos = b.idleTimeout.toNanos();
        closeTimeoutNanos = b.closeTimeout.toNanos();
        sendQueueBytes = b.sendQueueBytes;
        slowConsumerPolicy = b.slowConsumerPolicy;
        perMessageDeflate = b.perMessageDeflate;
        compressionThreshold = b.compressionThreshold;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the largest message delivered whole (after inflation), in octets; larger ones fail the session with 1009 */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return whether data frames are delivered as they arrive ({@link WebSocketHandler#onFragment}) */
    public boolean streaming() {
        return streaming;
    }

    /** @return how long a session may receive nothing before it closes with 1001, in nanoseconds; 0 for never */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** @return how long a close handshake may wait for the peer before the connection is closed, in nanoseconds */
    public long closeTimeoutNanos() {
        return closeTimeoutNanos;
    }

    /** @return the most octets of messages a session holds back while its connection is not writable */
    public long sendQueueBytes() {
        return sendQueueBytes;
    }

    /** @return what happens when {@link #sendQueueBytes()} would be passed */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** @return whether permessage-deflate is offered (client) or accepted (server) */
    public boolean perMessageDeflate() {
        return perMessageDeflate;
    }

    /** @return the smallest message compressed when permessage-deflate is in use, in octets */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** Configures {@link WebSocketOptions}. */
    public static final class Builder {
        private int maxMessageBytes = 1024 * 1024;
        private boolean streaming;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private long sendQueueBytes = 1024 * 1024;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE_TRY_AGAIN_LATER;
        private boolean perMessageDeflate = true;
        private int compressionThreshold = 256;

        private Builder() {
        }

        /**
         * Largest message delivered whole (default 1 MiB); a larger one fails the session with 1009.
         *
         * @param bytes 1 to 1 GiB
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 1 GiB
         */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1 || bytes > 1 << 30) {
                throw new IllegalArgumentException("maxMessageBytes " + bytes + " is outside 1 to 1 GiB");
            }
            maxMessageBytes = bytes;
            return this;
        }

        /**
         * Delivers data frames as they arrive through {@link WebSocketHandler#onFragment} instead of
         * whole messages (default off): for messages larger than memory should hold; no message
         * size limit applies then.
         *
         * @param on whether to stream
         * @return this builder
         */
        public Builder streaming(boolean on) {
            streaming = on;
            return this;
        }

        /**
         * Time a session may receive nothing (default 5 minutes; {@link Duration#ZERO} for no limit);
         * then it closes with 1001 (going away).
         *
         * @param timeout zero, or 1 ms to 24 h
         * @return this builder
         * @throws IllegalArgumentException if negative, or positive and outside 1 ms to 24 h
         */
        public Builder idleTimeout(Duration timeout) {
            if (!timeout.isZero()) {
                inRange("idleTimeout", timeout);
            }
            idleTimeout = timeout;
            return this;
        }

        /**
         * Time the close handshake may take once this side has sent or answered a close frame
         * (default 5 s); then the connection closes without waiting further.
         *
         * @param timeout 1 ms to 24 h
         * @return this builder
         * @throws IllegalArgumentException if outside 1 ms to 24 h
         */
        public Builder closeTimeout(Duration timeout) {
            closeTimeout = inRange("closeTimeout", timeout);
            return this;
        }

        /**
         * Most octets of messages held back for one session while its connection's output is above
         * the high watermark (default 1 MiB); past it the {@link #slowConsumerPolicy} decides.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder sendQueueBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("sendQueueBytes must be at least 1, not " + bytes);
            }
            sendQueueBytes = bytes;
            return this;
        }

        /**
         * What to do with a peer that reads too slowly (default
         * {@link SlowConsumerPolicy#CLOSE_TRY_AGAIN_LATER}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder slowConsumerPolicy(SlowConsumerPolicy policy) {
            slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Whether to use permessage-deflate (RFC 7692) when the peer agrees (default on). Window
         * sizes below 32 KiB for this side's compressor are declined (the JDK's deflater has one
         * window size). Broadcast frames are never compressed.
         *
         * @param on whether to negotiate compression
         * @return this builder
         */
        public Builder perMessageDeflate(boolean on) {
            perMessageDeflate = on;
            return this;
        }

        /**
         * Smallest message compressed when permessage-deflate is in use (default 256 octets): below
         * it, compression costs more than it saves.
         *
         * @param bytes 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder compressionThreshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("compressionThreshold must not be negative: " + bytes);
            }
            compressionThreshold = bytes;
            return this;
        }

        /**
         * Makes the options.
         *
         * @return the options
         */
        public WebSocketOptions build() {
            return new WebSocketOptions(this);
        }

        private static Duration inRange(String setting, Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(setting + " " + timeout + " is outside 1 ms to 24 h");
            }
            return timeout;
        }
    }
}
