package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.Timeout;

/**
 * What a connection does the same way on every transport: the output queue of pooled native
 * blocks with its watermarks and limit, input the handler left unconsumed (kept, and presented
 * again contiguous with what arrives next), pausing and resuming reads, the orderly close that
 * drains output first (bounded by a 30 s timer), abort, the idle timeout, and exactly one
 * {@code onClose} once the transport has released the connection.
 *
 * <p>A transport supplies the I/O: {@link #armRead()} and {@link #disarmRead()} start and stop
 * receiving, {@link #sendQueued()} sends from the head of the queue and reports with
 * {@link #advance(int)} then {@link #drained()}, {@link #shutdownNow()} sends the FIN,
 * {@link #closeTransport()} cancels what it has in flight and closes, and calls
 * {@link #finishClose()} when nothing can touch the connection's memory any more. Received bytes
 * go through {@link #deliver}; {@link #onEof()} reports the peer's FIN. Owned by the loop's thread.
 *
 * @param <L> the transport's loop
 */
public abstract non-sealed class LoopConnection<L extends TransportLoop> extends Connection {
    public static final int OPEN = 0;
    public static final int CLOSING = 1;
    public static final int CLOSED = 2;
    private static final int MIN_BLOCK = 16 * 1024;
    private static final long CLOSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    public final L loop;
    protected final ConnectionHandler handler;

    public int state = OPEN;
    public Throwable failure;
    protected boolean opened;

    // receive
    public boolean readPaused;
    public boolean inputClosed;
    private BlockPool.Block cumulation;
    private boolean redeliver;

    // send
    public BlockPool.Block head;
    private BlockPool.Block tail;
    private long pending;
    private boolean writable = true;
    private boolean flushRequested;
    protected boolean closeRequested;
    private boolean shutdownRequested;
    protected boolean outputShutdown;
    private Timeout drainTimer;

    // loop bookkeeping
    protected boolean inDirtyList;
    protected LoopConnection<?> nextDirty;
    public long lastActivity;
    private Timeout idleTimer;
    public InetSocketAddress remote;
    public InetSocketAddress local;

    public LoopConnection(L loop, ConnectionHandler handler) {
        this.loop = loop;
        this.handler = handler;
        this.lastActivity = loop.now;
    }

    // ------------------------------------------------------------------ what the transport supplies

    /** Starts (or continues) receiving, unless paused, at EOF or closing. */
    protected abstract void armRead();

    /** Stops receiving: {@link #pauseReading()} was called. */
    protected abstract void disarmRead();

    /** Whether a send the transport started still holds the head block. */
    protected abstract boolean sendInFlight();

    /** Sends from the head of the queue: called at the end of an iteration with output flushed. */
    protected abstract void sendQueued();

    /** Shuts down the sending side (FIN); {@link #outputShutdown} is already set. */
    protected abstract void shutdownTransport();

    /** {@link #state} is now CLOSING: cancel what is in flight, close, then call {@link #finishClose()}. */
    protected abstract void closeTransport();

    /** The connection is gone from the transport: free its slot, tell its server. Before {@code onClose}. */
    protected abstract void released();

    /** Looks up the peer's ({@code peer}) or our address and stores both in {@link #remote}/{@link #local}. */
    protected abstract InetSocketAddress lookUpAddress(boolean peer);

    // ------------------------------------------------------------------ opening

    /** Calls onOpen, then starts receiving and the idle timer. */
    public void open(long idleTimeoutNanos) {
        opened = true;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed("onOpen", t);
            return;
        }
        armRead();
        if (idleTimeoutNanos > 0 && state == OPEN) {
            scheduleIdle(idleTimeoutNanos, idleTimeoutNanos);
        }
    }

    // ------------------------------------------------------------------ receive

    /** The peer's FIN: reported once, while open. */
    protected final void onEof() {
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

    /** Bytes received into {@code memory}: handed to the handler, or kept behind earlier unconsumed ones. */
    protected final void deliver(MemorySegment memory, long offset, int length) {
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
        if ((long) have + length > loop.options.maxUnconsumedInput()) {
            fail(new ConnectionException("recv", Errno.ENOBUFS, toString(), "the handler left " + (have + length)
                    + " bytes unconsumed, over the limit of " + loop.options.maxUnconsumedInput()));
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
                && pending + length <= loop.options.maxPendingOutput();
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
        if (writable && pending > loop.options.highWatermark()) {
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
    public void flushNow() {
        if (redeliver) {
            redeliver = false;
            deliverKept();
        }
        if (sendInFlight() || head == null || state != OPEN || (!flushRequested && !closeRequested)) {
            return;
        }
        sendQueued();
    }

    /** {@code n} bytes left: advance the queue, release drained blocks, report writability. */
    protected final void advance(int n) {
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
        if (!writable && pending <= loop.options.lowWatermark() && state == OPEN) {
            writable = true;
            try {
                handler.onWritabilityChanged(this, true);
            } catch (Throwable t) {
                handlerFailed("onWritabilityChanged", t);
            }
        }
    }

    /** The queue is empty: do what waited for it (close, or the FIN). */
    protected final void drained() {
        if (closeRequested && state == OPEN) {
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
        disarmRead();
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
        armRead();
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
        if (head == null && !sendInFlight()) {
            shutdownNow();
        } else {
            flushRequested = true;
            loop.markDirty(this);
        }
    }

    private void shutdownNow() {
        outputShutdown = true;
        shutdownTransport();
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
        if (head == null && !sendInFlight()) {
            startClose();
            return;
        }
        flushRequested = true;
        loop.markDirty(this);
        // A peer that never reads must not hold the connection open forever.
        drainTimer = loop.schedule(CLOSE_DRAIN_NANOS, TimeUnit.NANOSECONDS, () -> {
            if (state == OPEN) {
                fail(new ConnectionException("send", Errno.ETIMEDOUT, LoopConnection.this.toString(),
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
    protected final void fail(Throwable cause) {
        if (state != OPEN) {
            return;
        }
        failure = cause;
        discardOutput();
        startClose();
    }

    protected final void handlerFailed(String callback, Throwable t) {
        TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler " + callback + " of " + this + " threw; closing it", t);
        fail(t);
    }

    private void discardOutput() {
        // The block being sent stays until the send completes: the kernel may still read it.
        boolean inFlight = sendInFlight();
        BlockPool.Block b = inFlight ? head.next : head;
        if (inFlight) {
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
        pending = inFlight ? head.readable() : 0;
    }

    private void startClose() {
        state = CLOSING;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (drainTimer != null) {
            drainTimer.cancel();
        }
        closeTransport();
    }

    /** Nothing can touch the connection any more: free its memory and slot, then tell the handler. */
    protected final void finishClose() {
        state = CLOSED;
        while (head != null) {
            popHead();
        }
        if (cumulation != null) {
            loop.blocks.release(cumulation);
            cumulation = null;
        }
        released();
        if (opened) {
            try {
                handler.onClose(this, failure);
            } catch (Throwable t) {
                TransportLoop.LOG.log(System.Logger.Level.WARNING, "handler onClose of " + this + " threw", t);
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
            remote = lookUpAddress(true);
        }
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        if (local == null) {
            local = lookUpAddress(false);
        }
        return local;
    }
}
