package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A handler sees only its own bytes: the view {@code onData} is handed may be read whole, and
 * nowhere in it is another connection's data — not in other provided buffers of the group, not in
 * the unused part of the buffer its data came in, not in a pooled block that held another
 * connection's output before it held this one's kept input.
 */
class ViewIsolationTest {
    private static final byte[] SECRET = "SECRET-of-the-first-connection-0123456789".getBytes(StandardCharsets.US_ASCII);

    /** Where {@code pattern} occurs anywhere in {@code segment}, or -1. */
    private static long find(MemorySegment segment, byte[] pattern) {
        long n = segment.byteSize();
        outer:
        for (long i = 0; i + pattern.length <= n; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (segment.get(JAVA_BYTE, i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The first connection's handler echoes its secret back (so it sits in receive buffers and output blocks). */
    private static final class Keeper implements ConnectionHandler {
        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            c.writeAndFlush(buffer, offset, length);
            return length;
        }
    }

    /**
     * The second connection's handler scans everything it is shown; it leaves its first delivery
     * unconsumed, so that is shown again from a kept-input block.
     */
    private static final class Scanner implements ConnectionHandler {
        final CompletableFuture<String> verdict = new CompletableFuture<>();
        final CompletableFuture<Void> kept = new CompletableFuture<>();
        int deliveries;

        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            deliveries++;
            long at = find(buffer, SECRET);
            if (at >= 0) {
                verdict.complete("delivery " + deliveries + " could read another connection's bytes at " + at
                        + " of a " + buffer.byteSize() + "-byte view");
                kept.complete(null);
                return length;
            }
            if (deliveries == 1) {
                kept.complete(null);
                return 0;       // keep it: the next delivery comes from a kept-input block
            }
            verdict.complete("clean after " + deliveries + " deliveries");
            return length;
        }
    }

    @Test
    void aHandlerCannotReadAnotherConnectionsBytes() throws Exception {
        Scanner scanner = new Scanner();
        LoopOptions options = LoopOptions.builder().bufferSize(1024)
                .uring(UringOptions.builder().bufferGroups(1).buffersPerGroup(8).build()).build();
        boolean[] first = {true};
        try (TcpServer server = TcpServer.builder().options(options).handler(() -> {
            if (first[0]) {
                first[0] = false;
                return new Keeper();
            }
            return scanner;
        }).start()) {
            try (Socket a = Net.connect(server.localAddress())) {
                for (int i = 0; i < 16; i++) {
                    Net.write(a, SECRET);
                    Net.read(a, SECRET.length);
                }
                try (Socket b = Net.connect(server.localAddress())) {
                    Net.write(b, "x".getBytes());
                    scanner.kept.get(10, TimeUnit.SECONDS);
                    Net.write(b, "y".getBytes());
                    String verdict = scanner.verdict.get(10, TimeUnit.SECONDS);
                    assertTrue(verdict.startsWith("clean"), verdict);
                }
            }
        }
    }

    @Test
    void theViewIsOneBufferOnIoUring() throws Exception {
        Transports.assumeIoUring("provided buffers");
        CompletableFuture<Long> size = new CompletableFuture<>();
        LoopOptions options = LoopOptions.builder().bufferSize(2048).build();
        try (TcpServer server = TcpServer.builder().options(options)
                .handler(() -> (c, buffer, offset, length) -> {
                    size.complete(buffer.byteSize());
                    return length;
                }).start();
             Socket s = Net.connect(server.localAddress())) {
            Net.write(s, "hello".getBytes());
            assertEquals(2048L, size.get(5, TimeUnit.SECONDS), "the receive view is exactly one provided buffer");
            assertFalse(size.get() > 2048);
        }
    }
}
