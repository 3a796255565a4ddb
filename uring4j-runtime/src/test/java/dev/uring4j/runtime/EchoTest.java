package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.uring4j.runtime.internal.nio.NioEventLoop;
import dev.uring4j.runtime.internal.uring.UringEventLoop;
import dev.uring4j.testing.ExpectedTransport;

/** Echo of every size from 1 byte to 1 MiB, content verified, over both accept modes and our client. */
class EchoTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 63, 64, 4095, 4096, 4097, 65536, 100_000, 1 << 20})
    void echoesEverySizeIntact(int size) throws Exception {
        try (TcpServer server = TcpServer.builder().handler(EchoHandler::new).start();
             Socket s = Net.connect(server.localAddress())) {
            byte[] msg = Net.pattern(size, size);
            Thread writer = Thread.startVirtualThread(() -> Net.write(s, msg));
            assertArrayEquals(msg, Net.read(s, size), "echo of " + size + " bytes");
            writer.join();
        }
    }

    /**
     * Each execution of the suite (see the pom) runs on the transport it names: the second, with
     * -During4j.transport=nio, really on NIO, and the first on io_uring, not on a fallback.
     */
    @Test
    void theServerRunsOnTheTransportThisRunIsFor() throws Exception {
        String named = System.getProperty(ExpectedTransport.PROPERTY);
        assumeTrue(named != null, () -> "this run names no transport (-D" + ExpectedTransport.PROPERTY + ")");
        Transport expected = Transport.parse(named);
        try (TcpServer server = TcpServer.builder().threads(2).handler(EchoHandler::new).start()) {
            assertEquals(expected, server.group().transport());
            for (EventLoop loop : server.group().loops()) {
                assertEquals(expected, loop.transport());
                assertEquals(expected == Transport.NIO ? NioEventLoop.class : UringEventLoop.class, loop.getClass());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AcceptMode.class)
    void everyAcceptModeServesEveryLoop(AcceptMode mode) throws Exception {
        try (TcpServer server = TcpServer.builder().threads(3).acceptMode(mode).handler(EchoHandler::new).start()) {
            assertEquals(mode, server.acceptMode());
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                sockets.add(Net.connect(server.localAddress()));
            }
            for (int i = 0; i < sockets.size(); i++) {
                byte[] msg = Net.pattern(100 + i, i);
                Net.write(sockets.get(i), msg);
                assertArrayEquals(msg, Net.read(sockets.get(i), msg.length));
            }
            if (mode == AcceptMode.ACCEPTOR) {
                for (EventLoop loop : server.group().loops()) {
                    assertEquals(10, loop.stats().openConnections(),
                            "round-robin hand-over gives every loop its share: " + loop.stats());
                }
            }
            sockets.forEach(Net::closeQuietly);
        }
    }

    @Test
    void ourClientEchoesThroughOurServer() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(2);
             TcpServer server = TcpServer.builder().group(group).handler(EchoHandler::new).start()) {
            AtomicLong received = new AtomicLong();
            CompletableFuture<byte[]> done = new CompletableFuture<>();
            byte[] msg = Net.pattern(300_000, 7);
            byte[] got = new byte[msg.length];
            TcpClient client = TcpClient.builder().group(group).handler(() -> new ConnectionHandler() {
                @Override
                public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                    MemorySegment.copy(buffer, JAVA_BYTE, offset, got, (int) received.get(), length);
                    if (received.addAndGet(length) == msg.length) {
                        done.complete(got);
                    }
                    return length;
                }
            }).build();
            Connection c = client.connect(server.localAddress()).get(5, TimeUnit.SECONDS);
            assertTrue(c.writeAndFlush(MemorySegment.ofArray(msg), 0, msg.length));
            assertArrayEquals(msg, done.get(10, TimeUnit.SECONDS));
            assertEquals(server.localAddress(), c.remoteAddress());
            c.close();
            Net.await(Duration.ofSeconds(5), "the server to see the close", () -> server.connections() == 0);
        }
    }

    @Test
    void thousandConnectionsOnTwoLoopsEachExchangeData() throws Exception {
        int n = 1000;
        try (TcpServer server = TcpServer.builder().threads(2).backlog(n).handler(EchoHandler::new).start()) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sockets.add(Net.connect(server.localAddress()));
            }
            Net.await(Duration.ofSeconds(10), "all accepted", () -> server.connections() == n);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < n; i++) {
                    Net.write(sockets.get(i), Net.pattern(64 + i % 200, i + round));
                }
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(Net.pattern(64 + i % 200, i + round), Net.read(sockets.get(i), 64 + i % 200));
                }
            }
            for (EventLoop loop : server.group().loops()) {
                assertTrue(loop.stats().openConnections() > 0, "both loops serve connections");
            }
            sockets.forEach(Net::closeQuietly);
            Net.await(Duration.ofSeconds(10), "all closed", () -> server.connections() == 0);
        }
    }
}
