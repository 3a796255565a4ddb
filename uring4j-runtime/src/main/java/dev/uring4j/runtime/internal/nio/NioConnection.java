package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.internal.LoopConnection;
import dev.uring4j.runtime.Timeout;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * A connection on a NIO loop: a non-blocking {@link SocketChannel} registered with the loop's
 * selector.
 *
 * <p><b>Receive:</b> while reading is wanted the key asks for {@code OP_READ}; each readiness
 * reads once into the loop's shared read buffer and delivers it (level-triggered epoll reports
 * the rest next time, so busy connections take turns). {@code pauseReading} drops the interest,
 * so the socket fills and TCP pushes back on the peer, as io_uring's cancelled receive does.
 *
 * <p><b>Send:</b> at the end of an iteration the queued blocks are written in order until the
 * socket is full; the rest waits for {@code OP_WRITE}. The JDK copies from our native blocks
 * straight into the kernel, so a block is free again when the write returns.
 *
 * <p><b>Close:</b> the channel is closed at the end of the iteration in which the close was
 * decided, never inside a call of the handler's, and {@code onClose} follows, as on io_uring.
 * Owned by the loop's thread.
 */
public final class NioConnection extends LoopConnection<NioEventLoop> implements NioEventLoop.Ready {
    final long id;
    final SocketChannel channel;
    SelectionKey key;
    /** Index in the loop's connection array. */
    int index = -1;
    /** The ops the key asks for now. */
    private int interest;
    /** The socket took less than we had: the rest waits for OP_WRITE. */
    private boolean writeBlocked;
    private PendingConnect connecting;

    NioConnection(NioEventLoop loop, long id, SocketChannel channel, ConnectionHandler handler, NioServer server) {
        super(loop, handler, server);
        this.id = id;
        this.channel = channel;
        if (server != null) {
            // Known since accept (the JDK keeps it), so naming the connection costs no system call.
            lookUpAddress(true);
        }
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void ready(int readyOps) {
        if (connecting != null) {
            finishConnect();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && state == OPEN) {
            writeBlocked = false;
            sendQueued();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == OPEN && !readPaused && !inputClosed) {
            read();
        }
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            fail(NioErrors.connectionException("recv", e, toString()));
            return;
        }
        if (n > 0) {
            loop.bytesRead += n;
            lastActivity = loop.now;
            deliver(loop.readMemory, 0, n);
            loop.wipeRead(n);
        } else if (n < 0) {
            onEof();
            updateInterest();
        }
    }

    /** Asks the selector for what the connection wants now: reads unless paused or at EOF, writes while blocked. */
    private void updateInterest() {
        int want = 0;
        if (state == OPEN && connecting == null) {
            if (!readPaused && !inputClosed) {
                want |= SelectionKey.OP_READ;
            }
            if (writeBlocked) {
                want |= SelectionKey.OP_WRITE;
            }
        }
        if (want != interest && key.isValid()) {
            key.interestOps(want);
            interest = want;
        }
    }

    @Override
    protected void armRead() {
        updateInterest();
    }

    @Override
    protected void disarmRead() {
        updateInterest();
    }

    // ------------------------------------------------------------------ send

    @Override
    protected boolean sendInFlight() {
        // A write returns when the kernel has copied the bytes: nothing of ours is ever held.
        return false;
    }

    /** Writes the queue in order until it is empty or the socket is full. */
    @Override
    protected void sendQueued() {
        if (writeBlocked) {
            return;
        }
        while (!output.isEmpty() && state == OPEN) {
            BlockPool.Block b = output.head();
            if (b.isFile() && !sendsFile(b)) {
                // The connection reads it into memory first (flushNow), and calls again.
                break;
            }
            int want = b.readable();
            int n;
            try {
                n = b.isFile() ? transferFile(b) : channel.write(b.readableBuffer());
            } catch (IOException e) {
                fail(NioErrors.connectionException(b.isFile() ? "sendfile of " + b.file.path() : "send", e, toString()));
                return;
            }
            if (n < 0) {
                return;
            }
            if (n > 0) {
                advance(n);
            }
            if (n < want) {
                writeBlocked = !output.isEmpty();
                break;
            }
        }
        updateInterest();
        if (output.isEmpty()) {
            drained();
        }
    }

    /**
     * Sends from the file region {@code b} with {@code FileChannel.transferTo} ({@code sendfile}):
     * the bytes go from the page cache to the socket without a copy through the JVM. Like the
     * file operations of a blocking file, a read from a disk that is not cached blocks the loop.
     * Returns -1 when the file ended before the region (the connection has failed).
     */
    private int transferFile(BlockPool.Block b) throws IOException {
        java.nio.channels.FileChannel file = ((dev.uring4j.runtime.internal.BlockingFile) b.file).channel();
        int n = (int) file.transferTo(b.filePosition(), b.readable(), channel);
        if (n == 0 && b.filePosition() >= file.size()) {
            fail(new ConnectionException("sendfile of " + b.file.path(), Errno.EIO, toString(), "the file ended at offset "
                    + file.size() + ", before the " + b.readable() + " bytes left of the region queued to send"));
            return -1;
        }
        return n;
    }

    @Override
    protected boolean sendsFile(BlockPool.Block region) {
        return region.file instanceof dev.uring4j.runtime.internal.BlockingFile f && f.channel() != null;
    }

    @Override
    protected void shutdownTransport() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // As on io_uring, whose shutdown result is not reported: a broken connection shows in
            // its next receive.
            TransportLoop.LOG.log(System.Logger.Level.DEBUG, () -> "shutdown of " + this + ": " + e);
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    protected void closeTransport() {
        // At the end of the iteration (flushNow), so that onClose never runs inside a call of the
        // handler's, as on io_uring, where it waits for the close's completion.
        loop.markDirty(this);
    }

    @Override
    public void flushNow() {
        if (state == CLOSING) {
            closeNow();
            return;
        }
        super.flushNow();
    }

    /** Closes the channel (cancelling its key) and finishes: at the end of an iteration, or when the loop dies. */
    void closeNow() {
        if (state == CLOSED) {
            return;
        }
        closeDescriptorNow();
        finishClose();
    }

    @Override
    protected void closeDescriptorNow() {
        if (connecting != null) {
            endConnect(new ConnectionException("connect to " + connecting.address, Errno.ECANCELED, toString(),
                    "the event loop shut down"));
        }
        NioEventLoop.closeQuietly(channel);
    }

    @Override
    protected void leaveLoop() {
        loop.released(this);
    }

    // ------------------------------------------------------------------ connect

    /** An outgoing connect in progress. */
    private static final class PendingConnect {
        final CompletableFuture<Connection> future;
        final InetSocketAddress address;
        final long timeoutNanos;
        final long idleTimeoutNanos;
        Timeout timer;

        PendingConnect(CompletableFuture<Connection> future, InetSocketAddress address, long timeoutNanos,
                       long idleTimeoutNanos) {
            this.future = future;
            this.address = address;
            this.timeoutNanos = timeoutNanos;
            this.idleTimeoutNanos = idleTimeoutNanos;
        }
    }

    /**
     * Starts connecting to {@code address}: completes at once (loopback often does), or waits for
     * {@code OP_CONNECT}, bounded by a timer of {@code timeoutNanos} when positive.
     */
    void connect(InetSocketAddress address, long timeoutNanos, long idleTimeoutNanos,
                 CompletableFuture<Connection> future) {
        remote = address;
        PendingConnect p = new PendingConnect(future, address, timeoutNanos, idleTimeoutNanos);
        connecting = p;
        future.whenComplete((c, t) -> {
            if (future.isCancelled()) {
                loop.post(this::cancelConnect);
            }
        });
        boolean connected;
        try {
            connected = channel.connect(address);
        } catch (IOException e) {
            connectFailed(NioErrors.connectionException("connect to " + address, e, toString()));
            return;
        }
        if (connected) {
            connected();
            return;
        }
        key.interestOps(SelectionKey.OP_CONNECT);
        interest = SelectionKey.OP_CONNECT;
        if (timeoutNanos > 0) {
            p.timer = loop.schedule(timeoutNanos, TimeUnit.NANOSECONDS, this::connectTimedOut);
        }
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            connectFailed(NioErrors.connectionException("connect to " + connecting.address, e, toString()));
            return;
        }
        connected();
    }

    private void connected() {
        PendingConnect p = connecting;
        if (p.future.isCancelled()) {
            // The cancel's own task may still be queued; it finds nothing left to do.
            connectFailed(new CancellationException("connect to " + p.address + " was cancelled"));
            return;
        }
        endConnect(null);
        updateInterest();
        connected(p.future, p.idleTimeoutNanos);
    }

    private void connectTimedOut() {
        if (connecting != null) {
            connectFailed(new ConnectionException("connect to " + connecting.address, Errno.ETIMEDOUT, toString(),
                    "timed out after " + TimeUnit.NANOSECONDS.toMillis(connecting.timeoutNanos) + " ms"));
        }
    }

    private void cancelConnect() {
        if (connecting != null) {
            connectFailed(new CancellationException("connect to " + connecting.address + " was cancelled"));
        }
    }

    /** The connect failed: its future says why; the connection, never opened, closes without callbacks. */
    private void connectFailed(Throwable cause) {
        endConnect(cause);
        state = CLOSING;
        closeNow();
    }

    /** Settles the pending connect: stops its timer and, with a {@code cause}, fails its future. */
    private void endConnect(Throwable cause) {
        PendingConnect p = connecting;
        connecting = null;
        if (p.timer != null) {
            p.timer.cancel();
        }
        if (cause != null) {
            failure = cause;
            p.future.completeExceptionally(cause);
        }
    }

    // ------------------------------------------------------------------ addresses

    @Override
    protected InetSocketAddress lookUpAddress(boolean peer) {
        // The JDK caches both addresses on the channel; asking is safe from any thread.
        try {
            InetSocketAddress r = (InetSocketAddress) channel.getRemoteAddress();
            InetSocketAddress l = (InetSocketAddress) channel.getLocalAddress();
            // Before a connect completes the peer is not known to the channel, only to us.
            remote = r != null ? r : remote;
            local = l != null ? l : local;
        } catch (IOException closed) {
            return null;
        }
        return peer ? remote : local;
    }

    @Override
    public String toString() {
        return "connection#" + id + (remote != null ? " to " + remote : "") + " on " + loop.name();
    }
}
