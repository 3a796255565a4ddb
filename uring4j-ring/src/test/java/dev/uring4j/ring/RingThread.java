package dev.uring4j.ring;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ring that lives on a thread of its own: created, driven and closed there. Tests that use two
 * rings at once need this, because a {@code SINGLE_ISSUER} ring accepts submissions only from the
 * thread that created it and a {@code DEFER_TASKRUN} ring runs its completions only when that
 * thread waits. The test thread hands work over with {@link #call} and gets the result back.
 */
final class RingThread implements AutoCloseable {
    /** Work run on the ring's thread. */
    @FunctionalInterface
    interface Work<T> {
        T run(IoUring ring, Completions completions) throws Exception;
    }

    private final ExecutorService executor;
    private final IoUring ring;
    private final Completions completions;

    private RingThread(String name, IoUringBuilder builder) throws Exception {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            ring = await(executor.submit(builder::build));
        } catch (Exception | Error e) {
            executor.shutdownNow();
            throw e;
        }
        completions = new Completions(ring);
    }

    /** Builds a ring from {@code builder} on a new thread named {@code name}. */
    static RingThread start(String name, IoUringBuilder builder) throws Exception {
        return new RingThread(name, builder);
    }

    /** The ring's fd, for {@code msg_ring} from other rings; any thread may read it. */
    int fd() {
        return ring.fd();
    }

    /** Runs {@code work} on the ring's thread and returns its result; its failures are rethrown here. */
    <T> T call(Work<T> work) throws Exception {
        return await(executor.submit(() -> work.run(ring, completions)));
    }

    private static <T> T await(java.util.concurrent.Future<T> future) throws Exception {
        try {
            return future.get(Completions.DEADLINE_NS + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("the ring thread did not finish its work in time", e);
        }
    }

    /** Cancels what is in flight, drains it and closes the ring, all on its thread. */
    @Override
    public void close() throws Exception {
        try {
            call((r, c) -> {
                try {
                    c.quiesce();
                } finally {
                    r.close();
                }
                return null;
            });
        } finally {
            executor.shutdownNow();
        }
    }
}
