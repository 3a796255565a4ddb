package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe_op}: one opcode entry of a probe.
 */
public final class IoUringProbeOp {
    private IoUringProbeOp() {}

    /** {@code struct io_uring_probe_op}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2")
    ).withName("io_uring_probe_op");

    /** Byte offset of {@code op}. */
    public static final long OFFSET_op = Layouts.offset(LAYOUT, "op");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
}
