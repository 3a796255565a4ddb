package dev.uring4j.runtime.internal;

import java.util.concurrent.TimeUnit;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.Timeout;

/**
 * When a listener must stop accepting (out of descriptors, or at a connection limit), how long it
 * waits before trying again, the retry it has scheduled, and whether to say so: every transport's
 * listener behaves the same.
 *
 * <p>Out of descriptors ({@code EMFILE}, {@code ENFILE}), accepting retries after a back-off that
 * starts at 1 ms and doubles up to 1 s, or at once when one of the server's connections closes.
 * The trouble is reported once per <em>episode</em>: at a limit every close lets one connection in
 * and the next attempt fails again, so an episode ends only after a second without trouble.
 * Owned by the listener's loop thread.
 */
public final class AcceptBackoff {
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(1);

    private long backoff = MIN_BACKOFF;
    /** Out of room or descriptors now; and since when it has not been. */
    private boolean inTrouble;
    private long calmSince = Long.MIN_VALUE;
    private Timeout pendingRetry;

    /** Out of room or descriptors; returns whether this starts a new episode, to be reported. */
    public boolean trouble() {
        if (inTrouble) {
            return false;
        }
        inTrouble = true;
        return calmSince == Long.MIN_VALUE || System.nanoTime() - calmSince > TimeUnit.SECONDS.toNanos(1);
    }

    /** Accepting works (or may be tried) again. */
    public void calm() {
        if (inTrouble) {
            inTrouble = false;
            calmSince = System.nanoTime();
        }
    }

    /** A connection was accepted: the next trouble starts the back-off from the beginning. */
    public void accepted() {
        backoff = MIN_BACKOFF;
        calm();
    }

    /** The delay before the next retry, doubling each time up to 1 s. */
    long nextDelayNanos() {
        long delay = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        return delay;
    }

    /** Runs {@code retry} on {@code loop} after the next delay, unless a retry is already pending. */
    public void scheduleRetry(EventLoop loop, Runnable retry) {
        if (pendingRetry == null) {
            pendingRetry = loop.schedule(nextDelayNanos(), TimeUnit.NANOSECONDS, retry);
        }
    }

    /** Drops the pending retry, if any: the listener retries now, or stops. */
    public void cancelRetry() {
        if (pendingRetry != null) {
            pendingRetry.cancel();
            pendingRetry = null;
        }
    }

    /** Whether a retry is scheduled and has not run or been cancelled. */
    public boolean retryPending() {
        return pendingRetry != null;
    }

    /** Whether {@code errno} means the process or system is out of descriptors. */
    public static boolean outOfDescriptors(int errno) {
        int e = Math.abs(errno);
        return e == Errno.EMFILE || e == Errno.ENFILE;
    }

    /** The WARN for an episode without descriptors: the errno, the limit, and what happens now. */
    public static String outOfDescriptorsMessage(Object address, int errno, String tableHint) {
        return "accept on " + address + ": " + Errno.describe(errno) + ": " + limitHint(errno, tableHint)
                + "; established connections keep working, accepting resumes when a descriptor frees up "
                + "(retrying from 1 ms, doubling up to 1 s)";
    }

    /** The WARN for an episode at a connection limit. */
    public static String pausedMessage(Object address, String reason) {
        return "accept on " + address + " paused: " + reason
                + "; new connections wait in the backlog until one closes";
    }

    /** The WARN for any other accept error. */
    public static String failedMessage(Object address, int errno) {
        return "accept on " + address + ": " + Errno.describe(errno) + "; retrying";
    }

    /**
     * Which limit {@code errno} hit: RLIMIT_NOFILE for {@code EMFILE}; for {@code ENFILE} the
     * system's file limit, or {@code tableHint} where the transport has a table of its own that
     * reports it the same way (io_uring's direct descriptors).
     */
    private static String limitHint(int errno, String tableHint) {
        if (Math.abs(errno) == Errno.EMFILE) {
            long[] nofile = LibC.rlimit(LibC.RLIMIT_NOFILE);
            String limit = nofile == null ? "?" : String.valueOf(nofile[0]);
            return "the process reached its descriptor limit RLIMIT_NOFILE=" + limit;
        }
        return tableHint != null ? tableHint : "the system-wide file limit (fs.file-max) was reached";
    }
}
