package dev.uring4j.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLSession;

import dev.uring4j.runtime.internal.ReceiveQueue;

/**
 * A TCP connection for plain blocking code: {@code read} waits for bytes, {@code write} for room,
 * as {@link java.net.Socket} does, while an event loop does the I/O. Meant for virtual threads (a
 * thread per connection), and fine on platform threads.
 *
 * <p><b>How it works.</b> The loop receives as for any connection (on io_uring a multishot receive
 * into provided buffers) and copies each arrival into this socket's receive queue at once, so a
 * {@code read} that finds bytes there returns them without a system call or a hand-off between
 * threads; a reader that finds none parks ({@link LockSupport}, never pinning a virtual thread's
 * carrier) until the loop unparks it. A {@code write} hands its bytes to the loop in one task,
 * which sends them with its next submission; when the connection's output is full, the writer
 * parks until it drains. When the reader falls behind, the loop stops receiving (TCP pushes back
 * on the peer) until it catches up.
 *
 * <p><b>As {@link java.net.Socket}.</b> {@code read} returns -1 at the end of the input; read and
 * write timeouts throw {@link SocketTimeoutException} and leave the socket usable;
 * {@link #close()} from another thread makes a blocked {@code read} or {@code write} throw
 * {@link SocketException} ("Socket closed"); a virtual thread interrupted while blocked closes the
 * socket (its in-flight receive is cancelled) and gets {@link SocketException} ("Closed by
 * interrupt") with its interrupt status set, while a platform thread's interrupt leaves the
 * operation alone, as the JDK's sockets do. A connection that failed (reset by the peer) throws a
 * {@link SocketException} whose cause names the errno.
 *
 * <pre>{@code
 * try (BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().port(7000))) {
 *     while (true) {
 *         BlockingSocket s = server.accept();
 *         Thread.ofVirtual().start(() -> {
 *             try (s) {
 *                 s.getInputStream().transferTo(s.getOutputStream());   // echo until EOF
 *             } catch (IOException e) {
 *                 // the peer went away
 *             }
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>One thread reads and one thread writes at a time (they may be two threads); several threads
 * reading one socket at once is not supported, as with a stream.
 */
public final class BlockingSocket implements Closeable {
    /** Bytes received and not yet read that one socket holds before the loop stops receiving for it. */
    static final int RECEIVE_QUEUE_BYTES = 64 * 1024;
    /** The most one write hands to the loop at once: a large write goes in pieces, each waiting for room. */
    private static final int WRITE_PIECE = 256 * 1024;

    private final Handler handler = new Handler();
    private volatile Connection connection;
    /** Made by the loop with the first bytes, so a connection that is never sent anything holds none. */
    private volatile ReceiveQueue input;
    private volatile Thread reader;
    private volatile Thread writer;
    /** The peer's FIN arrived, after every byte before it was queued. */
    private volatile boolean eof;
    /** The connection is gone; {@link #failure} says why when it failed. */
    private volatile boolean gone;
    private volatile Throwable failure;
    /** {@link #close()} was called (or an interrupt closed the socket). */
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    /** The loop stopped receiving because the queue was full. */
    private volatile boolean receivePaused;
    private volatile boolean writable = true;
    /** Changes with every writability change, so a refused writer knows when to try again. */
    private volatile int writability;
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private long readsAtOnce;
    private long readsThatWaited;
    private long writes;

    /** Who hears about a socket's connection opening and closing: the server that accepts it. */
    interface Listener {
        void opened(BlockingSocket socket);

        void closed(BlockingSocket socket);
    }

    private final Listener listener;

    BlockingSocket(Listener listener) {
        this.listener = listener;
    }

    /** The runtime's side of the socket: the loop's callbacks. */
    ConnectionHandler handler() {
        return handler;
    }

    /**
     * Connects to {@code address} on one of {@code group}'s loops, waiting at most {@code timeout}.
     *
     * @param group   the loops that serve the connection
     * @param address where to connect; resolved
     * @param timeout how long to wait for the connection, or {@code null} for the kernel's limit
     * @return the connected socket
     * @throws SocketTimeoutException when the connect timed out
     * @throws IOException naming the errno when it failed; a {@link SocketException} when the
     *                     calling virtual thread was interrupted (nothing stays open)
     */
    public static BlockingSocket connect(EventLoopGroup group, InetSocketAddress address, Duration timeout)
            throws IOException {
        return connect(group, address, timeout, null);
    }

    /**
     * As {@link #connect(EventLoopGroup, InetSocketAddress, Duration)}, speaking TLS: the socket
     * is returned once the handshake has completed.
     *
     * @param group   the loops that serve the connection
     * @param address where to connect; its host string names the server for TLS
     * @param timeout how long to wait for the TCP connection, or {@code null} for the kernel's limit
     * @param tls     a client's TLS config, or {@code null} for plaintext
     * @return the connected socket
     * @throws IOException as {@link #connect(EventLoopGroup, InetSocketAddress, Duration)}, or the
     *                     {@link TlsException} of a failed handshake
     */
    public static BlockingSocket connect(EventLoopGroup group, InetSocketAddress address, Duration timeout,
                                         TlsConfig tls) throws IOException {
        BlockingSocket socket = new BlockingSocket(null);
        TcpClient client = TcpClient.builder().group(group).connectTimeout(timeout).tls(tls)
                .handler(socket.handler()).build();
        CompletableFuture<Connection> connecting = client.connect(address);
        try {
            // The future completes before the handler's onOpen runs: take the connection from it.
            socket.connection = connecting.get();
        } catch (InterruptedException e) {
            connecting.cancel(false);
            Thread.currentThread().interrupt();
            throw new SocketException("Closed by interrupt");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof dev.uring4j.ring.ErrnoException errno && errno.errno() == dev.uring4j.ring.Errno.ETIMEDOUT) {
                throw (SocketTimeoutException) new SocketTimeoutException("Connect timed out: " + cause.getMessage()).initCause(cause);
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("connect to " + address + " failed: " + cause, cause);
        } catch (CancellationException e) {
            throw new SocketException("connect to " + address + " was cancelled");
        }
        return socket;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads up to {@code length} bytes into {@code dst} from {@code offset}: those already
     * received at once, else waits for some.
     *
     * @param dst    where the bytes go
     * @param offset where in {@code dst}
     * @param length the most to read
     * @return how many were read, at least 1 unless {@code length} is 0; -1 at the end of the input
     * @throws SocketTimeoutException after the read timeout; the socket stays usable
     * @throws SocketException when the socket is closed, or the connection failed (the cause names the errno)
     */
    public int read(byte[] dst, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) {
            return 0;
        }
        long deadline = deadline(readTimeoutNanos);
        boolean waited = false;
        boolean interrupted = false;
        try {
            while (true) {
                ensureOpen();
                if (inputShutdown) {
                    return -1;
                }
                ReceiveQueue q = input;
                int n = q == null ? 0 : q.poll(dst, offset, length);
                if (n > 0) {
                    afterRead(q, waited);
                    return n;
                }
                if (eof) {
                    return -1;
                }
                if (gone) {
                    throw failed();
                }
                interrupted |= awaitInput(deadline);
                waited = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Reads into {@code dst}'s remaining space; as {@link #read(byte[], int, int)}.
     *
     * @param dst where the bytes go
     * @return how many were read; -1 at the end of the input
     * @throws IOException as {@link #read(byte[], int, int)}
     */
    public int read(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        byte[] scratch = new byte[Math.min(dst.remaining(), RECEIVE_QUEUE_BYTES)];
        int n = read(scratch, 0, scratch.length);
        if (n > 0) {
            dst.put(scratch, 0, n);
        }
        return n;
    }

    private void afterRead(ReceiveQueue q, boolean waited) {
        if (waited) {
            readsThatWaited++;
        } else {
            readsAtOnce++;
        }
        if (receivePaused && q.available() <= q.capacity() / 2) {
            receivePaused = false;
            connection.resumeReading();
        }
    }

    /** Bytes received and not yet read: what a {@code read} returns without waiting. */
    public int available() {
        ReceiveQueue q = input;
        return q == null ? 0 : q.available();
    }

    /** Waits for bytes, the end or the deadline; {@code true} when a platform thread's interrupt was set aside. */
    private boolean awaitInput(long deadline) throws IOException {
        Thread self = Thread.currentThread();
        reader = self;
        try {
            ReceiveQueue q = input;
            // Published as the waiting reader first, then checked: the loop either sees it or its bytes are seen.
            if ((q != null && q.available() > 0) || eof || gone || closed || inputShutdown) {
                return false;
            }
            if (receivePaused && q != null) {
                receivePaused = false;
                connection.resumeReading();
            }
            return park(deadline, "Read timed out");
        } finally {
            reader = null;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code length} bytes of {@code src} from {@code offset}: hands them to the loop (in
     * pieces, waiting for room when the connection's output is full) and returns once all are
     * queued; the loop sends them with its next submission.
     *
     * @param src    the bytes
     * @param offset where they start
     * @param length how many
     * @throws SocketTimeoutException when there was no room for the write timeout
     * @throws SocketException when the socket or its output is closed, or the connection failed
     */
    public void write(byte[] src, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, src.length);
        long deadline = deadline(writeTimeoutNanos);
        int done = 0;
        boolean interrupted = false;
        try {
            while (done < length) {
                ensureOpen();
                if (outputShutdown) {
                    throw new SocketException("Socket output is shutdown");
                }
                if (gone) {
                    throw failed();
                }
                int piece = Math.min(length - done, WRITE_PIECE);
                int seen = writability;
                if (writable && connection.writeAndFlush(src, offset + done, piece)) {
                    writes++;
                    done += piece;
                    continue;
                }
                interrupted |= awaitRoom(seen, deadline);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes {@code src}'s remaining bytes; as {@link #write(byte[], int, int)}.
     *
     * @param src the bytes; its position moves past them
     * @throws IOException as {@link #write(byte[], int, int)}
     */
    public void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        byte[] copy = new byte[src.remaining()];
        src.get(copy);
        write(copy, 0, copy.length);
    }

    /** Waits for the loop to report a change of writability since {@code seen}, or the end. */
    private boolean awaitRoom(int seen, long deadline) throws IOException {
        Thread self = Thread.currentThread();
        writer = self;
        try {
            if ((writable && writability != seen) || gone || closed || outputShutdown) {
                return false;
            }
            return park(deadline, "Write timed out");
        } finally {
            writer = null;
        }
    }

    // ------------------------------------------------------------------ waiting

    private static long deadline(long timeoutNanos) {
        return timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
    }

    /**
     * Parks once, until unparked or the deadline ({@code 0}: none). A virtual thread's interrupt
     * closes the socket and throws. A platform thread's leaves the operation alone, as the JDK's
     * sockets do: the status is cleared so that parking waits again, and this returns
     * {@code true} so that the caller sets it again when the operation ends.
     */
    private boolean park(long deadline, String timedOut) throws IOException {
        Thread self = Thread.currentThread();
        if (deadline == 0) {
            LockSupport.park(this);
        } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException(timedOut);
            }
            LockSupport.parkNanos(this, left);
        }
        if (!self.isInterrupted()) {
            return false;
        }
        if (self.isVirtual()) {
            closeNow();
            throw new SocketException("Closed by interrupt");
        }
        Thread.interrupted();
        return true;
    }

    private static void wake(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ------------------------------------------------------------------ state

    private void ensureOpen() throws SocketException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
    }

    private SocketException failed() {
        Throwable cause = failure;
        SocketException e = new SocketException(cause == null ? "Connection closed" : "Connection failed: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /**
     * Sets how long a {@code read} waits for bytes ({@code null} or zero: forever).
     *
     * @param timeout the read timeout
     */
    public void setReadTimeout(Duration timeout) {
        this.readTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    /**
     * Sets how long a {@code write} waits for room in the connection's output ({@code null} or
     * zero: forever).
     *
     * @param timeout the write timeout
     */
    public void setWriteTimeout(Duration timeout) {
        this.writeTimeoutNanos = timeout == null ? 0 : timeout.toNanos();
    }

    /** Later reads return -1; what arrives is discarded. */
    public void shutdownInput() {
        inputShutdown = true;
        wake(reader);
    }

    /** Sends what is queued, then the FIN; later writes throw. Reading goes on. */
    public void shutdownOutput() {
        outputShutdown = true;
        connection.shutdownOutput();
        wake(writer);
    }

    /**
     * Closes the socket after what was written is sent; a thread blocked in {@code read} or
     * {@code write} throws {@link SocketException}. Does nothing the second time.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.close();
        wake(reader);
        wake(writer);
    }

    /** An interrupt: closed now, what is queued discarded, every operation in flight cancelled. */
    private void closeNow() {
        closed = true;
        connection.abort();
        wake(reader);
        wake(writer);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The connection underneath, for its addresses, TLS session and loop.
     *
     * @return the connection
     */
    public Connection connection() {
        return connection;
    }

    /**
     * The peer's address.
     *
     * @return the remote address
     */
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /**
     * Our address.
     *
     * @return the local address
     */
    public InetSocketAddress localAddress() {
        return connection.localAddress();
    }

    /**
     * The TLS session, once the handshake has completed; {@code null} without TLS.
     *
     * @return the session
     */
    public SSLSession tlsSession() {
        return connection.tlsSession();
    }

    /**
     * Reads that found bytes waiting and returned without waiting: no system call, no hand-off.
     * Counted by the reading thread.
     *
     * @return the count so far
     */
    public long readsAtOnce() {
        return readsAtOnce;
    }

    /**
     * Reads that waited for the loop to hand them bytes (one unpark each). Counted by the reading thread.
     *
     * @return the count so far
     */
    public long readsThatWaited() {
        return readsThatWaited;
    }

    /**
     * Writes handed to the loop (one task each). Counted by the writing thread.
     *
     * @return the count so far
     */
    public long writes() {
        return writes;
    }

    /**
     * The socket as a stream to read: {@code read} as the socket's, {@code available} what waits.
     *
     * @return the stream; closing it closes the socket
     */
    public InputStream getInputStream() {
        return new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = BlockingSocket.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return BlockingSocket.this.read(b, off, len);
            }

            @Override
            public int available() {
                return BlockingSocket.this.available();
            }

            @Override
            public void close() {
                BlockingSocket.this.close();
            }
        };
    }

    /**
     * The socket as a stream to write: every write is queued for sending at once ({@code flush}
     * has nothing left to do).
     *
     * @return the stream; closing it closes the socket
     */
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                BlockingSocket.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                BlockingSocket.this.write(b, off, len);
            }

            @Override
            public void close() {
                BlockingSocket.this.close();
            }
        };
    }

    @Override
    public String toString() {
        Connection c = connection;
        return "BlockingSocket[" + (c == null ? "connecting" : c.toString()) + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ the loop's side

    /** The connection's callbacks, on its loop: queue what arrives, wake whoever waits. */
    private final class Handler implements ConnectionHandler {
        @Override
        public void onOpen(Connection c) {
            connection = c;
            if (listener != null) {
                listener.opened(BlockingSocket.this);
            }
        }

        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            if (inputShutdown) {
                return length;
            }
            ReceiveQueue q = input;
            if (q == null) {
                input = q = new ReceiveQueue(RECEIVE_QUEUE_BYTES);
            }
            int n = q.offer(buffer, offset, length);
            if (n < length) {
                // Full: what did not fit is kept by the connection until the reader makes room.
                receivePaused = true;
                c.pauseReading();
            }
            wake(reader);
            return n;
        }

        @Override
        public void onInputClosed(Connection c) {
            eof = true;
            wake(reader);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean isWritable) {
            writable = isWritable;
            writability++;
            wake(writer);
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            failure = cause;
            gone = true;
            wake(reader);
            wake(writer);
            if (listener != null) {
                listener.closed(BlockingSocket.this);
            }
        }
    }
}
