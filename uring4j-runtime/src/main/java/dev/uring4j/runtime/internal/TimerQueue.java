package dev.uring4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import dev.uring4j.runtime.Timeout;

/**
 * The loop's timers: a binary min-heap on deadline, each timer knowing its heap index so that
 * cancelling is O(log n).
 *
 * <p>A heap rather than a hashed wheel because the loop needs the exact
 * nearest deadline every iteration, to pass it as the {@code io_uring_enter} timeout: a fixed-rate
 * game tick must fire within microseconds, not at the next wheel tick. Idle timeouts do not churn
 * the heap: a connection's timer is re-armed only when it fires, from its last-activity stamp.
 * Owned by the loop's thread.
 */
public final class TimerQueue {
    /**
     * One scheduled task. Also the {@link Timeout} handed to the scheduler. Its state is decided
     * by one compare-and-set, so a cancel from another thread and the loop running the task
     * cannot both win: {@link #cancel()} returns {@code true} exactly when the task will not run
     * (again).
     */
    public static final class Timer implements Timeout {
        private static final int PENDING = 0;
        private static final int CANCELLED = 1;
        /** A one-shot task the loop has started: it can no longer be cancelled. */
        private static final int RAN = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final TransportLoop loop;
        final Runnable task;
        long deadline;
        final long periodNanos;
        int index = -1;
        private volatile int state;

        public Timer(TransportLoop loop, Runnable task, long deadline, long periodNanos) {
            this.loop = loop;
            this.task = task;
            this.deadline = deadline;
            this.periodNanos = periodNanos;
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            loop.removeTimer(this);
            return true;
        }

        /**
         * The loop is about to run the task: whether it may. A one-shot task is claimed for good;
         * a fixed-rate one runs while it is not cancelled.
         */
        boolean claimRun() {
            return periodNanos > 0 ? state == PENDING : STATE.compareAndSet(this, PENDING, RAN);
        }

        @Override
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }
    }

    private Timer[] heap = new Timer[64];
    private int size;

    int size() {
        return size;
    }

    void add(Timer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
    }

    void remove(Timer t) {
        int i = t.index;
        if (i < 0 || i >= size || heap[i] != t) {
            return;
        }
        Timer last = heap[--size];
        heap[size] = null;
        t.index = -1;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
    }

    /** The earliest deadline, or {@code Long.MAX_VALUE} when empty. */
    long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes and returns the earliest timer if it is due at {@code now}, else {@code null}. */
    Timer pollDue(long now) {
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        Timer t = heap[0];
        remove(t);
        return t;
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline - t.deadline <= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            if (t.deadline - heap[child].deadline <= 0) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
