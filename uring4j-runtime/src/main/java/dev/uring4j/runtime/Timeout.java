package dev.uring4j.runtime;

/**
 * A task scheduled on an event loop ({@link EventLoop#schedule}); cancellable from the loop's
 * thread or any other.
 */
public interface Timeout {
    /**
     * Cancels the task if it has not run. Returns {@code true} if this call cancelled it; from
     * another thread the cancellation takes effect when the loop next runs its tasks.
     */
    boolean cancel();

    /** Whether the task was cancelled. */
    boolean isCancelled();

    /** The deadline, in {@link System#nanoTime()} time. */
    long deadlineNanos();
}
