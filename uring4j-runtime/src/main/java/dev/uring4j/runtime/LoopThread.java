package dev.uring4j.runtime;

/** The thread of an event loop; lets code running on it find its loop. */
final class LoopThread extends Thread {
    private final EventLoop loop;

    LoopThread(EventLoop loop, Runnable body, String name) {
        super(body, name);
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** The loop the calling thread runs, or {@code null}. */
    static EventLoop current() {
        return Thread.currentThread() instanceof LoopThread lt ? lt.loop : null;
    }
}
