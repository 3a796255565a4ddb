package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.internal.PeerAddresses;
import dev.uring4j.runtime.internal.SenderAddress;

/**
 * A UDP peer's address, read in place from native memory: a {@code struct sockaddr_in} or
 * {@code sockaddr_in6}, never a Java {@link InetSocketAddress} unless asked for.
 *
 * <p>Two kinds exist. The sender handed to {@link DatagramHandler#onDatagram} is a view into the
 * receive buffer, valid only during that call; keep it with {@link UdpSocket#peer(UdpAddress)},
 * which returns a {@link UdpPeer}, an entry of the socket's peer table that stays valid until
 * forgotten. Either kind can be passed to {@link UdpSocket#send}, which copies the address bytes,
 * so replying to a sender or sending to a known peer allocates nothing. The class is sealed and
 * implemented by the runtime.
 *
 * <p>Comparisons ({@link #sameAs}) and the peer table's hash use family, port, address and scope:
 * the fields that name a peer. An IPv4 peer seen on a dual-stack IPv6 socket is the IPv4-mapped
 * address {@code ::ffff:a.b.c.d}, and is the same peer as {@code a.b.c.d}.
 */
public abstract sealed class UdpAddress permits SenderAddress, UdpPeer {

    /** For the runtime's own views and peers only (the class is sealed). */
    protected UdpAddress() {}

    /**
     * The native memory holding the {@code sockaddr}, for code that reads the address's bytes
     * itself (read them, do not write them). A sender's memory is the receive buffer: valid only
     * during {@link DatagramHandler#onDatagram}.
     *
     * @return the memory holding the address
     */
    public abstract MemorySegment memory();

    /**
     * Where in {@link #memory()} the {@code sockaddr} starts.
     *
     * @return the address's offset
     */
    public abstract long offset();

    /**
     * The address family, as the {@code sockaddr} says.
     *
     * @return {@code AF_INET} or {@code AF_INET6}
     */
    public final int family() {
        return Short.toUnsignedInt(memory().get(JAVA_SHORT_UNALIGNED, offset()));
    }

    /**
     * The port, in host order.
     *
     * @return the port, 0..65535
     */
    public final int port() {
        return Short.toUnsignedInt(Short.reverseBytes(memory().get(JAVA_SHORT_UNALIGNED, offset() + 2)));
    }

    /**
     * Whether this is an IPv4 address, plain or IPv4-mapped IPv6.
     *
     * @return {@code true} for an IPv4 peer
     */
    public final boolean isIPv4() {
        return family() == LibC.AF_INET || PeerAddresses.isV4Mapped(memory(), offset());
    }

    /**
     * The address as a Java object (allocates: for logs and setup, not for every datagram).
     *
     * @return a new socket address with the same address, port and scope
     */
    public final InetSocketAddress toInetSocketAddress() {
        MemorySegment m = memory();
        long o = offset();
        return SockAddr.read(m.asSlice(o, family() == LibC.AF_INET ? SockAddr.SIZEOF_IN : SockAddr.SIZEOF_IN6));
    }

    /**
     * Whether {@code other} names the same peer (an IPv4 address equals its IPv4-mapped form).
     *
     * @param other the address to compare with, of either kind, or {@code null}
     * @return {@code true} when family, port, address and scope name the same peer
     */
    public final boolean sameAs(UdpAddress other) {
        return other != null && PeerAddresses.same(memory(), offset(), other.memory(), other.offset());
    }

    @Override
    public String toString() {
        return toInetSocketAddress().toString();
    }

}
