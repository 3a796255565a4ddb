package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_getevents_arg}: the {@code IORING_ENTER_EXT_ARG} argument.
 */
public final class IoUringGeteventsArg {
    private IoUringGeteventsArg() {}

    /** {@code struct io_uring_getevents_arg}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_INT.withName("sigmask_sz"),
            JAVA_INT.withName("min_wait_usec"),
            JAVA_LONG.withName("ts")
    ).withName("io_uring_getevents_arg");

    /** Byte offset of {@code sigmask}. */
    public static final long OFFSET_sigmask = Layouts.offset(LAYOUT, "sigmask");
    /** Byte offset of {@code sigmask_sz}. */
    public static final long OFFSET_sigmask_sz = Layouts.offset(LAYOUT, "sigmask_sz");
    /** Byte offset of {@code min_wait_usec}. */
    public static final long OFFSET_min_wait_usec = Layouts.offset(LAYOUT, "min_wait_usec");
    /** Byte offset of {@code ts}. */
    public static final long OFFSET_ts = Layouts.offset(LAYOUT, "ts");
}
