package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import dev.uring4j.runtime.internal.LoopConnection;

/**
 * A TCP connection served by one event loop.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; on the loop's thread they act
 * immediately and allocate nothing, from other threads they are handed to the loop (writes are
 * copied first). Callbacks of the {@link ConnectionHandler} run on the loop's thread.
 *
 * <p><b>Output.</b> {@link #write} queues bytes (copied into native memory the connection owns);
 * {@link #flush} asks for them to be sent: at the end of the current loop iteration, all of a
 * connection's flushed output goes out in one send. Queued bytes are bounded: past the high
 * watermark {@link #isWritable()} turns false and the handler hears about it; past the
 * connection's output limit, {@code write} refuses the bytes and returns {@code false}.
 *
 * <p><b>Lifetime.</b> {@link #close()} sends what is queued, then closes; {@link #abort()} closes
 * without sending. Either way {@link ConnectionHandler#onClose} runs exactly once, after every
 * operation the kernel had in flight for the connection has completed.
 *
 * <p>Connections are made by the runtime (accepted by a {@link TcpServer}, opened by a
 * {@link TcpClient}); the class is sealed to its transports' implementation.
 */
public abstract sealed class Connection permits LoopConnection {
    private Object attachment;

    /** For the runtime's transports only (the class is sealed). */
    protected Connection() {}

    /** Queues {@code length} bytes of {@code src} from {@code offset}; {@code false} if refused (closed, or over the output limit). */
    public abstract boolean write(MemorySegment src, long offset, int length);

    /** Queues {@code length} bytes of {@code src} from {@code offset}. */
    public abstract boolean write(byte[] src, int offset, int length);

    /** Queues all of {@code src}. */
    public final boolean write(byte[] src) {
        return write(src, 0, src.length);
    }

    /** Sends what is queued at the end of the loop iteration. */
    public abstract void flush();

    /** {@code write} then {@code flush}. */
    public final boolean writeAndFlush(MemorySegment src, long offset, int length) {
        boolean queued = write(src, offset, length);
        flush();
        return queued;
    }

    /** {@code write} then {@code flush}. */
    public final boolean writeAndFlush(byte[] src) {
        boolean queued = write(src, 0, src.length);
        flush();
        return queued;
    }

    /** Whether queued output is below the high watermark (after being above it, below the low one). */
    public abstract boolean isWritable();

    /** Bytes queued and not yet acknowledged by the kernel. */
    public abstract long pendingOutputBytes();

    /** Stops delivering data ({@code onData}) until {@link #resumeReading()}; the kernel stops receiving, so TCP pushes back on the peer. */
    public abstract void pauseReading();

    /** Resumes delivering data after {@link #pauseReading()}. */
    public abstract void resumeReading();

    /** After the queued output is sent, shuts down our sending side (FIN); reading goes on. */
    public abstract void shutdownOutput();

    /** Sends what is queued, then closes. */
    public abstract void close();

    /** Closes now, discarding queued output (the peer may see a reset). */
    public abstract void abort();

    /** Whether the connection is closed or closing. */
    public abstract boolean isClosed();

    /** The loop that serves this connection. */
    public abstract EventLoop eventLoop();

    /** The peer's address (looked up once, on first use). */
    public abstract InetSocketAddress remoteAddress();

    /** Our address (looked up once, on first use). */
    public abstract InetSocketAddress localAddress();

    /** An object of the application's, kept with the connection. */
    @SuppressWarnings("unchecked")
    public final <T> T attachment() {
        return (T) attachment;
    }

    public final void attach(Object attachment) {
        this.attachment = attachment;
    }
}
