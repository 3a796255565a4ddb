package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.UdpSocket;


/**
 * A running UDP endpoint on either transport: one socket per loop of the group, all bound to the
 * port the first one got ({@code SO_REUSEPORT}), or one connected socket on the next loop. The
 * transport says how one socket is opened and handed to its loop ({@link Opener}); sockets are
 * opened and configured on the caller's thread (setup, not the hot path) and live on their loop's.
 */
public final class LoopUdp {
    /**
     * How a transport makes one socket of an endpoint.
     *
     * @param <H> what the transport opens: a descriptor, a channel
     */
    public interface Opener<H> {
        /** A socket bound to {@code address} (and connected, in client mode) with the endpoint's options. */
        H open(InetSocketAddress address, UdpConfig config, boolean reusePort) throws ErrnoException;

        /** The address {@code socket} got (the real port when 0 was asked for). */
        InetSocketAddress boundAddress(H socket) throws ErrnoException;

        /** Builds the socket on {@code loop}, which takes {@code socket} over, and opens it; waits for that. */
        LoopUdpSocket handOver(TransportLoop loop, H socket, InetSocketAddress bound, UdpConfig config)
                throws ErrnoException;

        /** Closes a socket that was never handed over. */
        void discard(H socket);
    }

    private final List<UdpSocket> sockets;
    private final InetSocketAddress localAddress;

    private LoopUdp(List<UdpSocket> sockets, InetSocketAddress localAddress) {
        this.sockets = List.copyOf(sockets);
        this.localAddress = localAddress;
    }

    /** Opens the endpoint's sockets with {@code opener}; on any failure closes those already started. */
    public static <H> LoopUdp start(LoopGroup group, UdpConfig config, Opener<H> opener) throws ErrnoException {
        List<TransportLoop> loops = new ArrayList<>();
        if (config.remote() != null) {
            loops.add(group.next());
        } else {
            for (int i = 0; i < group.size(); i++) {
                loops.add(group.loop(i));
            }
        }
        boolean reusePort = config.reusePort() || loops.size() > 1;
        List<UdpSocket> started = new ArrayList<>();
        InetSocketAddress bindTo = config.address();
        InetSocketAddress bound = null;
        try {
            for (TransportLoop loop : loops) {
                H socket = opener.open(bindTo, config, reusePort);
                try {
                    if (bound == null) {
                        bound = opener.boundAddress(socket);
                        // Every further socket takes the port the first one got.
                        bindTo = new InetSocketAddress(config.address().getAddress(), bound.getPort());
                    }
                    started.add(opener.handOver(loop, socket, bound, config));
                } catch (ErrnoException | RuntimeException e) {
                    opener.discard(socket);
                    throw e;
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            LoopUdpSocket.closeAll(started).join();
            throw e;
        }
        return new LoopUdp(started, bound);
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The endpoint's sockets: one per loop, or the one connected socket. */
    public List<UdpSocket> sockets() {
        return sockets;
    }

    /** Sends what is queued, closes every socket; completes when each has released its resources. */
    public CompletableFuture<Void> close() {
        return LoopUdpSocket.closeAll(sockets);
    }
}
