package dev.uring4j.http;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The HTTP/1.1 protocol engine of one connection: reads requests from the receive views the
 * transport presents, dispatches them to the handler, keeps responses in request order, and
 * decides when the connection ends. Made by {@link HttpServer#newConnection}.
 *
 * <pre>
 *   onData ──► READ_HEAD ──head──► dispatch ──► READ_BODY / READ_CHUNKED ─► READ_TRAILERS ─┐
 *                 ▲                    │ (no body)                                          │
 *                 └────────────────────┴──────────── body end ◄───────────────────────────┘
 *   rejection, Connection: close, error ──► DISCARD: input ignored; once the pipeline's
 *   responses are out, shutdownOutput, linger reading until FIN or the linger timeout, close
 * </pre>
 *
 * <p><b>Pipeline.</b> Up to {@link HttpServer#maxPipelinedRequests()} requests are dispatched
 * before the oldest is answered; each gets an {@link Exchange}, and {@link Pipeline} makes their
 * responses leave in request order. When it is full or holds too much staged output, input is paused.
 *
 * <p><b>Time and output.</b> {@link Deadlines} keeps the header, idle and linger timeouts with one
 * timer and asks this class what a missed one means; {@link ResponseWriter} writes to the transport
 * and flushes once per batch of work.
 *
 * <p><b>Threads.</b> All methods are called on the transport's event loop. Nothing is allocated on
 * the steady-state path of a request answered from prepared bytes.
 */
public final class HttpConnection {
    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());

    private static final int READ_HEAD = 0;
    private static final int READ_BODY = 1;
    private static final int READ_CHUNKED = 2;
    private static final int READ_TRAILERS = 3;
    private static final int DISCARD = 4;

    /** Why input is paused, as bits: the pipeline is full; too much output is staged. */
    static final int PAUSED_PIPELINE = 1;
    static final int PAUSED_BUFFERED = 2;

    private final HttpServer server;
    private final HttpTransport transport;
    private final HeadParser parser;
    private final ChunkedDecoder chunked;
    private final FieldsView fields;
    private final ResponseWriter output;
    private final Deadlines deadlines;

    /** Dispatched exchanges whose responses are not all out yet. */
    private final Pipeline pipeline;

    private int phase = READ_HEAD;
    private boolean noMoreRequests;
    private Exchange reading;
    private long bodyRemaining;
    private MemorySegment segment;

    private boolean receiving;
    /** The last onData left octets with the transport, which presents them again on resume. */
    private boolean retained;
    private int paused;
    private boolean inputClosed;
    private boolean outputShut;
    private boolean closed;

    HttpConnection(HttpServer server, HttpTransport transport) {
        this.server = server;
        this.transport = transport;
        this.parser = new HeadParser(server.maxRequestLineBytes(), server.maxHeaderBytes(), server.maxHeaderCount(),
                server.maxBodyBytes());
        this.chunked = new ChunkedDecoder(server.maxBodyBytes());
        this.fields = new FieldsView(parser);
        this.output = new ResponseWriter(this, server, transport);
        this.pipeline = new Pipeline(this, output, server.maxPipelinedRequests(), server.maxBufferedResponseBytes());
        this.deadlines = new Deadlines(this, output, transport, server);
        deadlines.update();
    }

    // ---- Events from the transport.

    /**
     * Consumes received octets: the view {@code buffer[offset, offset + length)} is valid only
     * during this call and is not retained.
     *
     * @return how many octets were consumed; the transport keeps the rest and presents them again,
     *     first, with the next data (an incomplete request head is never consumed until complete)
     */
    public int onData(MemorySegment buffer, long offset, int length) {
        if (closed || phase == DISCARD) {
            return length;
        }
        if (paused != 0) {
            return 0;
        }
        output.enter();
        receiving = true;
        segment = buffer;
        deadlines.inputArrived();
        int pos = 0;
        try {
            while (pos < length && paused == 0 && phase != DISCARD && !closed) {
                int n = switch (phase) {
                    case READ_HEAD -> readHead(offset + pos, length - pos);
                    case READ_BODY -> readBody(offset + pos, length - pos);
                    case READ_CHUNKED -> readChunked(offset + pos, length - pos);
                    default -> readTrailers(offset + pos, length - pos);
                };
                if (n < 0) {
                    break;
                }
                pos += n;
            }
        } finally {
            segment = null;
            receiving = false;
            output.exit();
        }
        if (closed || phase == DISCARD) {
            return length;
        }
        if (inputClosed && pipeline.size() == 0) {
            // Presented again after the client's FIN: what is left is a head that can never complete.
            closeNow();
            return length;
        }
        retained = pos < length;
        deadlines.update();
        return pos;
    }

    /** The peer ended its output (FIN). We may still send. */
    public void onInputClosed() {
        if (closed) {
            return;
        }
        inputClosed = true;
        output.enter();
        try {
            if (reading != null && phase != READ_HEAD && phase != DISCARD) {
                // A request cut short: nothing later can complete it.
                abortBody(reading, "the client ended the connection before the request body was complete");
                closeNow();
            } else if (outputShut || pipeline.size() == 0) {
                closeNow(); // nothing owed; a partial head, if any, can never complete
            }
            // Otherwise answer what was asked, including requests the transport keeps while input
            // is paused, then close (advance, or onData once they have been presented).
        } finally {
            output.exit();
        }
    }

    /** The connection is gone (reset, error, or our own close). Called once; releases everything. */
    public void onClosed() {
        closed = true;
        deadlines.cancel();
        abortAll("the connection closed");
    }

    // ---- Reading.

    private int readHead(long at, int available) {
        if (!parser.started()) {
            if (pipeline.full()) {
                pause(PAUSED_PIPELINE);
                return -1;
            }
            deadlines.headStarted();
        }
        int r = parser.parse(segment, at, available);
        if (r == HeadParser.NEED_MORE) {
            return -1;
        }
        if (r == HeadParser.REJECTED) {
            reject(parser.rejection());
            return -1;
        }
        dispatch(at);
        return r;
    }

    private int readBody(long at, int available) {
        int n = (int) Math.min(available, bodyRemaining);
        bodyRemaining -= n;
        deliver(at, n);
        if (bodyRemaining == 0 && reading != null) {
            endBody(FieldsView.EMPTY);
        }
        return n;
    }

    private int readChunked(long at, int available) {
        int n = chunked.decode(segment, at, available);
        if (n == ChunkedDecoder.REJECTED) {
            fail(reading, chunked.rejection());
            return -1;
        }
        if (chunked.dataLength() > 0) {
            deliver(at + chunked.dataOffset(), chunked.dataLength());
        }
        if (chunked.lastChunkSeen() && phase == READ_CHUNKED) {
            parser.startTrailers();
            phase = READ_TRAILERS;
        }
        return n;
    }

    private int readTrailers(long at, int available) {
        int r = parser.parse(segment, at, available);
        if (r == HeadParser.NEED_MORE) {
            return -1;
        }
        if (r == HeadParser.REJECTED) {
            fail(reading, parser.rejection());
            return -1;
        }
        fields.bind(segment, at);
        try {
            endBody(fields);
        } finally {
            fields.unbind();
        }
        return r;
    }

    private void dispatch(long at) {
        Exchange ex = pipeline.acquire();
        int id = parser.methodId();
        ex.begin(parser, id == Methods.OTHER
                ? Ascii.string(segment, at + parser.methodStart(), parser.methodEnd() - parser.methodStart())
                : Methods.name(id));
        pipeline.append(ex);
        reading = ex;
        if (!ex.keepAlive) {
            noMoreRequests = true;
        }
        if (ex.chunked) {
            chunked.start();
            phase = READ_CHUNKED;
        } else if (ex.contentLength > 0) {
            bodyRemaining = ex.contentLength;
            phase = READ_BODY;
        }
        fields.bind(segment, at);
        ex.headReadable = true;
        try {
            server.handler().handle(ex.request, ex.response);
        } catch (Throwable t) {
            handlerFailed(ex, t);
        } finally {
            ex.headReadable = false;
            fields.unbind();
        }
        if (!ex.hasBody() && reading == ex) {
            endBody(FieldsView.EMPTY);
        }
    }

    private void deliver(long at, int length) {
        Exchange ex = reading;
        if (length == 0 || ex == null || ex.listener == null) {
            return;
        }
        try {
            ex.listener.onData(ex.request, segment, at, length);
        } catch (Throwable t) {
            handlerFailed(ex, t);
        }
    }

    private void endBody(HttpHeaders trailers) {
        Exchange ex = reading;
        reading = null;
        ex.bodyDone = true;
        if (ex.listener != null) {
            try {
                ex.listener.onEnd(ex.request, trailers);
            } catch (Throwable t) {
                handlerFailed(ex, t);
            }
        }
        if (phase != DISCARD) {
            if (noMoreRequests) {
                phase = DISCARD;
            } else {
                phase = READ_HEAD;
                parser.startRequest();
            }
        }
        if (ex.recyclable()) {
            pipeline.release(ex);
        }
    }

    private void abortBody(Exchange ex, String why) {
        if (reading == ex) {
            reading = null;
        }
        if (ex.bodyDone) {
            return;
        }
        ex.bodyDone = true;
        if (ex.listener != null) {
            try {
                ex.listener.onAbort(ex.request, new IOException(why));
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "HTTP body listener failed in onAbort", t);
            }
        }
    }

    // ---- Failures: every one answers if it still can, then ends the connection.

    /** Refuses the request whose head is being read; its answer queues behind earlier responses. */
    private void reject(Rejection why) {
        Exchange ex = pipeline.acquire();
        ex.beginRejected(parser.methodId() == Methods.HEAD);
        pipeline.append(ex);
        stopReading();
        ex.sendRejection(why);
    }

    /** Fails a dispatched exchange: the engine answers if the response has not started, else cuts it. */
    private void fail(Exchange ex, Rejection why) {
        abortBody(ex, why.reason);
        stopReading();
        if (ex.retired) {
            endConnection(); // its response is out already; nothing to answer with
        } else if (ex.wire == Exchange.NOT_STARTED) {
            ex.sendRejection(why);
        } else {
            ex.truncate();
            advance();
        }
    }

    private void handlerFailed(Exchange ex, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "HTTP handler failed on " + ex.method + "; answering 500 and closing the connection", t);
        fail(ex, Rejection.HANDLER_FAILED);
    }

    /** A response broke its own framing (fewer octets than declared): nothing after it can be trusted. */
    void abandon(Exchange ex) {
        output.enter();
        try {
            if (!closed && !ex.aborted) {
                stopReading();
                abortBody(ex, "the response ended short of its declared length");
                ex.truncate();
                advance();
            }
        } finally {
            output.exit();
        }
    }

    private void stopReading() {
        noMoreRequests = true;
        phase = DISCARD;
    }

    // ---- Responses in order.

    /** Called when an exchange's response is complete (written or staged). */
    void onResponseDone(Exchange ex) {
        if (pipeline.isHeadOfLine(ex)) {
            advance();
        }
    }

    /** Moves the pipeline on, then reads again if it has room, or ends the connection if nothing is owed. */
    private void advance() {
        if (pipeline.advance()) {
            endConnection();
            return;
        }
        boolean resumed = false;
        if (!pipeline.full()) {
            resumed = resume(PAUSED_PIPELINE);
        }
        if (pipeline.drained()) {
            resumed |= resume(PAUSED_BUFFERED);
        }
        if (pipeline.size() == 0) {
            if (inputClosed) {
                if (!(resumed && retained)) {
                    closeNow(); // else the kept requests come back through onData, which closes after them
                }
            } else if (!receiving) {
                // Answered after onData returned (later, or from another thread): idle time starts now.
                deadlines.answered();
            }
        }
    }

    /** Stops reading new requests after {@code ex}, whose response says the connection closes. */
    void noMoreRequestsAfter(Exchange ex) {
        noMoreRequests = true;
        if (reading != ex && phase != DISCARD) {
            phase = DISCARD;
        }
    }

    /** The last response is out: end our output, keep draining input for a while, then close. */
    private void endConnection() {
        if (outputShut || closed) {
            return;
        }
        stopReading();
        while (pipeline.size() > 0) {
            Exchange ex = pipeline.removeOldest();
            ex.aborted = true; // dispatched after a response that closes: the client retries them
            abortBody(ex, "the connection is closing");
        }
        if (reading != null && reading.hasBody()) {
            abortBody(reading, "the connection is closing");
        }
        if (inputClosed) {
            closeNow();
            return;
        }
        output.shutdownOutput();
        outputShut = true;
        resume(PAUSED_PIPELINE | PAUSED_BUFFERED);
        deadlines.linger();
    }

    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        deadlines.cancel();
        transport.close();
        abortAll("the connection closed");
    }

    private void abortAll(String why) {
        if (reading != null) {
            abortBody(reading, why);
        }
        while (pipeline.size() > 0) {
            pipeline.removeOldest().aborted = true;
        }
        segment = null;
    }

    void pause(int reason) {
        if (paused == 0) {
            transport.pauseInput();
        }
        paused |= reason;
    }

    /** Lifts pause reasons; true if that resumed input. */
    private boolean resume(int reasons) {
        if ((paused & reasons) == 0) {
            return false;
        }
        paused &= ~reasons;
        if (paused == 0 && !closed) {
            transport.resumeInput();
            return true;
        }
        return false;
    }

    // ---- For Deadlines: what the connection is doing, and what a missed deadline means.

    boolean isOutputShut() {
        return outputShut;
    }

    /** Whether a request head has begun and is not complete yet. */
    boolean headStarted() {
        return phase == READ_HEAD && parser.started();
    }

    /** Whether the next step is the client's: between requests with nothing to answer, or inside a request. */
    boolean awaitingClient() {
        return paused == 0 && switch (phase) {
            case READ_HEAD -> pipeline.size() == 0 || parser.started();
            case READ_BODY, READ_CHUNKED, READ_TRAILERS -> true;
            default -> false;
        };
    }

    /** A request head was not complete within the header timeout of its first octet. */
    void headerTimedOut() {
        reject(Rejection.HEADER_TIMEOUT);
    }

    /** The client sent nothing for the idle timeout while it was its turn. */
    void idleTimedOut() {
        if (phase == READ_HEAD) {
            if (parser.started()) {
                reject(Rejection.HEADER_TIMEOUT);
            } else {
                closeNow(); // an idle keep-alive connection: nothing to say
            }
        } else {
            fail(reading, Rejection.BODY_TIMEOUT);
        }
    }

    // ---- For HttpRequest, HttpResponse and Exchange.

    /** The head of the request being handled: bound only during {@link HttpHandler#handle}. */
    FieldsView head() {
        return fields;
    }

    boolean isClosed() {
        return closed;
    }

    boolean inEventLoop() {
        return transport.inEventLoop();
    }

    void execute(Runnable task) {
        transport.execute(task);
    }
}
