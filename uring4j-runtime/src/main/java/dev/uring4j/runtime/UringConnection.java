package dev.uring4j.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_FD_FIXED;
import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_POLL_FIRST;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.sys.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

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
 * <p><b>Close:</b> every operation the kernel holds is counted in {@link #inflight}; closing
 * cancels them, waits for each final completion, then closes the descriptor, and only then
 * releases memory and the slot and calls {@code onClose}. Owned by the loop's thread.
 */
final class UringConnection extends Connection {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    private static final int MIN_BLOCK = 16 * 1024;
    private static final int MAX_ZC_PENDING = 8;
    private static final long CLOSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    final UringEventLoop loop;
    final int slot;
    final int generation;
    final int fd;
    final boolean fixed;
    private final ConnectionHandler handler;
    final UringServer server;

    private final long udRecv;
    private final long udSend;
    private final long udSendZc;
    private final long udClose;
    private final long udCancel;
    private final long udShutdown;

    private int state = OPEN;
    /** Operations whose final completion has not arrived. */
    private int inflight;
    private boolean closeSubmitted;
    private Throwable failure;
    private boolean opened;

    // receive
    private boolean recvArmed;
    private boolean readPaused;
    private boolean inputClosed;
    private int group;
    private BlockPool.Block cumulation;

    // send
    private BlockPool.Block head;
    private BlockPool.Block tail;
    private long pending;
    private boolean writable = true;
    private boolean sendInFlight;
    private boolean flushRequested;
    private boolean closeRequested;
    private boolean shutdownRequested;
    private boolean outputShutdown;
    private final BlockPool.Block[] zcBlocks = new BlockPool.Block[MAX_ZC_PENDING];
    private int zcHead;
    private int zcCount;
    private Timeout drainTimer;

    // loop bookkeeping
    boolean inDirtyList;
    UringConnection nextDirty;
    private boolean redeliver;
    long lastActivity;
    private Timeout idleTimer;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    private PendingConnect connecting;

    UringConnection(UringEventLoop loop, int slot, int generation, int fd, boolean fixed, ConnectionHandler handler,
                    UringServer server) {
        this.loop = loop;
        this.slot = slot;
        this.generation = generation;
        this.fd = fd;
        this.fixed = fixed;
        this.handler = handler;
        this.server = server;
        this.udRecv = UserData.encode(UserData.OP_RECV, generation, slot);
        this.udSend = UserData.encode(UserData.OP_SEND, generation, slot);
        this.udSendZc = UserData.encode(UserData.OP_SEND_ZC, generation, slot);
        this.udClose = UserData.encode(UserData.OP_CLOSE, generation, slot);
        this.udCancel = UserData.encode(UserData.OP_CANCEL, generation, slot);
        this.udShutdown = UserData.encode(UserData.OP_SHUTDOWN, generation, slot);
        this.group = loop.buffers.assign();
        this.lastActivity = loop.now;
    }

    /** Calls onOpen, then starts receiving and the idle timer. */
    void open(long idleTimeoutNanos) {
        opened = true;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed("onOpen", t);
            return;
        }
        armRecv(false);
        if (idleTimeoutNanos > 0 && state == OPEN) {
            scheduleIdle(idleTimeoutNanos, idleTimeoutNanos);
        }
    }

    // ------------------------------------------------------------------ completions

    void onCompletion(int op, int res, int flags) {
        switch (op) {
            case UserData.OP_RECV -> onRecv(res, flags);
            case UserData.OP_SEND -> onSend(res);
            case UserData.OP_SEND_ZC -> onSendZc(res, flags);
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
        MemorySegment memory = buffers.memory(group);
        int size = buffers.bufferSize();
        if (loop.recvBundle) {
            // A bundle fills consecutive ring entries: full buffers, then a partial last one.
            if (res > size * (long) loop.options.buffersPerGroup) {
                loop.dropped(udRecv, "recv bundle of " + res + " bytes, more than group " + buffers.bgid(group) + " holds");
                return;
            }
            int remaining = res;
            for (int k = 0; remaining > 0; k++) {
                int b = buffers.bundleBid(group, bid, k);
                int n = Math.min(size, remaining);
                deliver(memory, buffers.offset(b), n);
                buffers.recycle(group, b);
                remaining -= n;
            }
            return;
        }
        int start = buffers.dataOffset(group, bid, res, flags);
        if (start + (long) res > size) {
            loop.dropped(udRecv, "recv of " + res + " bytes at offset " + start + " of a " + size + "-byte buffer");
            buffers.recycle(group, bid);
            return;
        }
        deliver(memory, buffers.offset(bid) + start, res);
        if (buffers.released(flags)) {
            buffers.recycle(group, bid);
        }
    }

    private void onEof() {
        if (inputClosed || state != OPEN) {
            return;
        }
        inputClosed = true;
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            handlerFailed("onInputClosed", t);
        }
    }

    private void onSend(int res) {
        sendInFlight = false;
        inflight--;
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

    /** {@code n} bytes left: advance the queue, release drained blocks, report writability. */
    private void sent(int n) {
        loop.bytesWritten += n;
        lastActivity = loop.now;
        pending -= n;
        while (n > 0 && head != null) {
            int take = Math.min(n, head.readable());
            head.readIndex += take;
            n -= take;
            if (head.readable() == 0) {
                popHead();
            }
        }
        if (!writable && pending <= loop.options.lowWatermark && state == OPEN) {
            writable = true;
            try {
                handler.onWritabilityChanged(this, true);
            } catch (Throwable t) {
                handlerFailed("onWritabilityChanged", t);
            }
        }
        if (head != null) {
            loop.markDirty(this);
        } else if (closeRequested && state == OPEN) {
            startClose();
        } else if (shutdownRequested && !outputShutdown && state == OPEN) {
            shutdownNow();
        }
    }

    private void popHead() {
        BlockPool.Block b = head;
        head = b.next;
        if (head == null) {
            tail = null;
        }
        b.next = null;
        if (b.zcPending > 0) {
            b.detached = true;
        } else {
            loop.blocks.release(b);
        }
    }

    // ------------------------------------------------------------------ connect

    /** An outgoing connect in flight: the connect and its linked timeout, and what they need. */
    private static final class PendingConnect {
        final java.util.concurrent.CompletableFuture<Connection> future;
        final InetSocketAddress address;
        final long timeoutNanos;
        final BlockPool.Block memory;
        final long idleTimeoutNanos;
        int connectRes = 1;
        int timeoutRes = 1;
        int remaining;

        PendingConnect(java.util.concurrent.CompletableFuture<Connection> future, InetSocketAddress address,
                       long timeoutNanos, BlockPool.Block memory, long idleTimeoutNanos) {
            this.future = future;
            this.address = address;
            this.timeoutNanos = timeoutNanos;
            this.memory = memory;
            this.idleTimeoutNanos = idleTimeoutNanos;
        }
    }

    /**
     * Starts connecting to {@code address}: a connect linked to a timeout, in one submission. The
     * socket address and timespec live in a pooled block until both completions are in.
     */
    void connect(InetSocketAddress address, long timeoutNanos, long idleTimeoutNanos,
                 java.util.concurrent.CompletableFuture<Connection> future) {
        BlockPool.Block memory = loop.blocks.acquire(SockAddr.SIZEOF_STORAGE + 16);
        int addrLen = SockAddr.write(memory.segment, address);
        long ts = memory.segment.address() + SockAddr.SIZEOF_STORAGE;
        memory.segment.set(java.lang.foreign.ValueLayout.JAVA_LONG, SockAddr.SIZEOF_STORAGE, timeoutNanos / 1_000_000_000L);
        memory.segment.set(java.lang.foreign.ValueLayout.JAVA_LONG, SockAddr.SIZEOF_STORAGE + 8, timeoutNanos % 1_000_000_000L);
        PendingConnect p = new PendingConnect(future, address, timeoutNanos, memory, idleTimeoutNanos);
        connecting = p;
        remote = address;
        boolean timed = timeoutNanos > 0;
        loop.reserve(2);
        Sqe s = loop.sqe().prepConnect(fd, memory.segment.address(), addrLen)
                .userData(UserData.encode(UserData.OP_CONNECT, generation, slot));
        p.remaining = 1;
        inflight++;
        if (timed) {
            s.addFlags(dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK);
            loop.sqe().prepLinkTimeout(ts, 0).userData(UserData.encode(UserData.OP_LINK_TIMEOUT, generation, slot));
            p.remaining = 2;
            inflight++;
        }
        future.whenComplete((c, t) -> {
            if (future.isCancelled()) {
                loop.execute(this::cancelConnect);
            }
        });
    }

    private void cancelConnect() {
        if (connecting != null && connecting.connectRes == 1) {
            loop.sqe().prepCancel64(UserData.encode(UserData.OP_CONNECT, generation, slot), 0).userData(udCancel);
            inflight++;
        }
    }

    private void onConnectStep(int op, int res) {
        inflight--;
        PendingConnect p = connecting;
        if (op == UserData.OP_CONNECT) {
            p.connectRes = res;
        } else {
            p.timeoutRes = res;
        }
        if (--p.remaining > 0) {
            return;
        }
        connecting = null;
        loop.blocks.release(p.memory);
        String target = "connect to " + p.address;
        if (p.connectRes == 0 && !p.future.isCancelled()) {
            if (p.future.complete(this)) {
                open(p.idleTimeoutNanos);
            } else {
                abort();
            }
            return;
        }
        Throwable cause;
        if (p.connectRes == -Errno.ECANCELED && p.timeoutRes == -Errno.ETIME) {
            cause = new ConnectionException(target, Errno.ETIMEDOUT, toString(), "timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(p.timeoutNanos) + " ms (linked timeout)");
        } else if (p.connectRes == 0) {
            cause = new java.util.concurrent.CancellationException(target + " was cancelled");
        } else {
            int errno = p.connectRes == -Errno.ECANCELED && p.future.isCancelled() ? Errno.ECANCELED : -p.connectRes;
            cause = new ConnectionException(target, errno, toString());
        }
        p.future.completeExceptionally(cause);
        failure = cause;
        state = CLOSING;
        closeWhenIdle();
    }

    // ------------------------------------------------------------------ receive

    private void armRecv(boolean pollFirst) {
        if (recvArmed || readPaused || inputClosed || state != OPEN) {
            return;
        }
        Sqe s = loop.sqe();
        if (loop.recvBundle) {
            s.prepRecvMultishotBundle(fd, 0);
        } else if (loop.multishotRecv) {
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

    private void deliver(MemorySegment memory, long offset, int length) {
        if (state != OPEN) {
            return;
        }
        if (cumulation == null && !readPaused) {
            int consumed = callOnData(memory, offset, length);
            if (consumed >= 0 && consumed < length && state == OPEN) {
                keep(memory, offset + consumed, length - consumed);
            }
            return;
        }
        keep(memory, offset, length);
        if (!readPaused) {
            deliverKept();
        }
    }

    /** Appends input the handler has not consumed yet. */
    private void keep(MemorySegment memory, long offset, int length) {
        BlockPool.Block c = cumulation;
        int have = c == null ? 0 : c.readable();
        if ((long) have + length > loop.options.maxUnconsumedInput) {
            fail(new ConnectionException("recv", Errno.ENOBUFS, toString(), "the handler left " + (have + length)
                    + " bytes unconsumed, over the limit of " + loop.options.maxUnconsumedInput));
            return;
        }
        if (c == null || c.capacity() - c.readIndex < have + length) {
            BlockPool.Block bigger = loop.blocks.acquire(have + length);
            if (c != null) {
                MemorySegment.copy(c.segment, c.readIndex, bigger.segment, 0, have);
                loop.blocks.release(c);
            }
            bigger.writeIndex = have;
            cumulation = c = bigger;
        } else if (c.writable() < length) {
            MemorySegment.copy(c.segment, c.readIndex, c.segment, 0, have);
            c.readIndex = 0;
            c.writeIndex = have;
        }
        MemorySegment.copy(memory, offset, c.segment, c.writeIndex, length);
        c.writeIndex += length;
    }

    private void deliverKept() {
        BlockPool.Block c = cumulation;
        while (c != null && c.readable() > 0 && !readPaused && state == OPEN) {
            int before = c.readable();
            int consumed = callOnData(c.segment, c.readIndex, before);
            if (consumed <= 0 || cumulation != c) {
                break;
            }
            c.readIndex += consumed;
            if (consumed == before) {
                break;
            }
        }
        if (c != null && cumulation == c && c.readable() == 0) {
            loop.blocks.release(c);
            cumulation = null;
        }
    }

    private int callOnData(MemorySegment memory, long offset, int length) {
        int consumed;
        try {
            consumed = handler.onData(this, memory, offset, length);
        } catch (Throwable t) {
            handlerFailed("onData", t);
            return -1;
        }
        if (consumed < 0 || consumed > length) {
            handlerFailed("onData", new IllegalStateException("onData returned " + consumed
                    + " consumed bytes of " + length));
            return -1;
        }
        return consumed;
    }

    // ------------------------------------------------------------------ send

    @Override
    public boolean write(MemorySegment src, long offset, int length) {
        if (!loop.inEventLoop()) {
            byte[] copy = new byte[length];
            MemorySegment.copy(src, JAVA_BYTE, offset, copy, 0, length);
            return write(copy, 0, length);
        }
        if (!acceptsOutput(length)) {
            return false;
        }
        int remaining = length;
        long from = offset;
        while (remaining > 0) {
            BlockPool.Block b = writableTail(remaining);
            int n = Math.min(remaining, b.writable());
            MemorySegment.copy(src, from, b.segment, b.writeIndex, n);
            b.writeIndex += n;
            from += n;
            remaining -= n;
        }
        queued(length);
        return true;
    }

    @Override
    public boolean write(byte[] src, int offset, int length) {
        if (!loop.inEventLoop()) {
            byte[] copy = java.util.Arrays.copyOfRange(src, offset, offset + length);
            loop.execute(() -> write(copy, 0, copy.length));
            return true;
        }
        if (!acceptsOutput(length)) {
            return false;
        }
        int remaining = length;
        int from = offset;
        while (remaining > 0) {
            BlockPool.Block b = writableTail(remaining);
            int n = Math.min(remaining, b.writable());
            MemorySegment.copy(src, from, b.segment, JAVA_BYTE, b.writeIndex, n);
            b.writeIndex += n;
            from += n;
            remaining -= n;
        }
        queued(length);
        return true;
    }

    private boolean acceptsOutput(int length) {
        return state == OPEN && !closeRequested && !shutdownRequested
                && pending + length <= loop.options.maxPendingOutput;
    }

    private BlockPool.Block writableTail(int want) {
        BlockPool.Block t = tail;
        if (t != null && t.writable() > 0 && t.zcPending == 0) {
            return t;
        }
        BlockPool.Block b = loop.blocks.acquire(Math.min(Math.max(want, MIN_BLOCK), 1 << 20));
        if (t == null) {
            head = tail = b;
        } else {
            t.next = b;
            tail = b;
        }
        return b;
    }

    private void queued(int length) {
        pending += length;
        if (writable && pending > loop.options.highWatermark) {
            writable = false;
            try {
                handler.onWritabilityChanged(this, false);
            } catch (Throwable t) {
                handlerFailed("onWritabilityChanged", t);
            }
        }
    }

    @Override
    public void flush() {
        if (!loop.inEventLoop()) {
            loop.execute(this::flush);
            return;
        }
        if (head != null && state == OPEN) {
            flushRequested = true;
            loop.markDirty(this);
        }
    }

    /** Called by the loop at the end of an iteration. */
    void flushNow() {
        if (redeliver) {
            redeliver = false;
            deliverKept();
        }
        if (sendInFlight || head == null || state != OPEN || (!flushRequested && !closeRequested)) {
            return;
        }
        BlockPool.Block b = head;
        int n = b.readable();
        long addr = b.segment.address() + b.readIndex;
        Sqe s = loop.sqe();
        if (loop.sendZc && n >= loop.sendZcThreshold && zcCount < MAX_ZC_PENDING) {
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

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long pendingOutputBytes() {
        return pending;
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void pauseReading() {
        if (!loop.inEventLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        if (readPaused || state != OPEN) {
            return;
        }
        readPaused = true;
        if (recvArmed) {
            loop.sqe().prepCancel64(udRecv, 0).userData(udCancel);
            inflight++;
        }
    }

    @Override
    public void resumeReading() {
        if (!loop.inEventLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        if (!readPaused || state != OPEN) {
            return;
        }
        readPaused = false;
        if (cumulation != null) {
            redeliver = true;
            loop.markDirty(this);
        }
        armRecv(false);
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void shutdownOutput() {
        if (!loop.inEventLoop()) {
            loop.execute(this::shutdownOutput);
            return;
        }
        if (shutdownRequested || state != OPEN) {
            return;
        }
        shutdownRequested = true;
        if (head == null && !sendInFlight) {
            shutdownNow();
        } else {
            flushRequested = true;
            loop.markDirty(this);
        }
    }

    private void shutdownNow() {
        outputShutdown = true;
        Sqe s = loop.sqe().prepShutdown(fd, LibC.SHUT_WR).userData(udShutdown);
        if (fixed) {
            s.fixedFile();
        }
        inflight++;
    }

    @Override
    public void close() {
        if (!loop.inEventLoop()) {
            loop.execute(this::close);
            return;
        }
        if (closeRequested || state != OPEN) {
            return;
        }
        closeRequested = true;
        if (head == null && !sendInFlight) {
            startClose();
            return;
        }
        flushRequested = true;
        loop.markDirty(this);
        // A peer that never reads must not hold the connection open forever.
        drainTimer = loop.schedule(CLOSE_DRAIN_NANOS, TimeUnit.NANOSECONDS, () -> {
            if (state == OPEN) {
                fail(new ConnectionException("send", Errno.ETIMEDOUT, UringConnection.this.toString(),
                        "queued output was not drained within " + TimeUnit.NANOSECONDS.toSeconds(CLOSE_DRAIN_NANOS)
                                + " s of close()"));
            }
        });
    }

    @Override
    public void abort() {
        if (!loop.inEventLoop()) {
            loop.execute(this::abort);
            return;
        }
        if (state != OPEN) {
            return;
        }
        discardOutput();
        startClose();
    }

    /** Closes because of {@code cause}; the handler hears it in onClose. */
    void fail(Throwable cause) {
        if (state != OPEN) {
            return;
        }
        failure = cause;
        discardOutput();
        startClose();
    }

    private void handlerFailed(String callback, Throwable t) {
        UringEventLoop.LOG.log(System.Logger.Level.WARNING, "handler " + callback + " of " + this + " threw; closing it", t);
        fail(t);
    }

    private void discardOutput() {
        // The block being sent stays until the send completes: the kernel may still read it.
        BlockPool.Block b = sendInFlight ? head.next : head;
        if (sendInFlight) {
            head.next = null;
            tail = head;
        } else {
            head = tail = null;
        }
        while (b != null) {
            BlockPool.Block next = b.next;
            b.next = null;
            loop.blocks.release(b);
            b = next;
        }
        pending = sendInFlight ? head.readable() : 0;
    }

    private void startClose() {
        state = CLOSING;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (drainTimer != null) {
            drainTimer.cancel();
        }
        if (recvArmed || sendInFlight) {
            // One cancel for everything on the descriptor; each request still ends with its own CQE.
            Sqe s = loop.sqe().prepCancelFd(fd, IORING_ASYNC_CANCEL_ALL | (fixed ? IORING_ASYNC_CANCEL_FD_FIXED : 0))
                    .userData(udCancel);
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

    private void onClosed() {
        inflight--;
        state = CLOSED;
        while (head != null) {
            popHead();
        }
        if (cumulation != null) {
            loop.blocks.release(cumulation);
            cumulation = null;
        }
        loop.released(this);
        if (server != null) {
            server.connectionClosed();
        }
        if (opened) {
            try {
                handler.onClose(this, failure);
            } catch (Throwable t) {
                UringEventLoop.LOG.log(System.Logger.Level.WARNING, "handler onClose of " + this + " threw", t);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return state != OPEN || closeRequested;
    }

    // ------------------------------------------------------------------ idle timeout

    private void scheduleIdle(long delayNanos, long idleNanos) {
        idleTimer = loop.schedule(delayNanos, TimeUnit.NANOSECONDS, () -> {
            if (state != OPEN) {
                return;
            }
            long idle = System.nanoTime() - lastActivity;
            if (idle >= idleNanos) {
                fail(new ConnectionException("recv", Errno.ETIMEDOUT, toString(),
                        "idle for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms"));
            } else {
                scheduleIdle(idleNanos - idle, idleNanos);
            }
        });
    }

    // ------------------------------------------------------------------ addresses

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (remote == null) {
            remote = address(true);
        }
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        if (local == null) {
            local = address(false);
        }
        return local;
    }

    private InetSocketAddress address(boolean peer) {
        if (!loop.inEventLoop()) {
            java.util.concurrent.CompletableFuture<InetSocketAddress> f = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> f.complete(peer ? remoteAddress() : localAddress()));
            return f.join();
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
