package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_rsrc_update}: argument of {@code IORING_REGISTER_RING_FDS} and
 * {@code IORING_REGISTER_FILES_UPDATE}.
 */
public final class IoUringRsrcUpdate {
    private IoUringRsrcUpdate() {}

    /** {@code struct io_uring_rsrc_update}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("resv"),
            JAVA_LONG.withName("data")
    ).withName("io_uring_rsrc_update");

    /** Byte offset of {@code offset}. */
    public static final long OFFSET_offset = Layouts.offset(LAYOUT, "offset");
    /** Byte offset of {@code data}. */
    public static final long OFFSET_data = Layouts.offset(LAYOUT, "data");
}
