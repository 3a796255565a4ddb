package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.LoopUdpSocket;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.UdpConfig;

/**
 * How the io_uring transport makes the sockets of a {@link LoopUdp} endpoint: each is created,
 * configured and bound with plain system calls on the caller's thread (setup, not the hot path),
 * then handed to its loop as a {@link UringUdpSocket}, which registers its buffers and arms the
 * receive.
 */
public final class UringUdp implements LoopUdp.Opener<Integer> {
    static final UringUdp OPENER = new UringUdp();
    private static final int SO_SNDBUFFORCE = 32;

    private UringUdp() {}

    @Override
    public InetSocketAddress boundAddress(Integer fd) throws ErrnoException {
        return SocketSetup.boundAddress(fd);
    }

    @Override
    public void discard(Integer fd) {
        LibC.close(fd);
    }

    /** A bound (and, in client mode, connected) datagram socket with the endpoint's options. */
    @Override
    public Integer open(InetSocketAddress address, UdpConfig c, boolean reusePort) throws ErrnoException {
        int family = SockAddr.familyOf(address);
        int fd = LibC.socket(family, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("socket(" + (family == LibC.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_DGRAM)", fd);
        }
        try {
            if (family == LibC.AF_INET6 && address.getAddress().isAnyLocalAddress()) {
                // The IPv6 wildcard takes IPv4 peers too (as ::ffff:a.b.c.d), whatever bindv6only says.
                SocketSetup.setOption(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 0, "IPV6_V6ONLY");
            }
            if (reusePort) {
                SocketSetup.setOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            if (c.receiveBufferSize() > 0) {
                setBuffer(fd, LibC.SO_RCVBUF, LibC.SO_RCVBUFFORCE, c.receiveBufferSize(), "SO_RCVBUF", "net.core.rmem_max");
            }
            if (c.sendBufferSize() > 0) {
                setBuffer(fd, LibC.SO_SNDBUF, SO_SNDBUFFORCE, c.sendBufferSize(), "SO_SNDBUF", "net.core.wmem_max");
            }
            for (UdpConfig.SocketOption o : c.options()) {
                SocketSetup.setOption(fd, o.level(), o.name(), o.value(), o.label());
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
                int len = SockAddr.write(addr, address);
                int r = LibC.bind(fd, addr, len);
                if (r < 0) {
                    throw new ErrnoException("bind to " + address, r, -r == Errno.EADDRINUSE
                            ? "another socket is bound to that port (sockets share one only with SO_REUSEPORT on all of them)"
                            : null);
                }
                if (c.remote() != null) {
                    len = SockAddr.write(addr, c.remote());
                    if (SockAddr.family(addr) != family) {
                        throw new ErrnoException("connect to " + c.remote(), Errno.EAFNOSUPPORT,
                                "the socket is bound to " + address + ", of another address family");
                    }
                    r = LibC.connect(fd, addr, len);
                    if (r < 0) {
                        throw new ErrnoException("connect to " + c.remote(), r);
                    }
                }
            }
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }


    /**
     * {@code SO_RCVBUF}/{@code SO_SNDBUF}, which the kernel caps at its sysctl maximum; where that
     * cap cuts the size, the {@code FORCE} variant (root) lifts it, and otherwise the log says which
     * sysctl to raise.
     */
    private static void setBuffer(int fd, int option, int force, int bytes, String what, String sysctl)
            throws ErrnoException {
        SocketSetup.setOption(fd, LibC.SOL_SOCKET, option, bytes, what);
        // The kernel stores double the value asked for (the overhead of its bookkeeping).
        if (LibC.getsockoptInt(fd, LibC.SOL_SOCKET, option) >= 2L * bytes) {
            return;
        }
        if (LibC.setsockoptInt(fd, LibC.SOL_SOCKET, force, bytes) < 0) {
            UringEventLoop.LOG.log(System.Logger.Level.WARNING, what + " of " + bytes + " bytes was capped at "
                    + LibC.getsockoptInt(fd, LibC.SOL_SOCKET, option) / 2 + " by " + sysctl
                    + " (raise it, or run with CAP_NET_ADMIN)");
        }
    }


    /** Builds the socket on its loop (which must register its buffer groups) and arms it; waits for that. */
    @Override
    public UringUdpSocket handOver(TransportLoop transportLoop, Integer fd, InetSocketAddress bound, UdpConfig config)
            throws ErrnoException {
        UringEventLoop loop = (UringEventLoop) transportLoop;
        int family = bound.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
        // UDP_SEGMENT (4.18): a getsockopt that succeeds says the kernel segments for us.
        boolean gso = LibC.getsockoptInt(fd, LibC.SOL_UDP, LibC.UDP_SEGMENT) >= 0;
        int rcvbuf = LibC.getsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF);
        return LoopUdpSocket.startOn(loop, bound, () -> {
            if (loop.isShuttingDown()) {
                throw new IllegalStateException("the event loop " + loop.name() + " is shutting down");
            }
            int index = loop.udp.reserve();
            try {
                UringUdpSocket s = new UringUdpSocket(loop, index, loop.udp.nextGeneration(index), fd, family, bound,
                        config.remote(), gso, Math.max(rcvbuf, 0), config);
                loop.udp.install(s);
                return s;
            } catch (Throwable t) {
                loop.udp.unreserve(index);
                throw t;
            }
        });
    }
}
