package dev.uring4j.runtime;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** A handler that records every callback, for tests to assert on from their own thread. */
class Recorder implements ConnectionHandler {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger inputClosed = new AtomicInteger();
    final AtomicInteger dataAfterInputClosed = new AtomicInteger();
    final AtomicInteger dataAfterClose = new AtomicInteger();
    final List<Boolean> writability = new CopyOnWriteArrayList<>();
    final List<Throwable> closes = new CopyOnWriteArrayList<>();
    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    volatile Connection connection;

    @Override
    public void onOpen(Connection c) {
        connection = c;
        opens.incrementAndGet();
        opened.complete(c);
    }

    @Override
    public int onData(Connection c, MemorySegment buffer, long offset, int length) {
        if (inputClosed.get() > 0) {
            dataAfterInputClosed.incrementAndGet();
        }
        if (!closes.isEmpty()) {
            dataAfterClose.incrementAndGet();
        }
        byte[] b = new byte[length];
        MemorySegment.copy(buffer, JAVA_BYTE, offset, b, 0, length);
        synchronized (data) {
            data.write(b, 0, length);
        }
        return length;
    }

    @Override
    public void onInputClosed(Connection c) {
        inputClosed.incrementAndGet();
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        writability.add(writable);
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
        closes.add(cause == null ? new NullCause() : cause);
        closed.complete(cause);
    }

    byte[] bytes() {
        synchronized (data) {
            return data.toByteArray();
        }
    }

    int received() {
        synchronized (data) {
            return data.size();
        }
    }

    /** Stands in for "closed without a cause" in {@link #closes}. */
    static final class NullCause extends Throwable {
        private static final long serialVersionUID = 1L;

        NullCause() {
            super("orderly close", null, false, false);
        }
    }
}
