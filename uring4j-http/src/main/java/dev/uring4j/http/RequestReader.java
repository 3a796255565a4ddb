package dev.uring4j.http;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Reads the requests of one connection from the receive views: hands each view's octets to the
 * head parser or the chunked decoder, depending on where in a request it is, dispatches each complete
 * head to the handler, and passes body octets to the body listener.
 *
 * <pre>
 *   read ──► READ_HEAD ──head──► dispatch ──► READ_BODY / READ_CHUNKED ─► READ_TRAILERS ─┐
 *               ▲                    │ (no body)                                          │
 *               └────────────────────┴──────────── body end ◄───────────────────────────┘
 *   rejection, Connection: close, error ──► DISCARD: the connection ignores further input
 * </pre>
 *
 * <p>A head is consumed only once it is complete, so the transport presents an incomplete one
 * again with the next data and the parser resumes where it stopped; a body is consumed as it
 * arrives. The head is readable by the handler only while it runs, since it is a view of a buffer
 * the transport reuses.
 *
 * <p>A failure found while reading is answered through the connection ({@link HttpConnection#fail}),
 * which decides how the connection ends. Owned by one connection, used on its event loop only.
 */
final class RequestReader {
    private static final int READ_HEAD = 0;
    private static final int READ_BODY = 1;
    private static final int READ_CHUNKED = 2;
    private static final int READ_TRAILERS = 3;
    private static final int DISCARD = 4;

    private final HttpConnection connection;
    private final HttpHandler handler;
    private final Pipeline pipeline;
    private final Deadlines deadlines;
    private final HeadParser parser;
    private final ChunkedDecoder chunked;
    private final FieldsView fields;

    private int phase = READ_HEAD;
    private boolean noMoreRequests;
    /** The exchange whose head or body is being read; null between requests. */
    private Exchange reading;
    private long bodyRemaining;
    /** The receive view, during {@link #read} only. */
    private MemorySegment segment;

    RequestReader(HttpConnection connection, HttpServer server, Pipeline pipeline, Deadlines deadlines) {
        this.connection = connection;
        this.handler = server.handler();
        this.pipeline = pipeline;
        this.deadlines = deadlines;
        this.parser = new HeadParser(server.maxRequestLineBytes(), server.maxHeaderBytes(), server.maxHeaderCount(),
                server.maxBodyBytes());
        this.chunked = new ChunkedDecoder(server.maxBodyBytes());
        this.fields = new FieldsView(parser);
    }

    /**
     * Reads what it can of {@code buffer[offset, offset + length)}, until the octets run out, a head
     * is incomplete, or the connection stops taking input.
     *
     * @return how many octets were consumed
     */
    int read(MemorySegment buffer, long offset, int length) {
        segment = buffer;
        int pos = 0;
        try {
            while (pos < length && phase != DISCARD && connection.takesInput()) {
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
        }
        return pos;
    }

    private int readHead(long at, int available) {
        if (!parser.started()) {
            if (pipeline.full()) {
                connection.pause(HttpConnection.PAUSED_PIPELINE);
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
            connection.fail(reading, chunked.rejection());
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
            connection.fail(reading, parser.rejection());
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
        ex.negotiate(fields);
        try {
            handler.handle(ex.request, ex.response);
        } catch (Throwable t) {
            connection.handlerFailed(ex, t);
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
            connection.handlerFailed(ex, t);
        }
    }

    private void endBody(HttpHeaders trailers) {
        Exchange ex = reading;
        reading = null;
        ex.bodyDone = true;
        ex.resumeBody();
        if (ex.listener != null) {
            try {
                ex.listener.onEnd(ex.request, trailers);
            } catch (Throwable t) {
                connection.handlerFailed(ex, t);
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

    /** Tells {@code ex}'s body listener, if the body is not complete yet, that it never will be. */
    void abortBody(Exchange ex, String why) {
        if (reading == ex) {
            reading = null;
        }
        if (ex.bodyDone) {
            return;
        }
        ex.bodyDone = true;
        ex.resumeBody();
        if (ex.listener != null) {
            try {
                ex.listener.onAbort(ex.request, new IOException(why));
            } catch (Throwable t) {
                HttpConnection.LOG.log(System.Logger.Level.WARNING, "HTTP body listener failed in onAbort", t);
            }
        }
    }

    /** The connection is gone or cut short: aborts the request being read, if any, and lets go of the view. */
    void abort(String why) {
        if (reading != null) {
            abortBody(reading, why);
        }
        segment = null;
    }

    /** Refuses the request whose head is being read; its answer queues behind earlier responses. */
    void reject(Rejection why) {
        Exchange ex = pipeline.acquire();
        ex.beginRejected(parser.methodId() == Methods.HEAD);
        pipeline.append(ex);
        stopReading();
        ex.sendRejection(why);
    }

    /** Reads no more requests: nothing later on the connection can be trusted, or it is closing. */
    void stopReading() {
        noMoreRequests = true;
        phase = DISCARD;
    }

    /** Stops reading new requests after {@code ex}, whose response says the connection closes. */
    void noMoreRequestsAfter(Exchange ex) {
        noMoreRequests = true;
        if (reading != ex && phase != DISCARD) {
            phase = DISCARD;
        }
    }

    /** The exchange whose head or body is being read; null between requests. */
    Exchange reading() {
        return reading;
    }

    /** Whether further input is ignored. */
    boolean discarding() {
        return phase == DISCARD;
    }

    /** Whether a request head is next or being read, rather than a body. */
    boolean readingHead() {
        return phase == READ_HEAD;
    }

    /** Whether no request is being read: the next request line has not begun (empty lines may have come). */
    boolean betweenRequests() {
        return phase == READ_HEAD && !parser.started();
    }

    /** Whether a request head has begun and is not complete yet. */
    boolean headStarted() {
        return phase == READ_HEAD && parser.started();
    }

    /** Whether a request body (or its trailers) is being read. */
    boolean readingBody() {
        return reading != null && phase != READ_HEAD && phase != DISCARD;
    }

    /** Whether more of a request is owed by the client: the rest of one, or, with nothing to answer, the next. */
    boolean awaitingClient() {
        return switch (phase) {
            case READ_HEAD -> pipeline.size() == 0 || parser.started();
            case READ_BODY, READ_CHUNKED, READ_TRAILERS -> true;
            default -> false;
        };
    }

    /** The head of the request being handled: bound only during {@link HttpHandler#handle}. */
    FieldsView head() {
        return fields;
    }
}
