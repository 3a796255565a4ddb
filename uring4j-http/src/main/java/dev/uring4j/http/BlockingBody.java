package dev.uring4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body read with blocking calls on the handler's own thread ({@link HttpRequest#body()}):
 * the event loop copies each part as it arrives into a queue, the handler's thread takes from it,
 * parking while it is empty. The queue is bounded: once {@link #WINDOW} octets wait, the loop stops
 * reading the connection (the rest waits in TCP, the client is slowed down), and once the reader has
 * taken half of them it resumes, so a body of any size costs the window plus one receive view.
 *
 * <p>Waiting uses {@link ReentrantLock} and {@link Condition}, which park a virtual thread without
 * pinning its carrier. The loop side ({@link HttpBodyListener}) runs on the event loop; the stream
 * side on one other thread. What the reader has not taken when it closes the stream, or when its
 * handler returns, is discarded as it arrives.
 */
final class BlockingBody extends InputStream implements HttpBodyListener {
    /** Octets queued for the reader before the loop stops reading the connection. */
    static final int WINDOW = 256 * 1024;

    private final Exchange exchange;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> parts = new ArrayDeque<>();
    // Guarded by lock.
    private long queued;
    private boolean ended;
    private IOException failure;
    private boolean abandoned;
    private boolean inputPaused;
    // The handler's thread's own.
    private byte[] current;
    private int position;
    private boolean continueAsked;

    BlockingBody(Exchange exchange) {
        this.exchange = exchange;
    }

    // ---- The event loop's side.

    @Override
    public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
        boolean pause;
        lock.lock();
        try {
            if (abandoned) {
                return;
            }
            byte[] part = new byte[length];
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, part, 0, length);
            parts.add(part);
            queued += length;
            arrived.signal();
            pause = queued >= WINDOW && !inputPaused;
            inputPaused |= pause;
        } finally {
            lock.unlock();
        }
        if (pause) {
            exchange.connection.pause(HttpConnection.PAUSED_BODY);
        }
    }

    @Override
    public void onEnd(HttpRequest request, HttpHeaders trailers) {
        finish(null);
    }

    @Override
    public void onAbort(HttpRequest request, IOException cause) {
        finish(cause);
    }

    /** No more parts come: the body ended, or failed with {@code cause}. */
    private void finish(IOException cause) {
        lock.lock();
        try {
            ended = true;
            failure = cause;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    // ---- The reader's side.

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length) {
            current = next();
            position = 0;
            if (current == null) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        taken(n);
        return n;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued);
        } finally {
            lock.unlock();
        }
    }

    /** Discards the rest of the body: what is queued now and what arrives later. */
    @Override
    public void close() {
        boolean resume;
        lock.lock();
        try {
            abandoned = true;
            parts.clear();
            queued = 0;
            resume = inputPaused;
            inputPaused = false;
        } finally {
            lock.unlock();
        }
        current = null;
        if (resume) {
            exchange.connection.execute(exchange.connection::bodyConsumed);
        }
    }

    /** The next part, parking until one arrives; null at the end of the body. */
    private byte[] next() throws IOException {
        lock.lock();
        try {
            while (parts.isEmpty()) {
                if (failure != null) {
                    throw new IOException("the request body did not complete: " + failure.getMessage(), failure);
                }
                if (ended || abandoned) {
                    return null;
                }
                arrived.await();
            }
            return parts.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            lock.unlock();
        }
    }

    /** The reader took {@code n} octets: below half the window, the loop reads the connection again. */
    private void taken(int n) {
        boolean resume;
        lock.lock();
        try {
            queued -= n;
            resume = inputPaused && queued <= WINDOW / 2;
            inputPaused &= !resume;
        } finally {
            lock.unlock();
        }
        if (resume) {
            exchange.connection.execute(exchange.connection::bodyConsumed);
        }
    }

    /**
     * A client that sent {@code Expect: 100-continue} sends the body once asked: when the handler
     * takes the stream, so that the interim answer is posted before any response the handler starts.
     */
    void askForBody() {
        if (!continueAsked) {
            continueAsked = true;
            if (exchange.expectContinue) {
                // At once on the loop (a thread it carries), where the response calls that follow act at once too.
                if (exchange.connection.inEventLoop()) {
                    exchange.sendContinue();
                } else {
                    exchange.connection.execute(exchange::sendContinue);
                }
            }
        }
    }
}
