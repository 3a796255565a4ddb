package dev.uring4j.runtime.internal.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adaptive wait asks for the completions its observed arrival rate brings within the budget,
 * never for more than {@link WaitBatching#MOST}, and waits for the first one alone (no added
 * latency) when fewer than {@link WaitBatching#START} would arrive: at low load, after a burst
 * ends, and after a long idle wait.
 */
@Tag("transport-independent")
class WaitBatchingTest {
    private static final long BUDGET = 50_000;
    private static final long MS = 1_000_000;

    /** Feeds {@code perMs} completions in each of {@code ms} one-millisecond passes from {@code start}. */
    private static long feed(WaitBatching w, long start, int ms, int perMs) {
        long t = start;
        for (int i = 0; i < ms; i++) {
            t += MS;
            w.observe(t, perMs);
        }
        return t;
    }

    @Test
    void aQuietLoopWaitsForTheFirstCompletionOnly() {
        WaitBatching w = WaitBatching.adaptive(BUDGET);
        assertEquals(1, w.waitNr(), "before anything is known");
        assertEquals(0, w.minWaitMicros());
        // 30 completions per ms bring 1.5 within 50 µs: not worth holding the first back.
        feed(w, System.nanoTime(), 5, 30);
        assertEquals(1, w.waitNr());
        assertEquals(0, w.minWaitMicros());
    }

    @Test
    void underLoadItAsksForWhatTheBudgetBrings() {
        WaitBatching w = WaitBatching.adaptive(BUDGET);
        // 160 completions per ms (echo at 80,000 round trips/s): 8 within 50 µs.
        long t = feed(w, System.nanoTime(), 3, 160);
        assertEquals(8, w.waitNr());
        assertEquals(50, w.minWaitMicros(), "the first completion waits at most the budget");
        // The load triples: the wait follows.
        feed(w, t, 3, 480);
        assertEquals(24, w.waitNr());
    }

    @Test
    void theCountIsCappedHoweverFastCompletionsArrive() {
        WaitBatching w = WaitBatching.adaptive(BUDGET);
        feed(w, System.nanoTime(), 2, 100_000);
        assertEquals(WaitBatching.MOST, w.waitNr());
    }

    @Test
    void whenTheLoadStopsTheNextWindowStopsBatching() {
        WaitBatching w = WaitBatching.adaptive(BUDGET);
        long t = feed(w, System.nanoTime(), 3, 400);
        assertEquals(20, w.waitNr());
        // The loop slept a whole second on its timer and woke with one completion.
        w.observe(t + 1000 * MS, 1);
        assertEquals(1, w.waitNr());
        assertEquals(0, w.minWaitMicros());
    }

    @Test
    void aBurstShorterThanAWindowDecidesNothingOnItsOwn() {
        WaitBatching w = WaitBatching.adaptive(BUDGET);
        long t = System.nanoTime();
        // 500 completions in the first 100 µs of a window, then nothing until the window ends.
        w.observe(t + 100_000, 500);
        assertEquals(1, w.waitNr(), "the window has not ended");
        w.observe(t + 20 * MS, 0);
        // 500 over 20 ms is 1.25 per 50 µs.
        assertEquals(1, w.waitNr());
    }

    @Test
    void fixedAndNoneIgnoreTheRate() {
        WaitBatching fixed = WaitBatching.fixed(32, 250);
        WaitBatching none = WaitBatching.none();
        long t = System.nanoTime();
        feed(fixed, t, 3, 1);
        feed(none, t, 3, 100_000);
        assertEquals(32, fixed.waitNr());
        assertEquals(250, fixed.minWaitMicros());
        assertEquals(1, none.waitNr());
        assertEquals(0, none.minWaitMicros());
    }
}
