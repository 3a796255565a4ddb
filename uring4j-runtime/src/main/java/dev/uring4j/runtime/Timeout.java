package dev.uring4j.runtime;

/**
 * A task scheduled on an event loop ({@link EventLoop#schedule}); cancellable from the loop's
 * thread or any other.
 */
public interface Timeout {
    /**
     * Cancels the task if it has not run; a fixed-rate task runs no more. Decided at once, from
     * any thread: once this returns {@code true} the task does not run (a fixed-rate run already
     * under way on the loop finishes).
     *
     * @return {@code true} if this call cancelled the task; {@code false} if it was already
     *         cancelled, or is a one-shot task that has run or is running
     */
    boolean cancel();

    /**
     * Whether the task was cancelled.
     *
     * @return {@code true} once {@link #cancel()} was called
     */
    boolean isCancelled();

    /**
     * The deadline, in {@link System#nanoTime()} time.
     *
     * @return when the task is due; for a fixed-rate task, its next run
     */
    long deadlineNanos();
}
