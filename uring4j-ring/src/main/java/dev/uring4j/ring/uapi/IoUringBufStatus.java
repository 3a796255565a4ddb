package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_buf_status}: argument of {@code IORING_REGISTER_PBUF_STATUS}.
 */
public final class IoUringBufStatus {
    private IoUringBufStatus() {}

    /** {@code struct io_uring_buf_status}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("buf_group"),
            JAVA_INT.withName("head"),
            MemoryLayout.sequenceLayout(8, JAVA_INT).withName("resv")
    ).withName("io_uring_buf_status");

    /** Byte offset of {@code buf_group}. */
    public static final long OFFSET_buf_group = Layouts.offset(LAYOUT, "buf_group");
    /** Byte offset of {@code head}. */
    public static final long OFFSET_head = Layouts.offset(LAYOUT, "head");
}
