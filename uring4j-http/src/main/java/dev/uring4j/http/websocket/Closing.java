package dev.uring4j.http.websocket;

import java.nio.charset.StandardCharsets;

/**
 * How one session ends (RFC 6455 section 7): the state the session is in, the closing handshake
 * from either side, failing the session with a close code, and the one report to the handler once
 * the connection is gone, with the code the session ended with: the peer's, this side's failure, or
 * 1006 when the connection ended without a close frame.
 *
 * <pre>
 *   OPEN ──close()──► CLOSE_SENT ──peer's close──► (server: FIN; client: wait for the server's FIN)
 *     │                   ▲                                  │
 *     ├──peer's close──► CLOSE_RECEIVED ──answer sent──► (same)
 *     └──a rule broken, a slow peer, the handler threw──► close frame, FIN ──► CLOSED at the peer's FIN
 *                                                                          or the close timeout
 * </pre>
 *
 * <p>Owned by one session, used on its loop; {@link #state} is read from other threads too.
 */
final class Closing {
    private static final byte[] EMPTY = new byte[0];

    private final WebSocket session;
    private final PerMessageDeflate deflate;
    /** OPEN, CLOSE_SENT, CLOSE_RECEIVED or CLOSED ({@link WebSocket}'s constants). */
    volatile int state = WebSocket.OPEN;
    private boolean closeReceived;
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason = "";

    Closing(WebSocket session, PerMessageDeflate deflate) {
        this.session = session;
        this.deflate = deflate;
    }

    /** The application closes: the close frame goes after what is held back. */
    boolean closeOnLoop(byte[] payload) {
        if (state != WebSocket.OPEN) {
            return false;
        }
        session.sender().writeClose(payload, true);
        state = WebSocket.CLOSE_SENT;
        session.timers().closing();
        return true;
    }

    /** A close frame arrived (its code checked): answer it if we have not closed, then end the connection. */
    void receivedClose(int code, String reason) {
        session.reader.stop();
        closeReceived = true;
        closeCode = code;
        closeReason = reason;
        if (state == WebSocket.OPEN) {
            state = WebSocket.CLOSE_RECEIVED;
            // The peer reads nothing after its close: what was held back for it is moot.
            session.sender().writeClose(code == CloseCodes.NO_STATUS ? EMPTY : closePayload(code, ""), false);
        }
        session.timers().closing();
        endConnection();
    }

    /** Fails the session (RFC 6455 section 7.1.7): sends a close frame with {@code code} unless one was sent, and ends the session.connection. */
    void fail(int code, String why) {
        if (state == WebSocket.CLOSED) {
            return;
        }
        session.reader.stop();
        if (!closeReceived) {
            closeCode = code;
            closeReason = why;
        }
        if (state == WebSocket.OPEN) {
            session.sender().writeClose(closePayload(code, ""), false);
        } else {
            session.sender().clear();
        }
        state = WebSocket.CLOSE_SENT;
        session.timers().closing();
        session.connection.shutdownOutput(); // after the close frame; the connection closes at the peer's FIN or the close timeout
    }

    /** The handler threw: the session fails with 1011. */
    void handlerFailed(Throwable t) {
        System.getLogger(WebSocket.class.getName()).log(System.Logger.Level.WARNING,
                "WebSocket handler failed on " + session.connection + "; closing with 1011", t);
        fail(CloseCodes.INTERNAL_ERROR, "the handler failed: " + t);
    }

    /**
     * Ends the TCP connection after a close handshake: a server ends its output at once (RFC 6455
     * section 7.1.1: the server closes first), a client waits for the server's FIN; either closes
     * when the peer's FIN comes ({@link #inputClosed}) or the close timeout runs out. Ending only
     * our output first, rather than closing, keeps the kernel from answering the peer's late octets
     * with a reset that could destroy the close frame before the peer reads it.
     */
    private void endConnection() {
        if (session.timers().client()) {
            session.connection.flush();
        } else {
            session.connection.shutdownOutput();
        }
    }

    /** The peer ended its output: without a close frame, the session ends abnormally (1006). */
    void inputClosed() {
        session.reader.stop();
        session.connection.close();
    }

    /** The connection is gone: tells the handler, once, with the code the session ended with. */
    void closed(Throwable cause) {
        state = WebSocket.CLOSED;
        session.timers().cancel();
        session.sender().clear();
        if (deflate != null) {
            deflate.end();
        }
        if (!closeReceived && closeCode == CloseCodes.ABNORMAL && cause != null) {
            closeReason = cause.toString();
        }
        try {
            session.handler.onClose(session, closeCode, closeReason);
        } catch (Throwable t) {
            System.getLogger(WebSocket.class.getName()).log(System.Logger.Level.WARNING, "WebSocket onClose failed", t);
        }
    }

    /** The session is open: its timers start and the handler hears of it. */
    void opened() {
        session.timers().start();
        try {
            session.handler.onOpen(session);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /** The connection is being aborted for {@code why}: report {@code code} unless the peer's close came first. */
    void aborted(int code, String why) {
        if (!closeReceived) {
            closeCode = code;
            closeReason = why;
        }
    }

    /** A close frame's payload: the code, big-endian, then the reason in UTF-8. */
    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}
