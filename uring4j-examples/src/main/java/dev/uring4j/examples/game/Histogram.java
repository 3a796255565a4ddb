package dev.uring4j.examples.game;

/**
 * Durations in 1-microsecond buckets up to 100 ms, plus the exact maximum: recording allocates
 * nothing, so it can run on an event loop for every tick or datagram. Not thread-safe: one per
 * loop, merged with {@link #add} when reporting.
 */
public final class Histogram {
    private static final int BUCKETS = 100_000;

    private final long[] counts = new long[BUCKETS + 1];
    private long total;
    private long maxNanos;

    /** Records one duration; negative ones (a clock read before its reference) count as 0. */
    public void record(long nanos) {
        long us = Math.max(0, nanos) / 1000;
        counts[(int) Math.min(us, BUCKETS)]++;
        total++;
        if (nanos > maxNanos) {
            maxNanos = nanos;
        }
    }

    public long count() {
        return total;
    }

    /** The {@code p}-th percentile (0 < p <= 100) in microseconds: the bucket it falls in, capped at 100 ms. */
    public long percentileMicros(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * p / 100.0);
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS;
    }

    public long maxMicros() {
        return maxNanos / 1000;
    }

    /** Adds {@code other}'s counts to this one. */
    public void add(Histogram other) {
        for (int i = 0; i <= BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxNanos = 0;
    }

    /** {@code p50=…µs p99=…µs max=…µs}. */
    public String summary() {
        return "p50=" + percentileMicros(50) + "µs p99=" + percentileMicros(99) + "µs max=" + maxMicros() + "µs";
    }
}
