package dev.uring4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tasks posted to a loop from any thread, and the handshake that wakes the loop only when it may
 * be asleep, at most once per wait.
 *
 * <pre>
 *  loop thread                          poster (any other thread)
 *  prepareToSleep(): sleeping = 1       offer(task): queue task
 *                    queue empty?                    sleeping == 1 and CAS 1 -> 0 ?
 *                      no:  do not wait                yes: the caller wakes the loop
 *                      yes: wait                       no:  the loop is awake, or another
 *  awake():          sleeping = 0                           poster already woke it
 * </pre>
 *
 * No task is left waiting: a task queued before {@code sleeping = 1} is seen by the loop's check
 * of the queue, one queued after it sees {@code sleeping == 1} (both are volatile, so one of the
 * two orders holds) and wakes the loop. No wait is ended twice: only the poster whose
 * compare-and-set took {@code sleeping} from 1 to 0 wakes it. A busy loop never sets the flag, so
 * posters to it make no system call.
 */
public final class TaskQueue {
    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(TaskQueue.class, "sleeping", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** 1 while the loop is in (or about to enter) a wait that only a wake-up can end early. */
    @SuppressWarnings("unused")
    private volatile int sleeping;

    /**
     * Queues {@code task}. Returns whether the caller must wake the loop: it is not the loop's own
     * thread ({@code fromLoop} false) and it claimed the wake-up of the loop's current wait.
     */
    public boolean offer(Runnable task, boolean fromLoop) {
        tasks.offer(task);
        return !fromLoop && (int) SLEEPING.getVolatile(this) == 1 && SLEEPING.compareAndSet(this, 1, 0);
    }

    /**
     * The loop tells posters it may sleep, then looks again. Returns whether it may wait (no task
     * arrived meanwhile). Loop thread only.
     */
    public boolean prepareToSleep() {
        SLEEPING.setVolatile(this, 1);
        return tasks.isEmpty();
    }

    /** The wait is over: wake-ups are not needed until the next {@link #prepareToSleep()}. Loop thread only. */
    public void awake() {
        SLEEPING.setOpaque(this, 0);
    }

    /** The oldest task, or {@code null}. Loop thread only. */
    public Runnable poll() {
        return tasks.poll();
    }

    /** Whether no task is queued. */
    public boolean isEmpty() {
        return tasks.isEmpty();
    }
}
