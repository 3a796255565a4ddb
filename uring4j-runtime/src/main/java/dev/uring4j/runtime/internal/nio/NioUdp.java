package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.LoopUdpSocket;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.UdpConfig;

/**
 * How the NIO transport makes the sockets of a {@link LoopUdp} endpoint: a non-blocking
 * {@link DatagramChannel} per socket, configured and bound on the caller's thread, then handed to
 * its loop as a {@link NioUdpSocket}.
 *
 * <p>What a {@link DatagramChannel} cannot do, this transport cannot either: {@code UDP_SEGMENT},
 * control messages, {@code SO_RCVBUFFORCE}, and socket options outside {@code java.net}'s
 * (docs/FALLBACK.md). An option it cannot set is refused at start, naming it, rather than
 * silently missing.
 */
public final class NioUdp implements LoopUdp.Opener<DatagramChannel> {
    // setsockopt names from <sys/socket.h> and <netinet/in.h> that have a java.net counterpart.
    private static final int SO_REUSEADDR = 2;
    private static final int SO_BROADCAST = 6;
    private static final int IPPROTO_IP = 0;
    private static final int IP_TOS = 1;
    private static final int IPV6_TCLASS = 67;

    static final NioUdp OPENER = new NioUdp();

    private NioUdp() {}

    @Override
    public InetSocketAddress boundAddress(DatagramChannel channel) throws ErrnoException {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw NioErrors.errnoException("getsockname", e);
        }
    }

    @Override
    public void discard(DatagramChannel channel) {
        NioEventLoop.closeQuietly(channel);
    }

    /** A bound (and, in client mode, connected) non-blocking channel with the endpoint's options. */
    @Override
    public DatagramChannel open(InetSocketAddress address, UdpConfig c, boolean reusePort) throws ErrnoException {
        DatagramChannel ch;
        try {
            // IPv6 channels are dual-stack: the IPv6 wildcard takes IPv4 peers too, as on io_uring.
            ch = DatagramChannel.open(NioEventLoop.family(address));
        } catch (IOException e) {
            throw NioErrors.errnoException("socket(" + NioEventLoop.family(address) + ", SOCK_DGRAM)", e);
        }
        String step = "setsockopt on the UDP socket for " + address;
        try {
            ch.configureBlocking(false);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (c.receiveBufferSize() > 0) {
                setBuffer(ch, StandardSocketOptions.SO_RCVBUF, c.receiveBufferSize(), "net.core.rmem_max");
            }
            if (c.sendBufferSize() > 0) {
                setBuffer(ch, StandardSocketOptions.SO_SNDBUF, c.sendBufferSize(), "net.core.wmem_max");
            }
            for (UdpConfig.SocketOption o : c.options()) {
                apply(ch, o);
            }
            step = "bind to " + address;
            ch.bind(address);
            if (c.remote() != null) {
                step = "connect to " + c.remote();
                if (NioEventLoop.family(c.remote()) != NioEventLoop.family(address)) {
                    throw new ErrnoException("connect to " + c.remote(), Errno.EAFNOSUPPORT,
                            "the socket is bound to " + address + ", of another address family");
                }
                ch.connect(c.remote());
            }
            return ch;
        } catch (IOException e) {
            NioEventLoop.closeQuietly(ch);
            throw NioErrors.errnoException(step, e);
        } catch (RuntimeException e) {
            NioEventLoop.closeQuietly(ch);
            throw e;
        }
    }

    /**
     * {@code SO_RCVBUF}/{@code SO_SNDBUF}, capped by the kernel at its sysctl maximum; the
     * {@code FORCE} variants io_uring's transport falls back on are out of a channel's reach, so the
     * log names the sysctl to raise.
     */
    private static void setBuffer(DatagramChannel ch, SocketOption<Integer> option, int bytes, String sysctl)
            throws IOException {
        ch.setOption(option, bytes);
        // The JDK reports half of what the kernel stores, which is what was asked for (capped).
        int got = ch.getOption(option);
        if (got < bytes) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, option.name() + " of " + bytes + " bytes was capped at "
                    + got + " by " + sysctl + " (raise it; the nio transport cannot force it past the cap)");
        }
    }

    /** An extra {@code setsockopt}, if a channel can set it; otherwise refused, naming it. */
    private static void apply(DatagramChannel ch, UdpConfig.SocketOption o) throws IOException {
        int v = o.value();
        if (o.level() == LibC.SOL_SOCKET && o.name() == SO_BROADCAST) {
            ch.setOption(StandardSocketOptions.SO_BROADCAST, v != 0);
        } else if (o.level() == LibC.SOL_SOCKET && o.name() == SO_REUSEADDR) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, v != 0);
        } else if (o.level() == LibC.SOL_SOCKET && o.name() == LibC.SO_REUSEPORT) {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, v != 0);
        } else if ((o.level() == IPPROTO_IP && o.name() == IP_TOS)
                || (o.level() == LibC.IPPROTO_IPV6 && o.name() == IPV6_TCLASS)) {
            ch.setOption(StandardSocketOptions.IP_TOS, v);
        } else {
            throw new UnsupportedOperationException("socket option " + o.label() + " cannot be set on the nio "
                    + "transport: a DatagramChannel takes only java.net's options (SO_BROADCAST, SO_REUSEADDR, "
                    + "SO_REUSEPORT, IP_TOS); it needs io_uring");
        }
    }

    /** Builds the socket on its loop, registers and opens it; waits for that. */
    @Override
    public NioUdpSocket handOver(TransportLoop transportLoop, DatagramChannel channel, InetSocketAddress bound,
                                 UdpConfig config) throws ErrnoException {
        NioEventLoop loop = (NioEventLoop) transportLoop;
        int family = bound.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
        int rcvbuf;
        try {
            // As io_uring's transport reports it: the kernel's doubled value, which the JDK halves.
            rcvbuf = 2 * channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            throw NioErrors.errnoException("getsockopt(SO_RCVBUF)", e);
        }
        return LoopUdpSocket.startOn(loop, bound, () -> {
            if (loop.isShuttingDown()) {
                throw new IllegalStateException("the event loop " + loop.name() + " is shutting down");
            }
            NioUdpSocket s = new NioUdpSocket(loop, loop.nextUdpNumber(), channel, family, bound, config.remote(),
                    rcvbuf, config);
            loop.adopt(s);
            return s;
        });
    }
}
