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
 *
 * <p>The class is sealed and implemented by the runtime.
 */
public abstract sealed class Datagram permits ReceivedDatagram {
    /** What the view shows now; set by the receiving socket for each datagram. */
    protected MemorySegment buffer;
    /** Where the payload starts in {@link #buffer}; set by the receiving socket. */
    protected long offset;
    /** Payload bytes delivered; set by the receiving socket. */
    protected int length;
    /** The datagram's length as sent; set by the receiving socket. */
    protected int fullLength;
    /** The {@code msg_flags} the kernel returned; set by the receiving socket. */
    protected int flags;
    /** Where the control data starts in {@link #buffer}; set by the receiving socket. */
    protected long controlOffset;
    /** Bytes of control data; set by the receiving socket. */
    protected int controlLength;

    /** For the runtime's receive path only (the class is sealed). */
    protected Datagram() {}

    /**
     * The memory holding the payload (and the control data); read only the ranges this view gives.
     *
     * @return the receive buffer, valid only during {@link DatagramHandler#onDatagram}
     */
    public final MemorySegment buffer() {
        return buffer;
    }

    /**
     * Where the payload starts in {@link #buffer()}.
     *
     * @return the payload's offset
     */
    public final long offset() {
        return offset;
    }

    /**
     * Payload bytes delivered.
     *
     * @return the payload's length, at most the endpoint's maximum datagram size
     */
    public final int length() {
        return length;
    }

    /**
     * The datagram's length as sent; more than {@link #length()} when it was truncated.
     *
     * @return the length the sender sent
     */
    public final int fullLength() {
        return fullLength;
    }

    /**
     * The datagram was longer than the endpoint's maximum datagram size and was cut ({@code MSG_TRUNC}).
     *
     * @return {@code true} when only the first {@link #length()} bytes were delivered
     */
    public final boolean isTruncated() {
        return fullLength > length;
    }

    /**
     * The {@code msg_flags} the kernel returned ({@code MSG_TRUNC}, {@code MSG_CTRUNC}, ...).
     *
     * @return the {@code MSG_*} flags
     */
    public final int flags() {
        return flags;
    }

    /**
     * Where the control data starts in {@link #buffer()}.
     *
     * @return the control data's offset
     */
    public final long controlOffset() {
        return controlOffset;
    }

    /**
     * Bytes of control data ({@code struct cmsghdr} records); 0 unless control room was reserved.
     *
     * @return the control data's length
     */
    public final int controlLength() {
        return controlLength;
    }

    /**
     * Control data did not fit the room reserved for it ({@code MSG_CTRUNC}).
     *
     * @return {@code true} when some control data was cut off
     */
    public final boolean isControlTruncated() {
        return (flags & LibC.MSG_CTRUNC) != 0;
    }

    /**
     * Payload byte {@code i}.
     *
     * @param i the byte's index in the payload, from 0, below {@link #length()}
     * @return the byte
     * @throws IndexOutOfBoundsException when {@code i} is outside the payload
     */
    public final byte get(int i) {
        return buffer.get(JAVA_BYTE, offset + java.util.Objects.checkIndex(i, length));
    }

    /**
     * A copy of the payload (allocates: for tests and slow paths).
     *
     * @return a new array of {@link #length()} bytes
     */
    public final byte[] toByteArray() {
        byte[] b = new byte[length];
        MemorySegment.copy(buffer, JAVA_BYTE, offset, b, 0, length);
        return b;
    }
}
