package dev.uring4j.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A response body written with blocking calls from a thread other than the event loop
 * ({@link HttpResponse#outputStream()}): small writes are gathered into a buffer, and each write to
 * the response that reports it is not writable ({@link HttpResponse#write} returning {@code false})
 * parks the writer until {@link HttpResponse#onWritable} says the response takes more. So the writer
 * goes at the client's pace, and a virtual thread parks without pinning its carrier. Large writes are
 * cut into slices of {@link #SLICE}, since each is copied once to be posted to the loop; and the
 * writer also waits once more than {@link #AHEAD} octets it posted are not taken by the loop yet,
 * rather than the {@link HttpServer#maxBufferedResponseBytes()} any other thread may post ahead: the
 * loop hands what it takes to the connection even past its high watermark, so this keeps the
 * connection's queued output near the watermark, as for a writer on the loop.
 *
 * <p>Made for a body of known length up to the buffer's size, it holds the body until it is complete
 * and then sends head and body in one step ({@link HttpResponse#send}), one hand-off to the loop for
 * the whole response. Otherwise the first write starts a chunked body unless the response was
 * started already. {@link #close()} ends the body. Used by one thread at a time, as the response is.
 */
final class ResponseOutputStream extends OutputStream {
    private static final int BUFFER = 16 * 1024;
    private static final int SLICE = 64 * 1024;
    private static final int AHEAD = 2 * SLICE;

    private final HttpResponse response;
    private final Writability writability;
    private final byte[] buffer;
    /** A small body of known length, held until complete: sent with its head, or not sent yet. */
    private final boolean whole;
    private boolean wholeSent;
    private int count;
    private boolean closed;
    private volatile boolean writable;
    private volatile Thread waiter;

    /**
     * @param contentLength the body's length, for a response not started yet; -1 for a response
     *     already started or to be started chunked
     */
    ResponseOutputStream(HttpResponse response, long contentLength) {
        this.response = response;
        this.writability = response.exchange().connection.writability();
        this.whole = contentLength >= 0 && contentLength <= BUFFER;
        this.buffer = new byte[whole ? (int) contentLength : BUFFER];
        if (contentLength > BUFFER) {
            response.start(contentLength);
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (whole || count == buffer.length) {
            write(new byte[] {(byte) b}, 0, 1); // rare: the checks and the sending of the general case
            return;
        }
        open();
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        open();
        if (whole && len > buffer.length - count) {
            throw new IOException("writing " + len + " bytes would exceed the declared Content-Length " + buffer.length
                    + " (" + count + " written)");
        }
        if (len <= buffer.length - count) {
            System.arraycopy(b, off, buffer, count, len);
            count += len;
            if (whole && count == buffer.length && !wholeSent) {
                wholeSent = true;
                response.send(buffer, 0, count);
            }
            return;
        }
        drain();
        for (int at = off, end = off + len; at < end; ) {
            int n = Math.min(SLICE, end - at);
            send(b, at, n);
            at += n;
        }
    }

    @Override
    public void flush() throws IOException {
        open();
        drain();
    }

    /** Sends what is buffered and ends the response's body. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (whole) {
            if (wholeSent) {
                return;
            }
            if (count == buffer.length) {
                response.send(buffer, 0, count); // an empty body
                return;
            }
            // Short of the declared length: the engine refuses it and closes the connection.
            response.start(buffer.length).write(buffer, 0, count);
            end();
            return;
        }
        drain();
        if (!response.isCommitted()) {
            response.start(0);
        }
        end();
    }

    private void end() throws IOException {
        try {
            response.end();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void open() throws IOException {
        if (closed) {
            throw new IOException("the response body stream is closed");
        }
    }

    private void drain() throws IOException {
        if (count > 0 && !whole) {
            int n = count;
            count = 0;
            send(buffer, 0, n);
        }
    }

    private void send(byte[] b, int off, int len) throws IOException {
        if (!response.isCommitted()) {
            response.startChunked();
        }
        boolean goOn;
        try {
            goOn = response.write(b, off, len);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!goOn || writability.posted() > AHEAD) {
            awaitWritable();
        }
    }

    /** Parks until the loop runs the {@link HttpResponse#onWritable} task registered here. */
    private void awaitWritable() throws IOException {
        writable = false;
        waiter = Thread.currentThread();
        response.onWritable(this::wake);
        while (!writable) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the client to take the response");
            }
        }
    }

    private void wake() {
        writable = true;
        LockSupport.unpark(waiter);
    }
}
