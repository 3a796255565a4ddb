package dev.uring4j.examples;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import dev.uring4j.http.BlockingHandler;
import dev.uring4j.http.HttpHeader;
import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpServer;

/**
 * A handler written as plain blocking code: it calls a slow dependency and waits for it, on a
 * virtual thread of its own, while the event loop goes on serving every other connection.
 *
 * <p>{@link BlockingHandler} copies the request head before handing the request over, so the handler
 * reads it for as long as it runs; the response is sent from that thread and still leaves in request
 * order. {@code /hello} stays on the loop. The dependency is served here too, so the example runs
 * alone: try {@code curl localhost:8082/quote?item=tea} and, at the same time, {@code curl localhost:8082/hello}.
 */
public final class BlockingHttpHandler {
    private BlockingHttpHandler() {}

    private static final HttpHeader TEXT = HttpHeader.of("Content-Type", "text/plain");

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8082;
        URI dependency = URI.create("http://127.0.0.1:" + port + "/dependency");
        Router routes = Router.builder()
                .get("/hello", (request, response) -> response.header(TEXT).send("hello from the loop\n".getBytes(StandardCharsets.US_ASCII)))
                .get("/quote", BlockingHandler.onVirtualThreads((request, response) -> {
                    String query = request.query();                     // the copied head: readable here
                    byte[] price;
                    try (InputStream in = dependency.resolve("?" + query).toURL().openStream()) {
                        price = in.readAllBytes();                      // parks this virtual thread, not the loop
                    }
                    response.header(TEXT).send(("quote for " + query + ": " + new String(price, StandardCharsets.US_ASCII))
                            .getBytes(StandardCharsets.US_ASCII));
                }))
                .get("/dependency", BlockingHandler.onVirtualThreads((request, response) -> {
                    Thread.sleep(200);                                  // a slow database or service
                    response.header(TEXT).send("4.20\n".getBytes(StandardCharsets.US_ASCII));
                }))
                .build();
        try (TcpServer server = HttpServer.builder(routes).build().serve(TcpServer.builder().port(port).threads(1))) {
            System.out.println("listening on " + server.localAddress());
            Thread.currentThread().join();
        }
    }
}
