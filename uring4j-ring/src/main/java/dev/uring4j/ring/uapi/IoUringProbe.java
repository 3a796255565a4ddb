package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe}: header of the {@code IORING_REGISTER_PROBE} result, followed by
 * {@code ops_len} {@link IoUringProbeOp} entries.
 */
public final class IoUringProbe {
    private IoUringProbe() {}

    /** {@code struct io_uring_probe}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2")
    ).withName("io_uring_probe");

    /** Byte offset of {@code last_op}. */
    public static final long OFFSET_last_op = Layouts.offset(LAYOUT, "last_op");
    /** Byte offset of {@code ops_len}. */
    public static final long OFFSET_ops_len = Layouts.offset(LAYOUT, "ops_len");
    /** {@code ops[]} follows the header. */
    public static final long OFFSET_ops = LAYOUT.byteSize();
}
