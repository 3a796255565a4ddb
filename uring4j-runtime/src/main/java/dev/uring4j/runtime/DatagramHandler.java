package dev.uring4j.runtime;

/**
 * Callbacks of one {@link UdpSocket}, all run on the socket's event-loop thread, in order.
 *
 * <p>Only {@link #onDatagram} must be implemented. A handler that throws from
 * {@code onDatagram} loses that datagram, is logged and keeps receiving: one bad datagram must
 * not take a server down. One that throws from {@link #onOpen} has its socket closed.
 *
 * <p>A client that pings a server once it is connected and hears about replies and errors:
 *
 * <pre>{@code
 * byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
 * UdpEndpoint client = UdpEndpoint.builder()
 *         .connect(new InetSocketAddress("127.0.0.1", 9000))
 *         .handler(new DatagramHandler() {
 *             @Override
 *             public void onOpen(UdpSocket socket) {
 *                 socket.send(ping, 0, ping.length);          // to the connected peer
 *             }
 *
 *             @Override
 *             public void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender) {
 *                 byte[] reply = datagram.toByteArray();      // the view is gone after the call
 *                 System.out.println(reply.length + " bytes from " + sender);
 *             }
 *
 *             @Override
 *             public void onError(UdpSocket socket, ConnectionException error) {
 *                 System.out.println(error.getMessage());     // ECONNREFUSED: nothing listens there
 *             }
 *         })
 *         .start();
 * }</pre>
 */
public interface DatagramHandler {

    /**
     * The socket is bound (and connected, in connected mode); receiving starts after this returns.
     *
     * @param socket the new socket; it may be sent from already
     */
    default void onOpen(UdpSocket socket) {
    }

    /**
     * A datagram arrived from {@code sender}. Both views are valid only during this call: copy
     * what you keep, keep the sender with {@link UdpSocket#peer(UdpAddress)}, reply with
     * {@link UdpSocket#send(UdpAddress, java.lang.foreign.MemorySegment, long, int)} (which copies).
     *
     * @param socket   the socket that received it
     * @param datagram the payload and what the kernel said about it; re-pointed for the next datagram
     * @param sender   the sender's address, a view into the receive buffer
     */
    void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender);

    /**
     * An operation failed and the socket goes on: an ICMP error on a connected socket
     * ({@code ECONNREFUSED} when nothing listens at the peer's port, {@code EHOSTUNREACH}), or a
     * datagram the kernel refused to send ({@code EMSGSIZE}, {@code ENETUNREACH}, ...), which is
     * lost. The exception names the errno, the operation ({@code recvmsg}, {@code send to
     * ADDRESS}) and the socket.
     *
     * @param socket the socket, still open
     * @param error  what failed; {@link ConnectionException#errno()} gives the errno
     */
    default void onError(UdpSocket socket, ConnectionException error) {
    }

    /**
     * The socket is closed and its resources released; called exactly once.
     *
     * @param socket the closed socket; sends to it are refused
     * @param cause {@code null} for an orderly close, else why it failed
     */
    default void onClose(UdpSocket socket, Throwable cause) {
    }
}
