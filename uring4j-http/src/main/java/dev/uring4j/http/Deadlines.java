package dev.uring4j.http;

/**
 * The time limits of one connection, kept with a single timer.
 *
 * <ul>
 *   <li>The header timeout counts from the input that brought the first octet of a request head,
 *       and later octets do not re-arm it, so a head trickled in octet by octet still has to be
 *       complete in time.</li>
 *   <li>The idle timeout counts from the last input, or from the last response when nothing was
 *       left to answer, while the next step is the client's: between requests, or inside a request.
 *       Empty lines between requests are not input that counts: a peer sending nothing else cannot
 *       keep the connection open.</li>
 *   <li>The linger timeout bounds how long a connection whose output has ended keeps reading and
 *       discarding before it closes.</li>
 * </ul>
 *
 * <p>Only one timer is pending at a time, scheduled for the earliest deadline. When it fires it
 * checks what is due and schedules itself again for whatever comes next; a deadline that moves
 * later meanwhile (more input arrived) does not touch the pending timer. So steady traffic schedules
 * and cancels nothing: the timer fires about once per idle period and finds the connection busy.
 *
 * <p>What the connection is doing, and what a missed deadline means for it, is the connection's
 * business ({@link HttpConnection#headStarted}, {@link HttpConnection#awaitingClient},
 * {@link HttpConnection#idleTimedOut}). Owned by one connection, used on its event loop only.
 */
final class Deadlines {
    private final HttpConnection connection;
    private final ResponseWriter output;
    private final HttpTransport transport;
    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long lingerTimeoutNanos;
    private final Runnable check = this::onTimer;

    private long inputNanos;
    private long activityNanos;
    private long headStartNanos;
    private long lingerDeadline;
    private long timerDeadline = Long.MAX_VALUE;
    private HttpTransport.Cancellable timer;

    Deadlines(HttpConnection connection, ResponseWriter output, HttpTransport transport, HttpServer server) {
        this.connection = connection;
        this.output = output;
        this.transport = transport;
        this.headerTimeoutNanos = server.headerTimeoutNanos();
        this.idleTimeoutNanos = server.idleTimeoutNanos();
        this.lingerTimeoutNanos = server.lingerTimeoutNanos();
        this.activityNanos = transport.nanoTime();
    }

    /** Input arrives now; whether it ends the idle time is known once it has been read ({@link #active}). */
    void inputArrived() {
        inputNanos = transport.nanoTime();
    }

    /** The input that arrived last carried part of a request: the idle time so far is over. */
    void active() {
        activityNanos = inputNanos;
    }

    /** A request head starts in the input that arrived last: its header timeout counts from then. */
    void headStarted() {
        headStartNanos = inputNanos;
    }

    /** Everything asked has been answered: idle time starts now. */
    void answered() {
        activityNanos = transport.nanoTime();
        arm(activityNanos);
    }

    /** Makes sure the timer fires by the earliest deadline, after the connection's state changed. */
    void update() {
        arm(activityNanos);
    }

    /** Our output has ended: from now the connection lingers for at most the linger timeout. */
    void linger() {
        long now = transport.nanoTime();
        lingerDeadline = after(now, lingerTimeoutNanos);
        arm(now);
    }

    /** The connection is closed: nothing is due any more. */
    void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        timerDeadline = Long.MAX_VALUE;
    }

    private void arm(long now) {
        long deadline = nextDeadline();
        if (deadline >= timerDeadline) {
            return; // the pending check comes first and re-arms for whatever is due then
        }
        cancel();
        timerDeadline = deadline;
        timer = transport.schedule(Math.max(0, deadline - now), check);
    }

    private long nextDeadline() {
        if (connection.isClosed()) {
            return Long.MAX_VALUE;
        }
        if (connection.isOutputShut()) {
            return lingerDeadline;
        }
        long deadline = Long.MAX_VALUE;
        if (connection.headStarted()) {
            deadline = after(headStartNanos, headerTimeoutNanos);
        }
        if (connection.awaitingClient()) {
            deadline = Math.min(deadline, after(activityNanos, idleTimeoutNanos));
        }
        return deadline;
    }

    /** {@code time + timeout}, saturating: a timeout of centuries must not wrap into the past. */
    private static long after(long time, long timeoutNanos) {
        long deadline = time + timeoutNanos;
        return deadline < time ? Long.MAX_VALUE : deadline;
    }

    private void onTimer() {
        timer = null;
        timerDeadline = Long.MAX_VALUE;
        if (connection.isClosed()) {
            return;
        }
        output.enter();
        try {
            long now = transport.nanoTime();
            if (connection.isOutputShut()) {
                if (now >= lingerDeadline) {
                    connection.closeNow();
                }
            } else if (connection.headStarted() && now - headStartNanos >= headerTimeoutNanos) {
                connection.headerTimedOut();
            } else if (connection.awaitingClient() && now - activityNanos >= idleTimeoutNanos) {
                connection.idleTimedOut();
            }
            arm(now);
        } finally {
            output.exit();
        }
    }
}
