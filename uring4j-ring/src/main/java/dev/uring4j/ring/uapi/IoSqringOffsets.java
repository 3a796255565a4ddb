package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_sqring_offsets}: where the SQ ring fields are in its mapping.
 */
public final class IoSqringOffsets {
    private IoSqringOffsets() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("user_addr")
    ).withName("io_sqring_offsets");

    public static final long OFFSET_head = Layouts.offset(LAYOUT, "head");
    public static final long OFFSET_tail = Layouts.offset(LAYOUT, "tail");
    public static final long OFFSET_ring_mask = Layouts.offset(LAYOUT, "ring_mask");
    public static final long OFFSET_ring_entries = Layouts.offset(LAYOUT, "ring_entries");
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    public static final long OFFSET_dropped = Layouts.offset(LAYOUT, "dropped");
    public static final long OFFSET_array = Layouts.offset(LAYOUT, "array");
    public static final long OFFSET_user_addr = Layouts.offset(LAYOUT, "user_addr");
}
