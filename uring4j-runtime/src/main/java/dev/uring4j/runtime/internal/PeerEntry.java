package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import dev.uring4j.runtime.UdpPeer;


/**
 * A {@link UdpPeer} as its socket's {@link UdpPeerTable} keeps it: the id, the table it belongs
 * to, and where its sockaddr lies in the table's native memory. Owned by the socket's loop thread.
 */
public final class PeerEntry extends UdpPeer {
    private final UdpPeerTable table;
    private final int id;
    private final MemorySegment memory;
    private final long offset;
    private boolean valid = true;

    PeerEntry(UdpPeerTable table, int id, MemorySegment memory, long offset) {
        this.table = table;
        this.id = id;
        this.memory = memory;
        this.offset = offset;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    /** Forgotten, or its socket closed: sends to it are refused from now on. */
    void invalidate() {
        valid = false;
    }

    /** Whether this peer belongs to table {@code t}. */
    boolean belongsTo(UdpPeerTable t) {
        return table == t;
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
