package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * Responses in request order: the exchanges of one connection that are dispatched and not yet
 * answered, oldest first, and the pool they are reused from.
 *
 * <p>A client may send several requests before reading any answer, and handlers may finish them in
 * any order (a later one at once, an earlier one from another thread). Only the oldest exchange, the
 * head of the line, writes to the transport; the others stage their output in their own buffer. When
 * the head's response is complete it retires, and the next one's staged output is written in one
 * piece, after which that exchange writes straight through in its turn.
 *
 * <p>Both the number of exchanges and the staged octets are bounded: when the pipeline is
 * {@link #full()} or more than {@link HttpServer#maxBufferedResponseBytes()} are staged, the
 * connection stops reading, until the staged octets have fallen to half the limit.
 *
 * <p>The ring is sized by the pipeline depth, plus one for the engine's own answer to a refused
 * request, and retired exchanges go back to the pool, so that steady traffic allocates no
 * exchanges. Owned by one {@link HttpConnection}, used on its event loop only.
 */
final class Pipeline {
    private final HttpConnection connection;
    private final ResponseWriter output;
    private final int depth;
    private final int maxBufferedBytes;
    private final Exchange[] ring;
    private int oldest;
    private int size;
    private Exchange free;
    /** Octets staged by exchanges behind the head of the line. */
    private long buffered;

    Pipeline(HttpConnection connection, ResponseWriter output, int depth, int maxBufferedBytes) {
        this.connection = connection;
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
        ring[(oldest + size) % ring.length] = ex;
        size++;
    }

    int size() {
        return size;
    }

    /** Whether as many requests as the pipeline depth wait for their answers: read no more heads. */
    boolean full() {
        return size >= depth;
    }

    /** Whether the staged octets have fallen far enough for reading to go on. */
    boolean drained() {
        return buffered <= maxBufferedBytes / 2;
    }

    /** The oldest exchange, whose response is the one being written; null if none. */
    Exchange oldest() {
        return size == 0 ? null : ring[oldest];
    }

    boolean isHeadOfLine(Exchange ex) {
        return oldest() == ex;
    }

    Exchange removeOldest() {
        Exchange ex = ring[oldest];
        ring[oldest] = null;
        oldest = (oldest + 1) % ring.length;
        size--;
        return ex;
    }

    /** Part of {@code ex}'s response: written if {@code ex} is the head of the line, else staged. */
    void write(Exchange ex, byte[] array, int offset, int length) {
        if (isHeadOfLine(ex)) {
            output.write(array, offset, length);
        } else {
            ex.stage().append(array, offset, length);
            staged(length);
        }
    }

    /** As {@link #write(Exchange, byte[], int, int)} for a view, which is copied if staged. */
    void write(Exchange ex, MemorySegment segment, long offset, long length) {
        if (isHeadOfLine(ex)) {
            output.write(segment, offset, length);
            return;
        }
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(length - done, Integer.MAX_VALUE - 8);
            ex.stage().append(segment, offset + done, n);
            staged(n);
            done += n;
        }
    }

    private void staged(int length) {
        buffered += length;
        if (buffered > maxBufferedBytes) {
            connection.pause(HttpConnection.PAUSED_BUFFERED);
        }
    }

    /**
     * Writes the staged output of the exchanges that reached the head of the line, and retires those
     * whose response is complete, until one is still being answered.
     *
     * @return whether a retired response closes the connection: nothing after it may be written
     */
    boolean advance() {
        for (Exchange head = oldest(); head != null; head = oldest()) {
            ByteBuf staged = head.staged();
            if (staged != null && staged.length() > 0) {
                output.write(staged.array(), 0, staged.length());
                buffered -= staged.length();
                staged.clear();
            }
            if (!head.responseDone()) {
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
}
