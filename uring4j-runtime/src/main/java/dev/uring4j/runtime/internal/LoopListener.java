package dev.uring4j.runtime.internal;

/**
 * A listening socket served by one loop, as every transport's listener behaves: it accepts while
 * its server has room, pauses at the server's limit (connections wait in the backlog) and backs
 * off when out of descriptors ({@link AcceptBackoff}), accepts again as soon as a connection
 * closes, and reports each episode of trouble once. A transport adds how it accepts
 * ({@link #arm()}) and how it stops. Owned by the loop's thread.
 */
public abstract class LoopListener {
    protected final AcceptBackoff backoff = new AcceptBackoff();
    /** At the server's limit: waiting for a connection to close. */
    protected boolean paused;
    protected boolean stopping;

    /** Starts accepting; runs on the listener's loop. */
    public abstract void start() throws Exception;

    /** Accepts (or goes on accepting) unless stopping, already accepting, or out of room. */
    protected abstract void arm();

    /** Ends the transport's accepting; {@link #stopping} is already set. */
    protected abstract void stopAccepting();

    /** Whether the listener has stopped and closed its socket. */
    public abstract boolean isClosed();

    /** Closes the socket now: the loop is ending and nothing of the listener's is in flight. */
    public abstract void closeNow();

    /** Why the server has no room, for the log. */
    protected abstract String fullReason();

    /** Where the server listens, for the log. */
    protected abstract Object address();

    /**
     * Whether there is room for {@code room} more connections: with none, the listener pauses and
     * says so once per episode; with some, it is calm again.
     */
    protected final boolean hasRoom(int room) {
        if (room <= 0) {
            paused = true;
            if (backoff.trouble()) {
                TransportLoop.LOG.log(System.Logger.Level.WARNING, AcceptBackoff.pausedMessage(address(), fullReason()));
            }
            return false;
        }
        paused = false;
        backoff.calm();
        return true;
    }

    /** Whether accepting is paused (at the connection limit, or backing off after EMFILE). */
    public final boolean waiting() {
        return paused || backoff.retryPending();
    }

    /** Accepts again now: a descriptor may have freed up, or the connection count dropped below the limit. */
    public final void retryNow() {
        backoff.cancelRetry();
        if (!stopping) {
            arm();
        }
    }

    /** Stops accepting for good; the socket closes as soon as nothing of the listener's is in flight. */
    public final void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        backoff.cancelRetry();
        stopAccepting();
    }
}
