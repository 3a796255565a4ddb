package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.Timeout;

/**
 * Runs one {@link HttpConnection} on a runtime {@link Connection}: the connection's handler on
 * one side, the engine's {@link HttpTransport} on the other. One per connection, all calls on the
 * connection's loop.
 *
 * <p>Back-pressure: the connection's watermarks are passed on to the engine
 * ({@link HttpConnection#onWritabilityChanged}), which writes staged responses only while the
 * connection is writable and tells streaming handlers when to go on. While the queued output is
 * above the high watermark the adapter also stops receiving (the peer's requests and request
 * bodies wait in TCP), and receives again below the low watermark. The engine may pause input for
 * its own reasons too (pipeline depth, staged responses); receiving resumes only when neither
 * holds. A write the connection's output limit refuses (a handler that kept writing while told the
 * response was not writable, or one body larger than the limit) cannot be queued: the connection
 * is closed with that cause instead of sending a truncated response.
 */
final class RuntimeTransport implements HttpTransport, ConnectionHandler {
    private final HttpServer server;
    private Connection connection;
    private HttpConnection http;
    private boolean enginePaused;
    private boolean outputBlocked;
    /** The handler of the protocol the connection switched to; null while it speaks HTTP. */
    private ConnectionHandler switched;

    RuntimeTransport(HttpServer server) {
        this.server = server;
    }

    // ------------------------------------------------------------------ ConnectionHandler

    @Override
    public void onOpen(Connection c) {
        connection = c;
        http = server.newConnection(this);
    }

    @Override
    public int onData(Connection c, MemorySegment buffer, long offset, int length) {
        if (switched != null) {
            return switched.onData(c, buffer, offset, length);
        }
        int consumed = http.onData(buffer, offset, length);
        if (switched != null && consumed < length) {
            // The upgrade request's head ended inside this view: the rest is the new protocol's.
            consumed += switched.onData(c, buffer, offset + consumed, length - consumed);
        }
        return consumed;
    }

    @Override
    public void onInputClosed(Connection c) {
        if (switched != null) {
            switched.onInputClosed(c);
        } else {
            http.onInputClosed();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (switched != null) {
            switched.onWritabilityChanged(c, writable);
            return;
        }
        outputBlocked = !writable;
        updateInput();
        http.onWritabilityChanged(writable);
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        if (http != null) {
            http.onClosed();
        }
        if (switched != null) {
            switched.onClose(c, cause);
        }
    }

    // ------------------------------------------------------------------ HttpTransport

    @Override
    public boolean sendsFile(dev.uring4j.runtime.LoopFile file) {
        return file.loop() == connection.eventLoop();
    }

    @Override
    public void writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        if (!connection.writeFile(file, position, length)) {
            refused(length);
        }
    }

    @Override
    public void write(MemorySegment source, long offset, long length) {
        long off = offset;
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, 1 << 30);
            if (!connection.write(source, off, n)) {
                refused(n);
                return;
            }
            off += n;
            left -= n;
        }
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        if (!connection.write(source, offset, length)) {
            refused(length);
        }
    }

    private void refused(long length) {
        if (connection.isClosed()) {
            return;
        }
        // Dropping these bytes would corrupt the response stream: fail the connection instead. The
        // queue is measured first: aborting empties it.
        long queued = connection.pendingOutputBytes();
        connection.abort();
        System.getLogger("dev.uring4j.http").log(System.Logger.Level.WARNING, () -> new ConnectionException("send",
                Errno.ENOBUFS, connection.toString(), "a response write of " + length + " bytes does not fit the "
                        + "connection's output limit (" + queued + " bytes queued); stream "
                        + "large bodies with HttpResponse.write and wait for onWritable when it returns false, or "
                        + "raise LoopOptions.maxPendingOutput").getMessage());
    }

    @Override
    public long outputLimit() {
        return connection.eventLoop().options().maxPendingOutput();
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void shutdownOutput() {
        connection.shutdownOutput();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public void pauseInput() {
        enginePaused = true;
        updateInput();
    }

    @Override
    public void resumeInput() {
        enginePaused = false;
        updateInput();
    }

    private void updateInput() {
        if (enginePaused || outputBlocked) {
            connection.pauseReading();
        } else {
            // Kept bytes are presented again from the loop's flush phase, not from inside this call.
            connection.resumeReading();
        }
    }

    @Override
    public void switchProtocols(ConnectionHandler next) {
        switched = next;
        enginePaused = outputBlocked = false;
        next.onOpen(connection);
        if (!connection.isClosed()) {
            connection.resumeReading(); // input the engine held back (a full pipeline) is presented again
        }
    }

    @Override
    public Thread.Builder.OfVirtual ofVirtual() {
        return connection.eventLoop().ofVirtual();
    }

    @Override
    public boolean inEventLoop() {
        return connection.eventLoop().inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        connection.eventLoop().execute(task);
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Timeout t = connection.eventLoop().schedule(delayNanos, TimeUnit.NANOSECONDS, task);
        return t::cancel;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public SSLSession tlsSession() {
        return connection.tlsSession();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }
}
