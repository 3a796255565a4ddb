package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * Responses in request order: the exchanges of one connection that are dispatched and not yet
 * answered, oldest first, and the pool they are reused from.
 *
 * <p>A client may send several requests before reading any answer, and handlers may finish them in
 * any order (a later one at once, an earlier one from another thread). Only the oldest exchange, the
 * head of the line, writes to the transport; the others stage their output in their own buffer. When
 * the head's response is complete it retires, and the next one's staged output is written to the
 * transport, after which that exchange writes straight through in its turn.
 *
 * <p><b>Staged output leaves as the client reads.</b> It is written in slices, each only while the
 * transport is writable (its queue below the high watermark), so however much is staged the
 * transport never queues more than its watermark and one slice; the rest waits for
 * {@link #advance()} to be called again when the transport is writable. While an exchange still has
 * staged octets waiting, its new output is staged behind them, so nothing is reordered.
 *
 * <p><b>Bounds.</b> The number of exchanges is bounded by the pipeline depth, and the staged octets
 * by {@link HttpServer#maxBufferedResponseBytes()}: past that the staging is full, the connection
 * stops reading further requests and handlers are told their responses are not writable, until the
 * staged octets have fallen to half the limit. A single write is always taken whole, so staging
 * exceeds the limit by at most the writes made before the handlers heed it; by no more than the
 * transport's own output limit, though: a handler that ignores the signal and stages past that
 * has its connection closed, as writing past the output limit directly would, with a warning
 * naming both limits.
 *
 * <p>The ring is sized by the pipeline depth, plus one for the engine's own answer to a refused
 * request, and retired exchanges go back to the pool, so that steady traffic allocates no
 * exchanges. Owned by one {@link HttpConnection}, used on its event loop only.
 */
final class Pipeline {
    /**
     * Staged octets written to the transport per writability check: the transport's queue stays
     * within its high watermark plus this, far below the runtime's default output limit.
     */
    static final int DRAIN_SLICE = 64 * 1024;

    private final HttpConnection connection;
    private final HttpTransport transport;
    private final ResponseWriter output;
    private final int depth;
    private final int maxBufferedBytes;
    private final Exchange[] ring;
    private int oldest;
    private int size;
    private Exchange free;
    /** Octets staged and not yet written to the transport, by all exchanges. */
    private long buffered;
    /** Staging went past its limit and has not fallen to half of it yet. */
    private boolean stagingFull;

    Pipeline(HttpConnection connection, HttpTransport transport, ResponseWriter output, int depth, int maxBufferedBytes) {
        this.connection = connection;
        this.transport = transport;
        this.output = output;
        this.depth = depth;
        this.maxBufferedBytes = maxBufferedBytes;
        this.ring = new Exchange[depth + 1];
    }

    /** A pooled exchange, or a new one until the pool has grown to what the connection needs. */
    Exchange acquire() {
        Exchange ex = free;
        if (ex == null) {
            return new Exchange(connection, this, output);
        }
        free = ex.nextFree;
        ex.nextFree = null;
        return ex;
    }

    /** Returns an exchange that is done with, response and body, to the pool. */
    void release(Exchange ex) {
        ex.recycle();
        ex.nextFree = free;
        free = ex;
    }

    void append(Exchange ex) {
        ring[slot(size)] = ex;
        size++;
    }

    int size() {
        return size;
    }

    /** Whether as many requests as the pipeline depth wait for their answers: read no more heads. */
    boolean full() {
        return size >= depth;
    }

    /** Whether staging is full: stop reading requests, and tell handlers to stop writing, until it drains. */
    boolean stagingFull() {
        return stagingFull;
    }

    /** The oldest exchange, whose response is the one being written; null if none. */
    Exchange oldest() {
        return size == 0 ? null : ring[oldest];
    }

    boolean isHeadOfLine(Exchange ex) {
        return oldest() == ex;
    }

    /** The {@code i}-th exchange from the oldest, {@code i < size()}. */
    Exchange get(int i) {
        return ring[slot(i)];
    }

    /** The ring index {@code i} places after the oldest: a compare, not a division, on every request. */
    private int slot(int i) {
        int at = oldest + i;
        return at >= ring.length ? at - ring.length : at;
    }

    /** Takes the oldest exchange out of the line; whatever it still had staged is dropped. */
    Exchange removeOldest() {
        Exchange ex = ring[oldest];
        ring[oldest] = null;
        oldest = slot(1);
        size--;
        unstaged(ex.dropStaged());
        return ex;
    }

    /**
     * Part of {@code ex}'s response: written if {@code ex} is the head of the line and has nothing
     * staged still waiting, else staged behind what waits.
     */
    void write(Exchange ex, byte[] array, int offset, int length) {
        if (isHeadOfLine(ex) && !ex.hasStaged()) {
            output.write(array, offset, length);
        } else if (fitsStaging(length)) {
            ex.stage().append(array, offset, length);
            staged(length);
        }
    }

    /** As {@link #write(Exchange, byte[], int, int)} for a view, which is copied if staged. */
    void write(Exchange ex, MemorySegment segment, long offset, long length) {
        if (isHeadOfLine(ex) && !ex.hasStaged()) {
            output.write(segment, offset, length);
            return;
        }
        if (!fitsStaging(length)) {
            return;
        }
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(length - done, Integer.MAX_VALUE - 8);
            ex.stage().append(segment, offset + done, n);
            staged(n);
            done += n;
        }
    }

    /**
     * Whether {@code ex} may send from {@code file} now: it is at the head of the line with nothing
     * staged, so its region goes straight to the transport, in order. A later exchange stages its
     * output, and a file is not staged: it reads the file instead.
     */
    boolean sendsFileNow(Exchange ex, dev.uring4j.runtime.LoopFile file) {
        return isHeadOfLine(ex) && !ex.hasStaged() && transport.sendsFile(file);
    }

    /**
     * Whether {@code length} more octets may be staged: not more than the transport's output limit
     * past the staging limit. Otherwise the connection is closed (what was already written still
     * leaves; staged output is dropped), since dropping these octets alone would corrupt the
     * response.
     */
    private boolean fitsStaging(long length) {
        long outputLimit = transport.outputLimit();
        long limit = outputLimit > Long.MAX_VALUE - maxBufferedBytes ? Long.MAX_VALUE : maxBufferedBytes + outputLimit;
        if (buffered + length <= limit) {
            return true;
        }
        long staged = buffered;
        HttpConnection.LOG.log(System.Logger.Level.WARNING, () -> "closing " + transport + ": a response write of "
                + length + " bytes behind an unfinished earlier response would stage " + (staged + length)
                + " bytes, past maxBufferedResponseBytes (" + maxBufferedBytes + ") plus the output limit ("
                + outputLimit + ", LoopOptions.maxPendingOutput); stream with HttpResponse.write and "
                + "wait for onWritable when it returns false");
        connection.closeNow();
        return false;
    }

    private void staged(int length) {
        buffered += length;
        if (!stagingFull && buffered > maxBufferedBytes) {
            stagingFull = true;
            connection.stagingFull();
        }
    }

    private void unstaged(long length) {
        buffered -= length;
        if (stagingFull && buffered <= maxBufferedBytes / 2) {
            stagingFull = false;
            connection.stagingDrained();
        }
    }

    /**
     * Writes the staged output of the exchanges that reached the head of the line, as far as the
     * transport is writable, and retires those whose response is complete and written, until one is
     * still being answered or the transport is full.
     *
     * @return whether a retired response closes the connection: nothing after it may be written
     */
    boolean advance() {
        for (Exchange head = oldest(); head != null; head = oldest()) {
            if (!drain(head) || !head.responseDone()) {
                return false;
            }
            removeOldest();
            head.retired = true;
            boolean closeAfter = head.closeAfter;
            if (head.recyclable()) {
                release(head);
            }
            if (closeAfter) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code head}'s staged octets while the transport is writable; true once none is left. */
    private boolean drain(Exchange head) {
        while (head.hasStaged()) {
            if (!connection.writability().transportWritable()) {
                return false;
            }
            ByteBuf staged = head.staged();
            int from = head.stagedOut;
            int n = Math.min(staged.length() - from, DRAIN_SLICE);
            output.write(staged.array(), from, n);
            head.stagedOut = from + n;
            if (head.stagedOut == staged.length()) {
                staged.clear();
                head.stagedOut = 0;
            }
            unstaged(n);
        }
        return true;
    }
}
