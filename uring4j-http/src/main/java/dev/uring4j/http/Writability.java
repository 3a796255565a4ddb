package dev.uring4j.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the responses of one connection may write without their output piling up, and the
 * handlers waiting until they may ({@link HttpResponse#onWritable}).
 *
 * <p>A response is writable ({@link #writable}) as the head of the line while the transport is
 * writable (its queue below the high watermark, as the transport last said), and behind the head
 * while the staging is not full. Output that is discarded (the client left, the engine answered
 * instead, a {@code HEAD} response) never makes anyone wait.
 *
 * <p>A waiting handler's task runs at the end of the batch of work in which its response became
 * writable ({@link #runTasks}, called by the outermost bracket of the {@link ResponseWriter}), so
 * what it writes shares that batch's flush; one registered while the response is writable already
 * is posted, so that it never runs inside the call that registered it. A task whose exchange leaves
 * the line unanswered is posted too ({@link #release}): its writer is let go, and its writes are
 * discarded.
 *
 * <p>Threads other than the loop see a snapshot ({@link #mayPostMore}): whether the transport was
 * writable and the staging not full when the loop last looked, and how many octets they posted that
 * the loop has not taken yet. That count is what bounds a writer on another thread, since the loop's
 * answer reaches it late. Owned by one {@link HttpConnection}; everything but the snapshot and the
 * count is used on its event loop only.
 */
final class Writability {
    private final HttpConnection connection;
    private final HttpTransport transport;
    private final ResponseWriter output;
    private final Pipeline pipeline;
    private final int maxBufferedResponseBytes;
    /** Octets of response writes posted from other threads that the loop has not taken yet. */
    private final AtomicLong posted = new AtomicLong();

    private boolean transportWritable = true;
    /** {@link #transportWritable} and staging not full, for threads other than the loop. */
    private volatile boolean hint = true;
    /** Some exchange in the line may hold a task for when its response is writable. */
    private boolean tasksWaiting;
    private boolean runningTasks;

    Writability(HttpConnection connection, HttpTransport transport, ResponseWriter output, Pipeline pipeline,
            int maxBufferedResponseBytes) {
        this.connection = connection;
        this.transport = transport;
        this.output = output;
        this.pipeline = pipeline;
        this.maxBufferedResponseBytes = maxBufferedResponseBytes;
    }

    /** The transport crossed its high watermark ({@code false}) or is back at the low one. */
    void transportChanged(boolean writable) {
        transportWritable = writable;
        stagingChanged();
    }

    /** The staging became full or drained: the snapshot for other threads follows. */
    void stagingChanged() {
        boolean now = transportWritable && !pipeline.stagingFull();
        if (now != hint) {
            hint = now;
        }
    }

    /**
     * Whether the transport takes more output now; staged output is written only then. Output
     * gathered for the batch is handed to the transport first, so that the answer counts every octet
     * written so far, as if each write had gone straight to it.
     */
    boolean transportWritable() {
        output.push();
        return transportWritable;
    }

    /** Whether {@code ex}'s response takes more output now without it piling up. */
    boolean writable(Exchange ex) {
        if (ex.discardsOutput() || connection.isOutputShut()) {
            return true;
        }
        return pipeline.isHeadOfLine(ex) ? transportWritable() : !pipeline.stagingFull();
    }

    /** Counts {@code length} octets posted by another thread; returns the total the loop has yet to take. */
    long posted(long length) {
        return posted.addAndGet(length);
    }

    /** Octets posted by other threads that the loop has not taken yet. */
    long posted() {
        return posted.get();
    }

    /** The loop takes posted octets. */
    void taken(long length) {
        posted.addAndGet(-length);
    }

    /** For another thread: whether it may post more, with this many posted octets waiting for the loop. */
    boolean mayPostMore(long waiting) {
        return waiting <= maxBufferedResponseBytes && hint;
    }

    /** Runs {@code task} on the loop once {@code ex}'s response is {@link #writable}; later, never inside this call. */
    void onWritable(Exchange ex, Runnable task) {
        if (writable(ex)) {
            transport.execute(task);
            return;
        }
        ex.writableTask = task;
        tasksWaiting = true;
    }

    /**
     * Runs the tasks of exchanges whose responses are writable now. A task may write, end its
     * response, or register again; after each, the line is looked at afresh from the oldest exchange.
     */
    void runTasks() {
        if (!tasksWaiting || runningTasks) {
            return;
        }
        runningTasks = true;
        try {
            boolean waiting = false;
            boolean ran = true;
            while (ran) {
                ran = false;
                waiting = false;
                for (int i = 0; i < pipeline.size(); i++) {
                    Exchange ex = pipeline.get(i);
                    Runnable task = ex.writableTask;
                    if (task == null) {
                        continue;
                    }
                    if (!writable(ex)) {
                        waiting = true;
                        continue;
                    }
                    ex.writableTask = null;
                    try {
                        task.run();
                    } catch (Throwable t) {
                        connection.handlerFailed(ex, t);
                    }
                    ran = true;
                    break;
                }
            }
            tasksWaiting = waiting;
        } finally {
            runningTasks = false;
        }
    }

    /** {@code ex} leaves the line unanswered: a handler waiting to write is let go, its output discarded. */
    void release(Exchange ex) {
        Runnable task = ex.writableTask;
        if (task != null) {
            ex.writableTask = null;
            transport.execute(task);
        }
    }
}
