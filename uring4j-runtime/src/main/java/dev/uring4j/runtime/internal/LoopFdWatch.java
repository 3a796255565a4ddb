package dev.uring4j.runtime.internal;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.FdWatch;

/**
 * A watched descriptor, for both transports: the handler's calls and the watch's life (armed,
 * then ended once: cancelled, failed or stopped with its loop). Each transport arms and disarms
 * it its own way and reports readiness through {@link #ready} and the end through {@link #ended}.
 * State belongs to the loop's thread except {@link #isActive()}, which any thread may read.
 */
public abstract class LoopFdWatch implements FdWatch {
    private static final int REQUESTABLE = READABLE | PRIORITY | WRITABLE;

    protected final TransportLoop loop;
    protected final int fd;
    protected final int events;
    private final FdHandler handler;
    /** Cleared once, on the loop's thread, when the watch ends; read by any thread. */
    private volatile boolean active = true;
    private boolean cancelling;

    protected LoopFdWatch(TransportLoop loop, int fd, int events, FdHandler handler) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must be an open descriptor; was " + fd);
        }
        if ((events & REQUESTABLE) == 0 || (events & ~REQUESTABLE) != 0) {
            throw new IllegalArgumentException("events must be READABLE, WRITABLE or PRIORITY, ORed; was 0x"
                    + Integer.toHexString(events));
        }
        if (handler == null) {
            throw new NullPointerException("handler");
        }
        this.loop = loop;
        this.fd = fd;
        this.events = events;
        this.handler = handler;
    }

    /** Arms on the loop (at once when called there); a stopped loop refuses. */
    public final void start() {
        if (loop.isStopped()) {
            throw new RejectedExecutionException("event loop " + loop.name() + " has stopped");
        }
        loop.runOrPost(this::arm, () -> ended(new IOException("event loop " + loop.name() + " stopped before the watch of fd "
                + fd + " was armed")));
    }

    @Override
    public final int fd() {
        return fd;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final boolean isActive() {
        return active;
    }

    @Override
    public final void cancel() {
        loop.runOrPost(() -> {
            if (active && !cancelling) {
                cancelling = true;
                disarm();
            }
        }, () -> {});
    }

    /** Whether {@link #cancel()} asked for the end (so the end has no cause). Loop thread. */
    public final boolean cancelling() {
        return cancelling;
    }

    /** The descriptor became ready with {@code mask}: the handler hears of it unless the watch is ending. */
    public final void ready(int mask) {
        if (!active || cancelling) {
            return;
        }
        try {
            handler.onReady(this, mask);
        } catch (RuntimeException | Error e) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "the handler of the watch of fd " + fd + " threw; the watch goes on", e);
        }
    }

    /** The watch is over: {@code cause} null when cancelled. Once only. */
    public final void ended(IOException cause) {
        if (!active) {
            return;
        }
        active = false;
        try {
            handler.onEnded(this, cancelling ? null : cause);
        } catch (RuntimeException | Error e) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "the handler of the watch of fd " + fd + " threw in onEnded", e);
        }
    }

    /** Starts watching (loop thread). */
    protected abstract void arm();

    /** Stops watching; {@link #ended} follows, at once or when the kernel confirms (loop thread). */
    protected abstract void disarm();
}
