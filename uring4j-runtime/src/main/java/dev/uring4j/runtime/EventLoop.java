package dev.uring4j.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import dev.uring4j.runtime.internal.LoopThread;
import dev.uring4j.runtime.internal.TransportLoop;


/**
 * One thread that owns one ring (or, on the NIO transport, one selector) and runs every callback
 * of the connections, listeners, UDP sockets and timers it serves.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread; tasks run on the
 * loop's thread in the order posted; a task that throws is logged and the loop carries on. Loops
 * are created and closed by their {@link EventLoopGroup}; the interface is sealed and implemented
 * by the runtime, one implementation per transport.
 *
 * <pre>{@code
 * EventLoop loop = group.next();
 * Timeout tick = loop.scheduleAtFixedRate(0, 16, TimeUnit.MILLISECONDS, () -> world.step());
 * loop.execute(() -> connection.writeAndFlush(message));   // from any thread
 * }</pre>
 */
public sealed interface EventLoop extends Executor permits TransportLoop {

    /**
     * The loop whose thread is calling: for code a loop runs (a handler, or a virtual thread the
     * loop carries, see {@link #ofVirtual()}) that needs the loop itself, for example to read
     * files on it ({@link LoopFile}).
     *
     * @return the calling thread's loop, or {@code null} on any other thread
     */
    static EventLoop current() {
        return LoopThread.current();
    }

    /**
     * Whether the calling thread is this loop's thread, or a virtual thread this loop carries
     * ({@link #ofVirtual()}) and runs on it: where connection and socket methods act at once
     * rather than being handed to the loop.
     *
     * @return {@code true} on the loop's thread
     */
    boolean inEventLoop();

    /**
     * Runs {@code task} on the loop's thread, soon, after the tasks posted before it. From
     * another thread it wakes the loop if it is waiting.
     *
     * @param task what to run
     */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} once on the loop's thread after {@code delay}. The loop's wait ends at the
     * nearest deadline, so the task runs as soon as the loop gets to it after that.
     *
     * @param delay how long to wait, in {@code unit}; 0 or less runs it as soon as the loop runs
     *              its timers
     * @param unit  the unit of {@code delay}
     * @param task  what to run
     * @return a handle to cancel the task with
     */
    Timeout schedule(long delay, TimeUnit unit, Runnable task);

    /**
     * Runs {@code task} every {@code period}, first after {@code initialDelay}. Deadlines are
     * fixed-rate ({@code start + k * period}), so lateness does not accumulate.
     *
     * @param initialDelay how long until the first run, in {@code unit}
     * @param period       the time between deadlines, in {@code unit}; positive
     * @param unit         the unit of both
     * @param task         what to run
     * @return a handle that cancels the runs not yet made
     * @throws IllegalArgumentException when {@code period} is not positive
     */
    Timeout scheduleAtFixedRate(long initialDelay, long period, TimeUnit unit, Runnable task);

    /**
     * The options the loop runs with (its group's).
     *
     * @return the loop's options
     */
    LoopOptions options();

    /**
     * The loop's counters.
     *
     * @return a snapshot of them
     */
    LoopStats stats();

    /**
     * The transport the loop runs on: {@link Transport#IO_URING} or {@link Transport#NIO}.
     *
     * @return the loop's transport, never {@link Transport#AUTO}
     */
    Transport transport();

    /**
     * The loop's index in its group.
     *
     * @return the index in {@link EventLoopGroup#loops()}, from 0
     */
    int index();

    /**
     * Watches descriptor {@code fd} for readiness and calls {@code handler} on this loop's thread
     * each time it becomes ready: one multishot poll on io_uring, kept armed for as long as the
     * watch lasts, so watching costs no system call of its own. For pipes, eventfds, timerfds,
     * signalfds and devices a loop's handlers work with. The caller keeps the descriptor open until
     * {@link FdHandler#onEnded} and closes it after.
     *
     * @param fd      an open descriptor, preferably non-blocking (see {@link FdWatch})
     * @param events  {@link FdWatch#READABLE}, {@link FdWatch#WRITABLE}, {@link FdWatch#PRIORITY} or
     *                several ORed; errors and hang-ups are always reported
     * @param handler what to call, on this loop's thread
     * @return the watch; armed at once when called on this loop's thread, otherwise as soon as the
     *         loop runs the request. A kernel refusal (a closed descriptor, one that cannot be
     *         polled) arrives as {@link FdHandler#onEnded} with its errno
     * @throws IllegalArgumentException when {@code fd} is negative or {@code events} has no known bit
     * @throws java.util.concurrent.RejectedExecutionException when the loop has stopped
     */
    FdWatch watch(int fd, int events, FdHandler handler);

    /**
     * A builder of virtual threads that this loop carries: their code runs on the loop's own
     * thread, between its batches of completions, as its tasks do. A thread that blocks on the
     * loop's I/O (a {@link BlockingSocket}'s {@code read}) is resumed by the loop that received
     * its bytes, in the same iteration, and what it writes leaves with that iteration's
     * submission: no carrier thread is woken and nothing passes between threads. Plain blocking
     * code at close to the cost of a callback.
     *
     * <p>The price is the loop's: while such a thread runs, the loop's other connections wait, as
     * they do for a callback. Blocking that parks the thread ({@code Thread.sleep}, locks, JDK
     * sockets, this runtime's blocking sockets) frees the loop; blocking that holds the thread on
     * its carrier (reading files with {@code java.io}, native calls) holds the loop, and long
     * computations delay it. Virtual threads that such a thread starts with
     * {@code Thread.ofVirtual()} are carried by the same loop, as a virtual thread's children
     * share its scheduler. Use the JDK's own virtual threads for handlers that compute or read files.
     *
     * <p>The JDK has no public API to choose a virtual thread's scheduler yet: this needs the
     * JVM option {@code --add-opens java.base/java.lang=dev.uring4j.runtime} ({@code ALL-UNNAMED}
     * on the class path). {@link #virtualThreadsUnavailable()} says whether it was given.
     *
     * <pre>{@code
     * BlockingSocket s = server.accept();
     * s.connection().eventLoop().ofVirtual().name("echo").start(() -> echo(s));
     * }</pre>
     *
     * @return a new builder; as any {@link Thread.Builder}, for one thread at a time
     * @throws UnsupportedOperationException when the JVM option is missing; the message names it
     */
    Thread.Builder.OfVirtual ofVirtual();

    /**
     * Why loops cannot carry virtual threads in this JVM ({@link #ofVirtual()}), or {@code null}
     * when they can.
     *
     * @return the reason, naming the JVM option to add, or {@code null}
     */
    static String virtualThreadsUnavailable() {
        return dev.uring4j.runtime.internal.LoopCarrier.unavailable();
    }
}
