package dev.uring4j.runtime.internal;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZI_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * jcstress tests of the loops' wake-up handshake ({@link TaskQueue}): a post from another thread
 * against the loop's {@code prepareToSleep}, run by {@link WakeupHandshakeTest}. Each state drives
 * the real queue with a wake-up that only counts, so every interleaving is judged by what the
 * handshake decides: whether the loop may sleep, and how many wake-ups the posters sent.
 */
public final class WakeupHandshakeStress {
    private WakeupHandshakeStress() {}

    private static final Runnable TASK = () -> { };

    /**
     * The loop's side and a poster's side of {@link TaskQueue} as {@link TransportLoop} uses them
     * ({@code execute} from another thread wakes the loop when {@code offer} says so), with
     * nothing behind the wake-up but a count.
     */
    public abstract static class CountingLoop {
        private final TaskQueue tasks = new TaskQueue();
        final AtomicInteger wakeups = new AtomicInteger();

        /** {@code TransportLoop.execute} from a thread that is not the loop's. */
        void execute(Runnable task) {
            if (tasks.offer(task, false)) {
                wakeups.incrementAndGet();
            }
        }

        boolean prepareToSleep() {
            return tasks.prepareToSleep();
        }

        void awake() {
            tasks.awake();
        }
    }

    /**
     * A task posted while the loop decides to sleep: either the loop sees the task and does not
     * sleep, or the poster sees that the loop may sleep and wakes it. Never neither.
     */
    @JCStressTest
    @Outcome(id = "true, 1", expect = ACCEPTABLE, desc = "the loop sleeps; the poster wakes it")
    @Outcome(id = "false, 0", expect = ACCEPTABLE, desc = "the loop sees the task and does not sleep; no wakeup needed")
    @Outcome(id = "false, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "the loop sees the task and the poster sees the flag: the wakeup only ends the next wait early")
    @Outcome(id = "true, 0", expect = FORBIDDEN, desc = "lost wakeup: the loop sleeps with a task queued and no one wakes it")
    @State
    public static class NoLostWakeup extends CountingLoop {
        @Actor
        public void poster() {
            execute(TASK);
        }

        @Actor
        public void loop(ZI_Result r) {
            r.r1 = prepareToSleep();
        }

        @Arbiter
        public void arbiter(ZI_Result r) {
            r.r2 = wakeups.get();
        }
    }

    /** Two threads post to a loop that has announced it sleeps: exactly one of them wakes it. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "one wakeup for the one wait")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "lost wakeup: the sleeping loop was not woken")
    @Outcome(id = "2", expect = FORBIDDEN, desc = "double wakeup: both posters woke the same wait")
    @State
    public static class OneWakeupPerWait extends CountingLoop {
        public OneWakeupPerWait() {
            if (!prepareToSleep()) {
                throw new IllegalStateException("a new loop has no tasks");
            }
        }

        @Actor
        public void poster1() {
            execute(TASK);
        }

        @Actor
        public void poster2() {
            execute(TASK);
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = wakeups.get();
        }
    }

    /**
     * A poster against a wait and the announcement of the next: announce, (wait), awake, announce
     * again. Whenever the loop is about to wait with the task queued but unseen, the poster wakes
     * it; and one post never costs two wakeups.
     */
    @JCStressTest
    @Outcome(id = "true, true, 1", expect = ACCEPTABLE, desc = "posted after both checks: the second wait is woken")
    @Outcome(id = "true, false, 1", expect = ACCEPTABLE, desc = "posted during the first wait, which it ends")
    @Outcome(id = "true, false, 0", expect = ACCEPTABLE, desc = "posted during the first wait, seen after awake")
    @Outcome(id = "false, false, 0", expect = ACCEPTABLE, desc = "posted before the first check, which saw it")
    @Outcome(id = "false, false, 1", expect = ACCEPTABLE_INTERESTING,
            desc = "seen by the first check, and the wakeup ends a later wait early")
    @Outcome(id = "true, true, 0", expect = FORBIDDEN, desc = "lost wakeup: the second wait has the task and no wakeup")
    @Outcome(expect = FORBIDDEN, desc = "a task seen once and then gone, or two wakeups for one post")
    @State
    public static class WaitThenAnnounceAgain extends CountingLoop {
        @Actor
        public void poster() {
            execute(TASK);
        }

        @Actor
        public void loop(ZZI_Result r) {
            r.r1 = prepareToSleep();
            awake();
            r.r2 = prepareToSleep();
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = wakeups.get();
        }
    }
}
