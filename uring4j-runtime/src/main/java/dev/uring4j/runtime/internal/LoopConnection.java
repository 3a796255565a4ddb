package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.SharedBuffer;
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
    private static final long CLOSE_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The most of a file region read into memory at once, when it is not spliced or sent from the file. */
    private static final int FILE_PIECE = 256 * 1024;

    public final L loop;
    protected final ConnectionHandler handler;
    /** The server that accepted the connection; {@code null} for a client's. */
    public final LoopServer server;

    public int state = OPEN;
    public Throwable failure;
    protected boolean opened;

    // receive
    public boolean readPaused;
    public boolean inputClosed;
    private final KeptInput kept;
    private boolean redeliver;
    /** The FIN arrived while kept bytes waited for reading to resume: reported after them. */
    private boolean eofPending;

    // send
    protected final OutboundQueue output;
    /** Bytes other threads' writes have reserved room for and handed to the loop, not yet queued. */
    private final java.util.concurrent.atomic.AtomicLong inTransit = new java.util.concurrent.atomic.AtomicLong();
    /** Set, from any thread, once the connection takes no more output (closing, closed, output shut down). */
    private volatile boolean writesRefused;
    private boolean writable = true;
    private boolean flushRequested;
    protected boolean closeRequested;
    private boolean shutdownRequested;
    protected boolean outputShutdown;
    private Timeout drainTimer;
    /** A piece of a file region being read into the connection's memory, or {@code null}. */
    private BlockPool.Block fileRead;
    private final dev.uring4j.runtime.LoopFile.ReadCallback fileReadDone = this::fileRead;
    /** TLS's close_notify waits for the file regions queued before the close to be encrypted. */
    private boolean tlsCloseDeferred;

    // loop bookkeeping
    protected boolean inDirtyList;
    protected LoopConnection<?> nextDirty;
    public long lastActivity;
    private Timeout idleTimer;
    private long idleTimeoutNanos;

    /** The TLS record layer between the socket's bytes and the handler's, or {@code null} without TLS. */
    private TlsLayer tls;
    public InetSocketAddress remote;
    public InetSocketAddress local;

    protected LoopConnection(L loop, ConnectionHandler handler, LoopServer server) {
        this.loop = loop;
        this.handler = handler;
        this.server = server;
        this.lastActivity = loop.now;
        this.kept = new KeptInput(loop.blocks);
        this.output = new OutboundQueue(loop.blocks);
        if (loop.leaks != null) {
            loop.leaks.acquired(Leaks.Kind.DESCRIPTOR, this, "the socket of a connection");
        }
        if (server != null && server.tls != null) {
            tls = new TlsLayer(this, server.tls, server.tls.newEngine(null, -1));
        }
    }

    /**
     * Makes this client connection speak TLS to {@code peer} (its host string names the server
     * for SNI and the certificate check); before it connects.
     */
    public final void useTls(TlsContext context, InetSocketAddress peer) {
        tls = new TlsLayer(this, context, context.newEngine(peer.getHostString(), peer.getPort()));
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

    /**
     * Whether {@link #sendQueued()} sends the file region {@code region} at the head of the queue
     * itself (a splice, a sendfile); if not, the connection reads it into memory a piece at a time.
     */
    protected abstract boolean sendsFile(BlockPool.Block region);

    /** Shuts down the sending side (FIN); {@link #outputShutdown} is already set. */
    protected abstract void shutdownTransport();

    /** {@link #state} is now CLOSING: cancel what is in flight, close, then call {@link #finishClose()}. */
    protected abstract void closeTransport();

    /** The connection is gone from the transport: it leaves its loop's table. Before {@code onClose}. */
    protected abstract void leaveLoop();

    /** Looks up the peer's ({@code peer}) or our address and stores both in {@link #remote}/{@link #local}. */
    protected abstract InetSocketAddress lookUpAddress(boolean peer);

    // ------------------------------------------------------------------ opening

    /**
     * The client's connect succeeded: the future completes with the connection and the handler is
     * opened; with TLS, both wait for the handshake (and a failed one fails the future).
     */
    protected final void connected(java.util.concurrent.CompletableFuture<Connection> future, long idleTimeoutNanos) {
        if (tls != null) {
            tls.connectFuture = future;
            open(idleTimeoutNanos);
        } else if (future.complete(this)) {
            open(idleTimeoutNanos);
        } else {
            abort();
        }
    }

    /**
     * The connection is established: calls onOpen, then starts receiving and the idle timer. With
     * TLS the handshake comes first, and the handler is opened when it completes.
     */
    public void open(long idleTimeoutNanos) {
        if (tls != null) {
            this.idleTimeoutNanos = idleTimeoutNanos;
            tls.start();
            armRead();
            return;
        }
        openHandler(idleTimeoutNanos);
    }

    private void openHandler(long idleTimeoutNanos) {
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

    /**
     * The peer's FIN: reported once, while open, and after every byte that came before it. Bytes
     * kept while reading is paused (a multishot receive can complete the FIN right behind them,
     * before the pause cancels it) are offered to the handler first, once reading resumes.
     */
    protected final void onEof() {
        if (inputClosed || state != OPEN) {
            return;
        }
        if (tls != null && !tls.finReceived()) {
            return;
        }
        inputEnded();
    }

    /** The input ended (the FIN, or TLS's close_notify): reported once, after the bytes before it. */
    final void inputEnded() {
        if (inputClosed || state != OPEN) {
            return;
        }
        inputClosed = true;
        if (tls != null) {
            // After close_notify the socket may still be readable (the FIN follows): stop asking.
            disarmRead();
        }
        if (readPaused || redeliver) {
            eofPending = true;
            return;
        }
        reportEof();
    }

    private void reportEof() {
        eofPending = false;
        try {
            handler.onInputClosed(this);
        } catch (Throwable t) {
            handlerFailed("onInputClosed", t);
        }
    }

    /** Bytes received into {@code memory}: decrypted first with TLS, then {@link #deliverPlaintext}. */
    protected final void deliver(MemorySegment memory, long offset, int length) {
        if (tls != null) {
            if (state == OPEN) {
                tls.received(memory, offset, length);
            }
            return;
        }
        deliverPlaintext(memory, offset, length);
    }

    /** Plaintext for the handler: handed over, or kept behind earlier unconsumed bytes. */
    final void deliverPlaintext(MemorySegment memory, long offset, int length) {
        if (state != OPEN) {
            return;
        }
        if (kept.isEmpty() && !readPaused) {
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

    /** Keeps input the handler has not consumed yet, within the limit on unconsumed input. */
    private void keep(MemorySegment memory, long offset, int length) {
        long total = (long) kept.size() + length;
        if (total > loop.options.maxUnconsumedInput()) {
            fail(new ConnectionException("recv", Errno.ENOBUFS, toString(), "the handler left " + total
                    + " bytes unconsumed, over the limit of " + loop.options.maxUnconsumedInput()));
            return;
        }
        kept.append(memory, offset, length);
    }

    private void deliverKept() {
        while (!kept.isEmpty() && !readPaused && state == OPEN) {
            int before = kept.size();
            int consumed = callOnData(kept.segment(), kept.offset(), before);
            if (consumed <= 0 || kept.isEmpty()) {
                break;
            }
            kept.consume(consumed);
            if (consumed == before) {
                break;
            }
        }
        if (eofPending && !readPaused && state == OPEN) {
            reportEof();
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
        Objects.checkFromIndexSize(offset, length, src.byteSize());
        if (!loop.inEventLoop()) {
            byte[] copy = new byte[length];
            MemorySegment.copy(src, JAVA_BYTE, offset, copy, 0, length);
            return writeFromElsewhere(copy, 0, length, false);
        }
        if (!acceptsOutput(length)) {
            return false;
        }
        plaintextQueue().append(src, offset, length);
        queued();
        return true;
    }

    @Override
    public boolean write(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (!loop.inEventLoop()) {
            return writeFromElsewhere(src, offset, length, false);
        }
        if (!acceptsOutput(length)) {
            return false;
        }
        plaintextQueue().append(src, offset, length);
        queued();
        return true;
    }

    @Override
    public boolean write(SharedBuffer buf, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.byteSize());
        if (!loop.inEventLoop()) {
            return writeSharedFromElsewhere(buf, offset, length);
        }
        if (!acceptsOutput(length)) {
            return false;
        }
        if (length > 0) {
            plaintextQueue().append(buf, offset, length);
            queued();
        }
        return true;
    }

    @Override
    public boolean writeAndFlush(MemorySegment src, long offset, int length) {
        if (!loop.inEventLoop()) {
            Objects.checkFromIndexSize(offset, length, src.byteSize());
            byte[] copy = new byte[length];
            MemorySegment.copy(src, JAVA_BYTE, offset, copy, 0, length);
            return writeFromElsewhere(copy, 0, length, true);
        }
        boolean queued = write(src, offset, length);
        flush();
        return queued;
    }

    @Override
    public boolean writeAndFlush(byte[] src, int offset, int length) {
        if (!loop.inEventLoop()) {
            Objects.checkFromIndexSize(offset, length, src.length);
            return writeFromElsewhere(src, offset, length, true);
        }
        boolean queued = write(src, offset, length);
        flush();
        return queued;
    }

    @Override
    public boolean writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("file region at " + position + " of " + length + " bytes");
        }
        if (file.loop() != loop) {
            throw new IllegalArgumentException(file + " is open on " + file.loop() + ", not on " + loop.name()
                    + " which serves " + this);
        }
        if (!loop.inEventLoop()) {
            if (writesRefused) {
                return false;
            }
            return loop.post(() -> {
                if (state == OPEN && !closeRequested && !shutdownRequested) {
                    queueFile((LoopFileBase) file, position, length);
                }
            });
        }
        if (!acceptsOutput(0)) {
            return false;
        }
        queueFile((LoopFileBase) file, position, length);
        return true;
    }

    private void queueFile(LoopFileBase file, long position, long length) {
        if (length > 0) {
            plaintextQueue().appendFile(file, position, length);
            queued();
        }
    }

    private boolean acceptsOutput(int length) {
        return state == OPEN && !closeRequested && !shutdownRequested
                && queuedMemory() + inTransit.get() + length <= loop.options.maxPendingOutput();
    }

    /** Where the handler's bytes go: the output queue, or with TLS the plaintext waiting to be encrypted. */
    private OutboundQueue plaintextQueue() {
        return tls == null ? output : tls.plain;
    }

    /** Output queued and not yet taken by the kernel, plaintext not yet encrypted included. */
    private long queuedBytes() {
        return tls == null ? output.pending() : output.pending() + tls.plain.pending();
    }

    /** {@link #queuedBytes()} without what file regions hold: the memory the output limit bounds. */
    private long queuedMemory() {
        return tls == null ? output.memory() : output.memory() + tls.plain.memory();
    }

    /**
     * A write from another thread: the answer is decided here, truthfully. The bytes are refused
     * ({@code false}) if the connection no longer takes output or they would pass the output
     * limit; otherwise their room is reserved ({@link #inTransit}) and a copy goes to the loop, which
     * queues it in order behind everything written before. Only a close that the loop decides in
     * the meantime can still drop them, and then the handler hears why in {@code onClose}, as for
     * any output a close discards. With {@code thenFlush} the same task flushes: one hand-off.
     */
    private boolean writeFromElsewhere(byte[] src, int offset, int length, boolean thenFlush) {
        if (!reserveFromElsewhere(length)) {
            return false;
        }
        byte[] copy = Arrays.copyOfRange(src, offset, offset + length);
        if (!loop.post(() -> {
            inTransit.addAndGet(-length);
            if (state == OPEN && !closeRequested && !shutdownRequested) {
                plaintextQueue().append(copy, 0, length);
                queued();
                if (thenFlush) {
                    flush();
                }
            }
        })) {
            inTransit.addAndGet(-length);
            return false;
        }
        return true;
    }

    /**
     * Whether {@code length} more bytes, written from another thread, fit under the output limit;
     * if so their room is reserved in {@link #inTransit} until the loop queues them.
     */
    private boolean reserveFromElsewhere(int length) {
        if (writesRefused) {
            return false;
        }
        long reserved = inTransit.addAndGet(length);
        long queued = tls == null ? output.memoryFromAnyThread()
                : output.memoryFromAnyThread() + tls.plain.memoryFromAnyThread();
        if (queued + reserved > loop.options.maxPendingOutput()) {
            inTransit.addAndGet(-length);
            return false;
        }
        return true;
    }

    /**
     * A shared write from another thread: decided as {@link #writeFromElsewhere}, with a reference
     * instead of a copy travelling to the loop. The task owns that reference and drops it when it
     * has run (the queue took its own) or when the loop refuses it.
     */
    private boolean writeSharedFromElsewhere(SharedBuffer buf, long offset, int length) {
        // Taken first: a freed buffer fails here, before any room is reserved.
        buf.retain();
        if (!reserveFromElsewhere(length)) {
            buf.release();
            return false;
        }
        SharedWrite task = new SharedWrite(this, buf, offset, length);
        loop.post(task, task::refused);
        return !task.refused;
    }

    /** A shared buffer's bytes on their way to the loop, with the reference that keeps them alive. */
    private static final class SharedWrite implements Runnable {
        private final LoopConnection<?> connection;
        private final SharedBuffer buf;
        private final long offset;
        private final int length;
        /** Set if the loop will never run the task (it has stopped). */
        volatile boolean refused;

        SharedWrite(LoopConnection<?> connection, SharedBuffer buf, long offset, int length) {
            this.connection = connection;
            this.buf = buf;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public void run() {
            LoopConnection<?> c = connection;
            try {
                c.inTransit.addAndGet(-length);
                if (c.state == OPEN && !c.closeRequested && !c.shutdownRequested && length > 0) {
                    c.plaintextQueue().append(buf, offset, length);
                    c.queued();
                }
            } finally {
                buf.release();
            }
        }

        void refused() {
            refused = true;
            connection.inTransit.addAndGet(-length);
            buf.release();
        }
    }

    /** Output was queued: past the high watermark the handler hears the connection is not writable. */
    private void queued() {
        if (writable && queuedBytes() > loop.options.highWatermark()) {
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
            loop.post(this::flush);
            return;
        }
        if (!(output.isEmpty() && (tls == null || tls.plain.isEmpty())) && state == OPEN) {
            flushRequested = true;
            loop.markDirty(this);
        }
    }

    /** Called by the loop at the end of an iteration. */
    public void flushNow() {
        if (redeliver) {
            redeliver = false;
            deliverKept();
            armRead();
        }
        if (tls != null && state == OPEN && (flushRequested || closeRequested)) {
            tls.encrypt();
        }
        if (state != OPEN || (!flushRequested && !closeRequested)) {
            return;
        }
        readFilePiece();
        if (sendInFlight() || output.isEmpty() || (output.head().isFile() && !sendsFile(output.head()))) {
            return;
        }
        sendQueued();
    }

    /**
     * Reads the next piece of the file region at the head of the plaintext when nothing is before
     * it: without TLS, when everything before it has been sent (the transport does not send files
     * itself); with TLS, when the records of the pieces before it are down to the low watermark. So a
     * region costs one piece of memory at a time, whatever the peer's pace.
     */
    private void readFilePiece() {
        OutboundQueue q = plaintextQueue();
        BlockPool.Block region = q.head();
        if (fileRead != null || region == null || !region.isFile()
                || (tls == null ? sendsFile(region) : output.memory() > loop.options.lowWatermark())) {
            return;
        }
        int n = Math.min(region.readable(), FILE_PIECE);
        fileRead = loop.blocks.acquire(n);
        region.file.readHeld(fileRead.segment.asSlice(0, n), region.filePosition(), fileReadDone);
    }

    /** A piece of the region at the head was read: it goes in front of the region, to be sent. */
    private void fileRead(int bytes, java.io.IOException error) {
        BlockPool.Block piece = fileRead;
        fileRead = null;
        OutboundQueue q = plaintextQueue();
        if (state != OPEN || q.isEmpty() || !q.head().isFile()) {
            // The connection closed, or discarded its output, while the piece was read.
            loop.blocks.release(piece);
            closeIfIdle();
            return;
        }
        if (bytes <= 0) {
            loop.blocks.release(piece);
            BlockPool.Block region = q.head();
            fail(error instanceof dev.uring4j.ring.ErrnoException e
                    ? new ConnectionException("read of " + region.file.path() + " to send", e.errno(), toString())
                    : new ConnectionException("read of " + region.file.path() + " to send", Errno.EIO, toString(),
                            error != null ? error.getMessage() : "the file ended at offset " + region.filePosition()
                                    + ", before the " + region.readable() + " bytes left of the region queued to send"));
            return;
        }
        q.fill(piece, bytes);
        if (tls != null && tlsCloseDeferred && !q.hasFile()) {
            tlsCloseDeferred = false;
            tls.closeOutbound();
        }
        loop.markDirty(this);
    }

    /** A file region waits to be read, or a piece of one is being read: the connection is not drained. */
    private boolean fileOutstanding() {
        return fileRead != null || plaintextQueue().hasFile();
    }

    /** Nothing left to send: what waited for it (a close, the FIN) may go ahead. */
    private boolean idle() {
        return output.isEmpty() && !sendInFlight() && !fileOutstanding();
    }

    /** A close that waited for a piece being read goes ahead once it is in. */
    private void closeIfIdle() {
        if (state == OPEN && closeRequested && idle()) {
            startClose();
        }
    }

    /** {@code n} bytes left: advance the queue, release drained blocks, report writability. */
    protected final void advance(int n) {
        loop.bytesWritten += n;
        lastActivity = loop.now;
        output.advance(n);
        if (tls != null && tls.plain.hasFile()) {
            // The records sent may have made room for the next piece of a file.
            loop.markDirty(this);
        }
        if (!writable && queuedBytes() <= loop.options.lowWatermark() && state == OPEN) {
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
        if (fileOutstanding()) {
            loop.markDirty(this);
        } else if (closeRequested && state == OPEN) {
            startClose();
        } else if (shutdownRequested && !outputShutdown && state == OPEN) {
            shutdownNow();
        }
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long pendingOutputBytes() {
        return queuedBytes();
    }

    // ------------------------------------------------------------------ flow control

    @Override
    public void pauseReading() {
        if (!loop.inEventLoop()) {
            loop.post(this::pauseReading);
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
            loop.post(this::resumeReading);
            return;
        }
        if (!readPaused || state != OPEN) {
            return;
        }
        readPaused = false;
        if (!kept.isEmpty() || eofPending) {
            redeliver = true;
            loop.markDirty(this);
        }
        armRead();
    }

    /**
     * Whether kept bytes wait to be offered again after a resume (at the end of this iteration,
     * when receiving is started again whatever the transport did on resume). A transport whose
     * receive takes in the socket's whole backlog at once waits for that: armed now, it would pile
     * the backlog up behind the kept bytes, and a handler that takes less than arrives, pausing
     * again, would see the kept bytes grow with every resume.
     */
    protected final boolean redeliverPending() {
        return redeliver;
    }

    // ------------------------------------------------------------------ closing

    @Override
    public void shutdownOutput() {
        writesRefused = true;
        if (!loop.inEventLoop()) {
            loop.post(this::shutdownOutput);
            return;
        }
        if (shutdownRequested || state != OPEN) {
            return;
        }
        shutdownRequested = true;
        closeTlsOutbound();
        if (idle()) {
            shutdownNow();
        } else {
            flushRequested = true;
            loop.markDirty(this);
        }
    }

    /** TLS's close_notify goes after the staged plaintext, once no file region is left in it. */
    private void closeTlsOutbound() {
        if (tls != null) {
            if (tls.plain.hasFile()) {
                tlsCloseDeferred = true;
            } else {
                tls.closeOutbound();
            }
        }
    }

    private void shutdownNow() {
        outputShutdown = true;
        shutdownTransport();
    }

    @Override
    public void close() {
        writesRefused = true;
        if (!loop.inEventLoop()) {
            loop.post(this::close);
            return;
        }
        if (closeRequested || state != OPEN) {
            return;
        }
        closeRequested = true;
        closeTlsOutbound();
        if (idle()) {
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
            loop.post(this::abort);
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
        if (!output.isEmpty()) {
            output.discard(sendInFlight());
        }
        if (tls != null) {
            tls.plain.releaseAll();
        }
    }

    private void startClose() {
        writesRefused = true;
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
        writesRefused = true;
        state = CLOSED;
        output.releaseAll();
        kept.release();
        if (tls != null) {
            tls.release();
        }
        descriptorClosed();
        closed();
    }

    private void descriptorClosed() {
        if (loop.leaks != null) {
            loop.leaks.released(Leaks.Kind.DESCRIPTOR, this);
        }
    }

    /**
     * The loop cannot go on ({@code cause}): the connection closes now, without waiting for the
     * kernel (the loop cancels and drains what it holds before its memory goes), and the handler
     * hears {@code cause} unless the connection had already failed for a reason of its own.
     */
    public final void loopDied(Throwable cause) {
        if (state == CLOSED) {
            return;
        }
        if (failure == null) {
            failure = cause;
        }
        writesRefused = true;
        state = CLOSED;
        closeDescriptorNow();
        descriptorClosed();
        closed();
    }

    /** Closes the connection's descriptor at once, unless a close of it is already under way. */
    protected abstract void closeDescriptorNow();

    /** Gone: out of the loop's table, the server told, the handler told (once). */
    private void closed() {
        if (!opened && tls != null) {
            tls.closedBeforeOpen(failure);
        }
        leaveLoop();
        if (server != null) {
            // A listener waiting for room may accept again.
            server.connectionClosed();
        }
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

    // ------------------------------------------------------------------ TLS

    /** The handshake completed: a client's connect future completes, then the handler is opened. */
    final void tlsHandshakeDone() {
        java.util.concurrent.CompletableFuture<Connection> future = tls.connectFuture;
        if (future != null) {
            tls.connectFuture = null;
            if (!future.complete(this)) {
                abort();
                return;
            }
        }
        openHandler(idleTimeoutNanos);
        if (!output.isEmpty()) {
            // The handshake's last flight, and whatever the handler wrote in onOpen.
            flush();
        }
    }

    /** Records are queued to send (handshake messages, encrypted output, close_notify, an alert). */
    final void queueCiphertext(MemorySegment records, int length) {
        output.append(records, 0, length);
        flushRequested = true;
        loop.markDirty(this);
    }

    /**
     * The TLS session failed ({@code cause} names why): a handshake's failure goes to the client's
     * connect future or the server's failure listener, since no handler saw the connection; then
     * the connection closes after sending the alert the engine prepared.
     */
    final void tlsFailed(dev.uring4j.runtime.TlsException cause) {
        if (!opened) {
            java.util.concurrent.CompletableFuture<Connection> future = tls.connectFuture;
            if (future != null) {
                tls.connectFuture = null;
                future.completeExceptionally(cause);
            } else {
                tls.context.handshakeFailed(cause);
            }
        }
        if (state != OPEN) {
            return;
        }
        failure = cause;
        if (closeRequested) {
            return;
        }
        close();
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession() {
        return tls == null || !tls.handshakeDone ? null : tls.engine.getSession();
    }

    @Override
    public String applicationProtocol() {
        String p = tls == null || !tls.handshakeDone ? null : tls.engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? null : p;
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
