package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * Closing a loop with 10,000 connections open and operations in flight cancels,
 * drains to zero, unregisters the buffer rings, closes the descriptors and only then frees memory;
 * afterwards descriptors are back to the baseline. (On NIO both ends of each connection take a
 * descriptor of this process: where RLIMIT_NOFILE cannot hold 20,000, as many as fit.)
 */
class ShutdownTest {

    @Test
    void closingTenThousandOpenConnectionsFreesEverything() throws Exception {
        int n = Net.connectionsThatFit(10_000);
        long baseline = Net.openSockets();
        EventLoopGroup serverGroup = EventLoopGroup.create(1);
        EventLoopGroup clientGroup = EventLoopGroup.create(1);
        TcpServer server = TcpServer.builder().group(serverGroup).backlog(4096).handler(EchoHandler::new).start();
        InetSocketAddress address = server.localAddress();
        TcpClient client = TcpClient.builder().group(clientGroup).handler(Recorder::new).build();
        List<CompletableFuture<Connection>> connects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connects.add(client.connect(address));
            if (i % 500 == 499) {
                CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Net.await(Duration.ofSeconds(30), n + " connections accepted", () -> server.connections() == n);
        // Operations in flight: every client sends, so receives and sends are under way at close.
        for (CompletableFuture<Connection> f : connects) {
            Connection c = f.join();
            c.writeAndFlush(MemorySegment.ofArray(new byte[512]), 0, 512);
        }
        long start = System.nanoTime();
        serverGroup.close(Duration.ofSeconds(5));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("closed a loop with " + n + " connections in " + tookMs + " ms");
        assertTrue(tookMs < 15_000, "closing took " + tookMs + " ms");
        TransportLoop loop = (TransportLoop) serverGroup.loops().get(0);
        assertTrue(loop.nativeResourcesFreed(), "ring (or selector) closed and arenas freed");
        assertEquals(0, loop.stats().openConnections());
        clientGroup.close();
        Net.await(Duration.ofSeconds(10), "socket descriptors back to the baseline", () -> Net.openSockets() == baseline);
    }

    /**
     * A handler that closes its own server (a "quit" command) ends the server and its group
     * instead of waiting forever on the loop it runs on: the peer sees the close, and the loop
     * finishes and frees its memory.
     */
    @Test
    void aHandlerClosingItsOwnServerEndsItWithoutWaitingForItself() throws Exception {
        java.util.concurrent.atomic.AtomicReference<TcpServer> self = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Void> returned = new CompletableFuture<>();
        TcpServer server = TcpServer.builder().threads(2).handler(() -> new Recorder() {
            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                self.get().close();
                returned.complete(null);
                return length;
            }
        }).start();
        self.set(server);
        List<TransportLoop> loops = server.group().loops().stream().map(TransportLoop.class::cast).toList();
        try (java.net.Socket s = Net.connect(server.localAddress())) {
            Net.write(s, "quit".getBytes());
            returned.get(5, TimeUnit.SECONDS);
            assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
        }
        Net.await(Duration.ofSeconds(10), "every loop finished and freed its memory",
                () -> loops.stream().allMatch(TransportLoop::nativeResourcesFreed));
        assertTrue(server.group().isClosed());
    }
}
