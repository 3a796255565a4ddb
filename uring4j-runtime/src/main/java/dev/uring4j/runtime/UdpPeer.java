package dev.uring4j.runtime;

import dev.uring4j.runtime.internal.PeerEntry;





/**
 * A peer kept in a {@link UdpSocket}'s peer table: its address in native memory that stays put,
 * a small integer {@link #id()} (dense, reused after {@link UdpSocket#forget}) that an application
 * can index its own per-peer arrays with, and an attachment.
 *
 * <p>Obtained with {@link UdpSocket#peer(UdpAddress)}: the same address always gives the same
 * {@code UdpPeer} until it is forgotten, and looking it up or sending to it allocates nothing.
 * After {@link UdpSocket#forget} the object is dead ({@link #isValid()} is false, sending to it
 * is refused) and its id may be given to a new peer. Owned by the socket's loop thread. The
 * class is sealed and implemented by the runtime.
 */
public abstract sealed class UdpPeer extends UdpAddress permits PeerEntry {
    private Object attachment;

    /** For the socket's peer table only (the class is sealed). */
    protected UdpPeer() {}

    /**
     * The peer's index in its socket's table.
     *
     * @return the id, from 0, below the most peers the socket has held at once
     */
    public abstract int id();

    /**
     * False once the peer was forgotten (or its socket closed).
     *
     * @return {@code true} while the peer is in its socket's table
     */
    public abstract boolean isValid();

    /**
     * An object of the application's, kept with the peer.
     *
     * @param <T> the type the caller expects; not checked
     * @return the attachment, or {@code null} when none was attached
     */
    @SuppressWarnings("unchecked")
    public final <T> T attachment() {
        return (T) attachment;
    }

    /**
     * Keeps {@code attachment} with the peer (replacing any earlier one).
     *
     * @param attachment the application's object, or {@code null} to drop it
     */
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "peer#" + id() + " " + super.toString();
    }
}
