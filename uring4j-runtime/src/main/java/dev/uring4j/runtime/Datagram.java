package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.ring.sys.LibC;

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
public final class Datagram {
    private MemorySegment buffer;
    private long offset;
    private int length;
    private int fullLength;
    private int flags;
    private long controlOffset;
    private int controlLength;

    public Datagram() {}

    public void wrap(MemorySegment buffer, long offset, int length, int fullLength, int flags, long controlOffset,
              int controlLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.fullLength = fullLength;
        this.flags = flags;
        this.controlOffset = controlOffset;
        this.controlLength = controlLength;
    }

    /** The memory holding the payload (and the control data); read only the ranges this view gives. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** Where the payload starts in {@link #buffer()}. */
    public long offset() {
        return offset;
    }

    /** Payload bytes delivered. */
    public int length() {
        return length;
    }

    /** The datagram's length as sent; more than {@link #length()} when it was truncated. */
    public int fullLength() {
        return fullLength;
    }

    /** The datagram was longer than the endpoint's maximum datagram size and was cut ({@code MSG_TRUNC}). */
    public boolean isTruncated() {
        return fullLength > length;
    }

    /** The {@code msg_flags} the kernel returned ({@code MSG_TRUNC}, {@code MSG_CTRUNC}, ...). */
    public int flags() {
        return flags;
    }

    /** Where the control data starts in {@link #buffer()}. */
    public long controlOffset() {
        return controlOffset;
    }

    /** Bytes of control data ({@code struct cmsghdr} records); 0 unless control room was reserved. */
    public int controlLength() {
        return controlLength;
    }

    /** Control data did not fit the room reserved for it ({@code MSG_CTRUNC}). */
    public boolean isControlTruncated() {
        return (flags & LibC.MSG_CTRUNC) != 0;
    }

    /** Payload byte {@code i} (0-based, below {@link #length()}). */
    public byte get(int i) {
        return buffer.get(JAVA_BYTE, offset + java.util.Objects.checkIndex(i, length));
    }

    /** A copy of the payload (allocates: for tests and slow paths). */
    public byte[] toByteArray() {
        byte[] b = new byte[length];
        MemorySegment.copy(buffer, JAVA_BYTE, offset, b, 0, length);
        return b;
    }
}
