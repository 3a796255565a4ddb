package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * The application {@code ./uring4j http} serves and the benchmarks load: {@code GET /} and
 * {@code GET /plaintext} answer {@code Hello, World!} as {@code text/plain}; {@code POST /echo}
 * answers with the request body, streamed back as it arrives (fixed-length for a
 * {@code Content-Length} body, chunked for a chunked one), so a body of any size passes through
 * without being held.
 *
 * <p>Both handlers are stateless singletons and answer from prepared bytes: the plaintext path
 * allocates nothing per request.
 */
public final class DemoRoutes {
    private static final HttpHeader TEXT_PLAIN = HttpHeader.of("Content-Type", "text/plain");
    private static final HttpHeader OCTET_STREAM = HttpHeader.of("Content-Type", "application/octet-stream");
    private static final byte[] HELLO = Ascii.bytes("Hello, World!");

    /** Answers {@code 200 text/plain "Hello, World!"}. */
    public static final HttpHandler PLAINTEXT = (request, response) -> response.header(TEXT_PLAIN).send(HELLO);

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

    private DemoRoutes() {
    }

    /** {@code GET /}, {@code GET /plaintext} and {@code POST /echo}. */
    public static Router router() {
        return Router.builder()
                .get("/", PLAINTEXT)
                .get("/plaintext", PLAINTEXT)
                .post("/echo", ECHO)
                .build();
    }
}
