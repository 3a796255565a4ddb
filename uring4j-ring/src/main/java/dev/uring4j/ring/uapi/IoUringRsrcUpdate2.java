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

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("offset"),
            JAVA_INT.withName("resv"),
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("tags"),
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("resv2")
    ).withName("io_uring_rsrc_update2");

    public static final long OFFSET_offset = Layouts.offset(LAYOUT, "offset");
    public static final long OFFSET_data = Layouts.offset(LAYOUT, "data");
    public static final long OFFSET_tags = Layouts.offset(LAYOUT, "tags");
    public static final long OFFSET_nr = Layouts.offset(LAYOUT, "nr");
}
