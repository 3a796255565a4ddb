package dev.uring4j.http.websocket;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Streaming delivery ({@code WebSocketOptions.streaming}): data frames reach the handler as they
 * arrive, in pieces, with the message's type and its end marked; no size limit applies; text is
 * still validated as it arrives, and compressed messages are inflated on the way.
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {
    /** What the handler saw: each message's type and octets, put together from its pieces. */
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Integer> pieces = new LinkedBlockingQueue<>();
    private TcpServer server;

    @BeforeAll
    void start() throws Exception {
        WebSocketHandler collector = new WebSocketHandler() {
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

            @Override
            public void onOpen(WebSocket socket) {
                message.reset(); // what an earlier session left unfinished
            }

            @Override
            public void onFragment(WebSocket socket, boolean text, MemorySegment data, long offset, int length, boolean last) {
                message.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
                pieces.add(length);
                if (last) {
                    messages.add((text ? "text " : "binary ") + HexFormat.of().formatHex(message.toByteArray()));
                    message.reset();
                }
            }
        };
        WebSocketOptions options = WebSocketOptions.builder().streaming(true).maxMessageBytes(1024).build();
        Router router = Router.builder().get("/stream", WebSocketRoute.builder(collector).options(options).build()).build();
        server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RawPeer connect(String extensions) throws Exception {
        RawPeer peer = new RawPeer(new Socket("127.0.0.1", server.localAddress().getPort()), true);
        ServerConformanceCases.handshake(peer, "/stream", extensions);
        return peer;
    }

    @Test
    void fragmentsArriveAsTheyComeWithTheEndMarked() throws Exception {
        try (RawPeer peer = connect("")) {
            byte[] big = Cases.binary(200_000); // past maxMessageBytes: streaming has no message limit
            peer.send(peer.encode(false, 0, Cases.BINARY, java.util.Arrays.copyOf(big, 100_000)));
            peer.send(peer.encode(true, 0, 0, java.util.Arrays.copyOfRange(big, 100_000, big.length)));
            assertEquals("binary " + HexFormat.of().formatHex(big), messages.poll(10, TimeUnit.SECONDS));
            assertTrue(pieces.size() >= 2, "delivered in pieces: " + pieces);
            pieces.clear();
            peer.send(peer.encode(false, 0, Cases.TEXT, "ab".getBytes(StandardCharsets.UTF_8)));
            peer.send(peer.encode(true, 0, 0, new byte[0]));
            assertEquals("text " + HexFormat.of().formatHex("ab".getBytes(StandardCharsets.UTF_8)), messages.poll(10, TimeUnit.SECONDS));
            assertEquals(0, pieces.toArray(Integer[]::new)[pieces.size() - 1], "an empty last frame still ends the message");
            peer.sendClose(1000);
            assertEquals(1000, peer.read().closeCode());
        }
    }

    @Test
    void streamedTextIsStillValidated() throws Exception {
        try (RawPeer peer = connect("")) {
            peer.send(peer.encode(false, 0, Cases.TEXT, HexFormat.of().parseHex("cebae1bdb9")));
            peer.send(peer.encode(true, 0, 0, HexFormat.of().parseHex("eda080")));
            assertEquals(1007, peer.read().closeCode());
        }
    }

    @Test
    void compressedMessagesAreInflatedOnTheWay() throws Exception {
        try (RawPeer peer = connect("Sec-WebSocket-Extensions: permessage-deflate\r\n")) {
            byte[] text = "stream me ".repeat(3000).getBytes(StandardCharsets.UTF_8);
            peer.send(peer.encode(true, 4, Cases.TEXT, HandshakeTest.compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), text)));
            assertEquals("text " + HexFormat.of().formatHex(text), messages.poll(10, TimeUnit.SECONDS));
            peer.sendClose(1000);
            assertEquals(1000, peer.read().closeCode());
        }
    }

    @Test
    void controlFramesKeepTheirLimitWhileStreaming() throws Exception {
        try (RawPeer peer = connect("")) {
            peer.send(peer.encode(true, 0, Cases.PING, new byte[126]));
            assertEquals(1002, peer.read().closeCode());
        }
    }
}
