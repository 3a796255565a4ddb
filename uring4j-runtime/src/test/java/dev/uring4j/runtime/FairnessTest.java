package dev.uring4j.runtime;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Fairness: 64 connections sending as fast as they can through one loop each get a share. Every
 * connection keeps one multishot recv armed, so a late connection is served as soon as its data
 * arrives, not after the busy ones drain.
 */
class FairnessTest {

    @Test
    void sixtyFourGreedySendersEachGetAtLeastHalfTheMeanOverTenSeconds() throws Exception {
        int n = 64;
        AtomicLongArray bytes = new AtomicLongArray(n);
        AtomicInteger sending = new AtomicInteger();
        AtomicBoolean measuring = new AtomicBoolean();
        // Each connection's first byte says which sender it is; after that the server only counts.
        ConnectionHandler sink = new ConnectionHandler() {
            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                Integer id = c.attachment();
                if (id == null) {
                    c.attach((int) buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset));
                    id = c.attachment();
                    sending.incrementAndGet();
                }
                if (measuring.get()) {
                    bytes.addAndGet(id, length);
                }
                return length;
            }
        };
        try (TcpServer server = TcpServer.builder().backlog(n).handler(() -> sink).start()) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                senders.add(Thread.ofPlatform().daemon().start(() -> {
                    try (Socket s = Net.connect(server.localAddress())) {
                        OutputStream out = s.getOutputStream();
                        byte[] chunk = new byte[16 * 1024];
                        Arrays.fill(chunk, (byte) id);
                        while (!stop.get()) {
                            out.write(chunk);
                        }
                    } catch (Exception e) {
                        if (!stop.get()) {
                            throw new RuntimeException(e);
                        }
                    }
                }));
            }
            Net.await(java.time.Duration.ofSeconds(10), "every sender's data arriving", () -> sending.get() == n);
            measuring.set(true);
            // The measurement's length, not a wait for anything: shares are compared over ten seconds.
            Thread.sleep(10_000);
            measuring.set(false);
            stop.set(true);
            long total = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                total += bytes.get(i);
                min = Math.min(min, bytes.get(i));
            }
            double mean = (double) total / n;
            System.out.printf("fairness: %d connections, mean %.1f MiB, slowest %.1f MiB (%.2f of mean)%n", n,
                    mean / (1 << 20), min / (double) (1 << 20), min / mean);
            assertTrue(min >= 0.5 * mean, "slowest connection got " + min + " bytes, mean " + mean);
            for (Thread t : senders) {
                t.join(5000);
            }
        }
    }
}
