package dev.uring4j.http;

/**
 * The exchanges of one connection in request order, oldest first, and the pool they are reused
 * from: a ring sized by the pipeline depth (plus one for the engine's own answer to a refused
 * request), so that steady traffic allocates no exchanges.
 *
 * <p>Owned by one {@link HttpConnection}, used on its event loop only.
 */
final class Pipeline {
    private final HttpConnection connection;
    private final ResponseWriter output;
    private final Exchange[] ring;
    private int oldest;
    private int size;
    private Exchange free;

    Pipeline(HttpConnection connection, ResponseWriter output, int depth) {
        this.connection = connection;
        this.output = output;
        this.ring = new Exchange[depth + 1];
    }

    /** A pooled exchange, or a new one until the pool has grown to what the connection needs. */
    Exchange acquire() {
        Exchange ex = free;
        if (ex == null) {
            return new Exchange(connection, output);
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

    /** The oldest exchange, whose response is the one being written; null if none. */
    Exchange oldest() {
        return size == 0 ? null : ring[oldest];
    }

    Exchange removeOldest() {
        Exchange ex = ring[oldest];
        ring[oldest] = null;
        oldest = (oldest + 1) % ring.length;
        size--;
        return ex;
    }
}
