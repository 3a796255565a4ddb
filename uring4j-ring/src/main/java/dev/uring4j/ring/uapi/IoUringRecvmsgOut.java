package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_recvmsg_out}: the header the kernel writes at the start of each
 * provided buffer filled by a multishot recvmsg, followed by the name ({@code msg_namelen} bytes
 * reserved), the control data ({@code msg_controllen} reserved) and the payload.
 */
public final class IoUringRecvmsgOut {
    private IoUringRecvmsgOut() {}

    /** {@code struct io_uring_recvmsg_out}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("namelen"),
            JAVA_INT.withName("controllen"),
            JAVA_INT.withName("payloadlen"),
            JAVA_INT.withName("flags")
    ).withName("io_uring_recvmsg_out");

    /** Byte offset of {@code namelen}. */
    public static final long OFFSET_namelen = Layouts.offset(LAYOUT, "namelen");
    /** Byte offset of {@code controllen}. */
    public static final long OFFSET_controllen = Layouts.offset(LAYOUT, "controllen");
    /** Byte offset of {@code payloadlen}. */
    public static final long OFFSET_payloadlen = Layouts.offset(LAYOUT, "payloadlen");
    /** Byte offset of {@code flags}. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
}
