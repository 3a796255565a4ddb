package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;

/**
 * Callbacks of WebSocket sessions, all on the session's event loop, in order. One handler may serve
 * many sessions (each callback names its session; per-session state goes in
 * {@link WebSocket#attach}). Used by the server route ({@link WebSocketRoute}) and the client
 * ({@link WebSocketClient}) alike.
 *
 * <p>Messages arrive whole, up to {@link WebSocketOptions#maxMessageBytes()}: a text message as a
 * {@code String}, a binary one as a view of the session's receive buffer, valid only during the
 * call. With {@link WebSocketOptions.Builder#streaming streaming} on, data frames are delivered as
 * they arrive instead ({@link #onFragment}), and messages have no size limit.
 *
 * <p>A handler that throws has its session failed with close code 1011 (internal error).
 */
public interface WebSocketHandler {
    /**
     * The opening handshake completed; the session may send at once.
     *
     * @param socket the new session
     */
    default void onOpen(WebSocket socket) {
    }

    /**
     * A whole text message arrived, its UTF-8 validated.
     *
     * @param socket the session
     * @param text the message
     */
    default void onText(WebSocket socket, String text) {
    }

    /**
     * A whole binary message arrived: {@code data[offset, offset + length)}, valid only during this
     * call (the session reuses the memory for its next message).
     *
     * @param socket the session
     * @param data the memory holding the message
     * @param offset where it starts
     * @param length its length in octets
     */
    default void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
    }

    /**
     * With streaming on: a piece of a data message as it arrived, unmasked (and inflated, if the
     * message was compressed); text pieces are validated UTF-8 so far, but a piece may end inside
     * a code point. Valid only during the call.
     *
     * @param socket the session
     * @param text whether the message is text (else binary)
     * @param data the memory holding the piece
     * @param offset where it starts
     * @param length its length in octets, possibly 0 (an empty last frame)
     * @param last whether this piece ends the message
     */
    default void onFragment(WebSocket socket, boolean text, MemorySegment data, long offset, int length, boolean last) {
    }

    /**
     * A ping arrived; the session has already queued the pong that echoes it.
     *
     * @param socket the session
     * @param data the ping's payload, valid only during the call
     * @param offset where it starts
     * @param length its length, at most 125
     */
    default void onPing(WebSocket socket, MemorySegment data, long offset, int length) {
    }

    /**
     * A pong arrived (an answer to a ping, or an unsolicited heartbeat).
     *
     * @param socket the session
     * @param data the pong's payload, valid only during the call
     * @param offset where it starts
     * @param length its length, at most 125
     */
    default void onPong(WebSocket socket, MemorySegment data, long offset, int length) {
    }

    /**
     * The session is closed and its connection released; called exactly once.
     *
     * @param socket the closed session; sends are refused
     * @param code the close code the peer sent (RFC 6455 section 7.1.5), 1005 if its close frame had
     *     none, 1006 if the connection ended without a close frame, or the code this side failed
     *     the session with (1002 protocol error, 1007 invalid data, 1009 too big, ...)
     * @param reason the reason the close frame carried, or why this side failed the session; "" if none
     */
    default void onClose(WebSocket socket, int code, String reason) {
    }
}
