package dev.uring4j.runtime.internal.uring;

import java.util.ArrayList;
import java.util.List;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.runtime.internal.Leaks;

/**
 * The loop's operations in flight: every SQE that will post a completion counts from when it is
 * prepared until its last completion (one without {@code IORING_CQE_F_MORE}), so that shutdown
 * drains exactly what is outstanding and the count can be watched. With leak detection each is
 * also held in the loop's {@link Leaks} record with where it was prepared. Loop thread only.
 */
final class Operations {
    private final Leaks leaks;
    private long inFlight;
    /** With leak detection: the SQEs prepared since the last submit, and where (else unused). */
    private final List<Sqe> preparedSqes = new ArrayList<>();
    private final List<Throwable> preparedSites = new ArrayList<>();

    Operations(Leaks leaks) {
        this.leaks = leaks;
    }

    /** {@code s} was prepared for an operation that posts a completion. */
    void prepared(Sqe s) {
        inFlight++;
        if (leaks != null) {
            preparedSqes.add(s);
            preparedSites.add(new Throwable("operation prepared here"));
        }
    }

    /**
     * With leak detection, before the SQEs prepared since the last submit go to the kernel: each
     * that will post a completion is held, with where it was prepared, until its last completion.
     * Read from the SQEs themselves, as their user_data is set after they are handed out.
     */
    void submitting() {
        if (leaks == null) {
            return;
        }
        for (int i = 0; i < preparedSqes.size(); i++) {
            Sqe s = preparedSqes.get(i);
            if ((s.flags() & IOSQE_CQE_SKIP_SUCCESS) == 0) {
                leaks.acquired(Leaks.Kind.OPERATION, s.userData(), UserData.describe(s.userData()),
                        preparedSites.get(i));
            }
        }
        preparedSqes.clear();
        preparedSites.clear();
    }

    /**
     * A completion arrived: unless more follow, its operation is no longer in flight. Ring messages
     * from other loops (wake-ups, tasks) and the completions of operations sent without one on
     * success (returned buffers, poll removals, task messages) were never counted.
     */
    void completed(long userData, int flags) {
        if (!ends(userData, flags)) {
            return;
        }
        inFlight--;
        if (leaks != null) {
            leaks.released(Leaks.Kind.OPERATION, userData);
        }
    }

    /**
     * The completion {@link #completed} just counted belongs to no operation of ours (its owner is
     * unknown): it was never in flight, so it is not counted against those that are.
     */
    void unowned(long userData, int flags) {
        if (ends(userData, flags)) {
            inFlight++;
        }
    }

    /** Whether this completion ends an operation that was counted in flight. */
    private static boolean ends(long userData, int flags) {
        int op = UserData.op(userData);
        return !Cqe.more(flags) && op != UserData.OP_MSG && op != UserData.OP_HANDOFF
                && op != UserData.OP_PROVIDE_BUFFERS && op != UserData.OP_POLL_REMOVE && op != UserData.OP_TASK
                && op != UserData.OP_TASK_SENT;
    }

    /** Operations prepared or in the kernel whose last completion has not arrived. */
    long inFlight() {
        return inFlight;
    }
}
