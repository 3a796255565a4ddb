package dev.uring4j.runtime.internal.uring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.UringOptions;

/**
 * Tasks one io_uring loop gives another ride ring messages ({@link RingMail}): they run on the
 * target, once each, in the order given, also when the target falls so far behind that the pair's
 * slots run out; a task for a loop that has stopped is refused, never run late.
 */
class RingMailTest {

    private static EventLoopGroup twoLoops() throws Exception {
        LoopOptions options = LoopOptions.builder()
                .uring(UringOptions.builder().enable(UringOptions.Path.MSG_RING_TASKS).build()).build();
        EventLoopGroup group = EventLoopGroup.builder().threads(2).options(options).build();
        assumeTrue(group.transport() == Transport.IO_URING, "ring messages exist only on io_uring");
        assumeTrue(group.pathsInUse().contains(UringOptions.Path.MSG_RING_TASKS), "MSG_RING_TASKS is not taken");
        return group;
    }

    @Test
    void tasksFromAnotherLoopRunInOrderEvenPastTheSlotsOfThePair() throws Exception {
        int tasks = RingMail.SLOTS * 8;
        try (EventLoopGroup group = twoLoops()) {
            EventLoop a = group.loops().get(0);
            EventLoop b = group.loops().get(1);
            // b is held busy while a gives it every task, so most wait in a's overflow.
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            b.execute(() -> {
                holding.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            List<Integer> ran = new ArrayList<>();
            AtomicInteger wrongThread = new AtomicInteger();
            CompletableFuture<Void> given = new CompletableFuture<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            a.execute(() -> {
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    b.execute(() -> {
                        if (!b.inEventLoop()) {
                            wrongThread.incrementAndGet();
                        }
                        ran.add(n);
                        if (ran.size() == tasks) {
                            all.complete(null);
                        }
                    });
                }
                given.complete(null);
            });
            given.get(10, TimeUnit.SECONDS);
            hold.countDown();
            all.get(30, TimeUnit.SECONDS);
            assertEquals(0, wrongThread.get(), "every task ran on its target");
            for (int i = 0; i < tasks; i++) {
                assertEquals(i, ran.get(i), "task " + i + " in order");
            }
        }
    }

    @Test
    void aStoppedLoopRefusesTasksFromAnotherLoop() throws Exception {
        try (EventLoopGroup sources = twoLoops()) {
            EventLoopGroup targets = EventLoopGroup.builder().threads(1).options(sources.options()).build();
            EventLoop target = targets.loops().get(0);
            AtomicInteger ran = new AtomicInteger();
            CompletableFuture<Void> first = new CompletableFuture<>();
            sources.loops().get(0).execute(() -> target.execute(() -> {
                ran.incrementAndGet();
                first.complete(null);
            }));
            first.get(10, TimeUnit.SECONDS);
            targets.close();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            sources.loops().get(0).execute(() -> {
                try {
                    target.execute(ran::incrementAndGet);
                    refused.complete(null);
                } catch (RejectedExecutionException e) {
                    refused.complete(e);
                }
            });
            assertTrue(refused.get(10, TimeUnit.SECONDS) instanceof RejectedExecutionException);
            assertEquals(1, ran.get());
            assertThrows(RejectedExecutionException.class, () -> target.execute(ran::incrementAndGet));
        }
    }
}
