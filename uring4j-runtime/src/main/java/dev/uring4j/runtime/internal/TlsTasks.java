package dev.uring4j.runtime.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the TLS engines' delegated handshake work runs (key exchange, signatures, certificate
 * checks): off the loops, so that a loop never waits for a handshake's computation. Bounded both
 * ways: one thread per processor, and a queue that, when full, fails the handshake asking for more
 * instead of growing without limit under a flood of handshakes. Threads end when idle.
 */
final class TlsTasks {
    private static final int QUEUE = 16_384;
    static final ThreadPoolExecutor EXECUTOR;

    static {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "uring4j-tls-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        EXECUTOR = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), factory);
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    private TlsTasks() {}

    /** The bound on handshakes waiting for a thread, for the message when it is reached. */
    static int queueLimit() {
        return QUEUE;
    }
}
