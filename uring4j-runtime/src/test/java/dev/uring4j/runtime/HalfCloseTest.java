package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A peer's FIN arrives after every byte it sent, exactly once, and we can still write. */
class HalfCloseTest {

    @Test
    void peerHalfCloseDeliversAllDataThenOneEofAndWeCanStillWrite() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void onInputClosed(Connection c) {
                super.onInputClosed(c);
                // The input is done: answer with how much arrived, then close after it drains.
                byte[] reply = ("received " + received()).getBytes();
                c.writeAndFlush(MemorySegment.ofArray(reply), 0, reply.length);
                c.close();
            }
        };
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start();
             Socket s = Net.connect(server.localAddress())) {
            byte[] msg = Net.pattern(200_000, 3);
            Net.write(s, msg);
            s.shutdownOutput();
            assertArrayEquals(("received " + msg.length).getBytes(), Net.readToEnd(s),
                    "the server wrote after our FIN and closed after the write drained");
            assertNull(recorder.closed.get(5, TimeUnit.SECONDS), "an orderly close has no cause");
            assertArrayEquals(msg, recorder.bytes(), "every byte before the FIN was delivered");
            assertEquals(1, recorder.inputClosed.get(), "exactly one EOF event");
            assertEquals(0, recorder.dataAfterInputClosed.get(), "no data after the EOF event");
        }
    }

    /**
     * Bytes kept while reading is paused come before the FIN, however the FIN arrives: with a
     * multishot receive it can complete right behind the data, before the pause cancels it.
     */
    @Test
    void aFinArrivingWhileReadingIsPausedIsReportedAfterTheKeptBytes() throws Exception {
        CompletableFuture<Connection> paused = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                if (paused.complete(c)) {
                    c.pauseReading();
                    return 0;
                }
                return super.onData(c, buffer, offset, length);
            }
        };
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start();
             Socket s = Net.connect(server.localAddress())) {
            byte[] msg = Net.pattern(1_000, 5);
            // Data and FIN are both waiting before the server reads at all.
            Net.write(s, msg);
            s.shutdownOutput();
            paused.get(5, TimeUnit.SECONDS).resumeReading();
            Net.await(Duration.ofSeconds(5), "every byte and the FIN delivered",
                    () -> recorder.received() == msg.length && recorder.inputClosed.get() == 1);
            assertEquals(0, recorder.dataAfterInputClosed.get(), "no byte delivered after the FIN was reported");
            assertArrayEquals(msg, recorder.bytes());
        }
    }

    @Test
    void sendFollowedByShutdownDeliversDataThenEofInOrderTenThousandTimes() throws Exception {
        int iterations = 10_000;
        try (TcpServer server = TcpServer.builder().threads(2).handler(EchoHandler::new).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    for (int i = first; i < iterations; i += 8) {
                        try (Socket s = Net.connect(server.localAddress())) {
                            byte[] msg = Net.pattern(1 + i % 300, i);
                            Net.write(s, msg);
                            s.shutdownOutput();
                            // The echo handler closes on EOF: reading to the end proves data came
                            // before the EOF and that both were delivered.
                            assertArrayEquals(msg, Net.readToEnd(s), "iteration " + i);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Net.await(Duration.ofSeconds(10), "all connections closed", () -> server.connections() == 0);
            assertEquals(iterations, server.group().stats().connectionsClosed());
        }
    }
}
