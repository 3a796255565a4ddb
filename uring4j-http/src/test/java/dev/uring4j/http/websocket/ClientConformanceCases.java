package dev.uring4j.http.websocket;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.runtime.TcpClient;

/**
 * The conformance cases against the client: a raw server socket accepts the uring4j client's
 * connection, answers its handshake by hand, then sends each case's frames (unmasked, as a server
 * does) to a client session that echoes; the client's frames must be masked. Run in plaintext and
 * over TLS, each on both transports.
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientConformanceCases {
    private WebSocketClient client;
    private ServerSocket listener;

    abstract TcpClient.Builder tcp();

    abstract ServerSocket listen() throws Exception;

    abstract String scheme();

    @BeforeAll
    void start() throws Exception {
        WebSocketOptions options = WebSocketOptions.builder().maxMessageBytes(Cases.MAX_MESSAGE).perMessageDeflate(false).build();
        client = WebSocketClient.open(tcp(), options);
        listener = listen();
        listener.setSoTimeout(10_000);
    }

    @AfterAll
    void stop() throws IOException {
        client.close();
        listener.close();
    }

    private URI uri(String path) {
        return URI.create(scheme() + "://localhost:" + listener.getLocalPort() + path);
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return ConformanceRunner.tests(() -> {
            EchoHandler echo = new EchoHandler();
            CompletableFuture<WebSocket> connecting = client.connect(uri("/echo"), echo);
            Socket s = listener.accept();
            RawPeer peer = new RawPeer(s, false);
            String request = ServerConformanceCases.readHead(peer.in);
            peer.send(response(request, "").getBytes(StandardCharsets.ISO_8859_1));
            WebSocket ws = connecting.get(10, TimeUnit.SECONDS);
            return new ConformanceRunner.Session(peer, echo.closeOf(ws.remoteAddress().getPort()), false);
        });
    }

    /** A 101 answering {@code request}'s key, with {@code extra} header lines. */
    static String response(String request, String extra) {
        String key = field(request, "Sec-WebSocket-Key");
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + Handshake.accept(key) + "\r\n" + extra + "\r\n";
    }

    static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Test
    void aWrongAcceptFailsTheHandshake() throws Exception {
        refused("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
                "does not answer the key");
    }

    @Test
    void aStatusOtherThan101FailsTheHandshake() throws Exception {
        refused("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "instead of 101");
    }

    @Test
    void anUnofferedSubprotocolFailsTheHandshake() throws Exception {
        refusedWith("Sec-WebSocket-Protocol: chat\r\n", "was not offered");
    }

    @Test
    void anUnofferedExtensionFailsTheHandshake() throws Exception {
        refusedWith("Sec-WebSocket-Extensions: permessage-deflate\r\n", "not offered");
    }

    @Test
    void framesInTheSameSegmentAsTheResponseAreRead() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<WebSocket> connecting = client.connect(uri("/"), new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                first.complete(text);
            }
        });
        try (Socket s = listener.accept(); RawPeer peer = new RawPeer(s, false)) {
            String request = ServerConformanceCases.readHead(peer.in);
            byte[] head = response(request, "").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = peer.encode(true, 0, Cases.TEXT, "early".getBytes(StandardCharsets.US_ASCII));
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            peer.send(both);
            connecting.get(10, TimeUnit.SECONDS);
            assertTrue("early".equals(first.get(10, TimeUnit.SECONDS)));
        }
    }

    private void refusedWith(String extra, String why) throws Exception {
        CompletableFuture<WebSocket> connecting = client.connect(uri("/"), new EchoHandler());
        try (Socket s = listener.accept(); RawPeer peer = new RawPeer(s, false)) {
            String request = ServerConformanceCases.readHead(peer.in);
            peer.send(response(request, extra).getBytes(StandardCharsets.ISO_8859_1));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains(why), e.getCause().getMessage());
        }
    }

    private void refused(String response, String why) throws Exception {
        CompletableFuture<WebSocket> connecting = client.connect(uri("/"), new EchoHandler(), List.of(), Map.of());
        try (Socket s = listener.accept(); RawPeer peer = new RawPeer(s, false)) {
            ServerConformanceCases.readHead(peer.in);
            peer.send(response.getBytes(StandardCharsets.ISO_8859_1));
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> connecting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains(why), e.getCause().getMessage());
        }
    }
}
