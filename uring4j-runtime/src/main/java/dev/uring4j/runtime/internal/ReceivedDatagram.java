package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import dev.uring4j.runtime.Datagram;


/** The one {@link Datagram} view of a UDP socket, re-pointed by its receive path for every datagram. */
public final class ReceivedDatagram extends Datagram {

    /** Shows the datagram whose payload is {@code [offset, offset + length)} of {@code buffer}. */
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
}
