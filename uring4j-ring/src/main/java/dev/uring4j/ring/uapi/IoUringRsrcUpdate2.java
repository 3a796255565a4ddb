package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_rsrc_update2}: argument of {@code IORING_REGISTER_FILES_UPDATE2}.
 */
public final class IoUringRsrcUpdate2 {
    private IoUringRsrcUpdate2() {}

    /** {@code struct io_uring_rsrc_update2}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("resv"),
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("tags"),
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("resv2")
    ).withName("io_uring_rsrc_update2");

    /** Byte offset of {@code offset}. */
    public static final long OFFSET_offset = Layouts.offset(LAYOUT, "offset");
    /** Byte offset of {@code data}. */
    public static final long OFFSET_data = Layouts.offset(LAYOUT, "data");
    /** Byte offset of {@code tags}. */
    public static final long OFFSET_tags = Layouts.offset(LAYOUT, "tags");
    /** Byte offset of {@code nr}. */
    public static final long OFFSET_nr = Layouts.offset(LAYOUT, "nr");
}
