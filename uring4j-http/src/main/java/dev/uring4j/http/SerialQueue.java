package dev.uring4j.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tasks queued from any thread and run in order by one runner at a time, which is arranged only
 * when none is due: the caller whose task finds no runner claimed arranges one (posts it to a loop,
 * starts a thread), and tasks queued before that runner finishes join its run.
 *
 * <pre>
 *  offer(task) (any thread)                  runAll() (the runner)
 *  tasks.offer(task)                         poll and run every task
 *  claimed == 0 and CAS 0 -> 1 ?             claimed = 0
 *    yes: the caller arranges a runner       tasks empty?  yes: done
 *    no:  the runner due takes it                          no: CAS 0 -> 1 and go on, or a
 *                                                              caller has arranged a new runner
 * </pre>
 *
 * No task is left waiting: one queued after the runner's last poll either sees the claim still
 * held, and then the runner, which looks at the queue again after letting go, takes it; or sees it
 * released, and arranges a runner itself.
 */
final class SerialQueue {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(SerialQueue.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Queue<Runnable> tasks;
    /** 1 from the moment a runner is due until it has found the queue empty. */
    @SuppressWarnings("unused")
    private volatile int claimed;

    /** A queue for tasks offered from any thread. */
    SerialQueue() {
        this.tasks = new ConcurrentLinkedQueue<>();
    }

    /**
     * A queue whose tasks are offered and run on one OS thread, never at once: by an event loop
     * and the virtual thread it carries. A plain deque then does, without an allocation and two
     * compare-and-sets per task.
     */
    static SerialQueue onOneCarrier() {
        return new SerialQueue(new ArrayDeque<>());
    }

    private SerialQueue(Queue<Runnable> tasks) {
        this.tasks = tasks;
    }

    /** Queues {@code task}; returns whether the caller must arrange a runner ({@link #runAll}). */
    boolean offer(Runnable task) {
        tasks.offer(task);
        return (int) CLAIMED.getVolatile(this) == 0 && CLAIMED.compareAndSet(this, 0, 1);
    }

    /** Takes back a claim that {@link #offer} gave but no runner will honour (none could be arranged). */
    void unclaim() {
        CLAIMED.setVolatile(this, 0);
    }

    /**
     * Runs the queued tasks, and those queued meanwhile, until none is left. The runner's thread only.
     *
     * @param whenDrained runs each time the queue is found empty, while this runner still holds the
     *     claim, so before any other runner can start; null for nothing
     */
    void runAll(Runnable whenDrained) {
        do {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (Throwable t) {
                    // One task failing must not strand the tasks behind it.
                    HttpConnection.LOG.log(System.Logger.Level.WARNING, "a task queued for an HTTP connection threw", t);
                }
            }
            if (whenDrained != null) {
                whenDrained.run();
            }
            CLAIMED.setVolatile(this, 0);
        } while (!tasks.isEmpty() && CLAIMED.compareAndSet(this, 0, 1));
    }
}
