package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.internal.ClientConfig;

/**
 * An outgoing connect in flight: {@code IORING_OP_CONNECT} linked to a timeout
 * ({@code IORING_OP_LINK_TIMEOUT}) in one submission, and what both need until their completions
 * are in. The socket address and the timespec live in a pooled block the kernel reads until then.
 *
 * <p>The two completions tell the outcome together: the connect's result, and for a timeout the
 * connect's {@code -ECANCELED} beside the timeout's {@code -ETIME}. Owned by the loop's thread.
 */
final class UringConnect {
    /** A result not yet in. */
    private static final int PENDING = 1;

    final CompletableFuture<Connection> future;
    final InetSocketAddress address;
    final long idleTimeoutNanos;
    private final long timeoutNanos;
    private final BlockPool.Block memory;
    private int connectRes = PENDING;
    private int timeoutRes = PENDING;
    private int remaining;

    /**
     * On {@code loop}: a socket for {@code address} with the client's options, a connection for it
     * in the loop's table, and the connect submitted; {@code future} completes when it is done.
     */
    static void open(UringEventLoop loop, ClientConfig config, InetSocketAddress address,
                     CompletableFuture<Connection> future) {
        ConnectionHandler handler;
        try {
            handler = config.newHandler();
        } catch (RuntimeException | Error e) {
            future.completeExceptionally(e);
            return;
        }
        int fd = LibC.socket(SockAddr.familyOf(address), LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            future.completeExceptionally(new ConnectionException("socket for connect to " + address, -fd, "(none)"));
            return;
        }
        LibC.setsockoptInt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, config.tcpNoDelay() ? 1 : 0);
        if (config.sendBufferSize() > 0) {
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, config.sendBufferSize());
        }
        if (config.receiveBufferSize() > 0) {
            LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, config.receiveBufferSize());
        }
        InetSocketAddress local = config.localAddress();
        if (local != null) {
            int r;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
                r = LibC.bind(fd, addr, SockAddr.write(addr, local));
            }
            if (r < 0) {
                LibC.close(fd);
                future.completeExceptionally(new ConnectionException("bind to " + local + " for connect to " + address,
                        -r, "(none)"));
                return;
            }
        }
        UringConnection c;
        int direct = loop.paths.direct ? loop.registerDirect(fd) : -1;
        if (direct >= 0) {
            // The socket lives on as a direct descriptor: every operation on it skips the fd lookup.
            LibC.close(fd);
            c = loop.adopt(direct, direct, true, handler, null);
        } else {
            c = loop.adopt(loop.slots.clientSlot(fd), fd, false, handler, null);
        }
        if (config.tls() != null) {
            c.useTls(config.tls(), address);
        }
        c.connect(address, config.connectTimeoutNanos(), config.idleTimeoutNanos(), future);
    }

    UringConnect(BlockPool pool, CompletableFuture<Connection> future, InetSocketAddress address, long timeoutNanos,
                 long idleTimeoutNanos) {
        this.future = future;
        this.address = address;
        this.timeoutNanos = timeoutNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.memory = pool.acquire(SockAddr.SIZEOF_STORAGE + 16);
    }

    /**
     * Prepares the connect of {@code fd} (a direct descriptor's slot when {@code fixed}), and, with a
     * timeout, its linked timeout, as one chain;
     * returns how many operations were submitted.
     */
    int submit(UringEventLoop loop, int fd, boolean fixed, long connectUserData, long timeoutUserData) {
        int addrLen = SockAddr.write(memory.segment, address);
        boolean timed = timeoutNanos > 0;
        loop.reserve(2);
        Sqe s = loop.sqe().prepConnect(fd, memory.segment.address(), addrLen).userData(connectUserData);
        if (fixed) {
            s.fixedFile();
        }
        remaining = 1;
        if (timed) {
            memory.segment.set(JAVA_LONG, SockAddr.SIZEOF_STORAGE, timeoutNanos / 1_000_000_000L);
            memory.segment.set(JAVA_LONG, SockAddr.SIZEOF_STORAGE + 8, timeoutNanos % 1_000_000_000L);
            s.addFlags(IOSQE_IO_LINK);
            loop.sqe().prepLinkTimeout(memory.segment.address() + SockAddr.SIZEOF_STORAGE, 0).userData(timeoutUserData);
            remaining = 2;
        }
        return remaining;
    }

    /** Whether the connect itself has not completed (a cancel can still reach it). */
    boolean connectPending() {
        return connectRes == PENDING;
    }

    /** Records a completion of the connect ({@code connect} true) or of its timeout; true once both are in. */
    boolean completed(boolean connect, int res) {
        if (connect) {
            connectRes = res;
        } else {
            timeoutRes = res;
        }
        return --remaining == 0;
    }

    /** The kernel is done with the connect's memory. */
    void release(BlockPool pool) {
        pool.release(memory);
    }

    /**
     * Why the connect failed, naming {@code connection}; {@code null} if it succeeded and nobody
     * cancelled the future meanwhile.
     */
    Throwable failure(String connection) {
        String target = "connect to " + address;
        if (connectRes == 0) {
            return future.isCancelled() ? new CancellationException(target + " was cancelled") : null;
        }
        if (connectRes == -Errno.ECANCELED && timeoutRes == -Errno.ETIME) {
            return new ConnectionException(target, Errno.ETIMEDOUT, connection, "timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (linked timeout)");
        }
        int errno = connectRes == -Errno.ECANCELED && future.isCancelled() ? Errno.ECANCELED : -connectRes;
        return new ConnectionException(target, errno, connection);
    }
}
