package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Scale: 10,000 concurrent connections on one loop, each echoing. The loop's native buffer
 * memory is what its options ask for, groups x buffers x size, for 100 connections as for 10,000:
 * receive buffers are shared by the loop's connections, and output blocks are held only while
 * there is output. (On NIO both ends of each connection take a descriptor of this process: where
 * RLIMIT_NOFILE cannot hold 20,000, as many as fit.)
 */
class ScaleTest {
    // Not the defaults, so that a loop sizing its groups by anything but its options shows.
    private static final int GROUPS = 3;
    private static final int BUFFERS_PER_GROUP = 256;
    private static final int BUFFER_SIZE = 2048;

    @Test
    void tenThousandEchoingConnectionsOnOneLoopUseTheSameBufferMemoryAsAHundred() throws Exception {
        LoopOptions options = LoopOptions.builder().bufferSize(BUFFER_SIZE).uring(UringOptions.builder()
                .bufferGroups(GROUPS).buffersPerGroup(BUFFERS_PER_GROUP).build()).build();
        try (EventLoopGroup serverGroup = EventLoopGroup.builder().threads(1).options(options).build();
             EventLoopGroup clientGroup = EventLoopGroup.create(1);
             TcpServer server = TcpServer.builder().group(serverGroup).backlog(4096).handler(EchoHandler::new).start()) {
            InetSocketAddress address = server.localAddress();
            LoopStats at100 = echoWith(100, address, clientGroup, serverGroup);
            int many = Net.connectionsThatFit(10_000);
            LoopStats at10k = echoWith(many, address, clientGroup, serverGroup);
            System.out.printf("scale: buffer memory %d bytes at 100 connections, %d at " + many + "; output memory held "
                            + "by idle connections %d bytes (%.1f per connection); peak buffers in one batch %d of %d%n",
                    at100.bufferBytes(), at10k.bufferBytes(), at10k.outputBytes(),
                    at10k.outputBytes() / (double) many, at10k.peakBuffersInUse(), at10k.bufferCount());
            for (LoopStats at : new LoopStats[] {at100, at10k}) {
                if (serverGroup.transport() == Transport.IO_URING) {
                    // Every receive of every connection selects one of these buffers.
                    assertEquals((long) GROUPS * BUFFERS_PER_GROUP, at.bufferCount(), "provided buffers: " + at);
                    assertEquals((long) GROUPS * BUFFERS_PER_GROUP * BUFFER_SIZE, at.bufferBytes(),
                            "buffer memory is groups x buffers x size, whatever the connection count: " + at);
                    assertTrue(at.peakBuffersInUse() > 0 && at.peakBuffersInUse() <= at.bufferCount(),
                            "receives took their buffers from those groups: " + at);
                } else {
                    // NIO reads every connection of the loop into the loop's one buffer.
                    assertEquals(1, at.bufferCount(), "one read buffer per loop: " + at);
                    assertTrue(at.bufferBytes() >= BUFFER_SIZE, "the read buffer takes a buffer's worth: " + at);
                    assertEquals(at100.bufferBytes(), at.bufferBytes(), "the same buffer at any connection count");
                }
            }
            assertEquals(0, at10k.outputBytes(), "idle connections hold no output memory");
        }
    }

    /** Opens {@code n} connections, has each echo a message, and returns the server loop's stats while all are open. */
    private static LoopStats echoWith(int n, InetSocketAddress address, EventLoopGroup clients, EventLoopGroup servers)
            throws Exception {
        AtomicInteger echoed = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        byte[] msg = Net.pattern(128, n);
        TcpClient client = TcpClient.builder().group(clients).handler(() -> new ConnectionHandler() {
            int got;

            @Override
            public void onOpen(Connection c) {
                c.writeAndFlush(MemorySegment.ofArray(msg), 0, msg.length);
            }

            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                if (MemorySegment.ofArray(msg).asSlice(got, length).mismatch(buffer.asSlice(offset, length)) != -1) {
                    all.completeExceptionally(new AssertionError("echo mismatch"));
                }
                got += length;
                if (got == msg.length && echoed.incrementAndGet() == n) {
                    all.complete(null);
                }
                return length;
            }
        }).build();
        List<CompletableFuture<Connection>> connections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connections.add(client.connect(address));
            if (i % 1000 == 999) {
                CompletableFuture.allOf(connections.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
        }
        all.get(60, TimeUnit.SECONDS);
        Net.await(java.time.Duration.ofSeconds(10), "output drained", () -> servers.stats().outputBytes() == 0);
        LoopStats stats = servers.stats();
        assertEquals(n, stats.openConnections());
        for (CompletableFuture<Connection> f : connections) {
            f.join().close();
        }
        Net.await(java.time.Duration.ofSeconds(30), "all closed", () -> servers.stats().openConnections() == 0);
        return stats;
    }
}
