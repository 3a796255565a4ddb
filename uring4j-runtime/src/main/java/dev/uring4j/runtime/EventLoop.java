package dev.uring4j.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that owns one ring (or, on the fallback transport, one selector) and runs every
 * callback of the connections, listeners and timers it serves.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread; tasks run on the
 * loop's thread in the order posted. Loops are created and closed by their {@link EventLoopGroup}.
 */
public abstract class EventLoop implements Executor {

    /** Whether the calling thread is this loop's thread. */
    public abstract boolean inEventLoop();

    /** Runs {@code task} on the loop's thread, soon. */
    @Override
    public abstract void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    public abstract Timeout schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * Runs {@code task} every {@code period}, first after {@code initialDelay}. Deadlines are
     * fixed-rate ({@code start + k * period}), so lateness does not accumulate.
     */
    public abstract Timeout scheduleAtFixedRate(long initialDelay, long period, TimeUnit unit, Runnable task);

    /** The loop's counters. */
    public abstract LoopStats stats();

    /** {@code "io_uring"} or {@code "nio"}. */
    public abstract String transport();

    /** The loop's index in its group. */
    public abstract int index();

    abstract void removeTimer(TimerQueue.Timer timer);
}
