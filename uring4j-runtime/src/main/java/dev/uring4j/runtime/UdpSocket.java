package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import dev.uring4j.runtime.internal.LoopUdpSocket;

/**
 * One bound UDP socket served by one event loop: an endpoint has one per loop
 * ({@code SO_REUSEPORT}), or one connected socket in client mode.
 *
 * <p><b>Receiving</b> runs by itself from {@link DatagramHandler#onOpen} until close: every
 * datagram reaches {@link DatagramHandler#onDatagram} on the loop's thread.
 *
 * <p><b>Sending.</b> {@link #send} copies the datagram and the destination address into the
 * socket's send queue (native memory it owns) and returns; everything queued goes out at the end
 * of the current loop iteration, one send per datagram, or one {@code sendmsg} per burst of equal-sized
 * datagrams to the same peer with {@code UDP_SEGMENT} where the kernel offers it. A full queue
 * refuses the datagram ({@code false}): UDP has no back-pressure, the application decides what to
 * drop. On the loop's thread, sending allocates nothing; from another thread the datagram is
 * copied to the heap and handed to the loop.
 *
 * <p><b>Peers.</b> {@link #peer(UdpAddress)} keeps an address in the socket's peer table and
 * returns a {@link UdpPeer} that stays valid until {@link #forget}; a known address is found
 * again without allocating.
 *
 * <p>A handler that keeps a session (a class of the application's) per peer, indexed by the
 * peer's id, and echoes each datagram. Ids are per socket, so each socket gets a handler of its
 * own ({@link UdpEndpoint.Builder#handler(java.util.function.Supplier)}):
 *
 * <pre>{@code
 * final class Sessions implements DatagramHandler {
 *     private Session[] sessions = new Session[64];
 *
 *     @Override
 *     public void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender) {
 *         UdpPeer peer = socket.peer(sender);     // the same object for the same address; never
 *         int id = peer.id();                     // null for a sender of this socket
 *         if (id >= sessions.length) {
 *             sessions = Arrays.copyOf(sessions, 2 * id + 1);
 *         }
 *         if (sessions[id] == null) {
 *             sessions[id] = new Session();
 *         }
 *         sessions[id].received(datagram);        // reads what it needs during the call
 *         socket.send(peer, datagram.buffer(), datagram.offset(), datagram.length());
 *         if (sessions[id].isDone()) {
 *             sessions[id] = null;
 *             socket.forget(peer);                // the id may now go to a new peer
 *         }
 *     }
 * }
 *
 * // From another thread: find a peer by address (waits for the loop) and send to it (copied).
 * UdpSocket socket = endpoint.socket();
 * UdpPeer server = socket.peer(new InetSocketAddress("192.0.2.1", 9000));
 * socket.send(server, payload, 0, payload.length);
 * }</pre>
 *
 * <p>The class is sealed and implemented by the runtime.
 */
public abstract sealed class UdpSocket permits LoopUdpSocket {
    private Object attachment;

    /** For the runtime's transports only (the class is sealed). */
    protected UdpSocket() {}

    /**
     * Queues a datagram of bytes {@code [offset, offset + length)} of {@code src} to {@code to}.
     * The bytes and the address are copied: both may be reused as soon as this returns.
     *
     * @param to     the destination: a datagram's sender (on the loop's thread, during
     *               {@link DatagramHandler#onDatagram}) or a {@link UdpPeer}
     * @param src    the payload
     * @param offset where it starts in {@code src}
     * @param length its length in bytes
     * @return {@code false} if refused: the send queue is full, the socket is closed, or
     *         {@code to} is a forgotten peer (from another thread: whether it was handed to the
     *         loop, which may still refuse it)
     * @throws IllegalArgumentException if {@code length} exceeds the largest UDP payload (65,507
     *                                  bytes over IPv4, 65,527 over IPv6) or the send queue's
     *                                  bytes; checked on the loop's thread (sent from another
     *                                  thread, the datagram is dropped there and the loop logs why)
     * @throws IllegalStateException    if {@code to} is a datagram's sender and the caller is not
     *                                  on the loop's thread
     */
    public abstract boolean send(UdpAddress to, MemorySegment src, long offset, int length);

    /**
     * As {@link #send(UdpAddress, MemorySegment, long, int)}, from a byte array.
     *
     * @param to     the destination, as for {@link #send(UdpAddress, MemorySegment, long, int)}
     * @param src    the payload
     * @param offset where it starts in {@code src}
     * @param length its length in bytes
     * @return {@code false} if refused, as {@link #send(UdpAddress, MemorySegment, long, int)}
     * @throws IllegalArgumentException as {@link #send(UdpAddress, MemorySegment, long, int)}
     * @throws IllegalStateException    as {@link #send(UdpAddress, MemorySegment, long, int)}
     */
    public abstract boolean send(UdpAddress to, byte[] src, int offset, int length);

    /**
     * In connected mode: queues a datagram to the connected peer, as
     * {@link #send(UdpAddress, MemorySegment, long, int)}.
     *
     * @param src    the payload
     * @param offset where it starts in {@code src}
     * @param length its length in bytes
     * @return {@code false} if refused: the send queue is full or the socket is closed
     * @throws IllegalArgumentException as {@link #send(UdpAddress, MemorySegment, long, int)}
     * @throws IllegalStateException    if the socket is not connected
     *                                  ({@link UdpEndpoint.Builder#connect})
     */
    public abstract boolean send(MemorySegment src, long offset, int length);

    /**
     * In connected mode: queues a datagram to the connected peer, from a byte array.
     *
     * @param src    the payload
     * @param offset where it starts in {@code src}
     * @param length its length in bytes
     * @return {@code false} if refused: the send queue is full or the socket is closed
     * @throws IllegalArgumentException as {@link #send(UdpAddress, MemorySegment, long, int)}
     * @throws IllegalStateException    if the socket is not connected
     *                                  ({@link UdpEndpoint.Builder#connect})
     */
    public abstract boolean send(byte[] src, int offset, int length);

    /**
     * The table entry for {@code address}, added if new (on the loop's thread only; the sender
     * view of a datagram is valid only there anyway). Allocates only the first time an address is
     * seen. Returns {@code null} when the address cannot be reached from this socket (an IPv6
     * address on an IPv4 socket).
     *
     * @param address a datagram's sender, or a peer (of this socket's table: returned as is)
     * @return the peer, or {@code null} when the address cannot be reached from this socket
     * @throws IllegalStateException when called off the loop's thread
     */
    public abstract UdpPeer peer(UdpAddress address);

    /**
     * The table entry for {@code address}, added if new, from any thread (off the loop, it waits
     * for the loop).
     *
     * @param address a resolved address
     * @return the peer, or {@code null} when the address cannot be reached from this socket (an
     *         IPv6 address on an IPv4 socket)
     */
    public abstract UdpPeer peer(InetSocketAddress address);

    /**
     * Removes {@code peer} from the table; it becomes invalid and its id free for reuse. A peer
     * of another socket's table is ignored. From another thread, handed to the loop.
     *
     * @param peer the peer to remove
     */
    public abstract void forget(UdpPeer peer);

    /**
     * Peers in the table now.
     *
     * @return the number of peers
     */
    public abstract int peerCount();

    /**
     * The loop that serves this socket.
     *
     * @return the loop whose thread runs this socket's handler
     */
    public abstract EventLoop eventLoop();

    /**
     * The bound address (with the real port when 0 was asked for).
     *
     * @return the local address
     */
    public abstract InetSocketAddress localAddress();

    /**
     * The connected peer, or {@code null} when not connected.
     *
     * @return the remote address in connected mode, else {@code null}
     */
    public abstract InetSocketAddress remoteAddress();

    /**
     * The largest payload {@link DatagramHandler#onDatagram} delivers whole; longer ones are truncated.
     *
     * @return the maximum datagram size in bytes
     */
    public abstract int maxDatagramSize();

    /**
     * This socket's counters.
     *
     * @return a snapshot of them
     */
    public abstract UdpStats stats();

    /** Sends what is queued, then closes; {@link DatagramHandler#onClose} follows once the kernel is done with it. */
    public abstract void close();

    /**
     * Whether the socket is closed or closing.
     *
     * @return {@code true} once closing has begun
     */
    public abstract boolean isClosed();

    /**
     * An object of the application's, kept with the socket.
     *
     * @param <T> the type the caller expects; not checked
     * @return the attachment, or {@code null} when none was attached
     */
    @SuppressWarnings("unchecked")
    public final <T> T attachment() {
        return (T) attachment;
    }

    /**
     * Keeps {@code attachment} with the socket, replacing any earlier one. A plain field: attach
     * and read it on the loop's thread, or publish it safely.
     *
     * @param attachment the application's object, or {@code null} to drop it
     */
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }
}
