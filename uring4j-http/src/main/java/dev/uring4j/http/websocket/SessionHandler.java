package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;

/**
 * The runtime's view of an open session: the connection's events go to the session's frame
 * reader, its writability to the session's held frames, its close to the session's handler.
 * A server session gets its connection from the HTTP engine after the 101 response
 * ({@code ProtocolUpgrade}); a client session from {@link ClientHandshake} once the response was
 * checked.
 */
final class SessionHandler implements ConnectionHandler {
    private final WebSocketHandler handler;
    private final WebSocketOptions options;
    private final boolean client;
    private final String subprotocol;
    private final String extensions;
    private WebSocket session;

    SessionHandler(WebSocketHandler handler, WebSocketOptions options, boolean client, String subprotocol, String extensions) {
        this.handler = handler;
        this.options = options;
        this.client = client;
        this.subprotocol = subprotocol;
        this.extensions = extensions;
    }

    /** Makes the session on the connection and tells the handler it is open. */
    @Override
    public void onOpen(Connection connection) {
        session = new WebSocket(connection, handler, options, client, subprotocol, extensions);
        session.opened();
    }

    WebSocket session() {
        return session;
    }

    @Override
    public int onData(Connection connection, MemorySegment buffer, long offset, int length) {
        return data(buffer, offset, length);
    }

    /** Reads frames; also called by the client handshake with the octets that followed the response head. */
    int data(MemorySegment buffer, long offset, int length) {
        if (session.reader.stopped()) {
            return length;
        }
        session.timers().inputArrived();
        return session.reader.read(buffer, offset, length);
    }

    @Override
    public void onInputClosed(Connection connection) {
        session.inputClosed();
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (writable) {
            session.drainHeld();
        }
    }

    @Override
    public void onClose(Connection connection, Throwable cause) {
        session.closed(cause);
    }
}
