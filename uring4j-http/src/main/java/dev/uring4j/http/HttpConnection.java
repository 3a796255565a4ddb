package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

/**
 * The HTTP/1.1 protocol engine of one connection: takes the transport's events, and decides when
 * input pauses, how a failure is answered, and when and how the connection ends. Made by
 * {@link HttpServer#newConnection}. The work itself is done by its parts:
 *
 * <ul>
 *   <li>{@link RequestReader} reads requests from the receive views and dispatches them to the
 *       handler;</li>
 *   <li>{@link Pipeline} holds the dispatched exchanges and makes their responses leave in request
 *       order; up to {@link HttpServer#maxPipelinedRequests()} requests are dispatched before the
 *       oldest is answered;</li>
 *   <li>{@link ResponseWriter} writes to the transport and flushes once per batch of work;</li>
 *   <li>{@link Deadlines} keeps the header, idle and linger timeouts with one timer;</li>
 *   <li>{@link Writability} says which responses may write without their output piling up, and
 *       runs the handlers that wait until they may.</li>
 * </ul>
 *
 * <p><b>Input.</b> Reading pauses while the pipeline is full or holds too much staged output, and
 * resumes as responses complete; the transport keeps what was not consumed and presents it again.
 *
 * <p><b>Output.</b> The transport says when its queue crosses the high watermark
 * ({@link #onWritabilityChanged}); staged output is written only while it is writable, and
 * handlers waiting to write hear of it at the end of the batch.
 *
 * <p><b>Ending.</b> A rejected request, {@code Connection: close} or a failure stops reading. Once
 * the responses owed are out, our output ends ({@code shutdownOutput}), input is read and discarded
 * until the client's FIN or the linger timeout, then the connection closes: closing with unread
 * input would make the kernel reset the connection, which can destroy the last response before the
 * client reads it.
 *
 * <p><b>Threads.</b> All methods are called on the transport's event loop. Nothing is allocated on
 * the steady-state path of a request answered from prepared bytes.
 */
final class HttpConnection {
    /** Where the engine reports a handler or body listener that threw. */
    static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());

    /**
     * Why input is paused, as bits: the pipeline is full; too much output is staged; a handler on
     * another thread has not read enough of the body it was given ({@link BlockingBody}).
     */
    static final int PAUSED_PIPELINE = 1;
    static final int PAUSED_BUFFERED = 2;
    static final int PAUSED_BODY = 4;

    private final HttpTransport transport;
    private final ResponseWriter output;
    private final Pipeline pipeline;
    private final Deadlines deadlines;
    private final RequestReader reader;
    private final Writability writability;
    private final PostedCalls posted;
    /** Runs this connection's handlers on a virtual thread; made at the first such request. */
    private HandlerLane lane;
    private HandlerLane carriedLane;
    /** An output bracket is open for the handlers of a thread the loop carries, until it yields the loop. */
    private boolean carriedBracket;
    private final Runnable closeCarriedBracket = this::closeCarriedBracket;

    /** Inside {@link #onData}: an answer given now is not the end of an idle wait. */
    private boolean receiving;
    /** The last onData left octets with the transport, which presents them again on resume. */
    private boolean retained;
    private int paused;
    private boolean inputClosed;
    private boolean outputShut;
    private boolean closed;
    /** The connection switched protocols ({@link #switchProtocols}): its octets are no longer HTTP. */
    private boolean switched;

    HttpConnection(HttpServer server, HttpTransport transport) {
        this.transport = transport;
        this.output = new ResponseWriter(this, server, transport);
        this.pipeline = new Pipeline(this, transport, output, server.maxPipelinedRequests(), server.maxBufferedResponseBytes());
        this.deadlines = new Deadlines(this, output, transport, server);
        this.reader = new RequestReader(this, server, pipeline, deadlines);
        this.writability = new Writability(this, transport, output, pipeline, server.maxBufferedResponseBytes());
        this.posted = new PostedCalls(transport, output);
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
    int onData(MemorySegment buffer, long offset, int length) {
        if (closed || reader.discarding()) {
            return length;
        }
        if (paused != 0) {
            return 0;
        }
        output.enter();
        receiving = true;
        deadlines.inputArrived();
        int consumed;
        try {
            consumed = reader.read(buffer, offset, length);
        } finally {
            receiving = false;
            output.exit();
        }
        if (switched) {
            return consumed; // the rest, from the end of the upgrade request's head, is the new protocol's
        }
        if (consumed > 0 || !reader.betweenRequests()) {
            deadlines.active(); // not when all that came were empty lines before a request line
        }
        if (closed || reader.discarding()) {
            return length;
        }
        if (inputClosed && pipeline.size() == 0) {
            // Presented again after the client's FIN: what is left is a head that can never complete.
            closeNow();
            return length;
        }
        retained = consumed < length;
        deadlines.update();
        return consumed;
    }

    /** The peer ended its output (FIN). We may still send. */
    void onInputClosed() {
        if (closed) {
            return;
        }
        inputClosed = true;
        output.enter();
        try {
            if (reader.readingBody()) {
                // A request cut short: nothing later can complete it.
                reader.abort("the client ended the connection before the request body was complete");
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

    /**
     * The transport's queued output crossed its high watermark ({@code false}; this may be called
     * from inside a write) or fell back to the low one ({@code true}): staged output goes on, and
     * handlers waiting to write hear of it.
     */
    void onWritabilityChanged(boolean writable) {
        writability.transportChanged(writable);
        if (!writable || closed) {
            return;
        }
        output.enter();
        try {
            if (pipeline.size() > 0) {
                advance();
            }
        } finally {
            output.exit(); // runs the onWritable tasks now due, then flushes what they and the staging wrote
        }
    }

    /** The connection is gone (reset, error, or our own close). Called once; releases everything. */
    void onClosed() {
        closed = true;
        deadlines.cancel();
        abortAll("the connection closed");
    }

    // ---- Failures: every one answers if it still can, then ends the connection.

    /** Fails a dispatched exchange: the engine answers if the response has not started, else cuts it. */
    void fail(Exchange ex, Rejection why) {
        reader.abortBody(ex, why.reason);
        reader.stopReading();
        if (ex.retired) {
            endConnection(); // its response is out already; nothing to answer with
        } else if (ex.wire == Exchange.NOT_STARTED) {
            ex.sendRejection(why);
        } else {
            ex.truncate();
            advance();
        }
    }

    /** The handler or its body listener threw: answer 500 if still possible, and close. */
    void handlerFailed(Exchange ex, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "HTTP handler failed on " + ex.method + "; answering 500 and closing the connection", t);
        fail(ex, Rejection.HANDLER_FAILED);
    }

    /**
     * A handler running on another thread threw ({@link BlockingHandler}); posted to the loop after
     * whatever that thread wrote before, so the answer is as if it had thrown on the loop.
     */
    void blockingHandlerFailed(Exchange ex, Throwable t) {
        if (closed || ex.aborted) {
            LOG.log(System.Logger.Level.WARNING, "HTTP handler failed on " + ex.method + " after its connection closed", t);
            return;
        }
        output.enter();
        try {
            handlerFailed(ex, t);
        } finally {
            output.exit();
        }
    }

    /** No thread could be started to run this connection's blocking handlers: its requests cannot be answered. */
    void handlerThreadFailed(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "no virtual thread could be started for an HTTP handler; closing the connection", t);
        closeNow();
    }

    /** A response broke its own framing (fewer octets than declared): nothing after it can be trusted. */
    void abandon(Exchange ex) {
        output.enter();
        try {
            if (!closed && !ex.aborted) {
                reader.stopReading();
                reader.abortBody(ex, "the response ended short of its declared length");
                ex.truncate();
                advance();
            }
        } finally {
            output.exit();
        }
    }

    // ---- Responses in order, and the end of the connection.

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
        if (!pipeline.stagingFull()) {
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
        reader.noMoreRequestsAfter(ex);
    }

    /** The last response is out: end our output, keep draining input for a while, then close. */
    private void endConnection() {
        if (outputShut || closed) {
            return;
        }
        reader.stopReading();
        while (pipeline.size() > 0) {
            Exchange ex = pipeline.removeOldest();
            ex.aborted = true; // dispatched after a response that closes: the client retries them
            reader.abortBody(ex, "the connection is closing");
            writability.release(ex);
        }
        Exchange reading = reader.reading();
        if (reading != null && reading.hasBody()) {
            reader.abortBody(reading, "the connection is closing");
        }
        if (inputClosed) {
            closeNow();
            return;
        }
        output.shutdownOutput();
        outputShut = true;
        resume(PAUSED_PIPELINE | PAUSED_BUFFERED | PAUSED_BODY);
        deadlines.linger();
    }

    /** Closes the connection at once, after sending what was written. */
    void closeNow() {
        if (closed) {
            return;
        }
        output.push(); // the transport sends what it was given before closing
        closed = true;
        deadlines.cancel();
        transport.close();
        abortAll("the connection closed");
    }

    private void abortAll(String why) {
        reader.abort(why);
        while (pipeline.size() > 0) {
            Exchange ex = pipeline.removeOldest();
            ex.aborted = true;
            writability.release(ex);
        }
    }

    // ---- Switching protocols.

    private static final byte[] SWITCHING = Ascii.bytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n");
    private static final byte[] END_OF_HEAD = Ascii.bytes("\r\n");

    /**
     * Answers {@code ex} with 101 and the header {@code fields}, then gives the connection to
     * {@code next} through the transport: the engine reads no more, its timers stop, and octets
     * behind the request head go to {@code next} ({@link #onData} returns at the head's end).
     */
    void switchProtocols(Exchange ex, ByteBuf fields, dev.uring4j.runtime.ConnectionHandler next) {
        if (closed || ex.aborted || switched) {
            return;
        }
        if (pipeline.size() != 1 || !pipeline.isHeadOfLine(ex)) {
            throw new IllegalStateException("a protocol switch must answer the connection's only open request ("
                    + pipeline.size() + " are open): pipelined requests cannot be ordered around it");
        }
        if (ex.hasBody() && !ex.bodyDone) {
            throw new IllegalStateException("a protocol switch must wait for the end of its request's body");
        }
        output.enter();
        try {
            pipeline.write(ex, SWITCHING, 0, SWITCHING.length);
            pipeline.write(ex, fields.array(), 0, fields.length());
            pipeline.write(ex, END_OF_HEAD, 0, END_OF_HEAD.length);
            output.push(); // the 101 is queued before anything the new protocol writes
            switched = true;
            reader.stopReading();
            deadlines.cancel();
            ex.aborted = true; // anything the handler still does with the response is discarded
            ex.wire = Exchange.DONE;
            pipeline.removeOldest();
            transport.switchProtocols(next);
        } finally {
            output.exit();
        }
    }

    // ---- Output back-pressure.

    /** Whether responses may write, and who waits until they may. */
    Writability writability() {
        return writability;
    }

    /** Staging went past its limit: read no further requests until it drains. */
    void stagingFull() {
        pause(PAUSED_BUFFERED);
        writability.stagingChanged();
    }

    /** Staging fell to half its limit; reading resumes when the pipeline next advances. */
    void stagingDrained() {
        writability.stagingChanged();
    }

    // ---- Input.

    /** Whether the reader may go on: input is neither paused nor closed by us. */
    boolean takesInput() {
        return paused == 0 && !closed;
    }

    /** A handler on another thread caught up with the body it reads: take more of it. */
    void bodyConsumed() {
        resume(PAUSED_BODY);
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
        return reader.headStarted();
    }

    /** Whether the next step is the client's: between requests with nothing to answer, or inside a request. */
    boolean awaitingClient() {
        return paused == 0 && reader.awaitingClient();
    }

    /** A request head was not complete within the header timeout of its first octet. */
    void headerTimedOut() {
        reader.reject(Rejection.HEADER_TIMEOUT);
    }

    /** The client sent nothing for the idle timeout while it was its turn. */
    void idleTimedOut() {
        if (!reader.readingHead()) {
            fail(reader.reading(), Rejection.BODY_TIMEOUT);
        } else if (reader.headStarted()) {
            reader.reject(Rejection.HEADER_TIMEOUT);
        } else {
            closeNow(); // an idle keep-alive connection: nothing to say
        }
    }

    // ---- For HttpRequest, HttpResponse and Exchange.

    /** The head of the request being handled: bound only during {@link HttpHandler#handle}. */
    FieldsView head() {
        return reader.head();
    }

    boolean isClosed() {
        return closed;
    }

    InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    SSLSession tlsSession() {
        return transport.tlsSession();
    }

    boolean inEventLoop() {
        return transport.inEventLoop();
    }

    /**
     * Whether the calling thread is the loop's own, which must never wait for the loop: a virtual
     * thread the loop carries is on the loop too, but waits by parking, which frees it.
     */
    boolean onLoopThreadItself() {
        return !Thread.currentThread().isVirtual() && transport.inEventLoop();
    }

    /** Runs {@code call} on the loop, after every call posted before it; any thread ({@link PostedCalls}). */
    void execute(Runnable call) {
        posted.post(call);
    }

    /** Runs {@code task} on the loop after what it is doing now; loop thread, which it does not wake. */
    void executeOnLoop(Runnable task) {
        transport.execute(task);
    }

    /**
     * The virtual thread that runs this connection's blocking handlers one request after another:
     * one of the JDK's, or ({@code carried}) one the connection's loop carries.
     */
    HandlerLane lane(boolean carried) {
        if (carried) {
            if (carriedLane == null) {
                carriedLane = new HandlerLane(this, true);
            }
            return carriedLane;
        }
        if (lane == null) {
            lane = new HandlerLane(this, false);
        }
        return lane;
    }

    /**
     * A handler on a thread this connection's loop carries is about to run: what it and the
     * handlers after it send join one output bracket (one flush, one reading of the clock for the
     * Date header) until the thread yields the loop, by parking or ending. The bracket is closed
     * by a task posted now, which the loop runs after the thread's turn. Loop thread.
     */
    void joinCarriedBracket() {
        if (carriedBracket) {
            return;
        }
        output.enter();
        carriedBracket = true;
        try {
            transport.execute(closeCarriedBracket);
        } catch (RuntimeException stopped) {
            closeCarriedBracket();
        }
    }

    private void closeCarriedBracket() {
        carriedBracket = false;
        output.exit();
    }

    /** A builder of virtual threads this connection's loop carries. */
    Thread.Builder.OfVirtual loopVirtualThreads() {
        return transport.ofVirtual();
    }
}
