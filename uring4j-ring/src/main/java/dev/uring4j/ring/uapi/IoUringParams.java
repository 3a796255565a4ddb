package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_params}: passed to io_uring_setup(2) and filled in by it.
 */
public final class IoUringParams {
    private IoUringParams() {}

    /** {@code struct io_uring_params}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            IoSqringOffsets.LAYOUT.withName("sq_off"),
            IoCqringOffsets.LAYOUT.withName("cq_off")
    ).withName("io_uring_params");

    /** Byte offset of {@code sq_entries}. */
    public static final long OFFSET_sq_entries = Layouts.offset(LAYOUT, "sq_entries");
    /** Byte offset of {@code cq_entries}. */
    public static final long OFFSET_cq_entries = Layouts.offset(LAYOUT, "cq_entries");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Byte offset of {@code sq_thread_cpu}. */
    public static final long OFFSET_sq_thread_cpu = Layouts.offset(LAYOUT, "sq_thread_cpu");
    /** Byte offset of {@code sq_thread_idle}. */
    public static final long OFFSET_sq_thread_idle = Layouts.offset(LAYOUT, "sq_thread_idle");
    /** Byte offset of {@code features}. */
    public static final long OFFSET_features = Layouts.offset(LAYOUT, "features");
    /** Byte offset of {@code wq_fd}. */
    public static final long OFFSET_wq_fd = Layouts.offset(LAYOUT, "wq_fd");
    /** Byte offset of {@code sq_off}. */
    public static final long OFFSET_sq_off = Layouts.offset(LAYOUT, "sq_off");
    /** Byte offset of {@code cq_off}. */
    public static final long OFFSET_cq_off = Layouts.offset(LAYOUT, "cq_off");
}
