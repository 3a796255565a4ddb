package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The application the protocol tests run: the plaintext and streaming echo routes that
 * {@code ./uring4j http} serves, plus a sink that answers only after the whole body (so body errors
 * can still get a status) and reports what it received.
 */
final class TestApp {
    private TestApp() {
    }

    private static final HttpHeader TEXT_PLAIN = HttpHeader.of("Content-Type", "text/plain");
    private static final HttpHeader OCTET_STREAM = HttpHeader.of("Content-Type", "application/octet-stream");
    private static final byte[] HELLO = Ascii.bytes("Hello, World!");

    /** {@code GET /plaintext}: {@code 200 text/plain "Hello, World!"} from prepared bytes. */
    static final HttpHandler PLAINTEXT = (request, response) -> response.header(TEXT_PLAIN).send(HELLO);

    private static final HttpBodyListener ECHO_BODY = new HttpBodyListener() {
        @Override
        public void onData(HttpRequest r, MemorySegment buffer, long offset, int n) {
            r.response().write(buffer, offset, n);
        }

        @Override
        public void onEnd(HttpRequest r, HttpHeaders trailers) {
            r.response().end();
        }
    };

    /** {@code POST /echo}: the request body back as it arrives, fixed-length or chunked as it came. */
    static final HttpHandler ECHO = (request, response) -> {
        request.onBody(ECHO_BODY); // first: with Expect: 100-continue, this is what lets the body come
        response.header(OCTET_STREAM);
        if (request.isChunked()) {
            response.startChunked();
        } else {
            response.start(request.contentLength());
        }
    };

    /** {@code POST /sink}: answers {@code len=<body length> trailers=<name=value,...>} after the body ends. */
    static final HttpHandler SINK = (request, response) -> request.onBody(new HttpBodyListener() {
        long length;

        @Override
        public void onData(HttpRequest r, MemorySegment buffer, long offset, int n) {
            length += n;
        }

        @Override
        public void onEnd(HttpRequest r, HttpHeaders trailers) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < trailers.size(); i++) {
                names.add(trailers.name(i) + "=" + trailers.value(i));
            }
            r.response().send(("len=" + length + " trailers=" + String.join(",", names)).getBytes());
        }
    });

    static Router router() {
        return Router.builder()
                .get("/", PLAINTEXT)
                .get("/plaintext", PLAINTEXT)
                .post("/echo", ECHO)
                .post("/sink", SINK)
                .build();
    }

    /** Small limits, so every limit is reachable with short inputs. */
    static HttpServer smallLimits() {
        return HttpServer.builder(router())
                .maxRequestLineBytes(64)
                .maxHeaderBytes(128)
                .maxHeaderCount(4)
                .maxBodyBytes(32)
                .build();
    }
}
