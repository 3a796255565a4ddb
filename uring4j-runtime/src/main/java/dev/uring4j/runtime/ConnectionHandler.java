package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

/**
 * Callbacks of one connection, all run on the connection's event-loop thread, in order.
 *
 * <p>Only {@link #onData} must be implemented. A handler that throws has its connection closed
 * with that exception as the cause; the loop and every other connection carry on.
 *
 * <p>A line protocol: each complete line is answered, a partial line waits for the rest, and a
 * peer that does not read its answers is not read from either.
 *
 * <pre>{@code
 * final class LineHandler implements ConnectionHandler {
 *     private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
 *
 *     @Override
 *     public int onData(Connection connection, MemorySegment buffer, long offset, int length) {
 *         int consumed = 0;
 *         for (int i = 0; i < length; i++) {
 *             if (buffer.get(ValueLayout.JAVA_BYTE, offset + i) == '\n') {
 *                 connection.write(OK);          // copied into the connection's queue
 *                 consumed = i + 1;
 *             }
 *         }
 *         connection.flush();                    // one send for every answer of this iteration
 *         return consumed;                       // the rest comes back with the next data
 *     }
 *
 *     @Override
 *     public void onWritabilityChanged(Connection connection, boolean writable) {
 *         if (writable) {
 *             connection.resumeReading();
 *         } else {
 *             connection.pauseReading();
 *         }
 *     }
 *
 *     @Override
 *     public void onInputClosed(Connection connection) {
 *         connection.close();                    // sends what is queued, then closes
 *     }
 * }
 *
 * TcpServer server = TcpServer.builder().port(7000).handler(LineHandler::new).start();
 * }</pre>
 */
public interface ConnectionHandler {

    /**
     * The connection is established; reading starts after this returns.
     *
     * @param connection the new connection; it may be written to already
     */
    default void onOpen(Connection connection) {
    }

    /**
     * Data arrived: bytes {@code [offset, offset + length)} of {@code buffer}. The bytes are valid
     * only during this call (they live in a buffer shared by the loop's connections and are handed
     * back to the kernel as soon as the call returns) and only that range may be read.
     *
     * @param connection the connection the bytes came from
     * @param buffer     the memory holding them; do not keep it
     * @param offset     where the bytes start in {@code buffer}
     * @param length     how many there are
     * @return how many bytes were consumed, {@code 0..length}. Bytes not consumed are kept and
     *         presented again, first and contiguous with what arrives next, so a handler can leave a
     *         partial message for later. Past {@link LoopOptions#maxUnconsumedInput()} kept bytes
     *         the connection is closed; a value outside {@code 0..length} closes it too.
     */
    int onData(Connection connection, MemorySegment buffer, long offset, int length);

    /**
     * The peer shut down its sending side (FIN): every byte it sent was delivered before this call.
     * The connection stays open for writing; close it when done.
     *
     * @param connection the connection whose input ended
     */
    default void onInputClosed(Connection connection) {
    }

    /**
     * The queued output crossed the high ({@code false}) or low ({@code true}) watermark. While
     * not writable, a producer should stop writing (for example {@link Connection#pauseReading()}).
     *
     * @param connection the connection whose output queue crossed a watermark
     * @param writable   {@code false} above the high watermark, {@code true} back at the low one
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /**
     * The connection is closed and its resources released; called exactly once.
     *
     * @param connection the closed connection; writes to it are refused
     * @param cause {@code null} for an orderly close, else why it failed (a {@link ConnectionException}
     *              naming the errno and operation for I/O errors)
     */
    default void onClose(Connection connection, Throwable cause) {
    }
}
