package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpClient;
import dev.uring4j.runtime.TcpServer;

/**
 * What a session does beyond the frames: broadcast to many sessions on several loops, the
 * slow-consumer policies, sends from other threads with truthful results, a failing handler, and
 * the idle and close-handshake timeouts.
 */
@ExtendWith(WebSocketTransportTests.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest {
    private static final int FLOOD = 5000;
    private final Set<WebSocket> players = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong(-1);
    private final EchoHandler echo = new EchoHandler();
    private TcpServer server;

    @BeforeAll
    void start() throws Exception {
        WebSocketHandler lobby = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                players.add(socket);
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason) {
                players.remove(socket);
            }
        };
        Router router = Router.builder()
                .get("/lobby", WebSocketRoute.builder(lobby).build())
                .get("/drop", WebSocketRoute.builder(flood(dropped)).options(WebSocketOptions.builder().sendQueueBytes(64 * 1024)
                        .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST).build()).build())
                .get("/close", WebSocketRoute.builder(flood(new AtomicLong())).options(WebSocketOptions.builder().sendQueueBytes(64 * 1024).build()).build())
                .get("/echo", WebSocketRoute.builder(echo).options(WebSocketOptions.builder().idleTimeout(Duration.ofMillis(300))
                        .closeTimeout(Duration.ofMillis(300)).build()).build())
                .get("/throw", WebSocketRoute.builder(new WebSocketHandler() {
                    @Override
                    public void onText(WebSocket socket, String text) {
                        throw new IllegalStateException("the application failed on purpose");
                    }
                }).build())
                .build();
        server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(2).sendBufferSize(8192)
                .options(LoopOptions.builder().watermarks(16 * 1024, 64 * 1024).build()));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** On "go", sends numbered 1 KiB messages, far more than the peer reads, then "end". */
    private static WebSocketHandler flood(AtomicLong dropped) {
        return new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                String pad = "x".repeat(1000);
                for (int i = 0; i < FLOOD; i++) {
                    socket.sendText(i + " " + pad);
                }
                socket.sendText("end");
                dropped.set(socket.droppedMessages());
            }
        };
    }

    private RawPeer raw(String path) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", server.localAddress().getPort()));
        RawPeer peer = new RawPeer(s, true);
        ServerConformanceCases.handshake(peer, path, "");
        return peer;
    }

    @Test
    void broadcastReachesEverySessionOnEveryLoop() throws Exception {
        int n = 200;
        int rounds = 10;
        CountDownLatch all = new CountDownLatch(n * rounds);
        AtomicInteger wrong = new AtomicInteger();
        WebSocketHandler counter = new WebSocketHandler() {
            @Override
            public void onText(WebSocket socket, String text) {
                if (!text.startsWith("tick ")) {
                    wrong.incrementAndGet();
                }
                all.countDown();
            }
        };
        try (WebSocketClient client = WebSocketClient.open(TcpClient.builder().threads(2), WebSocketOptions.DEFAULTS)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/lobby");
            for (int i = 0; i < n; i++) {
                client.connect(uri, counter).get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (players.size() < n && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(n, players.size(), "every session opened on the server");
            for (int r = 0; r < rounds; r++) {
                byte[] tick = ("tick " + r + " " + "s".repeat(200)).getBytes(StandardCharsets.UTF_8);
                assertEquals(n, WebSocket.broadcast(true, tick, 0, tick.length, List.copyOf(players)));
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), all.getCount() + " deliveries missing");
            assertEquals(0, wrong.get());
        }
    }

    @Test
    void dropOldestKeepsTheSessionAndTheNewestMessages() throws Exception {
        try (RawPeer peer = raw("/drop")) {
            peer.sendFrame(true, Cases.TEXT, "go".getBytes(StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dropped.get() < 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(dropped.get() > 0, "the flood outran the queue: messages were dropped (" + dropped.get() + ")");
            int last = -1;
            int received = 0;
            while (true) {
                RawPeer.Frame f = peer.read();
                assertEquals(Cases.TEXT, f.opcode());
                String text = f.text();
                if (text.equals("end")) {
                    break;
                }
                int i = Integer.parseInt(text.substring(0, text.indexOf(' ')));
                assertTrue(i > last, "messages stay in order: " + i + " after " + last);
                last = i;
                received++;
            }
            assertEquals(FLOOD, received + dropped.get(), "every message was either delivered or counted as dropped");
            peer.sendClose(1000);
            assertEquals(1000, peer.read().closeCode());
        }
    }

    @Test
    void theClosePolicyEndsASlowSessionWith1013() throws Exception {
        try (RawPeer peer = raw("/close")) {
            peer.sendFrame(true, Cases.TEXT, "go".getBytes(StandardCharsets.UTF_8));
            int messages = 0;
            RawPeer.Frame f;
            while ((f = peer.read()).opcode() == Cases.TEXT) {
                messages++;
            }
            assertEquals(Cases.CLOSE, f.opcode());
            assertEquals(1013, f.closeCode());
            assertTrue(messages < FLOOD, messages + " messages before the close");
            assertTrue(peer.readsEof());
        }
    }

    @Test
    void sendsFromAnotherThreadAreQueuedOrTruthfullyRefused() throws Exception {
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        Router router = Router.builder().get("/", WebSocketRoute.builder(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                opened.complete(socket);
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason) {
                closed.complete(code);
            }
        }).build()).build();
        TcpServer own = HttpServer.builder(router).build().serve(TcpServer.builder().threads(1));
        try (RawPeer peer = new RawPeer(new Socket("127.0.0.1", own.localAddress().getPort()), true)) {
            ServerConformanceCases.handshake(peer, "/", "");
            WebSocket ws = opened.get(10, TimeUnit.SECONDS);
            assertFalse(ws.eventLoop().inEventLoop());
            assertTrue(ws.sendText("from a thread"));
            assertTrue(ws.sendBinary(MemorySegment.ofArray(new byte[] {1, 2, 3}), 0, 3));
            assertEquals("from a thread", peer.read().text());
            assertEquals(3, peer.read().payload().length);
            assertTrue(ws.close(4000, "done"));
            assertFalse(ws.isOpen());
            assertFalse(ws.sendText("too late"), "a send after close is refused");
            RawPeer.Frame f = peer.read();
            assertEquals(4000, f.closeCode());
            assertEquals("done", new String(f.payload(), 2, f.payload().length - 2, StandardCharsets.UTF_8));
            peer.sendClose(4000);
            assertTrue(peer.readsEof());
            assertEquals(4000, closed.get(10, TimeUnit.SECONDS));
        } finally {
            own.close();
        }
    }

    @Test
    void aFailingHandlerClosesWith1011() throws Exception {
        try (RawPeer peer = raw("/throw")) {
            peer.sendFrame(true, Cases.TEXT, "boom".getBytes(StandardCharsets.UTF_8));
            assertEquals(1011, peer.read().closeCode());
            assertTrue(peer.readsEof());
        }
    }

    @Test
    void anIdleSessionIsClosedWith1001AndAnUnansweredCloseTimesOut() throws Exception {
        try (RawPeer peer = raw("/echo")) {
            long start = System.nanoTime();
            RawPeer.Frame f = peer.read(); // nothing sent: the idle timeout closes
            assertEquals(1001, f.closeCode());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "not before the idle timeout");
            // The close is not answered: the server gives up after the close timeout.
            assertTrue(peer.readsEof());
            assertEquals(1006, echo.closeOf(peer.socket.getLocalPort()).get(10, TimeUnit.SECONDS));
        }
    }
}
