package dev.uring4j.bench.peers;

import java.nio.ByteBuffer;

/**
 * The WebSocket broadcast cell's tick, the same for every server: due times at a fixed rate of
 * {@code --tick-hz} per second (default 60) from the moment the first subscriber joins, whatever
 * each tick's own lateness, and a payload of {@code --payload} bytes (default 200) that starts with
 * the tick's due time ({@link System#nanoTime()}, which reads {@code CLOCK_MONOTONIC} on Linux)
 * and its sequence number, each 8 bytes big-endian: what {@code ws_load} turns into lateness and
 * missed frames. The rest of the payload is zeros. A server calls {@link #start()} when the tick
 * starts, then, in each tick, {@link #payload()} and {@link #advance()}. Used on one thread.
 */
public final class BroadcastTick {
    private final long periodNs;
    private final byte[] payload;
    private final ByteBuffer stamp;
    private long due;
    private long seq;

    private BroadcastTick(long periodNs, int payloadBytes) {
        this.periodNs = periodNs;
        this.payload = new byte[payloadBytes];
        this.stamp = ByteBuffer.wrap(payload);
    }

    /** The tick {@code --tick-hz} and {@code --payload} ask for; malformed values print why and exit with status 2. */
    public static BroadcastTick of(PeerArgs peer) {
        int hz = Integer.parseInt(peer.options().getOrDefault("--tick-hz", "60"));
        int bytes = Integer.parseInt(peer.options().getOrDefault("--payload", "200"));
        if (hz < 1 || hz > 10_000 || bytes < 16 || bytes > 65_535) {
            System.err.println("--tick-hz is 1 to 10000 and --payload 16 to 65535 bytes (it holds the due time and sequence number)");
            System.exit(2);
        }
        return new BroadcastTick(1_000_000_000L / hz, bytes);
    }

    /** The tick starts now: the first is due one period from now. Returns the delay until it, in ns. */
    public long start() {
        due = System.nanoTime() + periodNs;
        return periodNs;
    }

    /** The payload of the tick due now, stamped with its due time and the next sequence number (from 1). */
    public byte[] payload() {
        stamp.putLong(0, due).putLong(8, ++seq);
        return payload;
    }

    /** On to the next tick; returns the delay until it is due, in ns (0 if already late). */
    public long advance() {
        due += periodNs;
        return Math.max(0, due - System.nanoTime());
    }
}
