package dev.uring4j.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.ssl.SSLSession;

/**
 * An {@link HttpTransport} without a network, for testing the engine and handlers: what a test
 * {@link #receive}s is presented to the connection the way the runtime presents received data,
 * output is captured, and time is a fake clock that moves only when told ({@link #advance}).
 *
 * <p>It enforces the runtime's side of the contract strictly, to catch engine bugs: unconsumed
 * octets are kept and presented again, contiguous, at a different offset each time, and consumed
 * ones are overwritten, so anything that kept a view or an absolute offset past {@code onData}
 * reads garbage; writing after close or after {@link #shutdownOutput()} throws; only flushed
 * output counts as sent ({@link #output()}). Data arriving while input is paused is kept, as a
 * runtime that stopped receiving leaves it in the socket.
 *
 * <p><b>A slow client.</b> After {@link #slowClient} the client reads only what the test lets it
 * ({@link #clientReads}): output written and not read yet is queued, and the transport reports the
 * watermarks as the runtime does (not writable past the high one, from inside the write that
 * crossed it; writable again at the low one). A write past the output limit fails the test: the
 * runtime would refuse it and abort the connection.
 *
 * <p><b>Threads.</b> The thread that created it is the event loop: it must make every call except
 * {@link #execute}, which any thread may call; posted tasks run in {@link #runTasks()},
 * {@link #awaitTasks} or after any other event. The receive buffer is native memory, as the
 * runtime's is, and nothing is allocated per delivery.
 */
final class InMemoryTransport implements HttpTransport {
    private static final long START_NANOS = 1_000_000_000L;
    /** 2023-11-14T22:13:20Z: a fixed wall clock, so that output is reproducible. */
    private static final long DEFAULT_WALL_MILLIS = 1_700_000_000_000L;
    private static final byte POISON = (byte) 0xA5;
    /** Kept octets are presented at offset 0 and 7 in turn. */
    private static final long OTHER_BASE = 7;

    private final Thread loop = Thread.currentThread();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Timer> timers = new ArrayList<>();
    private final ByteBuf output = new ByteBuf(4096);
    private HttpConnection connection;
    private int maxRetained;

    private MemorySegment input = Arena.ofAuto().allocate(4096);
    private long base;
    private int kept;
    private int maxKept;
    private boolean paused;
    private boolean redeliver;
    private boolean delivering;

    private int flushed;
    private int writes;
    private int flushes;
    private boolean outputShut;
    private boolean closed;
    private boolean eof;

    private long lowWatermark;
    private long highWatermark = Long.MAX_VALUE;
    private long outputLimit = Long.MAX_VALUE;
    private long clientRead;
    private long peakQueued;
    private boolean writable = true;

    private long nanos = START_NANOS;
    private long wallMillisAtStart = DEFAULT_WALL_MILLIS;
    private long timerSequence;

    /** Creates the connection {@code server} makes for this transport and attaches it. */
    public HttpConnection connect(HttpServer server) {
        if (connection != null) {
            throw new IllegalStateException("already connected");
        }
        maxRetained = server.maxRetainedBytes();
        connection = server.newConnection(this);
        return connection;
    }

    // ---- The test drives the connection.

    /** Receives {@code text} as ISO-8859-1 octets. */
    public void receive(String text) {
        receive(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Receives {@code data}. */
    public void receive(byte[] data) {
        receive(data, 0, data.length);
    }

    /** Receives octets: presents them after the kept ones, then runs posted tasks. */
    public void receive(byte[] data, int offset, int length) {
        if (closed || eof) {
            return;
        }
        ensureInput(kept + length);
        MemorySegment.copy(data, offset, input, ValueLayout.JAVA_BYTE, base + kept, length);
        kept += length;
        if (!paused) {
            deliver();
        }
        runTasks();
    }

    /** The client ends its output (FIN). */
    public void receiveEof() {
        if (closed || eof) {
            return;
        }
        eof = true;
        connection.onInputClosed();
        runTasks();
    }

    /** The connection fails under us (the peer reset it): the connection hears of it as the runtime reports it. */
    public void receiveReset() {
        if (closed) {
            return;
        }
        closed = true;
        timers.clear();
        connection.onClosed();
        runTasks();
    }

    /** Runs tasks posted with {@link #execute} and redeliveries asked by {@link #resumeInput()}, until none is left. */
    public void runTasks() {
        if (!inEventLoop()) {
            throw new IllegalStateException("runTasks must be called by the thread that created the transport");
        }
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                task.run();
            } else if (redeliver && !paused && !closed) {
                redeliver = false;
                if (kept > 0) {
                    deliver();
                }
            } else {
                return;
            }
        }
    }

    /** Waits up to {@code timeout} for another thread to post a task, then runs tasks; false on timeout. */
    public boolean awaitTasks(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tasks.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        runTasks();
        return true;
    }

    /** Moves the fake clocks forward, running timers that fall due in deadline order. */
    public void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        while (true) {
            Timer next = null;
            for (Timer t : timers) {
                if (t.deadline <= target && (next == null || t.deadline < next.deadline
                        || t.deadline == next.deadline && t.sequence < next.sequence)) {
                    next = t;
                }
            }
            if (next == null) {
                break;
            }
            timers.remove(next);
            nanos = Math.max(nanos, next.deadline);
            next.task.run();
            runTasks();
        }
        nanos = target;
    }

    /**
     * From now on the client reads only what {@link #clientReads} says: queued output above
     * {@code high} makes the transport unwritable until it is back at {@code low}, and a write that
     * would take it past {@code limit} throws.
     */
    public void slowClient(long low, long high, long limit) {
        lowWatermark = low;
        highWatermark = high;
        outputLimit = limit;
    }

    /**
     * The client reads up to {@code n} octets of the flushed output; the engine hears when the
     * transport is writable again, then posted tasks run.
     *
     * @return how many it read
     */
    public long clientReads(long n) {
        long read = Math.min(n, flushed - clientRead);
        clientRead += read;
        if (!writable && queued() <= lowWatermark && !closed) {
            writable = true;
            connection.onWritabilityChanged(true);
        }
        runTasks();
        return read;
    }

    /** Output written and not yet read by the client: what the runtime would hold in its queue. */
    public long queued() {
        return output.length() - clientRead;
    }

    /** The most output ever queued. */
    public long peakQueued() {
        return peakQueued;
    }

    /** Sets the wall clock (for the Date header) to read {@code epochMillis} now. */
    public void setWallClock(long epochMillis) {
        wallMillisAtStart = epochMillis - (nanos - START_NANOS) / 1_000_000;
    }

    // ---- What the test observes.

    /** The flushed output so far. */
    public byte[] output() {
        return Arrays.copyOf(output.array(), flushed);
    }

    /** The flushed output so far as ISO-8859-1 text. */
    public String outputText() {
        return new String(output.array(), 0, flushed, StandardCharsets.ISO_8859_1);
    }

    /** Forgets the output so far, which must all be flushed and, with a slow client, read. Allocates nothing. */
    public void clearOutput() {
        if (flushed != output.length()) {
            throw new IllegalStateException((output.length() - flushed) + " bytes written but not flushed");
        }
        if (!writable) {
            throw new IllegalStateException("the slow client has not read the output");
        }
        output.clear();
        flushed = 0;
        clientRead = 0; // as if the client read it all; used only without a slow client
    }

    /** How many writes the connection made so far. */
    public int writes() {
        return writes;
    }

    /** How many times the connection flushed so far. */
    public int flushes() {
        return flushes;
    }

    /** Octets written but not flushed: a response the client would never see. */
    public int unflushedBytes() {
        return output.length() - flushed;
    }

    /** Whether the engine closed the connection (or the test reset it). */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the engine ended its output (sent FIN) to close the connection. */
    public boolean isOutputShutdown() {
        return outputShut;
    }

    /** Whether the engine has paused input. */
    public boolean isInputPaused() {
        return paused;
    }

    /** Octets the connection left unconsumed, kept for the next presentation. */
    public int retainedBytes() {
        return kept;
    }

    /** The most octets the connection ever left unconsumed while reading. */
    public int maxRetainedSeen() {
        return maxKept;
    }

    /** Timers scheduled and not yet run or cancelled. */
    public int pendingTimers() {
        return timers.size();
    }

    // ---- HttpTransport.

    @Override
    public void write(MemorySegment source, long offset, long length) {
        writes++;
        checkWritable();
        checkLimit(length);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(length - done, 1 << 30);
            output.append(source, offset + done, n);
            done += n;
        }
        queuedMore();
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        writes++;
        checkWritable();
        checkLimit(length);
        output.append(source, offset, length);
        queuedMore();
    }

    @Override
    public long outputLimit() {
        return outputLimit;
    }

    private void checkLimit(long length) {
        if (queued() + length > outputLimit) {
            throw new IllegalStateException("a write of " + length + " octets with " + queued() + " queued goes past "
                    + "the output limit of " + outputLimit + ": the runtime would refuse it and abort the connection");
        }
    }

    /** As the runtime does, from inside the write: past the high watermark the connection hears it is not writable. */
    private void queuedMore() {
        peakQueued = Math.max(peakQueued, queued());
        if (writable && queued() > highWatermark) {
            writable = false;
            connection.onWritabilityChanged(false);
        }
    }

    @Override
    public void flush() {
        flushes++;
        checkLoop();
        flushed = output.length();
    }

    @Override
    public void shutdownOutput() {
        checkWritable();
        flushed = output.length();
        outputShut = true;
    }

    @Override
    public void close() {
        checkLoop();
        if (closed) {
            return;
        }
        flushed = output.length();
        closed = true;
        timers.clear();
        HttpConnection c = connection;
        tasks.add(c::onClosed); // the runtime reports the close from its loop, not from inside close()
    }

    @Override
    public void pauseInput() {
        checkLoop();
        paused = true;
    }

    @Override
    public void resumeInput() {
        checkLoop();
        paused = false;
        redeliver = true;
    }

    @Override
    public void switchProtocols(dev.uring4j.runtime.ConnectionHandler next) {
        // Protocol switches are tested over the runtime (the WebSocket suites): the new protocol's
        // handler needs a runtime Connection, which this transport does not have.
        throw new UnsupportedOperationException("the in-memory transport cannot hand a connection to another protocol");
    }

    @Override
    public Thread.Builder.OfVirtual ofVirtual() {
        throw new UnsupportedOperationException("the in-memory transport's loop is the test's thread");
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loop;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        checkLoop();
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay " + delayNanos);
        }
        Timer timer = new Timer(nanos + delayNanos, timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    }

    @Override
    public SSLSession tlsSession() {
        return null;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return wallMillisAtStart + (nanos - START_NANOS) / 1_000_000;
    }

    // ---- Internals.

    private void deliver() {
        if (delivering) {
            throw new IllegalStateException("onData would be re-entered");
        }
        delivering = true;
        int consumed;
        try {
            consumed = connection.onData(input, base, kept);
        } finally {
            delivering = false;
        }
        if (consumed < 0 || consumed > kept) {
            throw new IllegalStateException("onData consumed " + consumed + " of " + kept + " bytes");
        }
        int rest = kept - consumed;
        if (!paused && !closed && rest > maxRetained) {
            throw new IllegalStateException("the connection kept " + rest + " unconsumed bytes while reading, more than "
                    + "HttpServer.maxRetainedBytes() = " + maxRetained);
        }
        maxKept = Math.max(maxKept, paused ? 0 : rest);
        // Present the rest at another offset next time, and overwrite what was presented and is gone.
        long next = base == 0 ? OTHER_BASE : 0;
        MemorySegment.copy(input, base + consumed, input, next, rest);
        for (long i = base, end = base + kept; i < end; i++) {
            if (i < next || i >= next + rest) {
                input.set(ValueLayout.JAVA_BYTE, i, POISON);
            }
        }
        base = next;
        kept = rest;
    }

    private void ensureInput(long needed) {
        if (OTHER_BASE + needed > input.byteSize()) {
            MemorySegment bigger = Arena.ofAuto().allocate(Math.max(input.byteSize() * 2, OTHER_BASE + needed));
            MemorySegment.copy(input, base, bigger, base, kept);
            input = bigger;
        }
    }

    private void checkLoop() {
        if (!inEventLoop()) {
            throw new IllegalStateException("called off the event loop by " + Thread.currentThread().getName());
        }
    }

    private void checkWritable() {
        checkLoop();
        if (closed || outputShut) {
            throw new IllegalStateException("write after " + (closed ? "close" : "shutdownOutput"));
        }
    }

    private final class Timer implements Cancellable {
        final long deadline;
        final long sequence;
        final Runnable task;

        Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public void cancel() {
            timers.remove(this);
        }
    }
}
