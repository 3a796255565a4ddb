package dev.uring4j.runtime;

import java.io.IOException;

/**
 * What a loop calls for a watched descriptor ({@link EventLoop#watch}), on the loop's thread.
 */
@FunctionalInterface
public interface FdHandler {
    /**
     * The descriptor became ready.
     *
     * @param watch  the watch
     * @param events the {@link FdWatch} bits that fired ({@link FdWatch#READABLE},
     *               {@link FdWatch#WRITABLE}, {@link FdWatch#PRIORITY}, {@link FdWatch#ERROR},
     *               {@link FdWatch#HANGUP})
     */
    void onReady(FdWatch watch, int events);

    /**
     * The watch ended: cancelled ({@code cause} {@code null}), the loop stopped, or the kernel
     * refused or ended the poll ({@code cause} names the errno, e.g. {@code EBADF} for a closed
     * descriptor). Called once; the descriptor is still the caller's to close.
     *
     * @param watch the watch
     * @param cause why it ended, or {@code null} when it was cancelled
     */
    default void onEnded(FdWatch watch, IOException cause) {}
}
