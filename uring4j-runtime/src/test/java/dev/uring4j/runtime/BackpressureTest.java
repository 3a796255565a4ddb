package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A reader that stops makes the writer stop at the watermark; memory stays bounded; order holds. */
class BackpressureTest {
    private static final int CHUNK = 8192;
    private static final long TOTAL = 64L << 20;
    private static final int LOW = 32 * 1024;
    private static final int HIGH = 128 * 1024;

    /**
     * Writes a numbered stream as fast as writability allows, noting at every write and every
     * change of writability what was queued: the watermarks' rules hold at each event, however
     * much the kernel's buffers take meanwhile.
     */
    static final class Producer extends Recorder {
        final AtomicLong written = new AtomicLong();
        final AtomicLong maxPending = new AtomicLong();
        /** The most output queued when the connection said it was writable again. */
        final AtomicLong maxPendingAtResume = new AtomicLong();
        private final MemorySegment chunk = MemorySegment.ofArray(new byte[CHUNK]);

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            produce(c);
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            super.onWritabilityChanged(c, writable);
            if (writable) {
                maxPendingAtResume.accumulateAndGet(c.pendingOutputBytes(), Math::max);
                produce(c);
            }
        }

        private void produce(Connection c) {
            while (c.isWritable() && written.get() < TOTAL) {
                long base = written.get() / 8;
                for (int i = 0; i < CHUNK / 8; i++) {
                    chunk.set(JAVA_LONG_UNALIGNED, i * 8L, base + i);
                }
                assertTrue(c.write(chunk, 0, CHUNK));
                written.addAndGet(CHUNK);
                maxPending.accumulateAndGet(c.pendingOutputBytes(), Math::max);
            }
            c.flush();
        }
    }

    @Test
    void slowReaderStopsTheWriterAtTheWatermarkAndResumeDeliversInOrder() throws Exception {
        Producer producer = new Producer();
        LoopOptions options = LoopOptions.builder().watermarks(LOW, HIGH).build();
        // A fixed send buffer: loopback would otherwise let it grow to megabytes before the stall.
        try (TcpServer server = TcpServer.builder().options(options).sendBufferSize(64 * 1024)
                .handler(() -> producer).start();
             Socket s = Net.connect(server.localAddress())) {
            producer.opened.get(5, TimeUnit.SECONDS);
            Net.await(Duration.ofSeconds(5), "the writer to become unwritable", () -> producer.writability.contains(false));
            // The kernel's buffers go on taking what they can for a while; the rules are checked
            // at each event, so nothing waits for that to end.
            Connection c = producer.connection;
            assertTrue(producer.written.get() < TOTAL, "the writer is held back: " + producer.written.get());
            assertTrue(producer.maxPending.get() <= HIGH + CHUNK, "queued output bounded by the high watermark: "
                    + producer.maxPending.get());
            assertTrue(producer.maxPendingAtResume.get() <= LOW, "writable again only at the low watermark: "
                    + producer.maxPendingAtResume.get());
            // On the loop: between its callbacks, where a producer that was let go has filled up again.
            CompletableFuture<Boolean> writable = new CompletableFuture<>();
            c.eventLoop().execute(() -> writable.complete(c.isWritable()));
            assertFalse(writable.get(5, TimeUnit.SECONDS), "not writable while the reader reads nothing");

            DataInputStream in = new DataInputStream(s.getInputStream());
            for (long i = 0; i < TOTAL / 8; i++) {
                long v = in.readLong();
                if (Long.reverseBytes(v) != i) {
                    throw new AssertionError("word " + i + " out of order: " + Long.reverseBytes(v));
                }
            }
            assertTrue(producer.writability.contains(true), "writability came back");
            assertEquals(TOTAL, producer.written.get());
        }
    }

    @Test
    void writesBeyondTheOutputLimitAreRefusedNotBuffered() throws Exception {
        Recorder recorder = new Recorder();
        LoopOptions options = LoopOptions.builder().maxPendingOutput(1 << 20).build();
        try (TcpServer server = TcpServer.builder().options(options).sendBufferSize(64 * 1024)
                .handler(() -> recorder).start();
             Socket s = Net.connect(server.localAddress(), 4096)) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            byte[] block = new byte[256 * 1024];
            java.util.concurrent.CompletableFuture<Integer> accepted = new java.util.concurrent.CompletableFuture<>();
            c.eventLoop().execute(() -> {
                int n = 0;
                while (c.write(block, 0, block.length)) {
                    n++;
                }
                accepted.complete(n);
            });
            int n = accepted.get(5, TimeUnit.SECONDS);
            assertTrue(n <= 4, "at most the 1 MiB limit is queued, was " + n + " x 256 KiB");
            assertTrue(c.pendingOutputBytes() <= 1 << 20);
        }
    }
}
