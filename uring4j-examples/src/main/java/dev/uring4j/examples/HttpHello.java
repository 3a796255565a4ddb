package dev.uring4j.examples;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.uring4j.http.HttpHeader;
import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpServer;

/**
 * An HTTP server with two routes: one answers on the event loop, the other later, from another
 * thread, as a handler waiting on a database or another service would.
 *
 * <p>Handlers run on the loop and must not block it. A response may be kept and completed from
 * any thread: the engine copies the data and wakes the loop, and pipelined responses still go out
 * in request order. Try {@code curl localhost:8081/hello} and {@code curl localhost:8081/slow}.
 */
public final class HttpHello {
    private HttpHello() {}

    private static final HttpHeader TEXT = HttpHeader.of("Content-Type", "text/plain");
    private static final byte[] HELLO = "hello from the event loop\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        Router routes = Router.builder()
                .get("/hello", (request, response) -> response.header(TEXT).send(HELLO))
                .get("/slow", (request, response) ->
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() ->
                                response.header(TEXT).send(("answered later by " + Thread.currentThread().getName()
                                        + "\n").getBytes(StandardCharsets.US_ASCII))))
                .build();
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        try (TcpServer server = HttpServer.builder(routes).build().serve(TcpServer.builder().port(port).threads(2))) {
            System.out.println("listening on " + server.localAddress());
            Thread.currentThread().join();
        }
    }
}
