/**
 * A strict HTTP/1.1 server on the uring4j runtime: {@code HttpServer}, a {@code Router}, and the
 * request and response types handlers see; and the JDK's HTTP server API on it
 * ({@code dev.uring4j.http.jdk}); WebSocket server routes and a client
 * ({@code dev.uring4j.http.websocket}).
 */
module dev.uring4j.http {
    requires transitive dev.uring4j.runtime;
    requires jdk.httpserver;

    exports dev.uring4j.http;
    exports dev.uring4j.http.jdk;
    exports dev.uring4j.http.websocket;
}
