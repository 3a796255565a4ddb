package dev.uring4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLSession;

/**
 * A request as its handler sees it. Method, version, framing and persistence stay readable for as
 * long as the response is open; the head itself (target, path, query, header fields) is a view of
 * the receive buffer and readable only during {@link HttpHandler#handle}, after which its methods
 * throw {@link IllegalStateException}. Only methods returning {@code String} allocate, and
 * {@link #method()} not for the methods RFC 9110 defines.
 *
 * <p>The body is not buffered: register an {@link HttpBodyListener} with {@link #onBody} inside
 * {@code handle} to receive it as it arrives, or it is read and discarded; a listener that cannot
 * keep up holds the rest back with {@link #pauseBody()} and {@link #resumeBody()}.
 *
 * <p><b>On a handler's own thread.</b> A handler run by {@link BlockingHandler} (or with
 * {@link HttpServer.Builder#virtualThreads}) gets a request whose head was copied before the hand-off,
 * so it stays readable on that thread, and reads the body with blocking calls through
 * {@link #body()}. On virtual threads the copy is made again in place for a later request of the
 * connection once the handler has returned and its response has ended.
 */
public final class HttpRequest {
    private final Exchange exchange;
    /** For a handler on another thread: a copy of the head that stays readable; null on the loop. */
    private final FieldsView copiedHead;
    /** For a handler on another thread: the body to read with blocking calls; null without a body or on the loop. */
    private BlockingBody body;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final SSLSession tlsSession;

    HttpRequest(Exchange exchange) {
        this(exchange, null, null);
    }

    private HttpRequest(Exchange exchange, FieldsView copiedHead, BlockingBody body) {
        this.exchange = exchange;
        this.copiedHead = copiedHead;
        this.body = body;
        boolean detached = copiedHead != null;
        this.remoteAddress = detached ? exchange.connection.remoteAddress() : null;
        this.localAddress = detached ? exchange.connection.localAddress() : null;
        this.tlsSession = detached ? exchange.connection.tlsSession() : null;
    }

    /**
     * This request for a handler that runs on another thread ({@link BlockingHandler}), called on
     * the loop inside {@code handle}: the head copied so that it stays readable, the body queued for
     * {@link #body()} without yet asking a client that expects {@code 100-continue} for it.
     */
    HttpRequest detach() {
        BlockingBody queue = null;
        if (exchange.hasBody()) {
            if (exchange.listener != null) {
                throw new IllegalStateException("a body listener is already registered");
            }
            queue = new BlockingBody(exchange);
            exchange.listener = queue;
        }
        // The exchange's earlier copy, if any, is free again: the exchange is reused only once the
        // handler it was lent to returned and its response ended.
        HttpRequest copy = exchange.detached;
        if (copy == null) {
            copy = new HttpRequest(exchange, head().detach(null), queue);
            exchange.detached = copy;
        } else {
            head().detach(copy.copiedHead);
            copy.body = queue;
        }
        return copy;
    }

    /**
     * The request method.
     *
     * @return the method token, e.g. {@code "GET"}; a constant for the standard methods
     */
    public String method() {
        return exchange.method;
    }

    /**
     * The protocol version.
     *
     * @return the version; {@code HTTP/1.x} with x above 1 is {@link HttpVersion#HTTP_1_1}
     */
    public HttpVersion version() {
        return exchange.http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    }

    /**
     * The request-target as sent. Readable only during {@link HttpHandler#handle}. Allocates.
     *
     * @return origin-form {@code /path?query}, absolute-form, or {@code *}
     */
    public String target() {
        FieldsView head = head();
        return head.text(head.parser().targetStart(), head.parser().targetEnd());
    }

    /**
     * The path of the target. Readable only during {@link HttpHandler#handle}. Allocates.
     *
     * @return the path, undecoded; {@code "/"} for an absolute-form target without one
     */
    public String path() {
        FieldsView head = head();
        int start = head.parser().framing().pathStart();
        int end = head.parser().framing().pathEnd();
        return start == end ? "/" : head.text(start, end);
    }

    /**
     * The query of the target. Readable only during {@link HttpHandler#handle}. Allocates.
     *
     * @return what follows {@code '?'}, undecoded, or {@code null} if there is none
     */
    public String query() {
        FieldsView head = head();
        int q = head.parser().queryStart();
        return q < 0 ? null : head.text(q + 1, head.parser().targetEnd());
    }

    /**
     * The header fields. Readable only during {@link HttpHandler#handle}.
     *
     * @return a view of the fields in the receive buffer
     */
    public HttpHeaders headers() {
        return head();
    }

    /**
     * The declared body length.
     *
     * @return the {@code Content-Length}; 0 without a body, -1 for a chunked body of unknown length
     */
    public long contentLength() {
        return exchange.contentLength;
    }

    /**
     * Whether the body comes in the chunked transfer coding.
     *
     * @return true for a chunked body
     */
    public boolean isChunked() {
        return exchange.chunked;
    }

    /**
     * Whether the client asked to keep the connection open after this exchange.
     *
     * @return true unless the request says {@code Connection: close}, or is HTTP/1.0 without
     *     {@code Connection: keep-alive}
     */
    public boolean isKeepAlive() {
        return exchange.keepAlive;
    }

    /**
     * The client's address.
     *
     * @return the address of the connection's peer; call on the event loop, or from a handler run
     *     by {@link BlockingHandler}
     */
    public InetSocketAddress remoteAddress() {
        return copiedHead != null ? remoteAddress : exchange.connection.remoteAddress();
    }

    /**
     * The server's address the request came to.
     *
     * @return the connection's local address; call on the event loop, or from a handler run by
     *     {@link BlockingHandler}
     */
    public InetSocketAddress localAddress() {
        return copiedHead != null ? localAddress : exchange.connection.localAddress();
    }

    /**
     * The connection's TLS session: protocol, cipher suite, the client's certificates if it
     * presented some.
     *
     * @return the session, or {@code null} without TLS; call on the event loop, or from a handler
     *     run by {@link BlockingHandler}
     */
    public SSLSession tlsSession() {
        return copiedHead != null ? tlsSession : exchange.connection.tlsSession();
    }

    /**
     * The body as a stream to read with blocking calls, for a handler run on another thread by
     * {@link BlockingHandler} (or {@link HttpServer.Builder#virtualThreads}). Reads park the calling
     * thread until the body's next octets arrive; while the handler has not taken
     * {@code 256 KiB}, the connection is not read further, so a body of any size costs that much
     * memory. A client that sent {@code Expect: 100-continue} is asked for the body by this call:
     * call it before starting the response. The body limit ({@link HttpServer#maxBodyBytes()}) holds: past it the client gets
     * {@code 413} and the read an {@link IOException}, as it does when the client leaves before the
     * body is complete. Readable until {@code handle} returns; what was not read then, or when the
     * stream is closed, is discarded.
     *
     * @return the body; an empty stream for a request without one
     * @throws IllegalStateException if the handler runs on the event loop, which must not block:
     *     use {@link #onBody} there
     */
    public InputStream body() {
        if (copiedHead == null) {
            throw new IllegalStateException("body() blocks, and this handler runs on the event loop: use onBody, or "
                    + "run the handler on another thread (HttpServer.Builder.virtualThreads, BlockingHandler)");
        }
        if (body == null) {
            return InputStream.nullInputStream();
        }
        body.askForBody();
        return body;
    }

    /** Lets go of the body when the handler on another thread returns: the rest is discarded as it arrives. */
    void handlerReturned() {
        if (body != null) {
            body.close();
        }
    }

    /**
     * The response to this request.
     *
     * @return the response, the same one {@link HttpHandler#handle} was given
     */
    public HttpResponse response() {
        return exchange.response;
    }

    /**
     * Receives the body through {@code listener}; call inside {@link HttpHandler#handle}. If the
     * client sent {@code Expect: 100-continue}, this is what sends {@code 100 Continue}: register the
     * listener before starting the response, or the client may never send the body.
     *
     * @param listener receives the body's octets as they arrive, then its end or abort
     * @throws IllegalStateException outside {@code handle}, or if a listener is already registered
     */
    public void onBody(HttpBodyListener listener) {
        if (copiedHead != null) {
            throw new IllegalStateException("this handler runs on its own thread, where body listeners cannot run: "
                    + "read the body with body()");
        }
        if (!exchange.headReadable) {
            throw new IllegalStateException("register the body listener inside HttpHandler.handle");
        }
        if (exchange.listener != null) {
            throw new IllegalStateException("a body listener is already registered");
        }
        exchange.listener = listener;
        if (exchange.expectContinue && exchange.hasBody()) {
            exchange.sendContinue();
        }
    }

    /**
     * Stops reading the body until {@link #resumeBody()}: for a body listener that cannot keep up
     * (it hands the octets to a slower consumer: a disk, another connection, a worker). The
     * connection is not read further, so the rest of the body waits in the kernel's socket buffers
     * and TCP slows the client down; the memory a body costs stays that of the receive buffers
     * however large it is. Called from {@link HttpBodyListener#onData}, no more {@code onData}
     * follows until resumed; the end of a body whose octets have all arrived may still be reported
     * ({@link HttpBodyListener#onEnd}), and lifts the pause, since nothing is left to hold back.
     * Does nothing once the body is complete or already paused.
     *
     * <p>May be called from any thread: on the event loop it takes effect at once, elsewhere when
     * the loop runs it (data already on its way may still be delivered first). Not after the
     * response has ended: the engine then reuses this request for a later one.
     *
     * @throws IllegalStateException for a handler on its own thread, whose {@link #body()} stream
     *     paces the connection by itself
     */
    public void pauseBody() {
        pace(true);
    }

    /**
     * Reads the body again after {@link #pauseBody()}: what the connection kept is delivered first,
     * from the event loop (never inside this call). Does nothing unless paused. May be called from
     * any thread, typically by the consumer that caught up.
     *
     * @throws IllegalStateException for a handler on its own thread (see {@link #pauseBody()})
     */
    public void resumeBody() {
        pace(false);
    }

    /** Pauses or resumes the body on the loop: at once there, else posted (and the exchange then not reused). */
    private void pace(boolean pause) {
        if (copiedHead != null) {
            throw new IllegalStateException("this handler runs on its own thread, whose body() stream paces the "
                    + "connection by itself");
        }
        if (exchange.connection.inEventLoop()) {
            exchange.paceBody(pause);
        } else {
            exchange.touchedOffLoop = true;
            exchange.connection.execute(() -> exchange.paceBody(pause));
        }
    }

    /** Whether the path equals {@code path}, or starts with it when {@code prefix}; no allocation. */
    boolean pathMatches(byte[] path, boolean prefix) {
        FieldsView head = head();
        RequestFraming framing = head.parser().framing();
        return head.regionMatches(framing.pathStart(), framing.pathEnd(), path, prefix);
    }

    private FieldsView head() {
        if (copiedHead != null) {
            return copiedHead;
        }
        if (!exchange.headReadable) {
            throw new IllegalStateException("the request head is a view of the receive buffer, readable only during "
                    + "HttpHandler.handle; copy what a later answer needs before returning");
        }
        return exchange.connection.head();
    }

    @Override
    public String toString() {
        return exchange.headReadable || copiedHead != null ? method() + " " + target() + " " + version() : method() + " (head no longer readable)";
    }
}
