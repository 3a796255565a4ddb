package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FILE_INDEX_ALLOC;

import dev.uring4j.runtime.internal.Leaks;
import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.AcceptBackoff;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.internal.LoopListener;

/**
 * A listening socket served by one loop: one multishot accept (into direct descriptors where the
 * kernel has them) stays armed and posts a completion per connection.
 *
 * <p>When accept fails for want of descriptors ({@code EMFILE}, {@code ENFILE}) the listener says
 * so once per episode and re-arms after a back-off that starts at 1 ms and doubles up to 1 s, or
 * at once when one of the server's connections closes; connections waiting in the backlog are
 * accepted then.
 *
 * <p>Accepting into a full direct-descriptor table would lose the connection (the kernel accepts,
 * fails to install, and closes it), so the listener never does: with room for fewer connections
 * than a backlog's worth it accepts one at a time, and with none it pauses until a connection
 * closes, leaving new ones in the backlog. The server's connection limit works the same way.
 * Owned by the loop's thread.
 */
public final class UringListener extends LoopListener {
    private final UringEventLoop loop;
    private final UringServer server;
    private final int listenFd;
    final int generation = 1;
    private int index = -1;
    private long userData;
    private boolean armed;
    private boolean cancelling;
    private boolean fdClosed;

    private final java.net.InetSocketAddress address;
    private final int backlog;

    UringListener(UringEventLoop loop, UringServer server, int listenFd, java.net.InetSocketAddress address,
                  int backlog) {
        this.loop = loop;
        this.server = server;
        this.listenFd = listenFd;
        this.address = address;
        this.backlog = backlog;
        if (loop.leaks != null) {
            loop.leaks.acquired(Leaks.Kind.DESCRIPTOR, this, "the socket of a listener on " + address);
        }
    }

    /** Runs on the loop: binds with the ring when it can, registers, and arms. */
    @Override
    public void start() throws ErrnoException {
        if (loop.paths.bindListenOps) {
            bindWithRing();
        }
        index = loop.addListener(this);
        userData = UserData.encode(UserData.OP_ACCEPT, generation, index);
        arm();
    }

    /** {@code IORING_OP_BIND} then {@code IORING_OP_LISTEN} (6.11): both complete at submit. */
    private void bindWithRing() throws ErrnoException {
        BlockPool.Block block = loop.blocks.acquire(dev.uring4j.ring.sys.SockAddr.SIZEOF_STORAGE);
        MemorySegment addr = block.segment;
        try {
            int len = dev.uring4j.ring.sys.SockAddr.write(addr, address);
            long bind = UserData.encode(UserData.OP_BIND, 0, listenFd);
            loop.sqe().prepBind(listenFd, addr.address(), len).userData(bind);
            UringServer.checkBind(loop.inlineResult(bind), address);
            long listen = UserData.encode(UserData.OP_LISTEN, 0, listenFd);
            loop.sqe().prepListen(listenFd, backlog).userData(listen);
            UringServer.checkListen(loop.inlineResult(listen), address);
        } finally {
            loop.blocks.release(block);
        }
    }

    @Override
    protected void arm() {
        if (armed || stopping) {
            return;
        }
        int room = server.room(loop);
        if (!hasRoom(room)) {
            return;
        }
        // Multishot accept can take the whole backlog in one go; near the limit take one at a time.
        boolean multishot = loop.paths.multishotAccept && room > server.burst();
        Sqe s = loop.sqe();
        if (loop.paths.direct) {
            if (multishot) {
                s.prepMultishotAcceptDirect(listenFd, 0, 0, 0);
            } else {
                s.prepAcceptDirect(listenFd, 0, 0, 0, IORING_FILE_INDEX_ALLOC);
            }
        } else if (multishot) {
            s.prepMultishotAccept(listenFd, 0, 0, LibC.SOCK_CLOEXEC);
        } else {
            s.prepAccept(listenFd, 0, 0, LibC.SOCK_CLOEXEC);
        }
        s.userData(userData);
        armed = true;
    }

    void onAccept(int res, int flags) {
        if (!Cqe.more(flags)) {
            armed = false;
            cancelling = false;
        }
        if (res >= 0) {
            backoff.accepted();
            server.accepted(loop, res);
            if (armed && !cancelling && server.room(loop) <= server.burst()) {
                // Close to the limit: end the multishot accept; arm() continues one at a time.
                cancelling = true;
                loop.sqe().prepCancel64(userData, 0).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
            }
        } else if (AcceptBackoff.outOfDescriptors(res)) {
            if (backoff.trouble()) {
                UringEventLoop.LOG.log(System.Logger.Level.WARNING, AcceptBackoff.outOfDescriptorsMessage(
                        server.localAddress(), res, loop.paths.direct
                                ? "the loop's direct-descriptor table is full (or the system file limit was reached)"
                                : null));
            }
            scheduleRetry();
        } else if (res != -Errno.ECANCELED) {
            UringEventLoop.LOG.log(System.Logger.Level.WARNING, AcceptBackoff.failedMessage(server.localAddress(), res));
            scheduleRetry();
        }
        if (!armed) {
            if (stopping) {
                closeNow();
            } else if (!backoff.retryPending() && !paused) {
                arm();
            }
        }
    }

    private void scheduleRetry() {
        if (!stopping) {
            backoff.scheduleRetry(loop, this::retryNow);
        }
    }

    @Override
    protected String fullReason() {
        return server.fullReason(loop);
    }

    @Override
    protected Object address() {
        return server.localAddress();
    }

    /** Cancels the armed accept; the fd is closed once its final completion is in. */
    @Override
    protected void stopAccepting() {
        if (armed) {
            if (!cancelling) {
                cancelling = true;
                loop.sqe().prepCancel64(userData, 0).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
            }
        } else {
            closeNow();
        }
    }

    @Override
    public boolean isClosed() {
        return stopping && !armed;
    }

    @Override
    public void closeNow() {
        if (!fdClosed) {
            fdClosed = true;
            LibC.close(listenFd);
            if (loop.leaks != null) {
                loop.leaks.released(Leaks.Kind.DESCRIPTOR, this);
            }
        }
    }
}
