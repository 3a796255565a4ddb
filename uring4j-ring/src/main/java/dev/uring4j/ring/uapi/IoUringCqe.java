package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_cqe}: one completion queue entry, 16 bytes ({@link #SIZE_CQE32} with
 * {@code IORING_SETUP_CQE32}, the extra 16 bytes in {@code big_cqe}).
 */
public final class IoUringCqe {
    private IoUringCqe() {}

    /** {@code struct io_uring_cqe}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"),
            JAVA_INT.withName("res"),
            JAVA_INT.withName("flags")
    ).withName("io_uring_cqe");

    /** Byte offset of {@code user_data}. */
    public static final long OFFSET_user_data = Layouts.offset(LAYOUT, "user_data");
    /** Byte offset of {@code res}. */
    public static final long OFFSET_res = Layouts.offset(LAYOUT, "res");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Where {@code big_cqe[]} starts in a 32-byte CQE. */
    public static final long OFFSET_big_cqe = LAYOUT.byteSize();
    /** The size of a CQE on a ring set up with {@code IORING_SETUP_CQE32}. */
    public static final long SIZE_CQE32 = 32;
}
