package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_buf_reg}: argument of {@code IORING_REGISTER_PBUF_RING}.
 */
public final class IoUringBufReg {
    private IoUringBufReg() {}

    /** {@code struct io_uring_buf_reg}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"),
            JAVA_INT.withName("ring_entries"),
            JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("flags"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /** Byte offset of {@code ring_addr}. */
    public static final long OFFSET_ring_addr = Layouts.offset(LAYOUT, "ring_addr");
    /** Byte offset of {@code ring_entries}. */
    public static final long OFFSET_ring_entries = Layouts.offset(LAYOUT, "ring_entries");
    /** Byte offset of {@code bgid}. */
    public static final long OFFSET_bgid = Layouts.offset(LAYOUT, "bgid");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
}
