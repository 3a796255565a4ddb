package dev.uring4j.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import dev.uring4j.runtime.TcpServer;

/**
 * An HTTP/1.1 server's configuration and handler: limits, timeouts, and the cached {@code Date}
 * line, shared by all its connections; {@link #serve} runs it on the uring4j runtime. Immutable and
 * safe to share between event loops.
 *
 * <pre>{@code
 * TcpServer tcp = HttpServer.builder(router)
 *         .maxBodyBytes(64 << 20)
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .build()
 *         .serve(TcpServer.builder().port(8080));
 * }</pre>
 *
 * <p>Limits are checked as octets arrive, on the first octet that exceeds one, and answered with
 * the status in {@code docs/HTTP.md}; then the connection closes.
 */
public final class HttpServer {
    /**
     * The largest request line or header section limit: 64 MiB each, so that a whole head (the two
     * together, which the transport may have to keep unconsumed) still fits the {@code int} offsets
     * the parser keeps.
     */
    static final int MAX_HEAD_LIMIT = 64 << 20;
    /** The most header fields: the parser's table of field offsets (16 octets a field) is allocated per connection. */
    static final int MAX_HEADER_COUNT = 10_000;
    /** The deepest pipeline: the ring of exchanges is allocated per connection. */
    static final int MAX_PIPELINED_REQUESTS = 1024;
    /** The most staged response octets: they are held in heap arrays, which stop short of 2 GiB. */
    static final int MAX_BUFFERED_RESPONSE_BYTES = 1 << 30;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private final HttpHandler handler;
    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final long maxBodyBytes;
    private final int maxPipelinedRequests;
    private final int maxBufferedResponseBytes;
    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long lingerTimeoutNanos;
    private final Compression compression;
    private final DateCache date = new DateCache();

    private HttpServer(Builder b) {
        handler = b.virtualThreads ? (b.loopVirtualThreads ? BlockingHandler.onLoopVirtualThreads(b.handler)
                : BlockingHandler.onVirtualThreads(b.handler))
                : b.handlerExecutor == null ? b.handler : BlockingHandler.on(b.handlerExecutor, b.handler);
        maxRequestLineBytes = b.maxRequestLineBytes;
        maxHeaderBytes = b.maxHeaderBytes;
        maxHeaderCount = b.maxHeaderCount;
        maxBodyBytes = b.maxBodyBytes;
        maxPipelinedRequests = b.maxPipelinedRequests;
        maxBufferedResponseBytes = b.maxBufferedResponseBytes;
        headerTimeoutNanos = b.headerTimeoutNanos;
        idleTimeoutNanos = b.idleTimeoutNanos;
        lingerTimeoutNanos = b.lingerTimeoutNanos;
        compression = b.compression;
    }

    /**
     * A builder with the defaults listed on its methods.
     *
     * @param handler answers every request, typically a {@link Router}
     * @return a new builder
     */
    public static Builder builder(HttpHandler handler) {
        return new Builder(handler);
    }

    /**
     * Serves this HTTP server on the uring4j runtime: {@code tcp} says where and how (port,
     * threads, transport options); its handler is set here. Returns the running TCP server; closing
     * it stops accepting and lets responses in flight drain.
     *
     * <pre>{@code
     * TcpServer server = HttpServer.builder(Router.builder()
     *         .get("/hello", (request, response) -> response.header("Content-Type", "text/plain").send(hi))
     *         .build()).build()
     *     .serve(TcpServer.builder().port(8080).threads(2));
     * }</pre>
     *
     * @param tcp the TCP server to start, configured but for its handler
     * @return the running TCP server
     * @throws IOException if the server cannot bind or start its event loops
     * @throws IllegalArgumentException if the loops' {@code LoopOptions.maxUnconsumedInput} is
     *     smaller than the largest request head the limits admit ({@link #maxRequestLineBytes()} plus
     *     {@link #maxHeaderBytes()} plus 4), which the runtime must keep while it is incomplete; the
     *     server is closed again
     */
    public TcpServer serve(TcpServer.Builder tcp) throws IOException {
        TcpServer server = tcp.handler(() -> new RuntimeTransport(this)).start();
        int keeps = server.group().options().maxUnconsumedInput();
        if (keeps < maxRetainedBytes()) {
            // The loops' options are only known once they run; a head this large would otherwise
            // get its connection closed by the runtime instead of a 414 or 431.
            server.close();
            throw new IllegalArgumentException("maxRequestLineBytes " + maxRequestLineBytes + " and maxHeaderBytes "
                    + maxHeaderBytes + " admit request heads of " + maxRetainedBytes() + " bytes, which the runtime "
                    + "must keep until they are complete, but LoopOptions.maxUnconsumedInput is " + keeps
                    + ": raise it or lower the head limits");
        }
        return server;
    }

    /** The protocol engine for a new connection; the transport delivers that connection's events to it. */
    HttpConnection newConnection(HttpTransport transport) {
        return new HttpConnection(this, Objects.requireNonNull(transport, "transport"));
    }

    /**
     * How many unconsumed octets a transport must be able to keep and present again: the largest
     * request head (or trailer section) the limits admit, which is never consumed until complete.
     */
    int maxRetainedBytes() {
        return maxRequestLineBytes + 2 + maxHeaderBytes + 2;
    }

    /**
     * The request line limit.
     *
     * @return the longest request line accepted, in octets; see {@link Builder#maxRequestLineBytes}
     */
    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    /**
     * The header section limit.
     *
     * @return the largest header (or trailer) section accepted, in octets; see {@link Builder#maxHeaderBytes}
     */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /**
     * The header field count limit.
     *
     * @return the most header (or trailer) fields accepted; see {@link Builder#maxHeaderCount}
     */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /**
     * The request body limit.
     *
     * @return the largest request body accepted, in octets; see {@link Builder#maxBodyBytes}
     */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * The pipeline depth.
     *
     * @return the most requests dispatched and not yet answered on one connection; see
     *     {@link Builder#maxPipelinedRequests}
     */
    public int maxPipelinedRequests() {
        return maxPipelinedRequests;
    }

    /**
     * The limit on response octets held back in the pipeline.
     *
     * @return the most octets staged behind an unfinished response before reading pauses; see
     *     {@link Builder#maxBufferedResponseBytes}
     */
    public int maxBufferedResponseBytes() {
        return maxBufferedResponseBytes;
    }

    /**
     * The header timeout.
     *
     * @return the time allowed for a request head, in nanoseconds; see {@link Builder#headerTimeout}
     */
    public long headerTimeoutNanos() {
        return headerTimeoutNanos;
    }

    /**
     * The idle timeout.
     *
     * @return how long the client may keep the connection waiting, in nanoseconds; see
     *     {@link Builder#idleTimeout}
     */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /**
     * The linger timeout.
     *
     * @return how long a closing connection keeps discarding input, in nanoseconds; see
     *     {@link Builder#lingerTimeout}
     */
    public long lingerTimeoutNanos() {
        return lingerTimeoutNanos;
    }

    /**
     * How dynamic responses are compressed.
     *
     * @return the gzip settings, or {@code null} if responses are sent as they are; see
     *     {@link Builder#compression}
     */
    public Compression compression() {
        return compression;
    }

    HttpHandler handler() {
        return handler;
    }

    byte[] dateLine(long epochMillis) {
        return date.line(epochMillis);
    }

    /** Configures an {@link HttpServer}. */
    public static final class Builder {
        private final HttpHandler handler;
        private int maxRequestLineBytes = 8 * 1024;
        private int maxHeaderBytes = 16 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodyBytes = 16L * 1024 * 1024;
        private int maxPipelinedRequests = 16;
        private int maxBufferedResponseBytes = 1024 * 1024;
        private long headerTimeoutNanos = Duration.ofSeconds(10).toNanos();
        private long idleTimeoutNanos = Duration.ofSeconds(60).toNanos();
        private long lingerTimeoutNanos = Duration.ofSeconds(2).toNanos();
        private Executor handlerExecutor;
        private boolean virtualThreads;
        private boolean loopVirtualThreads;
        private Compression compression;

        private Builder(HttpHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * Longest request line, leading empty lines included (default 8 KiB); longer gets 414.
         *
         * @param bytes the limit in octets, without the line's CRLF: 1 to 64 MiB
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 64 MiB
         */
        public Builder maxRequestLineBytes(int bytes) {
            maxRequestLineBytes = inRange("maxRequestLineBytes", bytes, 1, MAX_HEAD_LIMIT);
            return this;
        }

        /**
         * Largest header section: the field lines with their CRLFs, without the request line and the
         * empty line that ends the section (default 16 KiB); larger gets 431. Also bounds trailers.
         *
         * @param bytes the limit in octets: 1 to 64 MiB
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 64 MiB
         */
        public Builder maxHeaderBytes(int bytes) {
            maxHeaderBytes = inRange("maxHeaderBytes", bytes, 1, MAX_HEAD_LIMIT);
            return this;
        }

        /**
         * Most header field lines (default 100); more gets 431. Also bounds trailers. Each connection
         * allocates a table of 16 octets per field up front.
         *
         * @param count the limit: 1 to 10 000
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 10 000
         */
        public Builder maxHeaderCount(int count) {
            maxHeaderCount = inRange("maxHeaderCount", count, 1, MAX_HEADER_COUNT);
            return this;
        }

        /**
         * Largest request body, declared or, when chunked, received so far (default 16 MiB); larger
         * gets 413.
         *
         * @param bytes the limit in octets, 0 to {@link Long#MAX_VALUE}; 0 refuses any non-empty body
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxBodyBytes(long bytes) {
            maxBodyBytes = inRange("maxBodyBytes", bytes, 0, Long.MAX_VALUE);
            return this;
        }

        /**
         * Most requests answered concurrently on one connection (default 16): beyond that the engine
         * stops reading until the oldest response is complete.
         *
         * @param count the limit: 1 to 1024 (each connection allocates a ring of this many exchanges)
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 1024
         */
        public Builder maxPipelinedRequests(int count) {
            maxPipelinedRequests = inRange("maxPipelinedRequests", count, 1, MAX_PIPELINED_REQUESTS);
            return this;
        }

        /**
         * Most response octets one connection holds on the heap (default 1 MiB): output staged behind
         * an unfinished earlier response, or not yet taken by a connection whose client reads slowly.
         * Beyond it the engine stops reading further requests (which also stops handlers that stream
         * from the request body) and {@link HttpResponse#write} tells streaming handlers of the later
         * responses to wait, until half of it has drained; nothing is dropped or reordered. It also
         * bounds what a thread other than the event loop may post ahead of the loop. Keep it below the
         * runtime's {@code LoopOptions.maxPendingOutput}, which staged output may reach together. A
         * handler that ignores the signal and stages an output limit past this one has its
         * connection closed, as writing past the output limit would.
         *
         * @param bytes the limit in octets: 1 to 1 GiB
         * @return this builder
         * @throws IllegalArgumentException if outside 1 to 1 GiB
         */
        public Builder maxBufferedResponseBytes(int bytes) {
            maxBufferedResponseBytes = inRange("maxBufferedResponseBytes", bytes, 1, MAX_BUFFERED_RESPONSE_BYTES);
            return this;
        }

        /**
         * Time allowed for a request head from its first octet (default 10 s), however it trickles
         * in; then 408 and close.
         *
         * @param timeout the time allowed: 1 ms to 24 h
         * @return this builder
         * @throws IllegalArgumentException if outside 1 ms to 24 h
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder headerTimeout(Duration timeout) {
            headerTimeoutNanos = inRange("headerTimeout", timeout);
            return this;
        }

        /**
         * Time a connection may wait for the client without receiving anything, between requests or
         * inside a body (default 60 s); then it closes (408 inside a body if no response started).
         *
         * @param timeout the time allowed: 1 ms to 24 h
         * @return this builder
         * @throws IllegalArgumentException if outside 1 ms to 24 h
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder idleTimeout(Duration timeout) {
            idleTimeoutNanos = inRange("idleTimeout", timeout);
            return this;
        }

        /**
         * After the engine ends its output to close a connection, time it keeps reading and discarding
         * what the client still sends before closing (default 2 s).
         *
         * @param timeout the time allowed: 1 ms to 24 h
         * @return this builder
         * @throws IllegalArgumentException if outside 1 ms to 24 h
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder lingerTimeout(Duration timeout) {
            lingerTimeoutNanos = inRange("lingerTimeout", timeout);
            return this;
        }

        /**
         * Runs the handlers on virtual threads (default off: on the event loop), so that they may
         * block: a connection's requests one after another on its own thread, as
         * {@link BlockingHandler#onVirtualThreads}, which this wraps the handler in. To keep some
         * routes on the loop, wrap only the others instead.
         *
         * @param on whether handlers run on virtual threads
         * @return this builder
         */
        public Builder virtualThreads(boolean on) {
            virtualThreads = on;
            loopVirtualThreads = false;
            handlerExecutor = null;
            return this;
        }

        /**
         * Runs the handlers on virtual threads that the connections' event loops carry (default
         * off), as {@link BlockingHandler#onLoopVirtualThreads}, which this wraps the handler in:
         * blocking code at close to a loop handler's cost, for handlers that park (sleep, wait for
         * locks, other services, the request body) rather than compute or read files.
         *
         * @param on whether handlers run on virtual threads their loops carry
         * @return this builder
         */
        public Builder virtualThreadsOnLoops(boolean on) {
            virtualThreads = on;
            loopVirtualThreads = on;
            handlerExecutor = null;
            return this;
        }

        /**
         * Runs the handler of every request on {@code executor} (default: on the event loop), so
         * that handlers may block; see {@link BlockingHandler}. For when {@link #virtualThreads}
         * is not the right executor: a pool that bounds how many requests block at once, say.
         *
         * @param executor runs one task per request; null runs handlers on the event loop
         * @return this builder
         */
        public Builder handlerExecutor(Executor executor) {
            handlerExecutor = executor;
            virtualThreads = false;
            loopVirtualThreads = false;
            return this;
        }

        /**
         * Compresses responses with gzip for the clients that accept it (default: none), under
         * the rules {@link Compression} lists: for example
         * {@code compression(Compression.gzip().withMinimumBytes(512))}.
         *
         * @param compression the settings, or null to send every body as it is
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = compression;
            return this;
        }

        /**
         * Makes the server; the builder may be reused.
         *
         * @return a server with this builder's handler and settings
         */
        public HttpServer build() {
            return new HttpServer(this);
        }

        private static int inRange(String setting, int value, int min, int max) {
            return (int) inRange(setting, (long) value, min, max);
        }

        private static long inRange(String setting, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(setting + " must be in " + min + ".." + max + ", was " + value);
            }
            return value;
        }

        /** A timeout in nanoseconds; the upper bound also keeps deadlines far from overflowing. */
        private static long inRange(String setting, Duration value) {
            Objects.requireNonNull(value, setting);
            if (value.compareTo(MIN_TIMEOUT) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(setting + " must be in " + MIN_TIMEOUT + ".." + MAX_TIMEOUT
                        + ", was " + value);
            }
            return value.toNanos();
        }
    }
}
