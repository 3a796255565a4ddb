package dev.uring4j.runtime.internal;

import dev.uring4j.runtime.EventLoop;

/** The thread of an event loop; lets code running on it find its loop. */
public final class LoopThread extends Thread {
    private final EventLoop loop;

    LoopThread(EventLoop loop, Runnable body, String name) {
        super(body, name);
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** The loop the calling thread runs, or {@code null}. */
    public static EventLoop current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            // A virtual thread that a loop carries belongs to that loop.
            t = LoopCarrier.currentCarrier();
        }
        return t instanceof LoopThread lt ? lt.loop : null;
    }
}
