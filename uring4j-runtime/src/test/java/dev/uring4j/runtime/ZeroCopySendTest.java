package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.uring4j.ring.Probe;

/**
 * Blocks sent with IORING_OP_SEND_ZC are reused only after their notification; with
 * the peer resetting mid-send both completions arrive and the block is released once (a second
 * release would throw).
 */
@Tag("io_uring")
class ZeroCopySendTest {
    private static final LoopOptions ZC = LoopOptions.builder().uring(UringOptions.builder().sendZcThreshold(16 * 1024).build()).build();

    @BeforeEach
    void needsSendZc() {
        assumeTrue(Probe.current().supports(Probe.Feature.SEND_ZC), () -> Probe.current().whyMissing(Probe.Feature.SEND_ZC));
    }

    @Test
    void largeWritesGoZeroCopyAndArriveIntact() throws Exception {
        byte[] payload = Net.pattern(4 << 20, 5);
        Recorder writer = new Recorder() {
            @Override
            public void onOpen(Connection c) {
                super.onOpen(c);
                c.writeAndFlush(MemorySegment.ofArray(payload), 0, payload.length);
            }
        };
        try (TcpServer server = TcpServer.builder().options(ZC).handler(() -> writer).start();
             Socket s = Net.connect(server.localAddress())) {
            assertArrayEquals(payload, Net.read(s, payload.length));
            LoopStats stats = server.group().stats();
            assertTrue(stats.zeroCopySends() > 0, "sent zero-copy: " + stats);
            Net.await(Duration.ofSeconds(5), "blocks released after their notifications",
                    () -> server.group().stats().outputBytes() == 0);
        }
    }

    @Test
    void sharedBuffersGoZeroCopyAndAreFreedAfterTheNotifications() throws Exception {
        byte[] payload = Net.pattern(1 << 20, 21);
        SharedBufferTest.Collector server = new SharedBufferTest.Collector();
        try (TcpServer srv = TcpServer.builder().options(ZC).handler(() -> server).start()) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    clients.add(Net.connect(srv.localAddress()));
                }
                Net.await(Duration.ofSeconds(5), "8 connections open", () -> server.open.size() == 8);
                CountDownLatch freed = new CountDownLatch(1);
                SharedBuffer buf = SharedBuffer.allocate(payload.length, freed::countDown);
                MemorySegment.copy(MemorySegment.ofArray(payload), 0, buf.segment(), 0, payload.length);
                for (Connection c : server.open) {
                    assertTrue(c.write(buf, 0, payload.length));
                    c.flush();
                }
                buf.release();
                for (Socket s : clients) {
                    assertArrayEquals(payload, Net.read(s, payload.length));
                }
                assertTrue(freed.await(10, TimeUnit.SECONDS), "freed after the last notification: " + buf);
                assertTrue(srv.group().stats().zeroCopySends() > 0, "sent zero-copy: " + srv.group().stats());
            } finally {
                clients.forEach(Net::closeQuietly);
            }
        }
    }

    @Test
    void resetMidZeroCopySendReleasesTheBlockOnce() throws Exception {
        Recorder writer = new Recorder() {
            @Override
            public void onOpen(Connection c) {
                super.onOpen(c);
                byte[] big = Net.pattern(2 << 20, 9);
                c.writeAndFlush(MemorySegment.ofArray(big), 0, big.length);
            }
        };
        try (TcpServer server = TcpServer.builder().options(ZC).sendBufferSize(64 * 1024).handler(() -> writer).start()) {
            Socket s = Net.connect(server.localAddress(), 4096);
            writer.opened.get(5, TimeUnit.SECONDS);
            Net.await(Duration.ofSeconds(5), "a zero-copy send to be under way",
                    () -> server.group().stats().zeroCopySends() > 0);
            s.setSoLinger(true, 0);
            s.close();
            Throwable cause = writer.closed.get(10, TimeUnit.SECONDS);
            assertInstanceOf(ConnectionException.class, cause);
            assertEquals(1, writer.closes.size());
            Net.await(Duration.ofSeconds(5), "every block released", () -> server.group().stats().outputBytes() == 0);
            assertEquals(0, server.group().stats().droppedCompletions());
        }
    }
}
