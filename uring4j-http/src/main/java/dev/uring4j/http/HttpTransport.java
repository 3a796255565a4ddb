package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

/**
 * What the HTTP engine needs from one connection and the event loop that owns it; the runtime
 * implements it with a thin adapter ({@link RuntimeTransport}), the tests with an in-memory transport
 * that presents data and keeps time as the test says.
 *
 * <p><b>The other direction.</b> The transport delivers to the connection's {@link HttpConnection}:
 * {@link HttpConnection#onData} for received octets (a view valid during the call; the return value
 * says how many were consumed, and the transport keeps the rest and presents them again, contiguous
 * and first, with the next data or on {@link #resumeInput()}), {@link HttpConnection#onInputClosed}
 * when the peer ends its output, {@link HttpConnection#onWritabilityChanged} when its queued output
 * crosses the high watermark (false, possibly from inside a {@link #write}) or falls back to the low
 * one (true), and {@link HttpConnection#onClosed} once when the connection is gone for any reason.
 * The engine writes staged output only while the transport is writable, in slices of at most
 * {@link Pipeline#DRAIN_SLICE}, so a transport needs room for its high watermark plus one slice,
 * plus the one write a handler makes after it was told to stop. The transport must be able to keep
 * {@link HttpServer#maxRetainedBytes()} unconsumed octets.
 *
 * <p><b>Threads.</b> Everything except {@link #execute}, {@link #inEventLoop} and the clocks is
 * called on the event loop thread, which also makes every call into {@link HttpConnection}.
 */
interface HttpTransport {
    /**
     * Queues {@code length} octets at {@code offset} of {@code source} for sending, copying them
     * before returning: the caller may reuse or free the source at once.
     */
    void write(MemorySegment source, long offset, long length);

    /**
     * Whether {@link #writeFile} can send from {@code file}: a runtime connection on the loop the
     * file is open on. Otherwise the caller reads the file and writes what it read.
     */
    default boolean sendsFile(dev.uring4j.runtime.LoopFile file) {
        return false;
    }

    /**
     * Queues {@code length} octets of {@code file} from {@code position} for sending, after what was
     * written before ({@code Connection.writeFile}); only where {@link #sendsFile} said so.
     */
    default void writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        throw new UnsupportedOperationException("this transport does not send from files");
    }

    /** As {@link #write(MemorySegment, long, long)} for a heap array. */
    void write(byte[] source, int offset, int length);

    /**
     * The most octets the transport queues for the connection: a write past it fails the
     * connection (the runtime's {@code LoopOptions.maxPendingOutput}). Staged output is held to the
     * same bound.
     */
    long outputLimit();

    /** Starts sending what was written. The engine calls it once per batch of responses. */
    void flush();

    /**
     * Sends what was written, then ends our direction of the connection (TCP FIN) while still
     * receiving: the engine closes only after that, so that a client still sending does not get a
     * reset that destroys the response it has not read yet (RFC 9112 section 9.6).
     */
    void shutdownOutput();

    /** Closes the connection after sending what was written, as far as the peer accepts it. */
    void close();

    /** Stops presenting data, keeping what was not consumed; the runtime may stop receiving. */
    void pauseInput();

    /**
     * Presents data again: first the octets kept unconsumed, from the event loop and not from
     * inside this call, then new data as it arrives.
     */
    void resumeInput();

    /**
     * From now on the connection belongs to {@code next}: the transport opens it with
     * {@code next}'s {@code onOpen}, passes every later event to it instead of the engine (the
     * engine still hears {@link HttpConnection#onClosed}), and lifts the engine's input pauses.
     * The octets left unconsumed by the {@link HttpConnection#onData} in progress, if any, go to
     * {@code next} when that call returns.
     */
    void switchProtocols(dev.uring4j.runtime.ConnectionHandler next);

    /** Whether the calling thread is the event loop thread. Any thread may call. */
    boolean inEventLoop();

    /**
     * A builder of virtual threads the connection's event loop carries ({@link
     * dev.uring4j.runtime.EventLoop#ofVirtual()}). Loop thread.
     *
     * @throws UnsupportedOperationException when the loop cannot carry virtual threads, naming why
     */
    Thread.Builder.OfVirtual ofVirtual();

    /** Runs {@code task} on the event loop, waking it if needed. Any thread may call. */
    void execute(Runnable task);

    /** Runs {@code task} on the event loop after {@code delayNanos}, unless cancelled. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** The connection's local address. */
    InetSocketAddress localAddress();

    /** The TLS session once its handshake completed; null without TLS. */
    SSLSession tlsSession();

    /** The event loop's monotonic clock, in nanoseconds, for timeouts. */
    long nanoTime();

    /** The wall clock, in milliseconds since the epoch, for the {@code Date} header. */
    long currentTimeMillis();

    /** A scheduled task that has not run yet. */
    interface Cancellable {
        /** Makes sure the task does not run; does nothing if it has run. */
        void cancel();
    }
}
