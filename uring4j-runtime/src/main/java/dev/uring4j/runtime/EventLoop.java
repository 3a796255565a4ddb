package dev.uring4j.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import dev.uring4j.runtime.internal.TransportLoop;


/**
 * One thread that owns one ring (or, on the NIO transport, one selector) and runs every callback
 * of the connections, listeners, UDP sockets and timers it serves.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread; tasks run on the
 * loop's thread in the order posted. Loops are created and closed by their {@link EventLoopGroup};
 * this interface is implemented by the runtime's transports only.
 *
 * <pre>{@code
 * EventLoop loop = group.next();
 * Timeout tick = loop.scheduleAtFixedRate(0, 16, TimeUnit.MILLISECONDS, () -> world.step());
 * loop.execute(() -> connection.writeAndFlush(message));   // from any thread
 * }</pre>
 */
public sealed interface EventLoop extends Executor permits TransportLoop {

    /** Whether the calling thread is this loop's thread. */
    boolean inEventLoop();

    /** Runs {@code task} on the loop's thread, soon. */
    @Override
    void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Timeout schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * Runs {@code task} every {@code period}, first after {@code initialDelay}. Deadlines are
     * fixed-rate ({@code start + k * period}), so lateness does not accumulate.
     */
    Timeout scheduleAtFixedRate(long initialDelay, long period, TimeUnit unit, Runnable task);

    /** The loop's counters. */
    LoopStats stats();

    /** The transport the loop runs on: {@link Transport#IO_URING} or {@link Transport#NIO}. */
    Transport transport();

    /** The loop's index in its group. */
    int index();
}
