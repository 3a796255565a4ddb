package dev.uring4j.http.websocket;

import java.util.concurrent.TimeUnit;

import dev.uring4j.runtime.Timeout;

/**
 * The idle and close-handshake timeouts of one session, each one loop timer.
 *
 * <p>The idle timer does not move with every input: input only records the time, and the timer,
 * when it fires, schedules itself for the rest of the period if input came meanwhile, so a busy
 * session costs no timer work per message. When it finds the session idle for the whole period, it
 * closes it with 1001 (going away). The close timer bounds a closing handshake: when it fires the
 * connection is closed however far the handshake got. Owned by one session, used on its loop.
 */
final class SessionTimers {
    private final WebSocket session;
    private final boolean client;
    private final long idleNanos;
    private final Runnable idleCheck = this::idleCheck;
    private final Runnable closeExpired = this::closeExpired;
    private long lastInputNanos;
    private Timeout idle;
    private Timeout close;

    SessionTimers(WebSocket session, boolean client) {
        this.session = session;
        this.client = client;
        this.idleNanos = session.options.idleTimeoutNanos();
    }

    boolean client() {
        return client;
    }

    void start() {
        lastInputNanos = System.nanoTime();
        if (idleNanos > 0) {
            idle = session.connection.eventLoop().schedule(idleNanos, TimeUnit.NANOSECONDS, idleCheck);
        }
    }

    void inputArrived() {
        if (idleNanos > 0) {
            lastInputNanos = System.nanoTime();
        }
    }

    /** A close frame was sent or received: the handshake must end within the close timeout. */
    void closing() {
        if (idle != null) {
            idle.cancel();
            idle = null;
        }
        if (close == null) {
            close = session.connection.eventLoop().schedule(session.options.closeTimeoutNanos(), TimeUnit.NANOSECONDS, closeExpired);
        }
    }

    void cancel() {
        if (idle != null) {
            idle.cancel();
            idle = null;
        }
        if (close != null) {
            close.cancel();
            close = null;
        }
    }

    private void idleCheck() {
        idle = null;
        if (session.state() != WebSocket.OPEN) {
            return;
        }
        long quiet = System.nanoTime() - lastInputNanos;
        if (quiet >= idleNanos) {
            session.close(CloseCodes.GOING_AWAY, "idle timeout");
        } else {
            idle = session.connection.eventLoop().schedule(idleNanos - quiet, TimeUnit.NANOSECONDS, idleCheck);
        }
    }

    private void closeExpired() {
        close = null;
        session.connection.close();
    }
}
