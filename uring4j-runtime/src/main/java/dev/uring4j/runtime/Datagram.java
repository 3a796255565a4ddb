package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.ReceivedDatagram;

/**
 * A received datagram, as handed to {@link DatagramHandler#onDatagram}: a view of bytes
 * {@code [offset, offset + length)} of {@link #buffer()}, plus what the kernel said about it.
 *
 * <p>The view is re-pointed for every datagram and the bytes live in a provided buffer that goes
 * back to the kernel when the call returns: read or copy what you need during the call, and do
 * not keep the object. Reading it allocates nothing.
 *
 * <p>A datagram longer than the endpoint's maximum datagram size is cut to it:
 * {@link #isTruncated()} is true and {@link #fullLength()} gives the length that was sent
 * ({@code MSG_TRUNC}). Control messages asked for with
 * {@link UdpEndpoint.Builder#controlRoom(int)} (timestamps, packet info) are at
 * {@code [controlOffset, controlOffset + controlLength)} of the same buffer, as {@code struct
 * cmsghdr} records.
 */
public abstract sealed class Datagram permits ReceivedDatagram {
    /** What the view shows now; set by the receiving socket for each datagram. */
    protected MemorySegment buffer;
    protected long offset;
    protected int length;
    protected int fullLength;
    protected int flags;
    protected long controlOffset;
    protected int controlLength;

    /** For the runtime's receive path only (the class is sealed). */
    protected Datagram() {}

    /** The memory holding the payload (and the control data); read only the ranges this view gives. */
    public final MemorySegment buffer() {
        return buffer;
    }

    /** Where the payload starts in {@link #buffer()}. */
    public final long offset() {
        return offset;
    }

    /** Payload bytes delivered. */
    public final int length() {
        return length;
    }

    /** The datagram's length as sent; more than {@link #length()} when it was truncated. */
    public final int fullLength() {
        return fullLength;
    }

    /** The datagram was longer than the endpoint's maximum datagram size and was cut ({@code MSG_TRUNC}). */
    public final boolean isTruncated() {
        return fullLength > length;
    }

    /** The {@code msg_flags} the kernel returned ({@code MSG_TRUNC}, {@code MSG_CTRUNC}, ...). */
    public final int flags() {
        return flags;
    }

    /** Where the control data starts in {@link #buffer()}. */
    public final long controlOffset() {
        return controlOffset;
    }

    /** Bytes of control data ({@code struct cmsghdr} records); 0 unless control room was reserved. */
    public final int controlLength() {
        return controlLength;
    }

    /** Control data did not fit the room reserved for it ({@code MSG_CTRUNC}). */
    public final boolean isControlTruncated() {
        return (flags & LibC.MSG_CTRUNC) != 0;
    }

    /** Payload byte {@code i} (0-based, below {@link #length()}). */
    public final byte get(int i) {
        return buffer.get(JAVA_BYTE, offset + java.util.Objects.checkIndex(i, length));
    }

    /** A copy of the payload (allocates: for tests and slow paths). */
    public final byte[] toByteArray() {
        byte[] b = new byte[length];
        MemorySegment.copy(buffer, JAVA_BYTE, offset, b, 0, length);
        return b;
    }
}
