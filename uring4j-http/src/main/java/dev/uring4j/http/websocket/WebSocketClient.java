package dev.uring4j.http.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.TcpClient;

/**
 * A WebSocket client (RFC 6455) on the uring4j runtime, for tests, bots and load tools: its sessions
 * are the same {@link WebSocket} with the same {@link WebSocketHandler} as a server's, and mask every
 * frame with a fresh random key.
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.open(TcpClient.builder(), WebSocketOptions.DEFAULTS)) {
 *     WebSocket ws = client.connect(URI.create("ws://127.0.0.1:8080/echo"), new WebSocketHandler() {
 *         public void onText(WebSocket s, String text) { System.out.println(text); }
 *     }).get();
 *     ws.sendText("hello");
 * }
 * }</pre>
 *
 * <p>For {@code wss:} URIs give the TCP builder a client {@link dev.uring4j.runtime.TlsConfig}
 * ({@code TcpClient.builder().tls(TlsConfig.client().build())}); the runtime's TLS is transparent
 * to the session.
 */
public final class WebSocketClient implements AutoCloseable {
    private final TcpClient tcp;

    private WebSocketClient(TcpClient tcp) {
        this.tcp = tcp;
    }

    /**
     * Starts a client on {@code tcp} (its loops, TLS, socket options; its handler is set here).
     *
     * @param tcp the TCP client to build, configured but for its handler
     * @param options the sessions' limits and policies
     * @return the client, to be closed by the caller
     * @throws IOException if the TCP client's loops cannot start
     */
    public static WebSocketClient open(TcpClient.Builder tcp, WebSocketOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        return new WebSocketClient(tcp.handler(() -> new ClientHandshake(options)).build());
    }

    /**
     * Connects and performs the opening handshake, with no subprotocol and no extra header.
     *
     * @param uri {@code ws://host:port/path} or {@code wss://...}
     * @param handler the session's handler
     * @return completes with the open session (after {@link WebSocketHandler#onOpen}), or fails with
     *     the connect's error or an {@link IOException} naming what the handshake response got wrong
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, handler, List.of(), Map.of());
    }

    /**
     * Connects and performs the opening handshake.
     *
     * @param uri {@code ws://host:port/path} or {@code wss://...}; the port defaults to 80 or 443
     * @param handler the session's handler
     * @param subprotocols offered in this order ({@code Sec-WebSocket-Protocol}); the server's choice
     *     is {@link WebSocket#subprotocol()}
     * @param headers further request header fields (an {@code Origin}, authorization, ...)
     * @return as {@link #connect(URI, WebSocketHandler)}
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler, List<String> subprotocols,
            Map<String, String> headers) {
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a ws: or wss: URI: " + uri));
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "wss".equalsIgnoreCase(scheme) ? 443 : 80;
        CompletableFuture<WebSocket> result = new CompletableFuture<>();
        CompletableFuture<Connection> connecting = tcp.connect(new InetSocketAddress(uri.getHost(), port));
        connecting.whenComplete((c, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            c.eventLoop().execute(() -> {
                ClientHandshake handshake = c.attachment();
                handshake.start(uri, handler, List.copyOf(subprotocols), Map.copyOf(headers), result);
            });
        });
        return result;
    }

    /** Closes the TCP client: with a group of its own, every session's connection closes. */
    @Override
    public void close() {
        tcp.close();
    }
}
