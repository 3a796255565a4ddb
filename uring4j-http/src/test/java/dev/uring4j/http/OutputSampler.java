package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.uring4j.runtime.TcpServer;

/**
 * The most output a server's loops held at once, sampled from their counters on a thread of its
 * own (the counters keep no peak). Output stays up as long as the reader lags, far longer than one
 * sampling interval, so a server that queued too much is seen.
 */
final class OutputSampler implements AutoCloseable {
    private final TcpServer server;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    OutputSampler(TcpServer server) {
        this.server = server;
        this.thread = Thread.ofPlatform().daemon().name("output-sampler").start(() -> {
            while (running) {
                peak.accumulateAndGet(server.group().stats().outputBytes(), Math::max);
                samples.incrementAndGet();
                // A sampling interval, not a wait for anything.
                LockSupport.parkNanos(100_000);
            }
        });
    }

    /** Waits until the server has held at least {@code bytes} of output. */
    void await(long bytes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (peak.get() < bytes) {
            assertTrue(System.nanoTime() - deadline < 0, "the server's output never backed up past " + bytes
                    + " bytes: " + server.group().stats());
            LockSupport.parkNanos(100_000);
        }
    }

    long peak() {
        return peak.get();
    }

    long samples() {
        return samples.get();
    }

    /** Stops sampling; the peak stays readable. */
    void stop() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
