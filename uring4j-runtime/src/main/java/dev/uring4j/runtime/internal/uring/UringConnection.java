package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_POLL_FIRST;
import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.Iovec;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Msghdr;
import dev.uring4j.ring.sys.SockAddr;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.internal.LoopConnection;

/**
 * A connection on an io_uring loop.
 *
 * <p><b>Receive:</b> one multishot recv with buffer selection from the loop's groups stays armed;
 * each completion's buffer is delivered and handed straight back. A completion without
 * {@code IORING_CQE_F_MORE} re-arms: after {@code -ENOBUFS} on the next group, otherwise with
 * {@code IORING_RECVSEND_POLL_FIRST} unless {@code IORING_CQE_F_SOCK_NONEMPTY} said data is
 * already waiting.
 *
 * <p><b>Send:</b> writes are copied into pooled native blocks; at the end of an iteration the
 * loop prepares at most one send per connection, so bytes stay ordered; a short send resubmits
 * the rest. Blocks sent with {@code SEND_ZC} are released only after their notification.
 *
 * <p><b>Files:</b> a file region at the head of the queue is spliced from the file into the
 * connection's pipe, linked ({@code IOSQE_IO_LINK}) to the splice from the pipe to the socket, a
 * pipe-full at a time. The file's descriptor is a normal one, the socket's may be direct: a
 * splice's SQE descriptor is its {@code fd_out}, so {@code IOSQE_FIXED_FILE} goes on the splice
 * into the socket, and the splice from the file needs no {@code SPLICE_F_FD_IN_FIXED}. A short
 * splice into the pipe fails the link (the kernel cancels the second); what the pipe holds is
 * then spliced on its own before the file is read further. The pipe is the connection's alone,
 * closed with it, so bytes a failure leaves in it never reach another peer.
 *
 * <p><b>Close:</b> every operation the kernel holds is counted in {@link #inflight}; closing
 * cancels them, waits for each final completion, then closes the descriptor, and only then
 * releases memory and the slot and calls {@code onClose}. Owned by the loop's thread.
 */
public final class UringConnection extends LoopConnection<UringEventLoop> {
    private static final int MAX_ZC_PENDING = 8;
    /** The most queued blocks one {@code sendmsg} carries: each is at least 16 KiB, so 256 KiB or more. */
    private static final int MAX_IOV = 16;
    /** The pipe a connection splices files through: a few pieces of the socket's send buffer. */
    private static final int PIPE_SIZE = 256 * 1024;
    /** A pipe's size when it cannot be changed (sixteen pages). */
    private static final int DEFAULT_PIPE_SIZE = 64 * 1024;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    private static final int SENDMSG_BYTES = (int) (Msghdr.LAYOUT.byteSize() + MAX_IOV * Iovec.LAYOUT.byteSize());

    public final int slot;
    public final int generation;
    final int fd;
    final boolean fixed;

    private final long udRecv;
    private final long udSend;
    private final long udSendZc;
    private final long udClose;
    private final long udCancel;
    private final long udShutdown;
    private final long udSpliceIn;
    private final long udSpliceOut;

    /** Operations whose final completion has not arrived. */
    private int inflight;
    private boolean closeSubmitted;

    // receive
    private boolean recvArmed;
    private int group;

    // send
    private boolean sendInFlight;
    /** The msghdr and iovec of a {@code sendmsg} in flight, or {@code null}. */
    private BlockPool.Block sendmsg;
    private final BlockPool.Block[] zcBlocks = new BlockPool.Block[MAX_ZC_PENDING];
    private int zcHead;
    private int zcCount;

    // file regions
    /** The pipe's read end, or -1 before the first file region. */
    private int pipeIn = -1;
    private int pipeOut = -1;
    private int pipeSize;
    /** Bytes spliced into the pipe and not yet out of it. */
    private int inPipe;
    /** Splices whose completion has not arrived. */
    private int splices;

    private UringConnect connecting;

    UringConnection(UringEventLoop loop, int slot, int generation, int fd, boolean fixed, ConnectionHandler handler,
                    UringServer server) {
        super(loop, handler, server);
        this.slot = slot;
        this.generation = generation;
        this.fd = fd;
        this.fixed = fixed;
        this.udRecv = UserData.encode(UserData.OP_RECV, generation, slot);
        this.udSend = UserData.encode(UserData.OP_SEND, generation, slot);
        this.udSendZc = UserData.encode(UserData.OP_SEND_ZC, generation, slot);
        this.udClose = UserData.encode(UserData.OP_CLOSE, generation, slot);
        this.udCancel = UserData.encode(UserData.OP_CANCEL, generation, slot);
        this.udShutdown = UserData.encode(UserData.OP_SHUTDOWN, generation, slot);
        this.udSpliceIn = UserData.encode(UserData.OP_SPLICE_IN, generation, slot);
        this.udSpliceOut = UserData.encode(UserData.OP_SPLICE_OUT, generation, slot);
        this.group = loop.buffers.assign();
    }

    // ------------------------------------------------------------------ completions

    void onCompletion(int op, int res, int flags) {
        switch (op) {
            case UserData.OP_RECV -> onRecv(res, flags);
            case UserData.OP_SEND -> onSend(res);
            case UserData.OP_SEND_ZC -> onSendZc(res, flags);
            case UserData.OP_SPLICE_IN -> onSpliceIn(res);
            case UserData.OP_SPLICE_OUT -> onSpliceOut(res);
            case UserData.OP_CANCEL, UserData.OP_SHUTDOWN -> inflight--;
            case UserData.OP_CLOSE -> onClosed();
            case UserData.OP_CONNECT, UserData.OP_LINK_TIMEOUT -> onConnectStep(op, res);
            default -> loop.dropped(UserData.encode(op, generation, slot), "unexpected op for a connection");
        }
        if (state == CLOSING) {
            closeWhenIdle();
        }
    }

    private void onRecv(int res, int flags) {
        boolean more = Cqe.more(flags);
        if (!more) {
            recvArmed = false;
            inflight--;
        }
        boolean pollFirst = false;
        if (res > 0) {
            receive(res, flags);
            // The socket was drained by this receive unless the kernel says more is waiting:
            // then the next receive may as well go straight to poll (the reference page's advice).
            pollFirst = !Cqe.sockNonEmpty(flags);
        } else if (res == 0) {
            onEof();
        } else if (res == -Errno.ENOBUFS) {
            // The group ran dry: the data is still in the socket. Move on to the next group and
            // re-arm (the reference page's round-robin recovery); nothing is lost.
            loop.bufferRingExhausted++;
            group = loop.buffers.next(group);
        } else if (res != -Errno.ECANCELED) {
            fail(new ConnectionException("recv", -res, toString()));
        }
        if (!recvArmed) {
            // Whatever ended the receive (no more buffers, a cancel from pauseReading() that a
            // resumeReading() has overtaken, the kernel's own limit), keep reading if we should.
            armRecv(pollFirst);
        }
    }

    /** Delivers the data of one receive completion and hands its buffer(s) back. */
    private void receive(int res, int flags) {
        BufferGroups buffers = loop.buffers;
        int bid = Cqe.bufferId(flags);
        if (!Cqe.hasBuffer(flags) || !buffers.isValid(group, bid)) {
            loop.dropped(udRecv, "recv of " + res + " bytes with buffer flags 0x" + Integer.toHexString(flags)
                    + " outside group " + buffers.bgid(group));
            return;
        }
        loop.bytesRead += res;
        lastActivity = loop.now;
        if (Cqe.sockNonEmpty(flags)) {
            loop.sockNonEmpty++;
        }
        int size = buffers.bufferSize();
        if (loop.paths.recvBundle) {
            // A bundle fills consecutive ring entries: full buffers, then a partial last one.
            if (res > size * (long) loop.uringOptions.buffersPerGroup()) {
                loop.dropped(udRecv, "recv bundle of " + res + " bytes, more than group " + buffers.bgid(group) + " holds");
                return;
            }
            int remaining = res;
            for (int k = 0; remaining > 0; k++) {
                int b = buffers.bundleBid(group, bid, k);
                buffers.take(group, b);
                int n = Math.min(size, remaining);
                deliver(buffers.buffer(group, b), 0, n);
                buffers.wipe(group, b, 0, n);
                buffers.recycle(group, b);
                remaining -= n;
            }
            return;
        }
        buffers.take(group, bid);
        int start = buffers.dataOffset(group, bid, res, flags);
        if (start + (long) res > size) {
            loop.dropped(udRecv, "recv of " + res + " bytes at offset " + start + " of a " + size + "-byte buffer");
            buffers.recycle(group, bid);
            return;
        }
        deliver(buffers.buffer(group, bid), start, res);
        buffers.wipe(group, bid, start, res);
        if (buffers.released(flags)) {
            buffers.recycle(group, bid);
        } else {
            buffers.leaveWithKernel(group, bid);
        }
    }

    /**
     * A msghdr whose iovec covers the queued blocks from {@code head}, in a pooled block this
     * connection holds until the send completes (the kernel reads the iovec when it issues the send).
     */
    private long sendmsgOf(BlockPool.Block head) {
        sendmsg = loop.blocks.acquire(SENDMSG_BYTES);
        MemorySegment m = sendmsg.segment;
        long iov = m.address() + Msghdr.LAYOUT.byteSize();
        int count = 0;
        for (BlockPool.Block b = head; b != null && count < MAX_IOV && !b.isFile(); b = b.next()) {
            long at = Msghdr.LAYOUT.byteSize() + count * Iovec.LAYOUT.byteSize();
            m.set(JAVA_LONG, at + Iovec.OFFSET_iov_base, b.segment.address() + b.readIndex);
            m.set(JAVA_LONG, at + Iovec.OFFSET_iov_len, b.readable());
            count++;
        }
        m.set(JAVA_LONG, Msghdr.OFFSET_msg_name, 0);
        m.set(JAVA_INT, Msghdr.OFFSET_msg_namelen, 0);
        m.set(JAVA_LONG, Msghdr.OFFSET_msg_iov, iov);
        m.set(JAVA_LONG, Msghdr.OFFSET_msg_iovlen, count);
        m.set(JAVA_LONG, Msghdr.OFFSET_msg_control, 0);
        m.set(JAVA_LONG, Msghdr.OFFSET_msg_controllen, 0);
        m.set(JAVA_INT, Msghdr.OFFSET_msg_flags, 0);
        return m.address();
    }

    private void onSend(int res) {
        sendInFlight = false;
        inflight--;
        if (sendmsg != null) {
            loop.blocks.release(sendmsg);
            sendmsg = null;
        }
        if (res >= 0) {
            sent(res);
        } else if (res != -Errno.ECANCELED) {
            fail(new ConnectionException("send", -res, toString()));
        }
    }

    private void onSendZc(int res, int flags) {
        if (Cqe.notif(flags)) {
            // The kernel no longer reads the block: it may be reused now.
            inflight--;
            BlockPool.Block b = zcBlocks[zcHead];
            zcBlocks[zcHead] = null;
            zcHead = (zcHead + 1) % MAX_ZC_PENDING;
            zcCount--;
            if (--b.zcPending == 0 && b.detached) {
                loop.blocks.release(b);
            }
            return;
        }
        sendInFlight = false;
        inflight--;
        if (Cqe.more(flags)) {
            inflight++;
        } else {
            // No notification will follow (the send failed before using the buffer).
            BlockPool.Block b = zcBlocks[(zcHead + zcCount - 1) % MAX_ZC_PENDING];
            zcBlocks[(zcHead + zcCount - 1) % MAX_ZC_PENDING] = null;
            zcCount--;
            b.zcPending--;
        }
        if (res >= 0) {
            sent(res);
        } else if (res != -Errno.ECANCELED) {
            fail(new ConnectionException("send_zc", -res, toString()));
        }
    }

    /** {@code n} bytes sent: advance the queue, and send the rest (short send) or finish what waited. */
    private void sent(int n) {
        advance(n);
        if (!output.isEmpty()) {
            loop.markDirty(this);
        } else {
            drained();
        }
    }

    // ------------------------------------------------------------------ connect

    /** Starts connecting to {@code address} (see {@link UringConnect}); {@code future} completes on the loop. */
    void connect(InetSocketAddress address, long timeoutNanos, long idleTimeoutNanos, CompletableFuture<Connection> future) {
        connecting = new UringConnect(loop.blocks, future, address, timeoutNanos, idleTimeoutNanos);
        remote = address;
        inflight += connecting.submit(loop, fd, fixed, UserData.encode(UserData.OP_CONNECT, generation, slot),
                UserData.encode(UserData.OP_LINK_TIMEOUT, generation, slot));
        future.whenComplete((c, t) -> {
            if (future.isCancelled()) {
                loop.post(this::cancelConnect);
            }
        });
    }

    private void cancelConnect() {
        if (connecting != null && connecting.connectPending()) {
            loop.sqe().prepCancel64(UserData.encode(UserData.OP_CONNECT, generation, slot), 0).userData(udCancel);
            inflight++;
        }
    }

    private void onConnectStep(int op, int res) {
        inflight--;
        UringConnect p = connecting;
        if (!p.completed(op == UserData.OP_CONNECT, res)) {
            return;
        }
        connecting = null;
        p.release(loop.blocks);
        Throwable cause = p.failure(toString());
        if (cause == null) {
            connected(p.future, p.idleTimeoutNanos);
            return;
        }
        p.future.completeExceptionally(cause);
        failure = cause;
        state = CLOSING;
        closeWhenIdle();
    }

    // ------------------------------------------------------------------ receive

    @Override
    protected void armRead() {
        if (redeliverPending()) {
            // A multishot receive drains the socket's backlog: arm it once the kept bytes are taken.
            return;
        }
        armRecv(false);
    }

    @Override
    protected void disarmRead() {
        if (recvArmed) {
            loop.sqe().prepCancel64(udRecv, 0).userData(udCancel);
            inflight++;
        }
    }

    private void armRecv(boolean pollFirst) {
        if (recvArmed || readPaused || inputClosed || state != OPEN) {
            return;
        }
        Sqe s = loop.sqe();
        if (loop.paths.recvBundle) {
            s.prepRecvMultishotBundle(fd, 0);
        } else if (loop.paths.multishotRecv) {
            s.prepRecvMultishot(fd, 0, 0, 0);
        } else {
            s.prepRecv(fd, 0, 0, 0);
        }
        s.bufferSelect(loop.buffers.bgid(group)).userData(udRecv);
        if (fixed) {
            s.fixedFile();
        }
        if (pollFirst) {
            s.addIoprio(IORING_RECVSEND_POLL_FIRST);
        }
        recvArmed = true;
        inflight++;
    }

    @Override
    protected boolean sendInFlight() {
        return sendInFlight;
    }

    /**
     * One send of the head block (zero-copy above the threshold), or of the first
     * {@link #MAX_IOV} blocks in one {@code sendmsg}; at most one in flight keeps bytes ordered.
     */
    @Override
    protected void sendQueued() {
        BlockPool.Block b = output.head();
        if (b.isFile()) {
            spliceQueued(b);
            return;
        }
        int n = b.readable();
        long addr = b.segment.address() + b.readIndex;
        Sqe s = loop.sqe();
        boolean zeroCopy = loop.paths.sendZc && n >= loop.paths.sendZcThreshold && zcCount < MAX_ZC_PENDING;
        if (b.next() != null && loop.paths.sendBatch && !zeroCopy) {
            s.prepSendmsg(fd, sendmsgOf(b), LibC.MSG_NOSIGNAL).userData(udSend);
        } else if (zeroCopy) {
            s.prepSendZc(fd, addr, n, LibC.MSG_NOSIGNAL, 0).userData(udSendZc);
            zcBlocks[(zcHead + zcCount) % MAX_ZC_PENDING] = b;
            zcCount++;
            b.zcPending++;
            loop.zeroCopySends++;
        } else {
            s.prepSend(fd, addr, n, LibC.MSG_NOSIGNAL).userData(udSend);
        }
        if (fixed) {
            s.fixedFile();
        }
        sendInFlight = true;
        inflight++;
    }

    // ------------------------------------------------------------------ file regions

    @Override
    protected boolean sendsFile(BlockPool.Block region) {
        return loop.paths.splice && region.file instanceof UringFile;
    }

    /**
     * Splices the next pipe-full of {@code region} into the pipe, linked to its splice out to the
     * socket; or, when the pipe still holds bytes (a short splice), those alone.
     */
    private void spliceQueued(BlockPool.Block region) {
        if (pipeIn < 0 && !openPipe()) {
            return;
        }
        sendInFlight = true;
        if (inPipe > 0) {
            spliceOut(inPipe);
            return;
        }
        int n = (int) Math.min(region.readable(), pipeSize);
        loop.reserve(2);
        loop.sqe().prepSplice(((UringFile) region.file).fd, region.filePosition(), pipeOut, -1, n, 0)
                .userData(udSpliceIn).addFlags(IOSQE_IO_LINK);
        splices++;
        inflight++;
        spliceOut(n);
    }

    private void spliceOut(int n) {
        Sqe s = loop.sqe().prepSplice(pipeIn, -1, fd, -1, n, 0).userData(udSpliceOut);
        if (fixed) {
            s.fixedFile();
        }
        splices++;
        inflight++;
    }

    /** The connection's pipe, as large as the kernel lets an unprivileged process make it. */
    private boolean openPipe() {
        BlockPool.Block fds = loop.blocks.acquire(8);
        try {
            int r = LibC.pipe2(fds.segment, LibC.O_CLOEXEC);
            if (r < 0) {
                fail(new ConnectionException("pipe2 for splice", -r, toString()));
                return false;
            }
            pipeIn = fds.segment.get(JAVA_INT, 0);
            pipeOut = fds.segment.get(JAVA_INT, 4);
        } finally {
            loop.blocks.release(fds);
        }
        int size = LibC.fcntl(pipeOut, F_SETPIPE_SZ, PIPE_SIZE);
        // Refused past the user's pipe-buffer allowance (fs.pipe-user-pages-soft): keep the default.
        pipeSize = size > 0 ? size : LibC.fcntl(pipeOut, F_GETPIPE_SZ, 0);
        if (pipeSize <= 0) {
            pipeSize = DEFAULT_PIPE_SIZE;
        }
        return true;
    }

    private void onSpliceIn(int res) {
        splices--;
        inflight--;
        if (res > 0) {
            inPipe += res;
        } else if (res == 0) {
            BlockPool.Block region = output.head();
            fail(new ConnectionException("splice of " + region.file.path(), Errno.EIO, toString(), "the file ended at offset "
                    + region.filePosition() + ", before the " + region.readable() + " bytes left of the region queued to send"));
        } else if (res != -Errno.ECANCELED && res != -Errno.EAGAIN && res != -Errno.EINTR) {
            fail(new ConnectionException("splice of " + output.head().file.path(), -res, toString()));
        }
        if (state == CLOSING && splices > 0) {
            // The splice out to the socket was issued only now, after the close's cancel: against a
            // peer that reads nothing it would wait for room forever.
            loop.sqe().prepCancel64(udSpliceOut, 0).userData(udCancel);
            inflight++;
        }
        spliceEnded();
    }

    private void onSpliceOut(int res) {
        splices--;
        inflight--;
        if (res > 0) {
            inPipe -= res;
            advance(res);
        } else if (res == 0 && inPipe > 0 && state == OPEN) {
            fail(new ConnectionException("splice to the socket", Errno.EPIPE, toString(), "it took nothing of " + inPipe
                    + " bytes"));
        } else if (res < 0 && res != -Errno.ECANCELED && res != -Errno.EAGAIN && res != -Errno.EINTR) {
            fail(new ConnectionException("splice to the socket", -res, toString()));
        }
        spliceEnded();
    }

    /**
     * Both splices of a step have completed: send on (what is left in the pipe, the rest of the
     * region, the queue behind it), or finish what waited for the queue to drain. A step that moved
     * nothing because the kernel asked to retry ({@code EAGAIN}, {@code EINTR}) is simply taken again.
     */
    private void spliceEnded() {
        if (splices > 0) {
            return;
        }
        sendInFlight = false;
        if (state != OPEN) {
            return;
        }
        if (!output.isEmpty()) {
            loop.markDirty(this);
        } else {
            drained();
        }
    }

    private void closePipe() {
        if (pipeIn >= 0) {
            LibC.close(pipeIn);
            LibC.close(pipeOut);
            pipeIn = pipeOut = -1;
        }
    }

    @Override
    protected void shutdownTransport() {
        Sqe s = loop.sqe().prepShutdown(fd, LibC.SHUT_WR).userData(udShutdown);
        if (fixed) {
            s.fixedFile();
        }
        inflight++;
    }

    @Override
    protected void closeTransport() {
        if (recvArmed || sendInFlight) {
            // One cancel for everything on the descriptor; each request still ends with its own CQE.
            Sqe s = loop.sqe().prepCancelFd(fd, IORING_ASYNC_CANCEL_ALL).userData(udCancel);
            if (fixed) {
                // A direct descriptor named by IOSQE_FIXED_FILE, which Linux 5.19 understands, rather
                // than by IORING_ASYNC_CANCEL_FD_FIXED, which came in 6.0.
                s.fixedFile();
            }
            inflight++;
        }
        closeWhenIdle();
    }

    private void closeWhenIdle() {
        if (inflight != 0 || closeSubmitted) {
            return;
        }
        closeSubmitted = true;
        Sqe s = loop.sqe();
        if (fixed) {
            s.prepCloseDirect(fd);
        } else {
            s.prepClose(fd);
        }
        s.userData(udClose);
        inflight++;
    }

    @Override
    protected void closeDescriptorNow() {
        if (connecting != null) {
            connecting.future.completeExceptionally(new ConnectionException("connect to " + connecting.address,
                    Errno.ECANCELED, toString(), "the event loop stopped"));
        }
        // A direct descriptor goes with the ring's file table; a close already submitted runs in the
        // loop's final drain.
        if (!fixed && !closeSubmitted) {
            closeSubmitted = true;
            LibC.close(fd);
        }
        // Splices still in flight hold their own references to the pipe's files.
        closePipe();
    }

    private void onClosed() {
        inflight--;
        closePipe();
        finishClose();
    }

    @Override
    protected void leaveLoop() {
        loop.released(this);
    }

    // ------------------------------------------------------------------ addresses

    @Override
    protected InetSocketAddress lookUpAddress(boolean peer) {
        if (!loop.inEventLoop()) {
            try {
                return loop.submit(() -> peer ? remoteAddress() : localAddress()).join();
            } catch (CompletionException stopped) {
                // The loop has stopped and the connection with it: only what was known remains.
                return peer ? remote : local;
            }
        }
        if (state == CLOSED) {
            return null;
        }
        int queryFd = fixed ? loop.installFd(fd, generation) : fd;
        if (queryFd < 0) {
            return null;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment len = a.allocateFrom(JAVA_INT, SockAddr.SIZEOF_STORAGE);
            if (LibC.getpeername(queryFd, addr, len) == 0) {
                remote = SockAddr.read(addr);
            }
            len.set(JAVA_INT, 0, SockAddr.SIZEOF_STORAGE);
            if (LibC.getsockname(queryFd, addr, len) == 0) {
                local = SockAddr.read(addr);
            }
        } finally {
            if (fixed) {
                LibC.close(queryFd);
            }
        }
        return peer ? remote : local;
    }

    @Override
    public String toString() {
        if (remote != null && !fixed) {
            return "connection#" + slot + "." + generation + " to " + remote + " on " + loop.name();
        }
        return "connection#" + slot + "." + generation + (fixed ? " (direct)" : " (fd " + fd + ")") + " on " + loop.name();
    }
}
