package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_buf}: one entry of a provided-buffer ring.
 */
public final class IoUringBuf {
    private IoUringBuf() {}

    /** {@code struct io_uring_buf}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_SHORT.withName("bid"),
            JAVA_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /** Byte offset of {@code addr}. */
    public static final long OFFSET_addr = Layouts.offset(LAYOUT, "addr");
    /** Byte offset of {@code len}. */
    public static final long OFFSET_len = Layouts.offset(LAYOUT, "len");
    /** Byte offset of {@code bid}. */
    public static final long OFFSET_bid = Layouts.offset(LAYOUT, "bid");
    /** Byte offset of {@code resv}. */
    public static final long OFFSET_resv = Layouts.offset(LAYOUT, "resv");
}
