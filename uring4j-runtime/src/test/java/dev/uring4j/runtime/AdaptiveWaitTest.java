package dev.uring4j.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Adaptive completion batching ({@link UringOptions.Path#ADAPTIVE_WAIT}), when enabled: under a
 * flood of round trips the loop lets completions gather and wakes for several at a time; once the
 * load is light it waits for the first completion again, and every byte is echoed either way.
 */
class AdaptiveWaitTest {

    @Test
    void underLoadWakeUpsCarrySeveralCompletionsAndALightLoadIsNotBatched() throws Exception {
        Transports.assumeIoUring("adaptive completion batching");
        UringOptions enabled = UringOptions.builder().enable(UringOptions.Path.ADAPTIVE_WAIT).build();
        String why = enabled.whyNot(UringOptions.Path.ADAPTIVE_WAIT);
        assumeTrue(why == null, () -> "ADAPTIVE_WAIT is not taken: " + why);
        assertFalse(UringOptions.defaults().uses(UringOptions.Path.ADAPTIVE_WAIT), "off by default");
        try (EventLoopGroup group = EventLoopGroup.builder().options(LoopOptions.builder().uring(enabled).build()).build();
             TcpServer server = TcpServer.builder().group(group).handler(EchoHandler::new).start()) {
            assertTrue(group.pathsInUse().contains(UringOptions.Path.ADAPTIVE_WAIT), "taken when enabled");

            // Flood: 16 connections, each with 8 messages of 64 bytes in flight, closed loop.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int seed = i;
                clients.add(Thread.ofPlatform().daemon().start(() -> {
                    byte[] out = Net.pattern(8 * 64, seed);
                    byte[] in = new byte[out.length];
                    try (Socket s = Net.connect(server.localAddress())) {
                        OutputStream o = s.getOutputStream();
                        InputStream is = s.getInputStream();
                        while (!stop.get()) {
                            o.write(out);
                            int n = 0;
                            while (n < in.length) {
                                int r = is.read(in, n, in.length - n);
                                if (r < 0) {
                                    throw new IllegalStateException("server closed");
                                }
                                n += r;
                            }
                            assertArrayEquals(out, in, "echoed as sent");
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            LoopStats before = group.stats();
            Net.await(Duration.ofSeconds(30), "batched waits under the flood",
                    () -> group.stats().batchedWaits() - before.batchedWaits() > 200 || failure.get() != null);
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            assertNull(failure.get(), () -> "a client failed: " + failure.get());
            LoopStats flood = group.stats();
            double perWakeup = (double) (flood.completions() - before.completions()) / (flood.wakeups() - before.wakeups());
            assertTrue(perWakeup > 2, "completions per wake-up under the flood: " + perWakeup);

            // Light load: one round trip every 5 ms. The first wait after the flood may still batch
            // (its window saw the flood); after that the loop wakes on every completion.
            try (Socket s = Net.connect(server.localAddress())) {
                byte[] ping = Net.pattern(64, 99);
                for (int i = 0; i < 5; i++) {
                    Net.write(s, ping);
                    Net.read(s, 64);
                }
                long quietStart = group.stats().batchedWaits();
                for (int i = 0; i < 60; i++) {
                    Net.write(s, ping);
                    assertArrayEquals(ping, Net.read(s, 64));
                    Thread.sleep(5);
                }
                assertEquals(quietStart, group.stats().batchedWaits(), "no batched wait at one round trip per 5 ms");
            }
        }
    }

    @Test
    void aZeroBudgetOrAFixedBatchWaitTurnsItOff() {
        UringOptions zero = UringOptions.builder().enable(UringOptions.Path.ADAPTIVE_WAIT).waitBudget(Duration.ZERO).build();
        assertFalse(zero.uses(UringOptions.Path.ADAPTIVE_WAIT));
        assertTrue(zero.whyNot(UringOptions.Path.ADAPTIVE_WAIT).contains("budget is zero"), zero.whyNot(UringOptions.Path.ADAPTIVE_WAIT));
        UringOptions fixed = UringOptions.builder().enable(UringOptions.Path.ADAPTIVE_WAIT)
                .batchWait(16, Duration.ofNanos(100_000)).build();
        assertFalse(fixed.uses(UringOptions.Path.ADAPTIVE_WAIT));
        assertTrue(fixed.whyNot(UringOptions.Path.ADAPTIVE_WAIT).contains("fixes the wait"), fixed.whyNot(UringOptions.Path.ADAPTIVE_WAIT));
        Arrays.asList(Duration.ofNanos(-1), Duration.ofSeconds(2)).forEach(d -> {
            try {
                UringOptions.builder().waitBudget(d);
                throw new AssertionError("accepted " + d);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("waitBudget"), expected.getMessage());
            }
        });
    }
}
