package dev.uring4j.http.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import dev.uring4j.http.HttpHandler;
import dev.uring4j.http.HttpHeader;
import dev.uring4j.http.HttpHeaders;
import dev.uring4j.http.HttpRequest;
import dev.uring4j.http.HttpResponse;
import dev.uring4j.http.HttpVersion;
import dev.uring4j.http.ProtocolUpgrade;

/**
 * An HTTP route that upgrades to WebSocket (the server's opening handshake, RFC 6455 section 4.2):
 * register it for {@code GET} on a {@link dev.uring4j.http.Router}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .get("/echo", WebSocketRoute.builder(new WebSocketHandler() {
 *             public void onText(WebSocket ws, String text) { ws.sendText(text); }
 *         }).subprotocols("chat").build())
 *         .build();
 * HttpServer.builder(router).build().serve(TcpServer.builder().port(8080));
 * }</pre>
 *
 * <p>A request is answered:
 * <ul>
 *   <li>400 if it is not an upgrade to {@code websocket} ({@code Upgrade: websocket},
 *       {@code Connection} listing {@code upgrade}, HTTP/1.1, {@code GET}) or its
 *       {@code Sec-WebSocket-Key} is not the base64 of 16 octets;</li>
 *   <li>426 with {@code Sec-WebSocket-Version: 13} if it asks for another version;</li>
 *   <li>403 if the origin check refuses its {@code Origin} (null when absent);</li>
 *   <li>else 101 with {@code Sec-WebSocket-Accept}, the first of the client's subprotocols this
 *       route supports (none if none matches: the client decides whether to go on), and
 *       permessage-deflate if offered with parameters this side can honour and the options allow it;
 *       the connection then belongs to the session.</li>
 * </ul>
 *
 * <p>The route works on the event loop (the usual case) and under a blocking handler alike. The
 * upgrade request must be the only open request on its connection (a client waits for the 101 anyway).
 */
public final class WebSocketRoute implements HttpHandler {
    private static final byte[] NOT_UPGRADE = "not a WebSocket upgrade request\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_KEY = "missing or malformed Sec-WebSocket-Key\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_VERSION = "only WebSocket version 13 is supported\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORBIDDEN = "origin not allowed\n".getBytes(StandardCharsets.US_ASCII);
    private static final HttpHeader VERSION_13 = HttpHeader.of("Sec-WebSocket-Version", "13");

    private final WebSocketHandler handler;
    private final WebSocketOptions options;
    private final List<String> subprotocols;
    private final Predicate<String> originCheck;

    private WebSocketRoute(Builder b) {
        handler = b.handler;
        options = b.options;
        subprotocols = List.copyOf(b.subprotocols);
        originCheck = b.originCheck;
    }

    /**
     * A builder for a route whose sessions all report to {@code handler}.
     *
     * @param handler the sessions' handler
     * @return a new builder
     */
    public static Builder builder(WebSocketHandler handler) {
        return new Builder(handler);
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) {
        HttpHeaders h = request.headers();
        if (!"GET".equals(request.method()) || request.version() != HttpVersion.HTTP_1_1
                || !Handshake.tokens(values(h, "Upgrade"), true).contains("websocket")
                || !Handshake.tokens(values(h, "Connection"), true).contains("upgrade")) {
            response.status(400).header("Content-Type", "text/plain").send(NOT_UPGRADE);
            return;
        }
        List<String> versions = values(h, "Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).equals("13")) {
            response.status(426).header(VERSION_13).header("Upgrade", "websocket").header("Content-Type", "text/plain")
                    .send(BAD_VERSION);
            return;
        }
        List<String> keys = values(h, "Sec-WebSocket-Key");
        if (keys.size() != 1 || !Handshake.validKey(keys.get(0))) {
            response.status(400).header("Content-Type", "text/plain").send(BAD_KEY);
            return;
        }
        if (originCheck != null && !originCheck.test(h.get("Origin"))) {
            response.status(403).header("Content-Type", "text/plain").send(FORBIDDEN);
            return;
        }
        List<HttpHeader> fields = new ArrayList<>(3);
        fields.add(HttpHeader.of("Sec-WebSocket-Accept", Handshake.accept(keys.get(0))));
        String protocol = null;
        for (String offered : Handshake.tokens(values(h, "Sec-WebSocket-Protocol"), false)) {
            if (subprotocols.contains(offered)) {
                protocol = offered;
                fields.add(HttpHeader.of("Sec-WebSocket-Protocol", offered));
                break;
            }
        }
        String extensions = options.perMessageDeflate() ? PerMessageDeflate.acceptOffer(values(h, "Sec-WebSocket-Extensions")) : null;
        if (extensions != null) {
            fields.add(HttpHeader.of("Sec-WebSocket-Extensions", extensions));
        }
        ProtocolUpgrade.switchProtocols(response, "websocket", fields, new SessionHandler(handler, options, false, protocol, extensions));
    }

    private static List<String> values(HttpHeaders h, String name) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < h.size(); i++) {
            if (h.nameEquals(i, name)) {
                values.add(h.value(i));
            }
        }
        return values;
    }

    /** Configures a {@link WebSocketRoute}. */
    public static final class Builder {
        private final WebSocketHandler handler;
        private WebSocketOptions options = WebSocketOptions.DEFAULTS;
        private List<String> subprotocols = List.of();
        private Predicate<String> originCheck;

        private Builder(WebSocketHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * The sessions' limits and policies (default {@link WebSocketOptions#DEFAULTS}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(WebSocketOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The subprotocols this route speaks; the first the client offers that is among them is chosen.
         *
         * @param names subprotocol names (tokens)
         * @return this builder
         */
        public Builder subprotocols(String... names) {
            subprotocols = List.of(names);
            return this;
        }

        /**
         * Refuses handshakes (403) whose {@code Origin} the check rejects: browsers send the page's
         * origin, which guards against cross-site use of cookies (RFC 6455 section 10.2). Default:
         * every origin is accepted.
         *
         * @param check given the {@code Origin} value or null when absent; true accepts
         * @return this builder
         */
        public Builder originCheck(Predicate<String> check) {
            originCheck = check;
            return this;
        }

        /**
         * Makes the route.
         *
         * @return the route, an {@link HttpHandler}
         */
        public WebSocketRoute build() {
            return new WebSocketRoute(this);
        }
    }
}
