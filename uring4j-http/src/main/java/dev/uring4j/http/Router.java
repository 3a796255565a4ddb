package dev.uring4j.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dispatches by method and path. A path is matched exactly, or as a prefix when the route ends in
 * {@code /*} ({@code /static/*} matches {@code /static/a/b}); paths are compared as sent, undecoded,
 * without the query. Routes are tried in the order they were added. Matching allocates nothing.
 *
 * <p>{@code HEAD} is served by the {@code GET} route when there is no {@code HEAD} route, the
 * engine dropping the body (RFC 9110 section 9.3.2). A path with routes for other methods only gets
 * {@code 405} with {@code Allow}; an unknown path gets {@code 404}.
 */
public final class Router implements HttpHandler {
    private static final HttpHeader TEXT_PLAIN = HttpHeader.of("Content-Type", "text/plain; charset=us-ascii");
    private static final byte[] NOT_FOUND = Ascii.bytes("404 Not Found\n");
    private static final byte[] METHOD_NOT_ALLOWED = Ascii.bytes("405 Method Not Allowed\n");

    private record Route(String method, byte[] path, boolean prefix, HttpHandler handler, HttpHeader allow) {
    }

    private final Route[] routes;

    private Router(Route[] routes) {
        this.routes = routes;
    }

    /**
     * A builder without routes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        String method = request.method();
        boolean head = "HEAD".equals(method);
        Route fallback = null;
        HttpHeader allow = null;
        for (Route route : routes) {
            if (!request.pathMatches(route.path, route.prefix)) {
                continue;
            }
            if (route.method.equals(method)) {
                route.handler.handle(request, response);
                return;
            }
            if (head && fallback == null && route.method.equals("GET")) {
                fallback = route;
            }
            allow = allow == null ? route.allow : allow;
        }
        if (fallback != null) {
            fallback.handler.handle(request, response);
        } else if (allow != null) {
            response.status(405).header(allow).header(TEXT_PLAIN).send(METHOD_NOT_ALLOWED);
        } else {
            response.status(404).header(TEXT_PLAIN).send(NOT_FOUND);
        }
    }

    /** Collects routes; {@link #build()} makes an immutable {@link Router}. */
    public static final class Builder {
        private record Pending(String method, String path, HttpHandler handler) {
        }

        private final List<Pending> pending = new ArrayList<>();

        private Builder() {
        }

        /**
         * Routes {@code method} requests for {@code path} to {@code handler}.
         *
         * @param method a method token, case-sensitive as in RFC 9110 ({@code "GET"})
         * @param path an origin-form path starting with {@code /}; ending in {@code /*} matches a prefix
         * @param handler answers the requests routed here
         * @return this builder
         * @throws IllegalArgumentException if {@code method} is not a token, or {@code path} is not an
         *     origin-form path without a query
         */
        public Builder route(String method, String path, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (method.isEmpty() || !method.chars().allMatch(c -> c < 0x80 && Ascii.is((byte) c, Ascii.TOKEN))) {
                throw new IllegalArgumentException("not a method token: \"" + method + "\"");
            }
            if (!path.startsWith("/") || !path.chars().allMatch(c -> c < 0x80 && Ascii.is((byte) c, Ascii.TARGET) && c != '?')) {
                throw new IllegalArgumentException("not an origin-form path without query: \"" + path + "\"");
            }
            pending.add(new Pending(method, path, handler));
            return this;
        }

        /**
         * Routes {@code GET} requests for {@code path} to {@code handler}: {@code route("GET", path, handler)}.
         * Also serves HEAD unless a HEAD route is added.
         *
         * @param path an origin-form path starting with {@code /}; ending in {@code /*} matches a prefix
         * @param handler answers the requests routed here
         * @return this builder
         * @throws IllegalArgumentException if {@code path} is not an origin-form path without a query
         */
        public Builder get(String path, HttpHandler handler) {
            return route("GET", path, handler);
        }

        /**
         * Routes {@code POST} requests for {@code path} to {@code handler}: {@code route("POST", path, handler)}.
         *
         * @param path an origin-form path starting with {@code /}; ending in {@code /*} matches a prefix
         * @param handler answers the requests routed here
         * @return this builder
         * @throws IllegalArgumentException if {@code path} is not an origin-form path without a query
         */
        public Builder post(String path, HttpHandler handler) {
            return route("POST", path, handler);
        }

        /**
         * Routes {@code PUT} requests for {@code path} to {@code handler}: {@code route("PUT", path, handler)}.
         *
         * @param path an origin-form path starting with {@code /}; ending in {@code /*} matches a prefix
         * @param handler answers the requests routed here
         * @return this builder
         * @throws IllegalArgumentException if {@code path} is not an origin-form path without a query
         */
        public Builder put(String path, HttpHandler handler) {
            return route("PUT", path, handler);
        }

        /**
         * Routes {@code DELETE} requests for {@code path} to {@code handler}: {@code route("DELETE", path, handler)}.
         *
         * @param path an origin-form path starting with {@code /}; ending in {@code /*} matches a prefix
         * @param handler answers the requests routed here
         * @return this builder
         * @throws IllegalArgumentException if {@code path} is not an origin-form path without a query
         */
        public Builder delete(String path, HttpHandler handler) {
            return route("DELETE", path, handler);
        }

        /**
         * Makes the router; the builder may be reused.
         *
         * @return a router with the routes added so far, and an {@code Allow} line prepared for each path
         */
        public Router build() {
            Map<String, List<String>> methodsByPath = new LinkedHashMap<>();
            for (Pending p : pending) {
                List<String> methods = methodsByPath.computeIfAbsent(p.path, k -> new ArrayList<>());
                methods.add(p.method);
                if (p.method.equals("GET") && !methods.contains("HEAD")) {
                    methods.add("HEAD");
                }
            }
            Route[] routes = new Route[pending.size()];
            for (int i = 0; i < routes.length; i++) {
                Pending p = pending.get(i);
                boolean prefix = p.path.endsWith("/*");
                String path = prefix ? p.path.substring(0, p.path.length() - 1) : p.path;
                HttpHeader allow = HttpHeader.of("Allow", String.join(", ", methodsByPath.get(p.path)));
                routes[i] = new Route(p.method, Ascii.bytes(path), prefix, p.handler, allow);
            }
            return new Router(routes);
        }
    }
}
