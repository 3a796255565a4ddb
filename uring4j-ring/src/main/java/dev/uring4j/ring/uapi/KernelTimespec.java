package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct __kernel_timespec}: 64-bit seconds and nanoseconds.
 */
public final class KernelTimespec {
    private KernelTimespec() {}

    /** {@code struct __kernel_timespec}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")
    ).withName("__kernel_timespec");

    /** Byte offset of {@code tv_sec}. */
    public static final long OFFSET_tv_sec = Layouts.offset(LAYOUT, "tv_sec");
    /** Byte offset of {@code tv_nsec}. */
    public static final long OFFSET_tv_nsec = Layouts.offset(LAYOUT, "tv_nsec");
}
