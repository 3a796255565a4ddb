package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_napi}: argument of {@code IORING_REGISTER_NAPI} and
 * {@code IORING_UNREGISTER_NAPI} (6.9). Both calls copy the settings in force before them back
 * into it. Linux 6.13 split the original {@code pad[3]} and {@code __u64 resv} into
 * {@code opcode}, {@code pad[2]}, {@code op_param} and {@code resv}; zeros in the new fields mean
 * what the original layout meant, so one layout serves both.
 */
public final class IoUringNapi {
    private IoUringNapi() {}

    /** {@code struct io_uring_napi}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("busy_poll_to"),
            JAVA_BYTE.withName("prefer_busy_poll"),
            JAVA_BYTE.withName("opcode"),
            MemoryLayout.sequenceLayout(2, JAVA_BYTE).withName("pad"),
            JAVA_INT.withName("op_param"),
            JAVA_INT.withName("resv")
    ).withName("io_uring_napi");

    /** Byte offset of {@code busy_poll_to}: the busy-poll timeout in microseconds. */
    public static final long OFFSET_busy_poll_to = Layouts.offset(LAYOUT, "busy_poll_to");
    /** Byte offset of {@code prefer_busy_poll}. */
    public static final long OFFSET_prefer_busy_poll = Layouts.offset(LAYOUT, "prefer_busy_poll");
    /** Byte offset of {@code opcode}: an {@code IO_URING_NAPI_*_OP} / {@code _ID} value (6.13). */
    public static final long OFFSET_opcode = Layouts.offset(LAYOUT, "opcode");
    /** Byte offset of {@code op_param}: the tracking strategy, or a NAPI id (6.13). */
    public static final long OFFSET_op_param = Layouts.offset(LAYOUT, "op_param");
}
