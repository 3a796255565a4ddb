package dev.uring4j.bench.peers;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The HTTP plaintext peer as Helidon SE 4 ("Níma") serves it: its own blocking HTTP/1.1 server with
 * a virtual thread per connection, at its defaults, answering {@code GET /plaintext} with
 * {@code 200 text/plain "Hello, World!"}; it stops on SIGTERM by its own shutdown hook. The peer of
 * uring4j's HTTP handlers on virtual threads.
 */
public final class HelidonHttpServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HelidonHttpServer() {}

    public static void main(String[] args) {
        PeerArgs peer = PeerArgs.parse("HelidonHttpServer", args, Set.of());
        WebServer server = WebServer.builder()
                .host(peer.host())
                .port(peer.port())
                .routing(routing -> routing.get("/plaintext", (request, response) -> {
                    response.header(HeaderNames.CONTENT_TYPE, "text/plain");
                    response.send(HELLO);
                }))
                .build()
                .start();
        peer.announce(new InetSocketAddress(peer.host(), server.port()));
    }
}
