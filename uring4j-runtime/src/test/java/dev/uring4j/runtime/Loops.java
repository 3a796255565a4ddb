package dev.uring4j.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a loop to have done, in its own order, what it had to do: the way a test shows that
 * a callback did not come, without sleeping and hoping.
 */
final class Loops {
    private Loops() {}

    /**
     * Returns once {@code loop} has gone round twice after this call. A loop handles in each
     * iteration what completed (or became ready) before it, then its tasks and timers, then the
     * end-of-iteration flush, then submits and waits; {@link EventLoop#execute} runs tasks in the
     * order they were posted. So by then the loop has handled everything that had happened when
     * this was called, what the flush of that iteration sent, and the completions that work
     * produced at once: a callback any of it would cause has run. Each round is seen from a task
     * that reads the loop's {@code enters} (selects on NIO) on the loop itself.
     */
    static void settle(EventLoop loop) throws Exception {
        long first = enters(loop);
        while (enters(loop) < first + 2) {
            // Another task: each one wakes the loop, and runs after the enter the last one saw.
        }
    }

    private static long enters(EventLoop loop) throws Exception {
        CompletableFuture<Long> seen = new CompletableFuture<>();
        loop.execute(() -> seen.complete(loop.stats().enters()));
        return seen.get(10, TimeUnit.SECONDS);
    }
}
