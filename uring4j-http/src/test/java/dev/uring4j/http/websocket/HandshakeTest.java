package dev.uring4j.http.websocket;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpServer;

/**
 * The server's opening handshake (RFC 6455 section 4.2) and permessage-deflate (RFC 7692) over a
 * raw socket: what is refused with which status, how a subprotocol and the extension's parameters
 * are chosen, compressed messages both ways, and frames sent right behind the request.
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandshakeTest {
    private final EchoHandler echo = new EchoHandler();
    private TcpServer server;

    @BeforeAll
    void start() throws Exception {
        Router router = Router.builder()
                .get("/echo", WebSocketRoute.builder(echo).subprotocols("chat", "superchat").build())
                .get("/origin", WebSocketRoute.builder(echo).originCheck("https://good.example"::equals).build())
                .get("/plain", WebSocketRoute.builder(echo).options(WebSocketOptions.builder().perMessageDeflate(false).build()).build())
                .build();
        server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RawPeer connect() throws Exception {
        return new RawPeer(new Socket("127.0.0.1", server.localAddress().getPort()), true);
    }

    /** Sends a request head as given and returns the response head. */
    private String exchange(String request) throws Exception {
        try (RawPeer peer = connect()) {
            peer.send(request.getBytes(StandardCharsets.ISO_8859_1));
            return ServerConformanceCases.readHead(peer.in);
        }
    }

    private static String upgrade(String path, String version, String key, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n") + "Sec-WebSocket-Version: " + version + "\r\n" + extra + "\r\n";
    }

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void theAcceptOfTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept(KEY));
    }

    @Test
    void anotherVersionGets426NamingVersion13() throws Exception {
        String head = exchange(upgrade("/echo", "8", KEY, ""));
        ServerConformanceCases.assertStatus(426, head);
        assertTrue(head.contains("\r\nSec-WebSocket-Version: 13\r\n"), head);
    }

    @Test
    void aMissingOrMalformedKeyGets400() throws Exception {
        ServerConformanceCases.assertStatus(400, exchange(upgrade("/echo", "13", null, "")));
        ServerConformanceCases.assertStatus(400, exchange(upgrade("/echo", "13", "c2hvcnQ=", "")));
    }

    @Test
    void aRequestThatIsNotAnUpgradeGets400() throws Exception {
        ServerConformanceCases.assertStatus(400, exchange("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
        ServerConformanceCases.assertStatus(400, exchange("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    }

    @Test
    void theOriginCheckRefusesWith403() throws Exception {
        ServerConformanceCases.assertStatus(403, exchange(upgrade("/origin", "13", KEY, "Origin: https://evil.example\r\n")));
        ServerConformanceCases.assertStatus(403, exchange(upgrade("/origin", "13", KEY, "")));
        ServerConformanceCases.assertStatus(101, exchange(upgrade("/origin", "13", KEY, "Origin: https://good.example\r\n")));
    }

    @Test
    void theFirstOfferedSubprotocolTheRouteSpeaksIsChosen() throws Exception {
        String head = exchange(upgrade("/echo", "13", KEY, "Sec-WebSocket-Protocol: v2, superchat\r\nSec-WebSocket-Protocol: chat\r\n"));
        assertEquals("superchat", ClientConformanceCases.field(head, "Sec-WebSocket-Protocol"));
        assertNull(ClientConformanceCases.field(exchange(upgrade("/echo", "13", KEY, "Sec-WebSocket-Protocol: v2\r\n")), "Sec-WebSocket-Protocol"));
    }

    @Test
    void permessageDeflateParametersAreHonouredOrTheOfferDeclined() throws Exception {
        assertEquals("permessage-deflate", ClientConformanceCases.field(exchange(upgrade("/echo", "13", KEY,
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")), "Sec-WebSocket-Extensions"));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", ClientConformanceCases.field(exchange(
                upgrade("/echo", "13", KEY, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n")),
                "Sec-WebSocket-Extensions"));
        // A window smaller than the JDK's deflater keeps is declined; the next offer is taken.
        assertEquals("permessage-deflate; server_max_window_bits=15", ClientConformanceCases.field(exchange(upgrade("/echo", "13", KEY,
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10, permessage-deflate; server_max_window_bits=15\r\n")),
                "Sec-WebSocket-Extensions"));
        assertNull(ClientConformanceCases.field(exchange(upgrade("/echo", "13", KEY,
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n")), "Sec-WebSocket-Extensions"));
        assertNull(ClientConformanceCases.field(exchange(upgrade("/echo", "13", KEY,
                "Sec-WebSocket-Extensions: permessage-deflate; bogus\r\n")), "Sec-WebSocket-Extensions"));
        assertNull(ClientConformanceCases.field(exchange(upgrade("/plain", "13", KEY,
                "Sec-WebSocket-Extensions: permessage-deflate\r\n")), "Sec-WebSocket-Extensions"));
    }

    @Test
    void compressedMessagesBothWaysWithAndWithoutContextTakeover() throws Exception {
        for (String params : new String[] {"", "; server_no_context_takeover; client_no_context_takeover"}) {
            try (RawPeer peer = connect()) {
                ServerConformanceCases.handshake(peer, "/echo", "Sec-WebSocket-Extensions: permessage-deflate" + params + "\r\n");
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                Inflater inflater = new Inflater(true);
                for (int i = 0; i < 3; i++) {
                    byte[] message = ("a message that repeats itself " + i + " ").repeat(40).getBytes(StandardCharsets.UTF_8);
                    peer.send(peer.encode(true, 4, Cases.TEXT, compress(deflater, message)));
                    RawPeer.Frame f = peer.read();
                    assertEquals(4, f.rsv(), "a large echo comes back compressed (RSV1)");
                    assertArrayEquals(message, inflate(inflater, f.payload()));
                    if (!params.isEmpty()) {
                        deflater.reset();
                    }
                }
                byte[] small = "tiny".getBytes(StandardCharsets.UTF_8);
                peer.send(peer.encode(true, 4, Cases.TEXT, compress(deflater, small)));
                RawPeer.Frame f = peer.read();
                assertEquals(0, f.rsv(), "a message under the threshold is sent uncompressed");
                assertArrayEquals(small, f.payload());
                peer.send(peer.encode(false, 4, Cases.TEXT, new byte[0]));
                peer.send(peer.encode(true, 4, 0, new byte[0]));
                assertEquals(1002, peer.read().closeCode(), "RSV1 on a continuation frame");
            }
        }
    }

    @Test
    void aCompressedMessageInflatingPastTheLimitGets1009() throws Exception {
        try (RawPeer peer = connect()) {
            ServerConformanceCases.handshake(peer, "/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
            byte[] zeros = new byte[WebSocketOptions.DEFAULTS.maxMessageBytes() + 1];
            peer.send(peer.encode(true, 4, Cases.BINARY, compress(new Deflater(9, true), zeros)));
            assertEquals(1009, peer.read().closeCode());
        }
    }

    @Test
    void framesSentWithTheRequestAreRead() throws Exception {
        try (RawPeer peer = connect()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(upgrade("/plain", "13", KEY, "").getBytes(StandardCharsets.ISO_8859_1));
            both.writeBytes(peer.encode(true, 0, Cases.TEXT, "early".getBytes(StandardCharsets.UTF_8)));
            peer.send(both.toByteArray());
            ServerConformanceCases.assertStatus(101, ServerConformanceCases.readHead(peer.in));
            assertEquals("early", peer.read().text());
        }
    }

    @Test
    void theRouteUpgradesFromAVirtualThreadToo() throws Exception {
        Router router = Router.builder().get("/echo", WebSocketRoute.builder(echo).build()).build();
        TcpServer blocking = HttpServer.builder(router).virtualThreads(true).build().serve(TcpServer.builder().threads(1));
        try (RawPeer peer = new RawPeer(new Socket("127.0.0.1", blocking.localAddress().getPort()), true)) {
            ServerConformanceCases.handshake(peer, "/echo", "");
            peer.sendFrame(true, Cases.TEXT, "from a virtual thread's upgrade".getBytes(StandardCharsets.UTF_8));
            assertEquals("from a virtual thread's upgrade", peer.read().text());
            peer.sendClose(1000);
            assertEquals(1000, peer.read().closeCode());
        } finally {
            blocking.close();
        }
    }

    @Test
    void theHttpTimeoutsStopAtTheSwitch() throws Exception {
        Router router = Router.builder().get("/echo", WebSocketRoute.builder(echo).build()).build();
        TcpServer impatient = HttpServer.builder(router).idleTimeout(java.time.Duration.ofMillis(100))
                .headerTimeout(java.time.Duration.ofMillis(100)).build().serve(TcpServer.builder().threads(1));
        try (RawPeer peer = new RawPeer(new Socket("127.0.0.1", impatient.localAddress().getPort()), true)) {
            ServerConformanceCases.handshake(peer, "/echo", "");
            // Half a frame header, then silence well past both HTTP timeouts: the session is not HTTP's to close.
            byte[] frame = peer.encode(true, 0, Cases.TEXT, "still here".getBytes(StandardCharsets.UTF_8));
            peer.send(java.util.Arrays.copyOf(frame, 1));
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(400);
            peer.socket.setSoTimeout(400);
            try {
                int b = peer.in.read();
                throw new AssertionError("the server sent " + b + " while the session was quiet");
            } catch (java.net.SocketTimeoutException expected) {
                assertTrue(System.nanoTime() >= until - java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
            }
            peer.socket.setSoTimeout(10_000);
            peer.send(java.util.Arrays.copyOfRange(frame, 1, frame.length));
            assertEquals("still here", peer.read().text());
        } finally {
            impatient.close();
        }
    }

    static byte[] compress(Deflater deflater, byte[] message) {
        deflater.setInput(message);
        byte[] out = new byte[message.length + 64];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        assertFalse(n == out.length, "the test's buffer holds the compressed message");
        return java.util.Arrays.copyOf(out, n - 4);
    }

    static byte[] inflate(Inflater inflater, byte[] data) throws Exception {
        byte[] in = java.util.Arrays.copyOf(data, data.length + 4);
        in[data.length + 2] = (byte) 0xFF;
        in[data.length + 3] = (byte) 0xFF;
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
