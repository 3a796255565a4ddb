package dev.uring4j.http.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpServer;

/**
 * The conformance cases against the server route: a raw client socket speaks to an echoing
 * {@link WebSocketRoute}. Run in plaintext and over TLS, each on both transports (see the pom).
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerConformanceCases {
    final EchoHandler echo = new EchoHandler();
    TcpServer server;

    abstract TcpServer.Builder tcp();

    /** A connected client socket: plain, or TLS with its handshake done. */
    abstract Socket connect(InetSocketAddress address) throws Exception;

    @BeforeAll
    void start() throws Exception {
        WebSocketOptions options = WebSocketOptions.builder().maxMessageBytes(Cases.MAX_MESSAGE).perMessageDeflate(false).build();
        Router router = Router.builder().get("/echo", WebSocketRoute.builder(echo).options(options).build()).build();
        server = HttpServer.builder(router).build().serve(tcp().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return ConformanceRunner.tests(() -> {
            RawPeer peer = new RawPeer(connect(address()), true);
            handshake(peer, "/echo", "");
            return new ConformanceRunner.Session(peer, echo.closeOf(peer.socket.getLocalPort()), true);
        });
    }

    /** Sends an upgrade request and checks the 101; returns the response head. */
    static String handshake(RawPeer peer, String path, String extraHeaders) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        peer.send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead(peer.in);
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertTrue(head.contains("\r\nSec-WebSocket-Accept: " + Handshake.accept(key) + "\r\n"), head);
        return head;
    }

    /** Reads a response head octet by octet, so that nothing after it is taken from the stream. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the connection ended inside the response head: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    static void assertStatus(int status, String head) {
        assertEquals("HTTP/1.1 " + status, head.substring(0, 12), head);
    }
}
