package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

/**
 * Peer addresses as the kernel writes them, read and compared in place: a {@code struct
 * sockaddr_in} or {@code sockaddr_in6} at an offset of native memory. What a {@code UdpAddress}
 * answers, the peer table hashes and the send queue copies.
 *
 * <pre>
 *  sockaddr_in  (16 B): family u16 | port u16 BE | addr 4 B  | zero 8 B
 *  sockaddr_in6 (28 B): family u16 | port u16 BE | flowinfo u32 | addr 16 B | scope_id u32
 * </pre>
 *
 * An IPv4 peer seen on a dual-stack IPv6 socket is the IPv4-mapped address {@code ::ffff:a.b.c.d},
 * and is the same peer as {@code a.b.c.d}. Stateless.
 */
public final class PeerAddresses {
    /** Network-order fields (the word {@code 0000ffff} of {@code ::ffff:a.b.c.d}), whatever the CPU's order. */
    private static final ValueLayout.OfInt NET_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PeerAddresses() {}

    /** Whether the sockaddr at {@code (m, o)} is an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}). */
    public static boolean isV4Mapped(MemorySegment m, long o) {
        return Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, o)) == LibC.AF_INET6
                && m.get(JAVA_LONG_UNALIGNED, o + 8) == 0L
                && m.get(NET_INT, o + 16) == 0x0000_FFFF;
    }

    /** The IPv4 address (network byte order, as stored) of a plain or mapped IPv4 sockaddr. */
    private static int v4(MemorySegment m, long o) {
        return Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, o)) == LibC.AF_INET
                ? m.get(JAVA_INT_UNALIGNED, o + 4) : m.get(JAVA_INT_UNALIGNED, o + 20);
    }

    private static short portRaw(MemorySegment m, long o) {
        return m.get(JAVA_SHORT_UNALIGNED, o + 2);
    }

    /** Whether the two sockaddrs name the same peer: family, port, address and scope (IPv4 equals its mapped form). */
    public static boolean same(MemorySegment a, long ao, MemorySegment b, long bo) {
        if (portRaw(a, ao) != portRaw(b, bo)) {
            return false;
        }
        boolean a4 = Short.toUnsignedInt(a.get(JAVA_SHORT_UNALIGNED, ao)) == LibC.AF_INET || isV4Mapped(a, ao);
        boolean b4 = Short.toUnsignedInt(b.get(JAVA_SHORT_UNALIGNED, bo)) == LibC.AF_INET || isV4Mapped(b, bo);
        if (a4 || b4) {
            return a4 && b4 && v4(a, ao) == v4(b, bo);
        }
        return a.get(JAVA_LONG_UNALIGNED, ao + 8) == b.get(JAVA_LONG_UNALIGNED, bo + 8)
                && a.get(JAVA_LONG_UNALIGNED, ao + 16) == b.get(JAVA_LONG_UNALIGNED, bo + 16)
                && a.get(JAVA_INT_UNALIGNED, ao + 24) == b.get(JAVA_INT_UNALIGNED, bo + 24);
    }

    /** A hash of the fields {@link #same} compares, equal for an IPv4 address and its mapped form. */
    public static int hash(MemorySegment m, long o) {
        long h = portRaw(m, o) & 0xFFFFL;
        if (Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, o)) == LibC.AF_INET || isV4Mapped(m, o)) {
            h = h * 0x9E3779B97F4A7C15L + (v4(m, o) & 0xFFFFFFFFL);
        } else {
            h = h * 0x9E3779B97F4A7C15L + m.get(JAVA_LONG_UNALIGNED, o + 8);
            h = h * 0x9E3779B97F4A7C15L + m.get(JAVA_LONG_UNALIGNED, o + 16);
            h = h * 0x9E3779B97F4A7C15L + m.get(JAVA_INT_UNALIGNED, o + 24);
        }
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Writes the sockaddr at {@code (m, o)} into {@code dst} in the form a socket of
     * {@code socketFamily} takes: as is, IPv4 as IPv4-mapped IPv6 for an IPv6 socket, IPv4-mapped
     * IPv6 as IPv4 for an IPv4 socket. Returns its length, or {@code -EAFNOSUPPORT} for an IPv6
     * address on an IPv4 socket.
     */
    public static int copyFor(MemorySegment m, long o, int socketFamily, MemorySegment dst, long dstOffset) {
        int family = Short.toUnsignedInt(m.get(JAVA_SHORT_UNALIGNED, o));
        if (socketFamily == LibC.AF_INET) {
            if (family != LibC.AF_INET && !isV4Mapped(m, o)) {
                return -Errno.EAFNOSUPPORT;
            }
            dst.set(JAVA_SHORT_UNALIGNED, dstOffset, (short) LibC.AF_INET);
            dst.set(JAVA_SHORT_UNALIGNED, dstOffset + 2, portRaw(m, o));
            dst.set(JAVA_INT_UNALIGNED, dstOffset + 4, v4(m, o));
            dst.set(JAVA_LONG_UNALIGNED, dstOffset + 8, 0L);
            return SockAddr.SIZEOF_IN;
        }
        dst.set(JAVA_SHORT_UNALIGNED, dstOffset, (short) LibC.AF_INET6);
        dst.set(JAVA_SHORT_UNALIGNED, dstOffset + 2, portRaw(m, o));
        // flowinfo: a peer is named by address and port; a stale flow label must not be sent back.
        dst.set(JAVA_INT_UNALIGNED, dstOffset + 4, 0);
        if (family == LibC.AF_INET) {
            dst.set(JAVA_LONG_UNALIGNED, dstOffset + 8, 0L);
            dst.set(NET_INT, dstOffset + 16, 0x0000_FFFF);
            dst.set(JAVA_INT_UNALIGNED, dstOffset + 20, m.get(JAVA_INT_UNALIGNED, o + 4));
            dst.set(JAVA_INT_UNALIGNED, dstOffset + 24, 0);
        } else {
            MemorySegment.copy(m, JAVA_BYTE, o + 8, dst, JAVA_BYTE, dstOffset + 8, 20);
        }
        return SockAddr.SIZEOF_IN6;
    }
}
