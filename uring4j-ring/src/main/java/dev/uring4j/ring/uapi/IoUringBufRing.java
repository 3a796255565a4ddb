package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_buf_ring}: a provided-buffer ring. Its header overlays the first
 * {@link IoUringBuf}: the ring tail lives in that entry's {@code resv} field.
 *
 * <pre>
 *  0        8        12   14   16
 *  +--------+--------+----+----+  entry 0: addr | len | bid | resv
 *  | resv1  | resv2  |res3|tail|  header:  the same 16 bytes
 *  +--------+--------+----+----+
 *  | entry 1 ...                 (entries * 16 bytes, page aligned)
 * </pre>
 */
public final class IoUringBufRing {
    private IoUringBufRing() {}

    /** {@code struct io_uring_buf_ring}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("resv1"),
            JAVA_INT.withName("resv2"),
            JAVA_SHORT.withName("resv3"),
            JAVA_SHORT.withName("tail")
    ).withName("io_uring_buf_ring");

    /** Byte offset of {@code tail}. */
    public static final long OFFSET_tail = Layouts.offset(LAYOUT, "tail");
    /** {@code bufs[]} starts at offset 0, overlaying the header. */
    public static final long OFFSET_bufs = 0;
}
