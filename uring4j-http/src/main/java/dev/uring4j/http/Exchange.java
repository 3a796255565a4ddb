package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * One request and its response as the connection sees them: the request facts that outlive the
 * receive view, the body listener, and the response's state on the wire.
 *
 * <p><b>Output in request order.</b> All output goes through the connection's {@link Pipeline}:
 * straight to the transport while this exchange is the head of the line, else into its own staging
 * buffer ({@link #stage()}) until every earlier response is complete and the transport has taken
 * it ({@link #stagedOut} counts what it took so far).
 *
 * <p><b>Threads and lifetime.</b> Every method here runs on the event loop ({@link HttpResponse}
 * posts calls made elsewhere). Exchanges are pooled per connection and reused once their response
 * is complete and their body read, except one whose response was touched from another thread: that
 * thread may still hold it, so it is left to the garbage collector rather than handed to a later
 * request. An exchange lent to a handler on another thread ({@link BlockingHandler}) is reused once
 * that handler has returned too.
 */
final class Exchange {
    static final int NOT_STARTED = 0;
    static final int STREAMING = 1;
    static final int DONE = 2;

    /** Bodies up to this size are copied behind the head and leave in one write. */
    private static final int INLINE_BODY_BYTES = 2048;
    private static final int STAGED_KEEP_BYTES = 64 * 1024;

    private static final byte[] CRLF = Ascii.bytes("\r\n");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("Content-Length: ");
    private static final byte[] CHUNKED = Ascii.bytes("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = Ascii.bytes("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = Ascii.bytes("Connection: keep-alive\r\n");
    private static final byte[] LAST_CHUNK = Ascii.bytes("0\r\n\r\n");
    private static final byte[] CONTINUE = Ascii.bytes("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] VARY = Ascii.bytes("Vary: Accept-Encoding\r\n");
    private static final byte[] GZIPPED = Ascii.bytes("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n");
    private static final ByteBuf ERROR_HEADERS_BUF = new ByteBuf(64).append(HttpHeader.of("Content-Type", "text/plain; charset=us-ascii").bytes());

    final HttpConnection connection;
    private final Pipeline pipeline;
    private final ResponseWriter output;
    final HttpRequest request;
    final HttpResponse response;
    Exchange nextFree;

    // The request, as far as it matters after the head's receive view is gone.
    String method;
    boolean http11;
    boolean keepAlive;
    boolean head;
    boolean expectContinue;
    boolean chunked;
    long contentLength;
    HttpBodyListener listener;
    boolean headReadable;
    boolean bodyDone;
    /** The request's {@code Accept-Encoding} accepts gzip, and the server compresses. */
    private boolean acceptsGzip;
    /** Where {@code Accept-Encoding} values are read; made when the server compresses. */
    private Compression.Negotiation negotiation;
    /** The handler paused reading this request's body ({@link HttpRequest#pauseBody}). */
    private boolean bodyPaused;

    // The response on the wire.
    int wire;
    boolean continueSent;
    boolean closeAfter;
    /** The user's response no longer reaches the wire: the engine answered instead, or gave up. */
    boolean aborted;
    boolean retired;
    boolean touchedOffLoop;
    /** A handler on another thread ({@link BlockingHandler}) has the response and has not returned yet. */
    boolean lentToHandler;
    /** The request as the last handler lent this exchange saw it, made again for the next ({@link HttpRequest#detach}). */
    HttpRequest detached;
    /** The next exchange in a {@link HandlerLane}'s list of those whose handlers returned. */
    Exchange nextReturned;
    private boolean chunkedFraming;
    private boolean suppressBody;
    /** Lines compression adds to this response's head ({@code Vary}, {@code Content-Encoding}); null if none. */
    private byte[] encodingHeaders;
    /** The compressor of a streamed body; null when it is not compressed. */
    private GzipEncoder gzip;
    private ByteBuf staged;
    /** Octets at the start of {@link #staged} already written to the transport. */
    int stagedOut;
    /** What the handler asked to run when the response is writable again ({@link HttpResponse#onWritable}); null if nothing. */
    Runnable writableTask;

    Exchange(HttpConnection connection, Pipeline pipeline, ResponseWriter output) {
        this.connection = connection;
        this.pipeline = pipeline;
        this.output = output;
        this.request = new HttpRequest(this);
        this.response = new HttpResponse(this);
    }

    /** Takes the request facts from a complete head. */
    void begin(HeadParser parser, String method) {
        this.method = method;
        RequestFraming framing = parser.framing();
        http11 = parser.http11();
        keepAlive = framing.keepAlive();
        head = parser.methodId() == Methods.HEAD;
        expectContinue = framing.expectContinue();
        chunked = framing.chunked();
        contentLength = chunked ? -1 : framing.contentLength();
        acceptsGzip = false;
    }

    /** Reads the request's {@code Accept-Encoding} while its head is readable, if the server compresses. */
    void negotiate(HttpHeaders fields) {
        if (output.compression() != null) {
            if (negotiation == null) {
                negotiation = new Compression.Negotiation();
            }
            acceptsGzip = Compression.acceptsGzip(fields, negotiation);
        }
    }

    /** An exchange that only carries the engine's answer to a request it refused. */
    void beginRejected(boolean headRequest) {
        method = null;
        http11 = true;
        keepAlive = false;
        head = headRequest;
        expectContinue = chunked = acceptsGzip = false;
        contentLength = 0;
        bodyDone = true;
    }

    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    boolean recyclable() {
        return retired && bodyDone && !aborted && !touchedOffLoop && !lentToHandler;
    }

    /** Lends the response to a handler on another thread, whose lane tells the loop when the handler returned. */
    void lendToHandler() {
        lentToHandler = true;
    }

    /**
     * The handler this exchange was lent to has returned, and the calls its thread made have run
     * (they were posted before): the exchange is reused once its response is out. A response the
     * handler handed to yet another thread is no longer touched by it once it ended
     * ({@link HttpResponse}), which it has by the time the exchange is reused. Loop thread.
     */
    void returnedFromHandler() {
        lentToHandler = false;
        if (recyclable()) {
            pipeline.release(this);
        }
    }

    void recycle() {
        listener = null;
        headReadable = bodyDone = bodyPaused = false;
        wire = NOT_STARTED;
        continueSent = closeAfter = aborted = retired = false;
        writableTask = null;
        if (staged != null) {
            staged.reset(STAGED_KEEP_BYTES, 1024);
        }
        stagedOut = 0;
        response.recycle();
    }

    /** Stops reading the connection while this exchange's body is being read, or lifts that ({@link HttpRequest#pauseBody}). */
    void paceBody(boolean pause) {
        if (!pause) {
            resumeBody();
        } else if (!bodyDone && !bodyPaused && !connection.isClosed()) {
            bodyPaused = true;
            connection.pause(HttpConnection.PAUSED_BODY);
        }
    }

    /** Lifts {@link #pauseBody}; the body's end (or abort) lifts it too, since nothing is left to hold back. */
    void resumeBody() {
        if (bodyPaused) {
            bodyPaused = false;
            connection.bodyConsumed();
        }
    }

    /** Whether the response is complete on our side: every byte written or staged. */
    boolean responseDone() {
        return wire == DONE;
    }

    /** The output staged behind an earlier response; null if this exchange never had to wait. */
    ByteBuf staged() {
        return staged;
    }

    /** Whether staged octets wait to be written to the transport. */
    boolean hasStaged() {
        return staged != null && staged.length() > stagedOut;
    }

    /** Forgets the staged octets not yet written (the exchange leaves the line unanswered); returns how many. */
    int dropStaged() {
        if (staged == null) {
            return 0;
        }
        int dropped = staged.length() - stagedOut;
        staged.clear();
        stagedOut = 0;
        return dropped;
    }

    /** Whether output of the user's response is discarded rather than sent, so nobody should wait to write it. */
    boolean discardsOutput() {
        return dead() || (wire == STREAMING && suppressBody);
    }

    /** The buffer this exchange's output waits in while an earlier response is unfinished. */
    ByteBuf stage() {
        if (staged == null) {
            staged = new ByteBuf(1024);
        }
        return staged;
    }

    private boolean dead() {
        return aborted || connection.isClosed();
    }

    // ---- The wire operations behind HttpResponse. Each is one step of output for the connection.

    void send(int status, ByteBuf headers, byte[] array, MemorySegment segment, long offset, long length) {
        if (dead()) {
            return;
        }
        output.enter();
        try {
            if (!compresses(status, headers, length)) {
                sendAsIs(status, headers, array, segment, offset, length);
            } else if (length <= GzipEncoder.WHOLE_BYTES) {
                GzipEncoder whole = GzipEncoder.acquire(output.compression().level());
                whole.compressWhole(array, segment, offset, (int) length);
                sendAsIs(status, headers, null, whole.output(), 0, whole.pending());
                whole.release();
            } else {
                // Too large to hold compressed for its length: streamed out chunked as it is compressed.
                ByteBuf out = writeHead(status, headers, true, -1);
                pipeline.write(this, out.array(), 0, out.length());
                if (!suppressBody) {
                    gzip = GzipEncoder.acquire(output.compression().level());
                    deflate(array, segment, offset, length, GzipEncoder.NO_FLUSH);
                }
                endBody();
            }
        } finally {
            output.exit();
        }
    }

    private void sendAsIs(int status, ByteBuf headers, byte[] array, MemorySegment segment, long offset, long length) {
        ByteBuf out = writeHead(status, headers, false, length);
        if (suppressBody || length == 0) {
            pipeline.write(this, out.array(), 0, out.length());
        } else if (length <= INLINE_BODY_BYTES) {
            appendBody(out, array, segment, offset, (int) length);
            pipeline.write(this, out.array(), 0, out.length());
        } else {
            pipeline.write(this, out.array(), 0, out.length());
            emitBody(array, segment, offset, length);
        }
        finish();
    }

    /**
     * Whether this response is compressed; sets the lines that says so, or that it would be for a
     * client accepting gzip ({@code Vary}), for {@link #writeHead}.
     *
     * @param length the body's length, or -1 if unknown (chunked)
     */
    private boolean compresses(int status, ByteBuf headers, long length) {
        encodingHeaders = null;
        Compression c = output.compression();
        if (c == null || status == 204 || status == 304 || length == 0 || (length > 0 && length < c.minimumBytes())
                || headers == null || !c.compressible(headers.array(), headers.length())) {
            return false;
        }
        encodingHeaders = acceptsGzip ? GZIPPED : VARY;
        return acceptsGzip;
    }

    /** Starts a streamed response: fixed-length when {@code length >= 0}, else chunked. */
    void start(int status, ByteBuf headers, long length) {
        if (dead()) {
            return;
        }
        output.enter();
        try {
            boolean compressed = compresses(status, headers, length);
            ByteBuf out = writeHead(status, headers, length < 0 || compressed, length);
            pipeline.write(this, out.array(), 0, out.length());
            if (compressed && !suppressBody) {
                gzip = GzipEncoder.acquire(output.compression().level());
            }
        } finally {
            output.exit();
        }
    }

    void write(byte[] array, MemorySegment segment, long offset, long length) {
        if (dead() || suppressBody || length == 0) {
            return;
        }
        output.enter();
        try {
            if (gzip != null) {
                // Flushed per write, so that the client can decode each part as soon as it is sent.
                deflate(array, segment, offset, length, GzipEncoder.SYNC_FLUSH);
            } else {
                writeFramed(array, segment, offset, length);
            }
        } finally {
            output.exit();
        }
    }

    /** Compresses the octets given, writing out what the compressor gives back, then flushes by {@code mode}. */
    private void deflate(byte[] array, MemorySegment segment, long offset, long length, int mode) {
        for (long done = 0; done < length; ) {
            done += gzip.feed(array, segment, offset + done, length - done);
            drainGzip(GzipEncoder.NO_FLUSH);
        }
        drainGzip(mode);
    }

    private void drainGzip(int mode) {
        while (gzip.step(mode)) {
            writeFramed(null, gzip.output(), 0, gzip.pending());
            gzip.drained();
        }
        if (mode != GzipEncoder.NO_FLUSH && gzip.pending() > 0) {
            writeFramed(null, gzip.output(), 0, gzip.pending());
            gzip.drained();
        }
    }

    /** Writes body octets as they go on the wire: a chunk, or as they are without chunked framing. */
    private void writeFramed(byte[] array, MemorySegment segment, long offset, long length) {
        if (!chunkedFraming) {
            emitBody(array, segment, offset, length);
            return;
        }
        ByteBuf out = output.scratch();
        out.clear();
        out.appendHex(length).append(CRLF);
        if (length <= INLINE_BODY_BYTES) {
            appendBody(out, array, segment, offset, (int) length);
            out.append(CRLF);
            pipeline.write(this, out.array(), 0, out.length());
        } else {
            pipeline.write(this, out.array(), 0, out.length());
            emitBody(array, segment, offset, length);
            pipeline.write(this, CRLF, 0, CRLF.length);
        }
    }

    /**
     * Whether a region of {@code file} can be this response's body now ({@link Pipeline#sendsFileNow}):
     * not when the body is framed in chunks or compressed, which the octets must pass through.
     */
    boolean sendsFileNow(dev.uring4j.runtime.LoopFile file) {
        return !chunkedFraming && gzip == null && pipeline.sendsFileNow(this, file);
    }

    /** Queues a region of {@code file} as body octets; only after {@link #sendsFileNow} said yes. */
    void writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        if (dead() || suppressBody || length == 0) {
            return;
        }
        output.enter();
        try {
            output.writeFile(file, position, length);
        } finally {
            output.exit();
        }
    }

    void end() {
        if (dead()) {
            releaseGzip();
            return;
        }
        output.enter();
        try {
            endBody();
        } finally {
            output.exit();
        }
    }

    /** The rest of a compressed body, then the last chunk. */
    private void endBody() {
        if (gzip != null) {
            drainGzip(GzipEncoder.FINISH);
            releaseGzip();
        }
        if (chunkedFraming) {
            pipeline.write(this, LAST_CHUNK, 0, LAST_CHUNK.length);
        }
        finish();
    }

    private void releaseGzip() {
        if (gzip != null) {
            gzip.release();
            gzip = null;
        }
    }

    /** The interim {@code 100 Continue}, when the handler asks for the body before answering. */
    void sendContinue() {
        if (dead() || wire != NOT_STARTED || continueSent) {
            return;
        }
        continueSent = true;
        output.enter();
        try {
            pipeline.write(this, CONTINUE, 0, CONTINUE.length);
        } finally {
            output.exit();
        }
    }

    /** The engine's own answer, replacing whatever the handler would have sent. */
    void sendRejection(Rejection rejection) {
        aborted = true;
        closeAfter = true;
        encodingHeaders = null;
        releaseGzip();
        output.enter();
        try {
            ByteBuf out = writeHead(rejection.status, ERROR_HEADERS_BUF, false, rejection.body.length);
            if (!suppressBody) {
                out.append(rejection.body);
            }
            pipeline.write(this, out.array(), 0, out.length());
            finish();
        } finally {
            output.exit();
        }
    }

    /** Gives up on a response that has started: what was written stays, the connection closes after. */
    void truncate() {
        aborted = true;
        closeAfter = true;
        wire = DONE;
    }

    private void finish() {
        wire = DONE;
        connection.onResponseDone(this);
    }

    /** Assembles the head in the connection's scratch buffer and decides persistence. */
    private ByteBuf writeHead(int status, ByteBuf headers, boolean chunkedBody, long length) {
        boolean bodyless = status == 204 || status == 304;
        suppressBody = head || bodyless;
        // A client told to wait for 100 Continue that got a final answer instead may or may not send
        // the body; the only safe next step is to close (RFC 9110 section 10.1.1).
        if (!keepAlive || (expectContinue && !continueSent && hasBody() && !bodyDone)) {
            closeAfter = true;
        }
        chunkedFraming = chunkedBody && http11 && !suppressBody;
        if (chunkedBody && !http11 && !suppressBody) {
            closeAfter = true; // an HTTP/1.0 client knows no chunked: the close delimits the body
        }
        if (closeAfter) {
            connection.noMoreRequestsAfter(this);
        }
        ByteBuf out = output.scratch();
        out.clear();
        out.append(StatusLine.bytes(status)).append(output.dateLine());
        if (headers != null) {
            out.append(headers);
        }
        if (encodingHeaders != null) {
            out.append(encodingHeaders);
        }
        if (!bodyless) {
            if (!chunkedBody) {
                out.append(CONTENT_LENGTH).appendDecimal(length).append(CRLF);
            } else if (http11) {
                out.append(CHUNKED);
            }
        }
        if (closeAfter) {
            out.append(CLOSE);
        } else if (!http11) {
            out.append(KEEP_ALIVE);
        }
        out.append(CRLF);
        wire = STREAMING;
        return out;
    }

    private static void appendBody(ByteBuf out, byte[] array, MemorySegment segment, long offset, int length) {
        if (array != null) {
            out.append(array, (int) offset, length);
        } else {
            out.append(segment, offset, length);
        }
    }

    private void emitBody(byte[] array, MemorySegment segment, long offset, long length) {
        if (array != null) {
            pipeline.write(this, array, (int) offset, (int) length);
        } else {
            pipeline.write(this, segment, offset, length);
        }
    }
}
