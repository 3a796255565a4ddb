package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

/**
 * Callbacks of one connection, all run on the connection's event-loop thread, in order.
 *
 * <p>Only {@link #onData} must be implemented. A handler that throws has its connection closed
 * with that exception as the cause; the loop and every other connection carry on.
 */
public interface ConnectionHandler {

    /** The connection is established; reading starts after this returns. */
    default void onOpen(Connection connection) {
    }

    /**
     * Data arrived: bytes {@code [offset, offset + length)} of {@code buffer}. The bytes are valid
     * only during this call (they live in a buffer shared by the loop's connections and are handed
     * back to the kernel as soon as the call returns) and only that range may be read.
     *
     * @return how many bytes were consumed, {@code 0..length}. Bytes not consumed are kept and
     *         presented again, first and contiguous with what arrives next, so a handler can leave a
     *         partial message for later.
     */
    int onData(Connection connection, MemorySegment buffer, long offset, int length);

    /**
     * The peer shut down its sending side (FIN): every byte it sent was delivered before this call.
     * The connection stays open for writing; close it when done.
     */
    default void onInputClosed(Connection connection) {
    }

    /**
     * The queued output crossed the high ({@code false}) or low ({@code true}) watermark. While
     * not writable, a producer should stop writing (for example {@link Connection#pauseReading()}).
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /**
     * The connection is closed and its resources released; called exactly once.
     *
     * @param cause {@code null} for an orderly close, else why it failed (a {@link ConnectionException}
     *              naming the errno and operation for I/O errors)
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
