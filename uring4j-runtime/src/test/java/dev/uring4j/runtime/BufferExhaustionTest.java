package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Provided buffers running dry (-ENOBUFS) lose and duplicate nothing; the loop rotates
 * groups. NIO has no provided buffers (it reads into one buffer of its own, whatever the groups):
 * there the same traffic still proves nothing is lost or duplicated, and only io_uring is asked
 * to have counted the exhaustion.
 */
class BufferExhaustionTest {

    @Test
    void oneGibThroughAFourBufferGroupEchoesIntact() throws Exception {
        LoopOptions tiny = LoopOptions.builder().bufferSize(4096).uring(UringOptions.builder().bufferGroups(1).buffersPerGroup(4).build()).build();
        long total = 1L << 30;
        try (TcpServer server = TcpServer.builder().options(tiny).handler(EchoHandler::new).start();
             Socket s = Net.connect(server.localAddress())) {
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    byte[] block = new byte[1 << 16];
                    for (long off = 0; off < total; off += block.length) {
                        fill(block, off);
                        sent.update(block);
                        out.write(block);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] buf = new byte[1 << 16];
            for (long got = 0; got < total; got += buf.length) {
                in.readFully(buf);
                received.update(buf);
            }
            writer.join();
            assertArrayEquals(sent.digest(), received.digest(), "1 GiB echoed without loss or duplication");
            LoopStats stats = server.group().stats();
            if (Transports.ioUring()) {
                assertTrue(stats.bufferRingExhausted() > 0, "the 4-buffer group ran dry and was recovered: " + stats);
            }
            assertEquals(0, stats.droppedCompletions());
        }
    }

    @Test
    void manyConnectionsSendingAtOnceThroughTinyGroupsLoseNothing() throws Exception {
        LoopOptions tiny = LoopOptions.builder().bufferSize(1024).uring(UringOptions.builder().bufferGroups(2).buffersPerGroup(4).build()).build();
        int connections = 48;
        int perConnection = 1 << 20;
        try (TcpServer server = TcpServer.builder().options(tiny).backlog(connections).handler(EchoHandler::new).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int seed = c;
                done.add(pool.submit(() -> {
                    try (Socket s = Net.connect(server.localAddress())) {
                        byte[] msg = Net.pattern(perConnection, seed);
                        Thread w = Thread.startVirtualThread(() -> Net.write(s, msg));
                        assertArrayEquals(msg, Net.read(s, perConnection), "connection " + seed);
                        w.join();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            LoopStats stats = server.group().stats();
            if (Transports.ioUring()) {
                assertTrue(stats.bufferRingExhausted() > 0, "ENOBUFS was hit and counted: " + stats);
            }
        }
    }

    private static void fill(byte[] block, long offset) {
        for (int i = 0; i < block.length; i += 8) {
            long v = (offset + i) * 0x9E3779B97F4A7C15L;
            for (int k = 0; k < 8; k++) {
                block[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }
}
