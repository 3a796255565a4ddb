package dev.uring4j.runtime.internal.uring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * Tasks one io_uring loop gives another, carried by ring messages ({@code IORING_OP_MSG_RING},
 * {@link dev.uring4j.runtime.UringOptions.Path#MSG_RING_TASKS}): the task waits in a slot of the
 * pair's {@link Mailbox} and the message's {@code user_data} names the mailbox and the slot, so the
 * target finds it in its CQ beside its own completions, with no shared queue, no sleep handshake
 * and no separate wake-up.
 *
 * <p>Order: a source's tasks to one target run in the order given. The kernel posts one source's
 * messages in submission order; when the target falls behind and the pair's slots are all taken,
 * later tasks wait in the source's overflow, in order, and move into slots as they free.
 *
 * <p>Nothing is lost: a task whose target stops is rejected once (its {@code onRejected} runs, as
 * for a task queued to a stopped loop), whoever sees the stop first taking it out of its slot;
 * a message the kernel refuses sends its task through the target's task queue instead.
 *
 * <p>Mailbox ids are unique in the process and never reused, and the target checks that a
 * message's mailbox is one of its own, so a message that reached another ring through a reused
 * descriptor number is dropped, never run. Each loop has one {@code RingMail}, used as source on
 * its own thread, and as target on its own thread, except {@link #inbound}, which sources add to.
 */
final class RingMail {
    /** Slots per source-target pair: tasks a target may hold from one source before overflow. */
    static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;

    private static final Object REGISTRY_LOCK = new Object();
    /** Every open mailbox by id, for targets to check a message against; copied on write. */
    private static volatile Mailbox[] registry = new Mailbox[64];
    private static int nextId = 1;

    /** Tasks in flight from one loop to another. */
    static final class Mailbox {
        final int id;
        final UringEventLoop target;
        final AtomicReferenceArray<Runnable> slots = new AtomicReferenceArray<>(SLOTS);
        /** Source only: the slot the next task takes. */
        private int next;
        /** Source only: tasks waiting for a slot, in order. */
        private final ArrayDeque<Runnable> overflow = new ArrayDeque<>();

        private Mailbox(int id, UringEventLoop target) {
            this.id = id;
            this.target = target;
        }
    }

    private final UringEventLoop loop;
    /** Source side: this loop's mailboxes by target. */
    private final IdentityHashMap<UringEventLoop, Mailbox> outboxes = new IdentityHashMap<>();
    /** Source side: mailboxes with tasks in overflow. */
    private final ArrayList<Mailbox> backlogged = new ArrayList<>();
    /** Target side: the mailboxes whose messages come here. */
    private final CopyOnWriteArrayList<Mailbox> inbound = new CopyOnWriteArrayList<>();

    RingMail(UringEventLoop loop) {
        this.loop = loop;
    }

    /** Source, on this loop's thread: gives {@code task} to {@code to}, which has not stopped. */
    void send(UringEventLoop to, Runnable task) {
        Mailbox m = outboxes.get(to);
        if (m == null) {
            m = open(to);
        }
        if (!m.overflow.isEmpty() || !put(m, task)) {
            if (m.overflow.isEmpty()) {
                backlogged.add(m);
            }
            m.overflow.add(task);
        }
    }

    /** Puts {@code task} in the pair's next slot and prepares its message; false when the slot is taken. */
    private boolean put(Mailbox m, Runnable task) {
        int slot = m.next;
        if (m.slots.getAcquire(slot) != null) {
            return false;
        }
        // Published before the message is submitted: the target reads it after the message's CQE.
        m.slots.setRelease(slot, task);
        m.next = (slot + 1) & MASK;
        loop.sqeWithoutCompletion().prepMsgRing(m.target.ringFdForMessages(), 0, UserData.encode(UserData.OP_TASK, m.id, slot), 0)
                .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_TASK_SENT, m.id, slot));
        if (m.target.isStopped()) {
            // It stopped meanwhile and may have swept its mailboxes already: whoever takes the task rejects it.
            Runnable back = m.slots.getAndSet(slot, null);
            if (back != null) {
                TransportLoop.reject(back);
            }
        }
        return true;
    }

    /** Source, once per iteration: moves overflow into freed slots; a stopped target's overflow is rejected. */
    void flush() {
        for (int i = backlogged.size() - 1; i >= 0; i--) {
            Mailbox m = backlogged.get(i);
            boolean stopped = m.target.isStopped();
            Runnable t;
            while ((t = m.overflow.peek()) != null && (stopped || put(m, t))) {
                m.overflow.poll();
                if (stopped) {
                    TransportLoop.reject(t);
                }
            }
            if (m.overflow.isEmpty()) {
                backlogged.remove(i);
            }
        }
    }

    /** Whether tasks wait for slots: the loop then looks again soon rather than sleeping on its timers. */
    boolean backlogged() {
        return !backlogged.isEmpty();
    }

    /** Target: a message arrived ({@code OP_TASK}); runs its task. */
    void received(long userData) {
        int id = UserData.generation(userData);
        Mailbox[] r = registry;
        Mailbox m = id < r.length ? r[id] : null;
        int slot = UserData.slot(userData);
        if (m == null || m.target != loop || slot < 0 || slot >= SLOTS) {
            loop.dropped(userData, "a task message for no mailbox of this loop");
            return;
        }
        Runnable t = m.slots.getAndSet(slot, null);
        if (t != null) {
            loop.runTask(t);
        }
    }

    /** Source: the kernel refused a message ({@code OP_TASK_SENT} with {@code res < 0}); its task goes another way. */
    void sendFailed(long userData, int res) {
        Mailbox[] r = registry;
        int id = UserData.generation(userData);
        Mailbox m = id < r.length ? r[id] : null;
        if (m == null) {
            return;
        }
        Runnable t = m.slots.getAndSet(UserData.slot(userData), null);
        if (t != null && !m.target.enqueue(t)) {
            TransportLoop.reject(t);
        }
        TransportLoop.LOG.log(System.Logger.Level.DEBUG, () -> "a task message to " + m.target.name() + " failed: "
                + Errno.describe(res) + "; sent through its task queue");
    }

    /** Target, once stopped: rejects every task still in a slot and closes its mailboxes. */
    void rejectInbound() {
        for (Mailbox m : inbound) {
            for (int i = 0; i < SLOTS; i++) {
                Runnable t = m.slots.getAndSet(i, null);
                if (t != null) {
                    TransportLoop.reject(t);
                }
            }
            unregister(m);
        }
        inbound.clear();
    }

    /** Source, stopping: overflow goes through the targets' task queues. */
    void closeOutboxes() {
        for (Mailbox m : backlogged) {
            Runnable t;
            while ((t = m.overflow.poll()) != null) {
                if (!m.target.enqueue(t)) {
                    TransportLoop.reject(t);
                }
            }
        }
        backlogged.clear();
        outboxes.clear();
    }

    private Mailbox open(UringEventLoop to) {
        // Mailboxes of targets that stopped are let go first, so a long-lived loop keeps none of them.
        Iterator<UringEventLoop> it = outboxes.keySet().iterator();
        while (it.hasNext()) {
            UringEventLoop target = it.next();
            if (target.isStopped() && outboxes.get(target).overflow.isEmpty()) {
                it.remove();
            }
        }
        Mailbox m;
        synchronized (REGISTRY_LOCK) {
            int id = nextId++;
            if (id > UserData.GENERATION_MASK) {
                throw new IllegalStateException("no mailbox ids left in this process");
            }
            m = new Mailbox(id, to);
            Mailbox[] r = registry;
            if (id >= r.length) {
                r = Arrays.copyOf(r, Math.max(id + 1, r.length * 2));
            } else {
                r = r.clone();
            }
            r[id] = m;
            registry = r;
        }
        to.ringMail().inbound.add(m);
        if (to.isStopped()) {
            to.ringMail().rejectInbound();
        }
        outboxes.put(to, m);
        return m;
    }

    private static void unregister(Mailbox m) {
        synchronized (REGISTRY_LOCK) {
            Mailbox[] r = registry.clone();
            if (r[m.id] == m) {
                r[m.id] = null;
            }
            registry = r;
        }
    }
}
