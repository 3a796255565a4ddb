package dev.uring4j.http.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpClient;
import dev.uring4j.runtime.TcpServer;

/**
 * Interoperability with independent implementations: the JDK's {@code java.net.http.WebSocket}
 * client, Node's {@code ws} package as client and as server (with and without permessage-deflate),
 * and Python's {@code autobahn} as a client. A test whose tool is missing skips, naming it;
 * {@code ./uring4j test} installs them.
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropTest {
    private final EchoHandler echo = new EchoHandler();
    private TcpServer server;

    @BeforeAll
    void start() throws Exception {
        Router router = Router.builder().get("/echo", WebSocketRoute.builder(echo).subprotocols("chat").build()).build();
        server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(1));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String url() {
        return "ws://127.0.0.1:" + server.localAddress().getPort() + "/echo";
    }

    @Test
    void jdkClient() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                binary.writeBytes(b); // the JDK hands a large message over in parts
                if (last) {
                    received.add(binary.toByteArray());
                    binary.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(java.net.http.WebSocket ws, ByteBuffer message) {
                received.add("pong " + StandardCharsets.UTF_8.decode(message));
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
                received.add("close " + statusCode);
                return null;
            }
        };
        try (HttpClient http = HttpClient.newHttpClient()) {
            java.net.http.WebSocket ws = http.newWebSocketBuilder().subprotocols("chat").buildAsync(URI.create(url()), listener).get(10, TimeUnit.SECONDS);
            assertEquals("chat", ws.getSubprotocol());
            ws.sendText("hello", true).get();
            assertEquals("hello", received.poll(10, TimeUnit.SECONDS));
            ws.sendText("frag", false).get();
            ws.sendText("ment ✓", true).get();
            assertEquals("fragment ✓", received.poll(10, TimeUnit.SECONDS));
            byte[] big = Cases.binary(300_000);
            ws.sendBinary(ByteBuffer.wrap(big), true).get();
            assertArrayEquals(big, (byte[]) received.poll(10, TimeUnit.SECONDS));
            ws.sendPing(ByteBuffer.wrap("beat".getBytes(StandardCharsets.UTF_8))).get();
            assertEquals("pong beat", received.poll(10, TimeUnit.SECONDS));
            ws.sendClose(1000, "bye").get();
            assertEquals("close 1000", received.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void nodeWsClient() throws Exception {
        nodeClient("plain");
    }

    @Test
    void nodeWsClientWithPermessageDeflate() throws Exception {
        nodeClient("deflate");
    }

    private void nodeClient(String mode) throws Exception {
        Path modules = nodeModules();
        List<String> out = run(List.of("node", script("ws-client.js").toString(), url(), mode), modules);
        assertEquals(List.of("ok"), out);
    }

    @Test
    void nodeWsServer() throws Exception {
        nodeServer(false);
    }

    @Test
    void nodeWsServerWithPermessageDeflate() throws Exception {
        nodeServer(true);
    }

    private void nodeServer(boolean deflate) throws Exception {
        Path modules = nodeModules();
        ProcessBuilder pb = new ProcessBuilder("node", script("ws-server.js").toString(), deflate ? "deflate" : "plain").redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process node = pb.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                WebSocketClient client = WebSocketClient.open(TcpClient.builder(), WebSocketOptions.builder().perMessageDeflate(deflate).build())) {
            String first = lines.readLine();
            assertTrue(first != null && first.startsWith("port "), "node said " + first);
            int port = Integer.parseInt(first.substring(5).trim());
            LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocketHandler handler = new WebSocketHandler() {
                @Override
                public void onText(WebSocket socket, String text) {
                    received.add(text);
                }

                @Override
                public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
                    received.add(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
                }

                @Override
                public void onPong(WebSocket socket, MemorySegment data, long offset, int length) {
                    received.add("pong " + length);
                }

                @Override
                public void onClose(WebSocket socket, int code, String reason) {
                    closed.complete(code);
                }
            };
            WebSocket ws = client.connect(new URI("ws://127.0.0.1:" + port + "/"), handler, List.of("chat", "other"), Map.of())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("chat", ws.subprotocol());
            assertEquals(deflate, ws.extensions() != null, "permessage-deflate negotiated: " + ws.extensions());
            assertEquals("subprotocol chat extensions " + (deflate ? "permessage-deflate" : "none"), lines.readLine());
            for (String text : new String[] {"hello", "compress me ".repeat(5000), "κόσμε"}) {
                assertTrue(ws.sendText(text));
                assertEquals(text, received.poll(10, TimeUnit.SECONDS));
            }
            byte[] big = Cases.binary(200_000);
            assertTrue(ws.sendBinary(big));
            assertArrayEquals(big, (byte[]) received.poll(10, TimeUnit.SECONDS));
            byte[] frag = "fragmented".getBytes(StandardCharsets.UTF_8);
            ws.eventLoop().execute(() -> {
                ws.sendFragment(true, frag, 0, 4, false);
                ws.sendFragment(true, frag, 4, 6, true);
            });
            assertEquals("fragmented", received.poll(10, TimeUnit.SECONDS));
            assertTrue(ws.ping(new byte[3]));
            assertEquals("pong 3", received.poll(10, TimeUnit.SECONDS));
            assertTrue(ws.close(1000, "done"));
            assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
            assertEquals("closed 1000", lines.readLine());
        } finally {
            node.getOutputStream().close();
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void autobahnClient() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 with Debian's python3-autobahn (apt-get install python3-autobahn)");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import autobahn.asyncio").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor() == 0, "needs Python's autobahn: apt-get install python3-autobahn");
        assertEquals(List.of("ok"), run(List.of(python.toString(), script("autobahn-client.py").toString(), url()), null));
    }

    private static List<String> run(List<String> command, Path nodeModules) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (nodeModules != null) {
            pb.environment().put("NODE_PATH", nodeModules.toString());
        }
        Process p = pb.start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join("\n", command));
        assertEquals(0, p.exitValue(), String.join("\n", out));
        return out;
    }

    /** Node's ws package, installed into the cache by the script if needed; skips naming what is missing. */
    private static Path nodeModules() throws Exception {
        Process p = new ProcessBuilder("sh", script("node-ws.sh").toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(p.waitFor() == 0, "needs Node.js with the ws package from npm: " + err);
        return Path.of(out);
    }

    private static Path script(String name) throws URISyntaxException {
        return Path.of(InteropTest.class.getResource("/websocket/" + name).toURI());
    }
}
