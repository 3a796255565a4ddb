package dev.uring4j.runtime;

/**
 * Callbacks of one {@link UdpSocket}, all run on the socket's event-loop thread, in order.
 *
 * <p>Only {@link #onDatagram} must be implemented. A handler that throws from
 * {@code onDatagram} loses that datagram, is logged and keeps receiving: one bad datagram must
 * not take a server down.
 */
public interface DatagramHandler {

    /** The socket is bound (and connected, in connected mode); receiving starts after this returns. */
    default void onOpen(UdpSocket socket) {
    }

    /**
     * A datagram arrived from {@code sender}. Both views are valid only during this call: copy
     * what you keep, keep the sender with {@link UdpSocket#peer(UdpAddress)}, reply with
     * {@link UdpSocket#send(UdpAddress, java.lang.foreign.MemorySegment, long, int)} (which copies).
     */
    void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender);

    /**
     * An operation failed and the socket goes on: an ICMP error on a connected socket
     * ({@code ECONNREFUSED} when nothing listens at the peer's port, {@code EHOSTUNREACH}), or a
     * datagram the kernel refused to send ({@code EMSGSIZE}, {@code ENETUNREACH}, ...), which is
     * lost. The exception names the errno, the operation ({@code recvmsg}, {@code send to
     * ADDRESS}) and the socket.
     */
    default void onError(UdpSocket socket, ConnectionException error) {
    }

    /**
     * The socket is closed and its resources released; called exactly once.
     *
     * @param cause {@code null} for an orderly close, else why it failed
     */
    default void onClose(UdpSocket socket, Throwable cause) {
    }
}
