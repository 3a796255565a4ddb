package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;
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
 * {@link TcpClient}); the class is sealed and implemented by the runtime, one implementation per
 * transport.
 */
public abstract sealed class Connection permits LoopConnection {
    private Object attachment;

    /** For the runtime's transports only (the class is sealed). */
    protected Connection() {}

    /**
     * Queues {@code length} bytes of {@code src} from {@code offset}, copying them: {@code src}
     * may be reused as soon as this returns. Nothing is sent before {@link #flush()} (or
     * {@link #close()}).
     *
     * @param src    the bytes to send
     * @param offset where they start in {@code src}
     * @param length how many
     * @return {@code false} if refused: the connection is closed or closing, its output is shut
     *         down, or the bytes would take the queue past {@link LoopOptions#maxPendingOutput()}
     *         (counting bytes other threads have written that the loop has not queued yet). From
     *         another thread the answer is the same: a copy goes to the loop with its room
     *         reserved, and only a close decided in the meantime can drop it, which
     *         {@link ConnectionHandler#onClose} then reports as for any output a close discards
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code src}
     */
    public abstract boolean write(MemorySegment src, long offset, int length);

    /**
     * Queues {@code [offset, offset + length)} of {@code buf} by reference, without copying: the
     * connection takes its own reference to {@code buf} and holds it until the kernel is done with
     * those bytes (the send's completion, and a zero-copy send's notification), or until a close
     * discards them. The caller keeps its own reference and releases it when it wishes, even at
     * once. The bytes count against the watermarks and the output limit like any queued output.
     * On a TLS connection they are encrypted into the connection's own memory instead (a copy
     * cannot be avoided there), and the reference is dropped once they are.
     *
     * @param buf    the shared bytes; they must not change until every reference is gone
     * @param offset where the bytes to send start in {@code buf}
     * @param length how many
     * @return {@code false} if refused, as {@link #write(MemorySegment, long, int)}; then no
     *         reference is kept. From another thread a reference travels to the loop with the
     *         task that queues it
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code buf}
     * @throws IllegalStateException if {@code buf} was already freed
     */
    public abstract boolean write(SharedBuffer buf, long offset, int length);

    /**
     * Queues bytes {@code [position, position + length)} of {@code file} to be sent, in order with
     * the rest of the connection's output: after what was written before, before what is written
     * after. The bytes stay in the file until they are sent. On io_uring without TLS they go from
     * the file to a pipe the connection keeps and from the pipe to the socket
     * ({@code IORING_OP_SPLICE}, two linked operations per pipe-full: they never enter user
     * memory); with NIO {@code FileChannel.transferTo} sends them ({@code sendfile}); with TLS, or
     * with {@link UringOptions.Path#SPLICE} not taken, they are read into the connection's memory
     * a piece at a time, each piece once the one before it has been sent (or encrypted), then
     * encrypted and sent as any write.
     *
     * <p><b>Counting.</b> The bytes count in {@link #pendingOutputBytes()} and against the
     * watermarks, so {@link #isWritable()} turns false while more than the high watermark of the
     * region is left to send (the handler then waits for it before queuing more); they do not
     * count against {@link LoopOptions#maxPendingOutput()}, which bounds the memory a connection
     * takes, and a region takes none beyond a pipe or one piece read, however long it is.
     *
     * <p><b>Ownership.</b> The caller keeps the file and closes it as usual, at any time, even
     * right after this call: a close waits until every region queued from the file has been sent
     * or discarded (by {@link #abort()}, a failure, or the connection closing). A file that ends
     * before the region does fails the connection with {@code EIO}; a failing read or splice
     * fails it with the errno the kernel gave.
     *
     * @param file     a file open on this connection's loop ({@link LoopFile#loop()})
     * @param position the file offset of the first byte
     * @param length   how many bytes; 0 queues nothing
     * @return {@code false} if refused, as {@link #write(MemorySegment, long, int)} (except that
     *         the region's length is not held against the output limit); then the file is not
     *         held. From another thread the region travels to the loop with the task that queues it
     * @throws IllegalArgumentException if {@code position} or {@code length} is negative, or the
     *         file is open on another loop
     * @throws IllegalStateException if the file was closed
     */
    public abstract boolean writeFile(LoopFile file, long position, long length);

    /**
     * Queues {@code length} bytes of {@code src} from {@code offset}, copying them; as
     * {@link #write(MemorySegment, long, int)}.
     *
     * @param src    the bytes to send
     * @param offset where they start in {@code src}
     * @param length how many
     * @return {@code false} if refused, as {@link #write(MemorySegment, long, int)}
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code src}
     */
    public abstract boolean write(byte[] src, int offset, int length);

    /**
     * Queues all of {@code src}, copying it.
     *
     * @param src the bytes to send
     * @return {@code false} if refused, as {@link #write(MemorySegment, long, int)}
     */
    public final boolean write(byte[] src) {
        return write(src, 0, src.length);
    }

    /**
     * Sends what is queued at the end of the loop iteration, together with whatever else is
     * written and flushed before then. Does nothing when nothing is queued.
     */
    public abstract void flush();

    /**
     * {@link #write(MemorySegment, long, int)} then {@link #flush()}; the flush happens even when
     * the write is refused, for the bytes queued before. From another thread, the bytes and the
     * flush reach the loop as one task.
     *
     * @param src    the bytes to send
     * @param offset where they start in {@code src}
     * @param length how many
     * @return {@code false} if the bytes were refused, as {@link #write(MemorySegment, long, int)}
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code src}
     */
    public abstract boolean writeAndFlush(MemorySegment src, long offset, int length);

    /**
     * {@link #write(byte[], int, int)} then {@link #flush()}; as
     * {@link #writeAndFlush(MemorySegment, long, int)}.
     *
     * @param src    the bytes to send
     * @param offset where they start in {@code src}
     * @param length how many
     * @return {@code false} if the bytes were refused, as {@link #write(MemorySegment, long, int)}
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within {@code src}
     */
    public abstract boolean writeAndFlush(byte[] src, int offset, int length);

    /**
     * {@link #write(byte[])} then {@link #flush()}.
     *
     * @param src the bytes to send
     * @return {@code false} if the bytes were refused, as {@link #write(MemorySegment, long, int)}
     */
    public final boolean writeAndFlush(byte[] src) {
        return writeAndFlush(src, 0, src.length);
    }

    /**
     * Whether the connection takes more output without pushing past its high watermark
     * ({@link LoopOptions#highWatermark()}). It turns false when queued output rises above the
     * high watermark and true again only once it has fallen to the low one; each change is told to
     * {@link ConnectionHandler#onWritabilityChanged}.
     *
     * @return {@code true} while writable
     */
    public abstract boolean isWritable();

    /**
     * Bytes queued and not yet acknowledged by the kernel: sent bytes leave the queue when the
     * send's completion reports them.
     *
     * @return the bytes queued now
     */
    public abstract long pendingOutputBytes();

    /**
     * Stops delivering data ({@code onData}) until {@link #resumeReading()}; the kernel stops
     * receiving, so TCP pushes back on the peer. Bytes already received are kept and delivered
     * after resuming.
     */
    public abstract void pauseReading();

    /** Resumes delivering data after {@link #pauseReading()}, kept bytes first. */
    public abstract void resumeReading();

    /**
     * After the queued output is sent, shuts down our sending side (FIN); reading goes on. Later
     * writes are refused.
     */
    public abstract void shutdownOutput();

    /**
     * Sends what is queued, then closes; later writes are refused. A peer that does not take the
     * queued output within 30 s has the connection closed with an {@code ETIMEDOUT}
     * {@link ConnectionException}.
     */
    public abstract void close();

    /** Closes now, discarding queued output (the peer may see a reset). */
    public abstract void abort();

    /**
     * Whether the connection is closed or closing ({@link #close()} was called, it was aborted,
     * or it failed).
     *
     * @return {@code true} once closing has begun
     */
    public abstract boolean isClosed();

    /**
     * The loop that serves this connection: its thread runs the handler, and tasks posted to it
     * run in order with the connection's callbacks.
     *
     * @return the connection's loop
     */
    public abstract EventLoop eventLoop();

    /**
     * The peer's address, looked up once, on first use.
     *
     * @return the remote address
     */
    public abstract InetSocketAddress remoteAddress();

    /**
     * Our address, looked up once, on first use.
     *
     * @return the local address
     */
    public abstract InetSocketAddress localAddress();

    /**
     * The TLS session, once its handshake has completed: protocol, cipher suite, the peer's
     * certificates ({@code getPeerCertificates()} when the peer presented some), the SNI name the
     * client asked for ({@code ExtendedSSLSession.getRequestedServerNames()}).
     *
     * @return the session, or {@code null} without TLS
     */
    public abstract SSLSession tlsSession();

    /**
     * The application protocol agreed by ALPN ({@link TlsConfig.Builder#applicationProtocols}).
     *
     * @return the protocol, or {@code null} without TLS or when none was agreed
     */
    public abstract String applicationProtocol();

    /**
     * The object the application kept with the connection ({@link #attach}), typically its
     * per-connection state when one handler serves every connection.
     *
     * @param <T> the type the caller expects; not checked
     * @return the attachment, or {@code null} when none was attached
     */
    @SuppressWarnings("unchecked")
    public final <T> T attachment() {
        return (T) attachment;
    }

    /**
     * Keeps {@code attachment} with the connection, replacing any earlier one. A plain field:
     * attach and read it on the loop's thread, or publish it safely.
     *
     * @param attachment the application's object, or {@code null} to drop it
     */
    public final void attach(Object attachment) {
        this.attachment = attachment;
    }
}
