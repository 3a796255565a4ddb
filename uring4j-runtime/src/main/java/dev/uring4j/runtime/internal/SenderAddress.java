package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import dev.uring4j.runtime.UdpAddress;


/**
 * The sender of the datagram being delivered: a view into the receive buffer, re-pointed for
 * each datagram. Owned by one socket's loop thread.
 */
public final class SenderAddress extends UdpAddress {
    private MemorySegment memory;
    private long offset;

    /** Points the view at the sockaddr at {@code (memory, offset)}. */
    public void wrap(MemorySegment memory, long offset) {
        this.memory = memory;
        this.offset = offset;
    }

    @Override
    public MemorySegment memory() {
        return memory;
    }

    @Override
    public long offset() {
        return offset;
    }
}
