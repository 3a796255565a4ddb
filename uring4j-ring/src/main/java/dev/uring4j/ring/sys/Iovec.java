package dev.uring4j.ring.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec} ({@code <sys/uio.h>}, LP64): one buffer of a vectored I/O call; the
 * argument of {@code IORING_REGISTER_BUFFERS} and of {@code msghdr.msg_iov}.
 */
public final class Iovec {
    private Iovec() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len")
    ).withName("iovec");

    public static final long OFFSET_iov_base = LAYOUT.byteOffset(groupElement("iov_base"));
    public static final long OFFSET_iov_len = LAYOUT.byteOffset(groupElement("iov_len"));
}
