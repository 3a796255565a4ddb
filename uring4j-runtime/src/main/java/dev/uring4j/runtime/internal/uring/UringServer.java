package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_HARDLINK;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.internal.LoopServer;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.UringOptions;

/**
 * A TCP server on io_uring loops, behind the public {@code TcpServer}.
 *
 * <p>{@link AcceptMode#ACCEPTOR}: the first loop's ring runs one multishot accept into
 * direct descriptors and hands each connection to a loop round-robin with {@code msg_ring} fd
 * passing ({@code IORING_MSG_SEND_FD}); the target ring installs it in a free slot of its own
 * table, and the acceptor closes its copy in the same linked submission.
 * {@link AcceptMode#REUSEPORT}: every loop has its own listening socket on the port
 * ({@code SO_REUSEPORT}) and its own multishot accept; the kernel spreads connections.
 */
public final class UringServer extends LoopServer {

    /** In the generation field of a hand-over's user_data: the message, or the close of our copy. */
    static final int HANDOFF_MESSAGE = 1;
    static final int HANDOFF_CLOSE = 0;

    /** This server's entry in its group's table, which hand-overs between loops carry. */
    private final ServerTable servers;
    private final int id;
    private final long idleTimeoutNanos;
    private final int maxConnections;
    private final int backlog;

    /**
     * The mode the server can run: acceptor mode needs the accepted direct descriptor passed to
     * another ring ({@code msg_ring} fd passing) when there are several loops and direct descriptors.
     */
    private static AcceptMode acceptMode(LoopGroup group, AcceptMode asked) {
        UringOptions options = group.options().uring();
        boolean handoff = group.size() == 1 || !options.uses(UringOptions.Path.DIRECT_DESCRIPTORS)
                || options.uses(UringOptions.Path.MSG_RING_FD);
        if (asked == AcceptMode.ACCEPTOR && !handoff) {
            UringEventLoop.LOG.log(System.Logger.Level.INFO, "acceptor mode needs msg_ring fd passing ("
                    + options.whyNot(UringOptions.Path.MSG_RING_FD) + "); accepting with SO_REUSEPORT instead");
        }
        return asked == AcceptMode.ACCEPTOR && handoff ? AcceptMode.ACCEPTOR
                : AcceptMode.REUSEPORT;
    }

    private UringServer(LoopGroup group, ServerConfig config) {
        super(group, acceptMode(group, config.mode()), config);
        this.servers = ((UringEventLoop) group.loop(0)).servers;
        this.id = servers.add(this);
        this.idleTimeoutNanos = config.idleTimeoutNanos();
        this.maxConnections = config.maxConnections();
        this.backlog = config.backlog();
    }

    /** Binds and starts accepting. */
    static UringServer start(LoopGroup group, ServerConfig config) throws ErrnoException {
        UringServer server = new UringServer(group, config);
        try {
            server.listen(config);
        } catch (ErrnoException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen(ServerConfig config) throws ErrnoException {
        InetSocketAddress bindTo = config.address();
        int loopsWithListener = mode == AcceptMode.ACCEPTOR ? 1 : group.size();
        for (int i = 0; i < loopsWithListener; i++) {
            UringEventLoop loop = (UringEventLoop) group.loop(i);
            // With IORING_OP_BIND/LISTEN the listener binds on its loop's ring; else bind(2) here.
            int fd = listenSocket(bindTo, config, mode == AcceptMode.REUSEPORT, !loop.paths.bindListenOps);
            UringListener l = new UringListener(loop, this, fd, bindTo, config.backlog());
            Throwable failed = startListener(loop, l);
            if (failed != null) {
                l.closeNow();
                if (failed instanceof ErrnoException ee) {
                    throw ee;
                }
                throw new IllegalStateException("starting the listener on " + bindTo + " failed", failed);
            }
            if (localAddress == null) {
                localAddress = SocketSetup.boundAddress(fd);
                bindTo = localAddress;
            }
        }
    }

    private static int listenSocket(InetSocketAddress address, ServerConfig b, boolean reusePort, boolean bindHere)
            throws ErrnoException {
        int fd = LibC.socket(SockAddr.familyOf(address), LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("socket", fd);
        }
        try {
            SocketSetup.setOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1, "SO_REUSEADDR");
            if (reusePort) {
                SocketSetup.setOption(fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            // Accepted sockets inherit these from the listener, so direct descriptors need no setsockopt.
            SocketSetup.setOption(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, b.tcpNoDelay() ? 1 : 0, "TCP_NODELAY");
            if (b.sendBufferSize() > 0) {
                SocketSetup.setOption(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, b.sendBufferSize(), "SO_SNDBUF");
            }
            if (b.receiveBufferSize() > 0) {
                SocketSetup.setOption(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, b.receiveBufferSize(), "SO_RCVBUF");
            }
            if (bindHere) {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
                    int len = SockAddr.write(addr, address);
                    checkBind(LibC.bind(fd, addr, len), address);
                }
                checkListen(LibC.listen(fd, b.backlog()), address);
            }
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static void checkBind(int r, InetSocketAddress address) throws ErrnoException {
        if (r < 0) {
            throw new ErrnoException("bind to " + address, r,
                    -r == Errno.EADDRINUSE ? "another socket is listening on that port" : null);
        }
    }

    static void checkListen(int r, InetSocketAddress address) throws ErrnoException {
        if (r < 0) {
            throw new ErrnoException("listen on " + address, r);
        }
    }



    // ------------------------------------------------------------------ called by loops

    /** A connection was accepted on {@code loop}: {@code res} is its slot (direct) or fd. */
    void accepted(UringEventLoop loop, int res) {
        live.incrementAndGet();
        if (closed) {
            loop.adopt(res, CLOSING, this).abort();
            return;
        }
        if (mode == AcceptMode.ACCEPTOR && group.size() > 1) {
            UringEventLoop target = pickTarget(loop);
            if (target != loop) {
                handOver(loop, target, res);
                return;
            }
        }
        open(loop, res);
    }

    /** The next loop round-robin that has room in its table (the acceptor itself if none has). */
    private UringEventLoop pickTarget(UringEventLoop acceptor) {
        for (int i = 0; i < group.size(); i++) {
            UringEventLoop candidate = (UringEventLoop) group.next();
            if (candidate.slots.acceptRoom() > 0) {
                return candidate;
            }
        }
        return acceptor;
    }

    private void open(UringEventLoop loop, int slotOrFd) {
        ConnectionHandler handler = newHandler();
        if (handler == null) {
            // Through the connection's own close, so the descriptor is closed and the count kept.
            loop.adopt(slotOrFd, CLOSING, this).abort();
            return;
        }
        loop.adopt(slotOrFd, handler, this).open(idleTimeoutNanos);
    }

    private void handOver(UringEventLoop from, UringEventLoop target, int res) {
        if (!from.paths.direct) {
            // A normal fd is valid in every thread of the process: pass the number.
            target.post(() -> open(target, res), () -> {
                LibC.close(res);
                connectionClosed();
            });
            return;
        }
        // Send our direct descriptor to the target ring (it lands in a free slot there, which the
        // target's CQE reports), then close our copy; hard-linked so the close runs either way.
        from.reserve(2);
        from.sqe().prepMsgRingFdAlloc(target.ringFd(), res, UserData.encode(UserData.OP_HANDOFF, 0, id), 0)
                .flags(IOSQE_IO_HARDLINK).userData(UserData.encode(UserData.OP_HANDOFF_SEND, HANDOFF_MESSAGE, id));
        from.sqe().prepCloseDirect(res).userData(UserData.encode(UserData.OP_HANDOFF_SEND, HANDOFF_CLOSE, id));
    }

    /**
     * The sending side of a hand-over: the message ({@code which} {@link #HANDOFF_MESSAGE}) or the
     * close of our copy completed with {@code res}. A message that failed leaves the connection
     * nowhere (our copy is closed either way): it no longer counts, and the listeners may accept.
     */
    void handOverSent(int which, int res) {
        if (res >= 0) {
            return;
        }
        if (which == HANDOFF_MESSAGE) {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "handing a connection accepted on " + localAddress
                    + " to another loop failed: " + Errno.describe(res) + "; the connection was closed");
            connectionClosed();
        } else {
            TransportLoop.LOG.log(System.Logger.Level.WARNING, "closing the acceptor's copy of a connection handed to"
                    + " another loop failed: " + Errno.describe(res));
        }
    }

    /** The target side of a hand-over, on {@code loop}: {@code res} is the slot the connection landed in. */
    void handedOver(UringEventLoop loop, int res) {
        if (res < 0) {
            live.decrementAndGet();
            UringEventLoop.LOG.log(System.Logger.Level.WARNING, "a connection handed to " + loop.name()
                    + " could not be installed: " + Errno.describe(res));
            return;
        }
        if (closed) {
            loop.adopt(res, CLOSING, this).abort();
            return;
        }
        open(loop, res);
    }

    /**
     * How many more connections the listener on {@code loop} may accept: the server's limit, and
     * the room in the direct-descriptor tables they will land in (every loop's in acceptor mode).
     */
    int room(UringEventLoop loop) {
        long room = (long) maxConnections - live.get();
        if (mode == AcceptMode.ACCEPTOR) {
            long tables = 0;
            for (int i = 0; i < group.size(); i++) {
                tables += Math.max(0, ((UringEventLoop) group.loop(i)).slots.acceptRoom());
            }
            room = Math.min(room, tables);
        } else {
            room = Math.min(room, loop.slots.acceptRoom());
        }
        return (int) Math.max(0, Math.min(room, Integer.MAX_VALUE));
    }

    /** Why {@link #room} is zero, for the log. */
    String fullReason(UringEventLoop loop) {
        if (live.get() >= maxConnections) {
            return "the server's limit of " + maxConnections + " connections is reached";
        }
        return "the direct-descriptor table" + (mode == AcceptMode.ACCEPTOR ? "s are" : " is") + " full ("
                + loop.slots.capacity() + " slots per loop, bounded by RLIMIT_NOFILE and UringOptions.registeredFiles)";
    }

    /** Multishot accept may take a whole backlog in one go; below this much room accept one at a time. */
    int burst() {
        return backlog;
    }

    @Override
    protected void closeConnectionsOn(TransportLoop loop) {
        UringEventLoop u = (UringEventLoop) loop;
        u.post(() -> u.slots.forEach(c -> {
            if (c.server == this) {
                c.close();
            }
        }));
    }

    @Override
    protected void afterClose() {
        servers.remove(id);
    }
}
