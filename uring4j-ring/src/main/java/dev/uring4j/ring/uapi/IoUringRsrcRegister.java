package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_rsrc_register}: argument of {@code IORING_REGISTER_FILES2} and
 * {@code IORING_REGISTER_BUFFERS2}.
 */
public final class IoUringRsrcRegister {
    private IoUringRsrcRegister() {}

    /** {@code struct io_uring_rsrc_register}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("resv2"),
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("tags")
    ).withName("io_uring_rsrc_register");

    /** Byte offset of {@code nr}. */
    public static final long OFFSET_nr = Layouts.offset(LAYOUT, "nr");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Byte offset of {@code data}. */
    public static final long OFFSET_data = Layouts.offset(LAYOUT, "data");
    /** Byte offset of {@code tags}. */
    public static final long OFFSET_tags = Layouts.offset(LAYOUT, "tags");
}
