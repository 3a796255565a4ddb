package dev.uring4j.http.websocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.runtime.TcpClient;
import dev.uring4j.runtime.TcpServer;

/**
 * Broadcast over TLS: the shared frame is encrypted into each connection's own records (the
 * runtime copies there), and every {@code wss:} client gets every binary message intact.
 */
@ExtendWith(WebSocketTransportTests.class)
class SecureBroadcastTest {

    @Test
    void everyTlsSessionGetsEveryBroadcast() throws Exception {
        Set<WebSocket> players = ConcurrentHashMap.newKeySet();
        Router router = Router.builder().get("/lobby", WebSocketRoute.builder(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                players.add(socket);
            }
        }).build()).build();
        int n = 40;
        int rounds = 5;
        CountDownLatch all = new CountDownLatch(n * rounds);
        AtomicInteger wrong = new AtomicInteger();
        byte[] expected = Cases.binary(5000);
        TcpServer server = HttpServer.builder(router).build().serve(TcpServer.builder().threads(2).tls(TestTls.server()));
        try (WebSocketClient client = WebSocketClient.open(TcpClient.builder().tls(TestTls.client()), WebSocketOptions.DEFAULTS);
             Arena arena = Arena.ofConfined()) {
            URI uri = URI.create("wss://localhost:" + server.localAddress().getPort() + "/lobby");
            for (int i = 0; i < n; i++) {
                client.connect(uri, new WebSocketHandler() {
                    @Override
                    public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
                        if (!java.util.Arrays.equals(expected, data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE))) {
                            wrong.incrementAndGet();
                        }
                        all.countDown();
                    }
                }).get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (players.size() < n && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            MemorySegment message = arena.allocate(expected.length);
            MemorySegment.copy(expected, 0, message, ValueLayout.JAVA_BYTE, 0, expected.length);
            for (int r = 0; r < rounds; r++) {
                assertEquals(n, WebSocket.broadcast(false, message, 0, expected.length, List.copyOf(players)));
            }
            assertTrue(all.await(20, TimeUnit.SECONDS), all.getCount() + " deliveries missing");
            assertEquals(0, wrong.get(), "messages that arrived different");
        } finally {
            server.close();
        }
    }
}
