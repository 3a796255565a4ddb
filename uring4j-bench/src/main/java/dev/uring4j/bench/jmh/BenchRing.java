package dev.uring4j.bench.jmh;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.ErrnoException;

/**
 * The ring the binding benchmarks run on, set up exactly as {@code nop_bench.c} sets up its own:
 * 128 SQEs, 256 CQEs, {@code SINGLE_ISSUER | DEFER_TASKRUN} (the configuration the README
 * recommends), with or without the registered ring fd.
 *
 * <p>Both flags and the ring fd registration bind the ring to the creating thread, so rings are
 * opened in {@code @Setup} of {@code Scope.Thread} states, which JMH runs on the worker thread.
 */
final class BenchRing {
    private BenchRing() {}

    static final int SQ_ENTRIES = 128;
    static final int CQ_ENTRIES = 256;
    static final int SETUP_FLAGS = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    /** Nops per benchmark invocation: 128 / batch rounds of {@code batch}, so the unit is one nop. */
    static final int NOP_OPS = 128;

    /** The {@code ringFd} parameter's values. */
    static final String REGISTERED = "registered";
    static final String PLAIN = "plain";

    static IoUring open(String ringFd) throws ErrnoException {
        boolean register = switch (ringFd) {
            case REGISTERED -> true;
            case PLAIN -> false;
            default -> throw new IllegalArgumentException("ringFd must be " + REGISTERED + " or " + PLAIN
                    + ", was " + ringFd);
        };
        return IoUring.builder()
                .entries(SQ_ENTRIES)
                .cqEntries(CQ_ENTRIES)
                .flags(SETUP_FLAGS)
                .registerRingFd(register)
                .build();
    }

    /** Fails the trial when the measuring thread would not enter the way the cell says. */
    static void checkRingFd(IoUring ring, String ringFd) {
        if (ring.isRingFdRegistered() != REGISTERED.equals(ringFd)) {
            throw new IllegalStateException("the benchmark thread " + Thread.currentThread().getName()
                    + (ring.isRingFdRegistered() ? " enters through" : " does not enter through")
                    + " the registered ring fd, but the cell is ringFd=" + ringFd);
        }
    }
}
