package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_file_index_range}: argument of {@code IORING_REGISTER_FILE_ALLOC_RANGE}.
 */
public final class IoUringFileIndexRange {
    private IoUringFileIndexRange() {}

    /** {@code struct io_uring_file_index_range}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("off"),
            JAVA_INT.withName("len"),
            JAVA_LONG.withName("resv")
    ).withName("io_uring_file_index_range");

    /** Byte offset of {@code off}. */
    public static final long OFFSET_off = Layouts.offset(LAYOUT, "off");
    /** Byte offset of {@code len}. */
    public static final long OFFSET_len = Layouts.offset(LAYOUT, "len");
}
