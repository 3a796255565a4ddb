package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * A loop's counters describe now, read from any thread: output a slow peer has not taken shows as
 * queued and goes back to zero once it reads; operations in flight are counted (on io_uring, the
 * armed receive at least); every provided buffer is back in its ring between batches. The same
 * figures are flight-recorder events while a recording runs.
 */
class LoopStatsTest {
    private static final int OUTPUT = 4 << 20;

    /** Writes {@link #OUTPUT} bytes (the most a connection may queue) as it opens. */
    private static final class Writer extends Recorder {
        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            c.writeAndFlush(MemorySegment.ofArray(new byte[OUTPUT]), 0, OUTPUT);
        }
    }

    @Test
    void queuedOutputInFlightOperationsAndBuffersInUseAreWhatTheLoopHoldsNow() throws Exception {
        Writer writer = new Writer();
        try (TcpServer server = TcpServer.builder().handler(() -> writer).start();
             Socket s = Net.connect(server.localAddress(), 16 * 1024)) {
            EventLoop loop = server.group().loops().get(0);
            Connection c = writer.opened.get(5, TimeUnit.SECONDS);
            // The peer reads nothing yet: most of the output waits in the connection's queue.
            Net.await(Duration.ofSeconds(5), "output queued behind the peer's window", () -> c.pendingOutputBytes() > 0);
            long[] onLoop = onLoop(loop, () -> new long[] {c.pendingOutputBytes(), loop.stats().queuedOutputBytes(),
                    loop.stats().inFlightOperations(), loop.stats().buffersInUse()});
            assertEquals(onLoop[0], onLoop[1], "the loop's queued output is its one connection's");
            if (loop.transport() == Transport.IO_URING) {
                assertTrue(onLoop[2] >= 2, "the armed receive and the send waiting for room: " + onLoop[2]);
            } else {
                assertEquals(0, onLoop[2], "NIO has no operations in flight");
            }
            assertEquals(0, onLoop[3], "every provided buffer is back in its ring between batches");

            assertEquals(OUTPUT, Net.read(s, OUTPUT).length);
            Net.await(Duration.ofSeconds(5), "the queue drained", () -> loop.stats().queuedOutputBytes() == 0);
        }
    }

    @Test
    void eachLoopIsAFlightRecorderEventWhileARecordingRuns() throws Exception {
        BlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        try (RecordingStream recording = new RecordingStream();
             TcpServer server = TcpServer.builder().handler(Recorder::new).start();
             Socket s = Net.connect(server.localAddress())) {
            recording.enable("dev.uring4j.LoopStats").withPeriod(Duration.ofMillis(100));
            recording.onEvent("dev.uring4j.LoopStats", events::add);
            recording.startAsync();
            Net.write(s, Net.pattern(1000, 1));
            Net.await(Duration.ofSeconds(5), "the bytes read", () -> server.group().stats().bytesRead() == 1000);
            String name = onLoop(server.group().loops().get(0), () -> Thread.currentThread().getName());
            RecordedEvent e;
            do {
                e = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "an event for loop " + name);
            } while (!e.getString("loop").equals(name) || e.getLong("bytesRead") < 1000);
            assertEquals(1, e.getLong("openConnections"));
            assertEquals(server.group().loops().get(0).transport().name(), e.getString("transport"));
        }
    }

    private static <T> T onLoop(EventLoop loop, java.util.function.Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(s.get()));
        return f.get(5, TimeUnit.SECONDS);
    }
}
