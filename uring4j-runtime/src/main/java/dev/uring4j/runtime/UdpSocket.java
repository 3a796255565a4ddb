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
 */
public abstract sealed class UdpSocket permits LoopUdpSocket {
    private Object attachment;

    /** For the runtime's transports only (the class is sealed). */
    protected UdpSocket() {}

    /**
     * Queues a datagram of bytes {@code [offset, offset + length)} of {@code src} to {@code to}.
     *
     * @return {@code false} if refused: the send queue is full, the socket is closed, or
     *         {@code to} is a forgotten peer (from another thread: whether it was handed to the
     *         loop, which may still refuse it)
     * @throws IllegalArgumentException if {@code length} exceeds the largest UDP payload (65,507
     *                                  bytes over IPv4, 65,527 over IPv6)
     */
    public abstract boolean send(UdpAddress to, MemorySegment src, long offset, int length);

    /** As {@link #send(UdpAddress, MemorySegment, long, int)}, from a byte array. */
    public abstract boolean send(UdpAddress to, byte[] src, int offset, int length);

    /** In connected mode: queues a datagram to the connected peer. */
    public abstract boolean send(MemorySegment src, long offset, int length);

    /** In connected mode: queues a datagram to the connected peer. */
    public abstract boolean send(byte[] src, int offset, int length);

    /**
     * The table entry for {@code address}, added if new (on the loop's thread only; the sender
     * view of a datagram is valid only there anyway). Allocates only the first time an address is
     * seen. Returns {@code null} when the address cannot be reached from this socket (an IPv6
     * address on an IPv4 socket).
     */
    public abstract UdpPeer peer(UdpAddress address);

    /** The table entry for {@code address}, from any thread (off the loop, it waits for the loop). */
    public abstract UdpPeer peer(InetSocketAddress address);

    /** Removes {@code peer} from the table; it becomes invalid and its id free for reuse. */
    public abstract void forget(UdpPeer peer);

    /** Peers in the table now. */
    public abstract int peerCount();

    /** The loop that serves this socket. */
    public abstract EventLoop eventLoop();

    /** The bound address (with the real port when 0 was asked for). */
    public abstract InetSocketAddress localAddress();

    /** The connected peer, or {@code null} when not connected. */
    public abstract InetSocketAddress remoteAddress();

    /** The largest payload {@link DatagramHandler#onDatagram} delivers whole; longer ones are truncated. */
    public abstract int maxDatagramSize();

    /** This socket's counters. */
    public abstract UdpStats stats();

    /** Sends what is queued, then closes; {@link DatagramHandler#onClose} follows once the kernel is done with it. */
    public abstract void close();

    /** Whether the socket is closed or closing. */
    public abstract boolean isClosed();

    /** An object of the application's, kept with the socket. */
    @SuppressWarnings("unchecked")
    public final <T> T attachment() {
        return (T) attachment;
    }

    public final void attach(Object attachment) {
        this.attachment = attachment;
    }
}
