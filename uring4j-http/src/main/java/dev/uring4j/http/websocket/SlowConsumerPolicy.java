package dev.uring4j.http.websocket;

/**
 * What a session does with a message when its peer reads too slowly: the connection's output is
 * above its high watermark and the messages held back for it would pass
 * {@link WebSocketOptions#sendQueueBytes()}.
 */
public enum SlowConsumerPolicy {
    /**
     * Drop the oldest held messages (whole messages, never part of a frame) until the new one fits:
     * for state streams where only the latest state matters, such as a game tick. A message larger
     * than the whole queue is dropped itself, and its send returns false.
     */
    DROP_OLDEST(0),
    /** Close the session with 1008 (policy violation); the send returns false. */
    CLOSE_POLICY_VIOLATION(CloseCodes.POLICY_VIOLATION),
    /** Close the session with 1013 (try again later); the send returns false. */
    CLOSE_TRY_AGAIN_LATER(CloseCodes.TRY_AGAIN_LATER);

    final int closeCode;

    SlowConsumerPolicy(int closeCode) {
        this.closeCode = closeCode;
    }
}
