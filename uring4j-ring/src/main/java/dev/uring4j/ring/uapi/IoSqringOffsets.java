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

    /** {@code struct io_sqring_offsets}, its fields named as in the header. */
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

    /** Byte offset of {@code head}. */
    public static final long OFFSET_head = Layouts.offset(LAYOUT, "head");
    /** Byte offset of {@code tail}. */
    public static final long OFFSET_tail = Layouts.offset(LAYOUT, "tail");
    /** Byte offset of {@code ring_mask}. */
    public static final long OFFSET_ring_mask = Layouts.offset(LAYOUT, "ring_mask");
    /** Byte offset of {@code ring_entries}. */
    public static final long OFFSET_ring_entries = Layouts.offset(LAYOUT, "ring_entries");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Byte offset of {@code dropped}. */
    public static final long OFFSET_dropped = Layouts.offset(LAYOUT, "dropped");
    /** Byte offset of {@code array}. */
    public static final long OFFSET_array = Layouts.offset(LAYOUT, "array");
    /** Byte offset of {@code user_addr}. */
    public static final long OFFSET_user_addr = Layouts.offset(LAYOUT, "user_addr");
}
