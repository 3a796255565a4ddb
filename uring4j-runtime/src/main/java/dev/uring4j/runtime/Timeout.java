package dev.uring4j.runtime;

/**
 * A task scheduled on an event loop ({@link EventLoop#schedule}); cancellable from the loop's
 * thread or any other.
 */
public interface Timeout {
    /**
     * Cancels the task if it has not run; a fixed-rate task runs no more. From another thread the
     * cancellation takes effect when the loop next runs its tasks.
     *
     * @return {@code false} if it was already cancelled; otherwise {@code true}, also for a
     *         one-shot task that has already run
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
