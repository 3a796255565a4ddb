package dev.uring4j.bench.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An application written against the JDK's {@code com.sun.net.httpserver} API, as found in the
 * wild: a context for {@code /plaintext} answering {@code 200 text/plain "Hello, World!"}, with a
 * virtual thread per exchange as its executor. Run as it is, it measures the JDK's own server; with
 * {@code -Dcom.sun.net.httpserver.HttpServerProvider=dev.uring4j.http.jdk.UringHttpServerProvider}
 * the same program runs on uring4j, which is the switch that provider promises.
 */
public final class JdkHttpServerApp {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private JdkHttpServerApp() {}

    public static void main(String[] args) throws IOException {
        PeerArgs peer = PeerArgs.parse("JdkHttpServerApp", args, Set.of());
        HttpServer server = HttpServer.create(peer.address(), 4096);
        server.createContext("/plaintext", JdkHttpServerApp::plaintext);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        peer.announce(server.getAddress());
    }

    private static void plaintext(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, HELLO.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(HELLO);
            }
        }
    }
}
