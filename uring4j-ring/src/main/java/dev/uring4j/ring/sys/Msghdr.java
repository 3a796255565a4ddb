package dev.uring4j.ring.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct msghdr} ({@code <sys/socket.h>}, LP64): the argument of sendmsg/recvmsg. For a
 * multishot recvmsg only {@code msg_namelen} and {@code msg_controllen} are read: they reserve
 * room for the name and control data at the start of each provided buffer, after the
 * {@code io_uring_recvmsg_out} header.
 *
 * <pre>
 *  0 msg_name | 8 msg_namelen u32 (+4 pad) | 16 msg_iov | 24 msg_iovlen
 * 32 msg_control | 40 msg_controllen | 48 msg_flags i32 (+4 pad) = 56
 * </pre>
 */
public final class Msghdr {
    private Msghdr() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)
    ).withName("msghdr");

    public static final long OFFSET_msg_name = LAYOUT.byteOffset(groupElement("msg_name"));
    public static final long OFFSET_msg_namelen = LAYOUT.byteOffset(groupElement("msg_namelen"));
    public static final long OFFSET_msg_iov = LAYOUT.byteOffset(groupElement("msg_iov"));
    public static final long OFFSET_msg_iovlen = LAYOUT.byteOffset(groupElement("msg_iovlen"));
    public static final long OFFSET_msg_control = LAYOUT.byteOffset(groupElement("msg_control"));
    public static final long OFFSET_msg_controllen = LAYOUT.byteOffset(groupElement("msg_controllen"));
    public static final long OFFSET_msg_flags = LAYOUT.byteOffset(groupElement("msg_flags"));
}
