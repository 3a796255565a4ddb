package dev.uring4j.examples;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import dev.uring4j.http.HttpBodyListener;
import dev.uring4j.http.HttpHandler;
import dev.uring4j.http.HttpHeader;
import dev.uring4j.http.HttpHeaders;
import dev.uring4j.http.HttpRequest;
import dev.uring4j.http.Router;

/**
 * The HTTP server {@code ./uring4j http} runs and the benchmarks load: how to answer from prepared
 * bytes without allocating, and how to stream a request body back without holding it.
 *
 * <p>{@code GET /} and {@code GET /plaintext} answer {@code Hello, World!} as {@code text/plain}:
 * the header and the body are made once, so a request costs copies and no garbage. {@code POST /echo}
 * answers with the request body, written out as each part arrives (fixed-length for a
 * {@code Content-Length} body, chunked for a chunked one), so a body of any size passes through in
 * the receive buffers. Both handlers are stateless and shared by every request. Run:
 * {@code ./uring4j http --port 8080}, then {@code curl localhost:8080/plaintext} or
 * {@code curl --data-binary @file localhost:8080/echo}.
 */
public final class HttpEchoServer {
    private static final HttpHeader TEXT_PLAIN = HttpHeader.of("Content-Type", "text/plain");
    private static final HttpHeader OCTET_STREAM = HttpHeader.of("Content-Type", "application/octet-stream");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    /** Answers {@code 200 text/plain "Hello, World!"}. */
    public static final HttpHandler PLAINTEXT = (request, response) -> response.header(TEXT_PLAIN).send(HELLO);

    /** Writes each part of the body out as it arrives; the response is the request's own. */
    private static final HttpBodyListener ECHO_BODY = new HttpBodyListener() {
        @Override
        public void onData(HttpRequest request, MemorySegment buffer, long offset, int length) {
            request.response().write(buffer, offset, length);
        }

        @Override
        public void onEnd(HttpRequest request, HttpHeaders trailers) {
            request.response().end();
        }
    };

    /** Answers with the request body, streaming it back as it arrives. */
    public static final HttpHandler ECHO = (request, response) -> {
        // The listener first: with Expect: 100-continue, registering it is what lets the body come.
        request.onBody(ECHO_BODY);
        response.header(OCTET_STREAM);
        if (request.isChunked()) {
            response.startChunked();
        } else {
            response.start(request.contentLength());
        }
    };

    /**
     * {@link #ECHO} as blocking code, for handlers on their own threads
     * ({@code HttpServer.Builder.virtualThreads}): the body is read from a stream and written to
     * one, each side waiting for the other at the client's pace.
     */
    public static final HttpHandler BLOCKING_ECHO = (request, response) -> {
        InputStream body = request.body(); // first: with Expect: 100-continue, this is what lets the body come
        response.header(OCTET_STREAM);
        if (request.isChunked()) {
            response.startChunked();
        } else {
            response.start(request.contentLength());
        }
        try (OutputStream out = response.outputStream()) {
            body.transferTo(out);
        }
    };

    private HttpEchoServer() {
    }

    /**
     * The routes {@code ./uring4j http} serves.
     *
     * @return {@code GET /} and {@code GET /plaintext} to {@link #PLAINTEXT}, {@code POST /echo} to
     *     {@link #ECHO}
     */
    public static Router router() {
        return Router.builder()
                .get("/", PLAINTEXT)
                .get("/plaintext", PLAINTEXT)
                .post("/echo", ECHO)
                .build();
    }

    /**
     * The routes {@code ./uring4j http --virtual-threads} serves, every handler on a virtual thread.
     *
     * @return {@link #router()} with {@link #BLOCKING_ECHO} for {@code POST /echo}
     */
    public static Router blockingRouter() {
        return Router.builder()
                .get("/", PLAINTEXT)
                .get("/plaintext", PLAINTEXT)
                .post("/echo", BLOCKING_ECHO)
                .build();
    }
}
