package dev.uring4j.ring.sys;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Encodes and decodes {@code struct sockaddr_in} / {@code sockaddr_in6}.
 *
 * <pre>
 *  sockaddr_in  (16 B): family u16 | port u16 BE | addr 4 B | zero 8 B
 *  sockaddr_in6 (28 B): family u16 | port u16 BE | flowinfo u32 | addr 16 B | scope_id u32
 * </pre>
 */
public final class SockAddr {
    private SockAddr() {}

    /** {@code sizeof(struct sockaddr_storage)}: room for any address. */
    public static final int SIZEOF_STORAGE = 128;
    public static final int SIZEOF_IN = 16;
    public static final int SIZEOF_IN6 = 28;

    /** Writes {@code address} into {@code out}; returns its length. */
    public static int write(MemorySegment out, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        out.asSlice(0, ip instanceof Inet4Address ? SIZEOF_IN : SIZEOF_IN6).fill((byte) 0);
        out.set(JAVA_SHORT_UNALIGNED, 2, Short.reverseBytes((short) address.getPort()));
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            out.set(JAVA_SHORT_UNALIGNED, 0, (short) LibC.AF_INET);
            MemorySegment.copy(raw, 0, out, JAVA_BYTE, 4, 4);
            return SIZEOF_IN;
        }
        out.set(JAVA_SHORT_UNALIGNED, 0, (short) LibC.AF_INET6);
        MemorySegment.copy(raw, 0, out, JAVA_BYTE, 8, 16);
        out.set(JAVA_INT.withByteAlignment(1), 24, ((Inet6Address) ip).getScopeId());
        return SIZEOF_IN6;
    }

    /** The address family of an encoded address. */
    public static int family(MemorySegment in) {
        return Short.toUnsignedInt(in.get(JAVA_SHORT_UNALIGNED, 0));
    }

    /** The port of an encoded {@code AF_INET} or {@code AF_INET6} address. */
    public static int port(MemorySegment in) {
        return Short.toUnsignedInt(Short.reverseBytes(in.get(JAVA_SHORT_UNALIGNED, 2)));
    }

    /** Decodes an {@code AF_INET} or {@code AF_INET6} address (allocates: not for hot paths). */
    public static InetSocketAddress read(MemorySegment in) {
        int family = family(in);
        try {
            if (family == LibC.AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(in, JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port(in));
            }
            if (family == LibC.AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, 8, raw, 0, 16);
                int scope = in.get(JAVA_INT.withByteAlignment(1), 24);
                return new InetSocketAddress(Inet6Address.getByAddress(null, raw, scope), port(in));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        throw new IllegalArgumentException("not an IP socket address: family " + family);
    }

    /** The {@code AF_*} family to create a socket for {@code address}. */
    public static int familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }
}
