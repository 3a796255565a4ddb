package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_params}: passed to io_uring_setup(2) and filled in by it.
 */
public final class IoUringParams {
    private IoUringParams() {}

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

    public static final long OFFSET_sq_entries = Layouts.offset(LAYOUT, "sq_entries");
    public static final long OFFSET_cq_entries = Layouts.offset(LAYOUT, "cq_entries");
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    public static final long OFFSET_sq_thread_cpu = Layouts.offset(LAYOUT, "sq_thread_cpu");
    public static final long OFFSET_sq_thread_idle = Layouts.offset(LAYOUT, "sq_thread_idle");
    public static final long OFFSET_features = Layouts.offset(LAYOUT, "features");
    public static final long OFFSET_wq_fd = Layouts.offset(LAYOUT, "wq_fd");
    public static final long OFFSET_sq_off = Layouts.offset(LAYOUT, "sq_off");
    public static final long OFFSET_cq_off = Layouts.offset(LAYOUT, "cq_off");
}
