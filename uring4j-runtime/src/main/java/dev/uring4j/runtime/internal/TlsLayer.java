package dev.uring4j.runtime.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.Timeout;
import dev.uring4j.runtime.TlsException;

/**
 * The TLS record layer of one connection, between the bytes the transport moves and the plaintext
 * the handler sees, driving the JDK's {@link SSLEngine} on the loop's thread.
 *
 * <p><b>Reading.</b> Ciphertext arrives through the same receive path as plaintext (on io_uring the
 * multishot receive's provided buffers). Each arrival is gathered into the loop's scratch behind a
 * partial record kept from before, the complete records are decrypted, and their plaintext goes to
 * the connection's ordinary delivery (which keeps what the handler leaves, and honours pausing); an
 * incomplete record at the end is kept for the next arrival.
 *
 * <p><b>Writing.</b> The handler's writes are staged as plaintext ({@link #plain}); when the
 * connection flushes, the staged bytes become records (up to 16 KiB each) appended to the
 * connection's ordinary output queue, so they leave with the same batching as plaintext would.
 *
 * <p><b>Handshake.</b> Runs before the handler is opened. The engine's delegated work runs on
 * {@link TlsTasks}; meanwhile arriving ciphertext is kept, and the loop goes on with other
 * connections. A deadline bounds it. A renegotiation after it is refused.
 *
 * <p><b>Closing.</b> {@code close()} and {@code shutdownOutput()} send {@code close_notify} after
 * the staged output; the peer's {@code close_notify} ends the input as a FIN does. A failure sends
 * the alert the engine prepared, then closes.
 */
final class TlsLayer {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final String TLS_1_3 = "TLSv1.3";

    private final LoopConnection<?> connection;
    final TlsContext context;
    final SSLEngine engine;
    private final TlsBuffers buffers;
    /** Plaintext written and not yet encrypted. */
    final OutboundQueue plain;
    /** Ciphertext of a record not complete yet, or received while a handshake task runs. */
    private final KeptInput partial;
    /** A client's connect, completed once the handshake is. */
    CompletableFuture<Connection> connectFuture;
    private Timeout handshakeTimer;
    boolean handshakeDone;
    private boolean taskRunning;
    private boolean failed;
    private boolean outboundClosed;
    /** The peer's FIN came while a task ran: the input ends once the records before it are read. */
    private boolean finPending;

    TlsLayer(LoopConnection<?> connection, TlsContext context, SSLEngine engine) {
        this.connection = connection;
        this.context = context;
        this.engine = engine;
        TransportLoop loop = connection.loop;
        if (loop.tlsBuffers == null) {
            loop.tlsBuffers = new TlsBuffers(engine.getSession());
        } else {
            loop.tlsBuffers.fit(engine.getSession());
        }
        this.buffers = loop.tlsBuffers;
        this.plain = new OutboundQueue(loop.blocks);
        this.partial = new KeptInput(loop.blocks);
    }

    // ------------------------------------------------------------------ handshake

    /** The TCP connection is up: begin the handshake (a client speaks first) under its deadline. */
    void start() {
        handshakeTimer = connection.loop.schedule(context.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS, () -> {
            if (!handshakeDone) {
                fail("handshake", "not completed within "
                        + TimeUnit.NANOSECONDS.toMillis(context.handshakeTimeoutNanos()) + " ms", null);
            }
        });
        try {
            engine.beginHandshake();
            step(engine.getHandshakeStatus());
        } catch (SSLException e) {
            fail("handshake", e.getMessage(), e);
        }
    }

    /** Does what the engine asks next, until it waits for the peer, for a task, or is done. */
    private void step(HandshakeStatus status) throws SSLException {
        HandshakeStatus hs = status;
        while (!failed) {
            switch (hs) {
                case NEED_WRAP -> hs = wrapHandshake();
                case NEED_TASK -> {
                    runTasks();
                    return;
                }
                case FINISHED -> {
                    // TLS 1.3's post-handshake messages (KeyUpdate, NewSessionTicket) end in FINISHED too.
                    if (!handshakeDone) {
                        finished();
                    }
                    return;
                }
                case NOT_HANDSHAKING -> {
                    // A handshake that ended inside a delegated task reports no FINISHED.
                    if (!handshakeDone) {
                        finished();
                    }
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    private HandshakeStatus wrapHandshake() throws SSLException {
        SSLEngineResult r = wrapNothing();
        return r.getStatus() == SSLEngineResult.Status.CLOSED ? HandshakeStatus.NOT_HANDSHAKING : r.getHandshakeStatus();
    }

    /** One wrap of no application data (a handshake message, close_notify, an alert), its records queued. */
    private SSLEngineResult wrapNothing() throws SSLException {
        while (true) {
            SSLEngineResult r = engine.wrap(NOTHING, buffers.netOut.clear());
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                queueRecords(r.bytesProduced());
                return r;
            }
            buffers.fit(engine.getSession());
        }
    }

    private void runTasks() {
        taskRunning = true;
        TransportLoop loop = connection.loop;
        try {
            TlsTasks.EXECUTOR.execute(() -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    // A task that fails leaves its exception for the engine's next call to throw.
                    task.run();
                }
                loop.post(this::tasksDone);
            });
        } catch (RejectedExecutionException e) {
            taskRunning = false;
            fail("handshake", "its computation could not be queued: " + TlsTasks.queueLimit()
                    + " handshakes are already waiting for a thread", e);
        }
    }

    /** Back on the loop after the engine's tasks: go on with the handshake, then with what arrived meanwhile. */
    private void tasksDone() {
        taskRunning = false;
        if (failed || connection.state != LoopConnection.OPEN) {
            return;
        }
        try {
            step(engine.getHandshakeStatus());
        } catch (SSLException e) {
            fail("handshake", e.getMessage(), e);
            return;
        }
        if (!taskRunning && !partial.isEmpty()) {
            received(MemorySegment.NULL, 0, 0);
        }
        if (finPending && !taskRunning && !failed) {
            finPending = false;
            if (finReceived()) {
                connection.inputEnded();
            }
        }
        connection.flush();
    }

    private void finished() {
        handshakeDone = true;
        handshakeTimer.cancel();
        connection.tlsHandshakeDone();
    }

    // ------------------------------------------------------------------ reading

    /** Ciphertext {@code [offset, offset + length)} of {@code memory} arrived. */
    void received(MemorySegment memory, long offset, int length) {
        if (failed) {
            return;
        }
        if (taskRunning) {
            keep(memory, offset, length);
            return;
        }
        long at = offset;
        int left = length;
        do {
            ByteBuffer in = buffers.netIn.clear();
            int have = partial.size();
            if (have > 0) {
                MemorySegment.copy(partial.segment(), partial.offset(), buffers.netInSegment, 0, have);
                partial.release();
            }
            int n = Math.min(left, in.capacity() - have);
            MemorySegment.copy(memory, at, buffers.netInSegment, have, n);
            at += n;
            left -= n;
            in.limit(have + n);
            unwrapRecords(in);
            if (failed || connection.state != LoopConnection.OPEN) {
                partial.release();
                return;
            }
            if (in.hasRemaining()) {
                partial.append(buffers.netInSegment, in.position(), in.remaining());
            }
            if (taskRunning && left > 0) {
                keep(memory, at, left);
                return;
            }
        } while (left > 0);
    }

    private void keep(MemorySegment memory, long offset, int length) {
        if (partial.size() + length > buffers.maxKept()) {
            fail(handshakeDone ? "unwrap" : "handshake", "the peer sent more than " + buffers.maxKept()
                    + " bytes while a handshake step was computed", null);
            return;
        }
        partial.append(memory, offset, length);
    }

    /** Decrypts the complete records of {@code in}, handing their plaintext on; stops at a partial one. */
    private void unwrapRecords(ByteBuffer in) {
        ByteBuffer app = buffers.appIn.clear();
        ByteBuffer[] dst = buffers.one;
        while (in.hasRemaining() && !failed && !taskRunning && connection.state == LoopConnection.OPEN) {
            dst[0] = app;
            SSLEngineResult r;
            try {
                r = engine.unwrap(in, dst, 0, 1);
            } catch (SSLException e) {
                handPlaintextOn(app);
                fail("unwrap", e.getMessage(), e);
                return;
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    handPlaintextOn(app);
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    if (app.position() == 0) {
                        buffers.fit(engine.getSession());
                        app = buffers.appIn.clear();
                    } else {
                        handPlaintextOn(app);
                    }
                    continue;
                }
                case CLOSED -> {
                    handPlaintextOn(app);
                    closeNotifyReceived(r.getHandshakeStatus());
                    return;
                }
                case OK -> {
                }
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs != HandshakeStatus.NOT_HANDSHAKING) {
                handPlaintextOn(app);
                if (handshakeDone && !TLS_1_3.equals(engine.getSession().getProtocol())
                        && (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP)) {
                    fail("unwrap", "the peer asked for a renegotiation, which is refused", null);
                    return;
                }
                try {
                    step(hs);
                } catch (SSLException e) {
                    fail("handshake", e.getMessage(), e);
                    return;
                }
            }
        }
        handPlaintextOn(app);
    }

    /** The plaintext decrypted so far goes to the handler, through the connection's delivery. */
    private void handPlaintextOn(ByteBuffer app) {
        int n = app.position();
        if (n > 0) {
            app.clear();
            connection.deliverPlaintext(buffers.appInSegment, 0, n);
        }
    }

    private void closeNotifyReceived(HandshakeStatus hs) {
        if (!handshakeDone) {
            fail("handshake", "the peer closed the session before the handshake completed", null);
            return;
        }
        try {
            // TLS 1.2 answers close_notify with its own; the engine asks for it.
            if (hs == HandshakeStatus.NEED_WRAP) {
                outboundClosed = true;
                // Nothing staged can be sent any more: a file region waiting to be read is given back.
                plain.releaseAll();
                wrapHandshake();
                connection.flush();
            }
        } catch (SSLException e) {
            fail("wrap", e.getMessage(), e);
            return;
        }
        connection.inputEnded();
    }

    /**
     * The peer's FIN arrived after every byte before it was handed here. Whether the plaintext
     * input may end now: not during the handshake or in the middle of a record (those fail the
     * connection), and not before records kept for a running task are read.
     */
    boolean finReceived() {
        if (failed) {
            return false;
        }
        if (!handshakeDone) {
            fail("handshake", "the peer closed the connection before the handshake completed", null);
            return false;
        }
        if (taskRunning) {
            finPending = true;
            return false;
        }
        if (!partial.isEmpty()) {
            fail("unwrap", "the peer closed the connection in the middle of a record (" + partial.size()
                    + " bytes of it arrived)", null);
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ writing

    /** Turns the staged plaintext into records on the connection's output queue. */
    void encrypt() {
        if (!handshakeDone || failed || outboundClosed) {
            return;
        }
        ByteBuffer[] src = buffers.one;
        // A file region stops it: the connection reads the region's next piece in front of it.
        while (!plain.isEmpty() && !plain.head().isFile()) {
            BlockPool.Block head = plain.head();
            int n = Math.min(head.readable(), buffers.appOut.capacity());
            MemorySegment.copy(head.segment, head.readIndex, buffers.appOutSegment, 0, n);
            src[0] = buffers.appOut.clear().limit(n);
            ByteBuffer out = buffers.netOut.clear();
            SSLEngineResult r;
            try {
                r = engine.wrap(src, 0, 1, out);
            } catch (SSLException e) {
                fail("wrap", e.getMessage(), e);
                return;
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> buffers.fit(engine.getSession());
                case CLOSED -> {
                    // The peer's close_notify closed both directions (TLS 1.2): nothing more can be sent.
                    plain.releaseAll();
                    return;
                }
                default -> {
                    plain.advance(r.bytesConsumed());
                    queueRecords(r.bytesProduced());
                    if (r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
                        try {
                            step(r.getHandshakeStatus());
                        } catch (SSLException e) {
                            fail("wrap", e.getMessage(), e);
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Sends what is staged, then {@code close_notify}; later writes are refused by the connection. */
    void closeOutbound() {
        if (outboundClosed || failed) {
            return;
        }
        if (!handshakeDone) {
            outboundClosed = true;
            return;
        }
        encrypt();
        outboundClosed = true;
        engine.closeOutbound();
        try {
            drainEngine();
        } catch (SSLException e) {
            fail("wrap", e.getMessage(), e);
        }
    }

    /** Wraps until the engine has nothing more to send (a close_notify, an alert). */
    private void drainEngine() throws SSLException {
        while (!engine.isOutboundDone()) {
            if (wrapNothing().bytesProduced() == 0) {
                return;
            }
        }
    }

    private void queueRecords(int n) {
        if (n > 0) {
            connection.queueCiphertext(buffers.netOutSegment, n);
        }
    }

    // ------------------------------------------------------------------ failing and releasing

    /**
     * The session cannot go on: the alert the engine prepared goes out, the staged plaintext is
     * dropped, and the connection closes with a {@link TlsException} naming {@code what}.
     */
    private void fail(String operation, String what, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        plain.releaseAll();
        partial.release();
        if (cause != null) {
            engine.closeOutbound();
            try {
                drainEngine();
            } catch (SSLException alertFailed) {
                // Nothing more can be said to the peer; the close below is all that is left.
            }
        }
        connection.tlsFailed(new TlsException(handshakeDone ? operation : "handshake", connection.toString(), what, cause));
    }

    /** The connection closed before the handshake completed: a client's connect hears why. */
    void closedBeforeOpen(Throwable failure) {
        if (connectFuture != null) {
            CompletableFuture<Connection> future = connectFuture;
            connectFuture = null;
            future.completeExceptionally(failure != null ? failure : new TlsException("handshake", connection.toString(),
                    "the connection closed before the handshake completed", null));
        }
    }

    /** The connection is gone: its staged memory goes back to the loop's pool. */
    void release() {
        plain.releaseAll();
        partial.release();
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
    }
}
