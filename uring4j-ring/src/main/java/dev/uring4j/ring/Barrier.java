package dev.uring4j.ring;

import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The memory orderings used on memory shared with the kernel, named by ordering as liburing's
 * {@code barrier.h} names them ({@code io_uring_smp_load_acquire}, {@code io_uring_smp_store_release}).
 *
 * <p>On x86 an acquire load and a release store are plain moves that the JIT may not reorder
 * with the accesses around them; on weaker architectures they emit the needed fences. Every
 * caller comments what the access publishes or consumes and what it pairs with in the kernel.
 */
final class Barrier {
    private Barrier() {}

    /**
     * The int handle behind {@link #loadAcquire} and {@link #storeRelease}, for a cold path inside
     * a hot loop, where a call C2 declines to inline would cost the loop more than the path. Its
     * segment is {@link Mapped#MEMORY}, its offset an address.
     */
    static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    static int loadAcquire(long address) {
        return (int) INT.getAcquire(Mapped.MEMORY, address);
    }

    static void storeRelease(long address, int value) {
        INT.setRelease(Mapped.MEMORY, address, value);
    }

    static void storeRelease16(long address, short value) {
        SHORT.setRelease(Mapped.MEMORY, address, value);
    }

    /** {@code io_uring_smp_mb()}: orders our SQ tail store before reading the kernel's SQ flags (SQPOLL). */
    static void fullFence() {
        VarHandle.fullFence();
    }
}
