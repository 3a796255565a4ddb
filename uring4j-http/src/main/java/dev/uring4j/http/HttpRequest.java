package dev.uring4j.http;

/**
 * A request as its handler sees it. Method, version, framing and persistence stay readable for as
 * long as the response is open; the head itself (target, path, query, header fields) is a view of
 * the receive buffer and readable only during {@link HttpHandler#handle}, after which its methods
 * throw {@link IllegalStateException}. Only methods returning {@code String} allocate, and
 * {@link #method()} not for the methods RFC 9110 defines.
 *
 * <p>The body is not buffered: register an {@link HttpBodyListener} with {@link #onBody} inside
 * {@code handle} to receive it as it arrives, or it is read and discarded.
 */
public final class HttpRequest {
    private final Exchange exchange;

    HttpRequest(Exchange exchange) {
        this.exchange = exchange;
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

    /** Whether the path equals {@code path}, or starts with it when {@code prefix}; no allocation. */
    boolean pathMatches(byte[] path, boolean prefix) {
        FieldsView head = head();
        RequestFraming framing = head.parser().framing();
        return head.regionMatches(framing.pathStart(), framing.pathEnd(), path, prefix);
    }

    private FieldsView head() {
        if (!exchange.headReadable) {
            throw new IllegalStateException("the request head is a view of the receive buffer, readable only during "
                    + "HttpHandler.handle; copy what a later answer needs before returning");
        }
        return exchange.connection.head();
    }

    @Override
    public String toString() {
        return exchange.headReadable ? method() + " " + target() + " " + version() : method() + " (head no longer readable)";
    }
}
