package dev.uring4j.runtime.internal.uring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.internal.LoopFdWatch;

/**
 * The descriptors a loop watches for its users ({@code EventLoop.watch}): each a multishot poll
 * ({@code IORING_POLL_ADD_MULTI}) whose {@code user_data} names its slot here and the slot's
 * generation, so a late completion of an ended watch never reaches the watch that reuses the slot.
 * Loop thread only.
 */
final class UringFdWatches {
    private final UringEventLoop loop;
    private final List<Watch> slots = new ArrayList<>();
    private final List<Integer> generations = new ArrayList<>();
    private int open;

    UringFdWatches(UringEventLoop loop) {
        this.loop = loop;
    }

    Watch newWatch(int fd, int events, FdHandler handler) {
        return new Watch(fd, events, handler);
    }

    /** A completion of a watch's poll ({@code OP_POLL}). */
    void dispatch(long userData, int res, int flags) {
        int slot = UserData.slot(userData);
        Watch w = slot < slots.size() ? slots.get(slot) : null;
        if (w == null || w.generation != UserData.generation(userData)) {
            loop.unowned(userData, flags, "no watch of that generation in slot " + slot);
            return;
        }
        if (res >= 0) {
            w.ready(res);
        }
        if (Cqe.more(flags)) {
            return;
        }
        // The poll is over: cancelled, refused, or ended by the kernel (the CQ overflowed).
        if (res >= 0 && !w.cancelling() && !loop.isShuttingDown()) {
            w.submitPoll();
            return;
        }
        release(w);
        if (res == -Errno.ECANCELED && loop.isShuttingDown()) {
            w.ended(new IOException("event loop " + loop.name() + " stopped"));
        } else {
            w.ended(res < 0 ? new IOException("poll of fd " + w.fd() + ": " + Errno.describe(res)) : null);
        }
    }

    /** Polls still armed: the loop stops once they are gone. */
    int open() {
        return open;
    }

    /** Ends every watch (shutdown): their final completions follow. */
    void closeAll() {
        for (Watch w : slots) {
            if (w != null) {
                w.remove();
            }
        }
    }

    /** The loop died of {@code cause}: every watch ends with it (the ring is torn down after). */
    void failAll(Throwable cause) {
        for (Watch w : slots) {
            if (w != null) {
                release(w);
                w.ended(new IOException("event loop " + loop.name() + " failed", cause));
            }
        }
    }

    private int claim(Watch w) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) == null) {
                slots.set(i, w);
                int g = (generations.get(i) + 1) & UserData.GENERATION_MASK;
                generations.set(i, g);
                return i;
            }
        }
        slots.add(w);
        generations.add(0);
        return slots.size() - 1;
    }

    private void release(Watch w) {
        slots.set(w.slot, null);
        open--;
    }

    /** One watched descriptor. */
    final class Watch extends LoopFdWatch {
        private int slot = -1;
        private int generation;

        Watch(int fd, int events, FdHandler handler) {
            super(UringFdWatches.this.loop, fd, events, handler);
        }

        @Override
        protected void arm() {
            slot = claim(this);
            generation = generations.get(slot);
            open++;
            submitPoll();
        }

        void submitPoll() {
            UringFdWatches.this.loop.sqe().prepPollMultishot(fd, events).userData(UserData.encode(UserData.OP_POLL, generation, slot));
        }

        @Override
        protected void disarm() {
            remove();
        }

        /** Asks the kernel to end the poll; its final completion ({@code -ECANCELED}) ends the watch. */
        void remove() {
            // A failed removal (the poll already ended) posts a completion the dispatcher ignores.
            UringFdWatches.this.loop.sqeWithoutCompletion().prepPollRemove(UserData.encode(UserData.OP_POLL, generation, slot))
                    .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_POLL_REMOVE, generation, slot));
        }
    }
}
