package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import dev.uring4j.runtime.internal.UdpPeerTable;

/**
 * A peer kept in a {@link UdpSocket}'s peer table: its address in native memory that stays put,
 * a small integer {@link #id()} (dense, reused after {@link UdpSocket#forget}) that an application
 * can index its own per-peer arrays with, and an attachment.
 *
 * <p>Obtained with {@link UdpSocket#peer(UdpAddress)}: the same address always gives the same
 * {@code UdpPeer} until it is forgotten, and looking it up or sending to it allocates nothing.
 * After {@link UdpSocket#forget} the object is dead ({@link #isValid()} is false, sending to it
 * is refused) and its id may be given to a new peer. Owned by the socket's loop thread.
 */
public final class UdpPeer extends UdpAddress {
    private final UdpPeerTable table;
    private final int id;
    private final MemorySegment memory;
    private final long offset;
    public boolean valid = true;
    private Object attachment;

    public UdpPeer(UdpPeerTable table, int id, MemorySegment memory, long offset) {
        this.table = table;
        this.id = id;
        this.memory = memory;
        this.offset = offset;
    }

    /** The peer's index in its socket's table: from 0, below the most peers the socket has held at once. */
    public int id() {
        return id;
    }

    /** False once the peer was forgotten (or its socket closed). */
    public boolean isValid() {
        return valid;
    }

    /** Whether this peer belongs to the table of {@code socket}. */
    public boolean belongsTo(UdpPeerTable t) {
        return table == t;
    }

    /** An object of the application's, kept with the peer. */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public MemorySegment memory() {
        return memory;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public String toString() {
        return "peer#" + id + " " + super.toString();
    }
}
