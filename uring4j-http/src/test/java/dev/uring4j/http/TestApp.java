package dev.uring4j.http;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The application the protocol tests run: {@link DemoRoutes} plus a sink that answers only after
 * the whole body (so body errors can still get a status) and reports what it received.
 */
final class TestApp {
    private TestApp() {
    }

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
                .get("/", DemoRoutes.PLAINTEXT)
                .get("/plaintext", DemoRoutes.PLAINTEXT)
                .post("/echo", DemoRoutes.ECHO)
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
