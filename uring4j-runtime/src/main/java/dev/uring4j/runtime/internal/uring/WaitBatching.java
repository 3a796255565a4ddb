package dev.uring4j.runtime.internal.uring;

/**
 * How many completions a waiting loop asks the kernel for, and how long the first may wait for
 * the others ({@code min_wait_usec} of {@code io_uring_getevents_arg}, Linux 6.12).
 *
 * <p>Each wake-up costs the same whether it carries one completion or ten: the scheduler's switch,
 * the {@code io_uring_enter}, the loop's pass over its work. When completions arrive faster than
 * one per {@code budget}, letting them gather for up to {@code budget} turns several wake-ups into
 * one. Adaptive mode estimates the arrival rate over {@link #WINDOW_NANOS} windows and asks for
 * the completions expected within the budget; below {@link #START} of them it waits for the first
 * completion only, exactly as without batching, so a quiet loop adds no latency. The kernel counts
 * the budget from the start of the wait and, once it has passed, returns with whatever is ready
 * (or at the first completion after it), so no completion waits longer than the budget.
 *
 * <p>Fixed mode ({@code UringOptions.Builder.batchWait}) asks for the same count and delay on
 * every wait. Belongs to the loop's thread.
 */
final class WaitBatching {
    /** How often the arrival rate is re-estimated: many budgets long, so one burst does not decide. */
    static final long WINDOW_NANOS = 1_000_000;
    /** Batching starts at this many completions expected within the budget; fewer gain nothing. */
    static final int START = 2;
    /**
     * The most completions one wait asks for: more would only matter for a budget so long that
     * the loop's own sends (counted in the same CQ) pile up behind it.
     */
    static final int MOST = 64;

    private final boolean adaptive;
    private final long budgetNanos;
    private final int budgetMicros;
    private long windowStart = System.nanoTime();
    private long windowCompletions;
    private int waitNr;

    private WaitBatching(boolean adaptive, int waitNr, long budgetNanos) {
        this.adaptive = adaptive;
        this.waitNr = waitNr;
        this.budgetNanos = budgetNanos;
        this.budgetMicros = (int) (budgetNanos / 1000);
    }

    /** Waits for the first completion, always. */
    static WaitBatching none() {
        return new WaitBatching(false, 1, 0);
    }

    /** Waits for {@code completions} or {@code delayMicros}, whichever comes first, on every wait. */
    static WaitBatching fixed(int completions, int delayMicros) {
        return new WaitBatching(false, completions, delayMicros * 1000L);
    }

    /** Adapts the completions asked for to the arrival rate, never delaying one by more than the budget. */
    static WaitBatching adaptive(long budgetNanos) {
        return new WaitBatching(true, 1, budgetNanos);
    }

    /**
     * Counts the completions of one pass of the loop, and at the end of each window re-estimates
     * how many to wait for.
     *
     * @param nowNanos    {@link System#nanoTime()} at the start of the pass
     * @param completions completions the pass handled
     */
    void observe(long nowNanos, int completions) {
        if (!adaptive) {
            return;
        }
        windowCompletions += completions;
        long elapsed = nowNanos - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return;
        }
        // Completions the window's rate brings within one budget; a long idle wait makes it 0.
        long expected = windowCompletions * budgetNanos / elapsed;
        waitNr = expected < START ? 1 : (int) Math.min(expected, MOST);
        windowStart = nowNanos;
        windowCompletions = 0;
    }

    /** Completions the next wait asks for. */
    int waitNr() {
        return waitNr;
    }

    /** How long the next wait lets its first completion wait for the others; 0 for not at all. */
    int minWaitMicros() {
        return waitNr > 1 ? budgetMicros : 0;
    }
}
