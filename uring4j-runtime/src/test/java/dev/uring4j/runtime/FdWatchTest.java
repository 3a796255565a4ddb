package dev.uring4j.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.uring4j.ring.sys.LibC;

/**
 * A user's descriptor watched by a loop ({@link EventLoop#watch}): readiness reaches the handler
 * on the loop's thread each time the descriptor becomes ready, a cancel ends it with no cause and
 * nothing after, a descriptor the kernel refuses ends it with the errno, and closing the group ends
 * the watches still active. An eventfd stands for the pipes, timerfds and devices users watch.
 */
class FdWatchTest {
    private EventLoopGroup group;
    private int eventFd;

    @BeforeEach
    void setUp() throws IOException {
        group = EventLoopGroup.create(1);
        eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        assertTrue(eventFd >= 0, "eventfd: " + eventFd);
    }

    @AfterEach
    void tearDown() {
        group.close();
        LibC.close(eventFd);
    }

    /** Adds {@code n} to the eventfd's counter, as another process or thread would. */
    private void signal(long n) {
        try (Arena a = Arena.ofConfined()) {
            assertEquals(8, LibC.write(eventFd, a.allocateFrom(JAVA_LONG, n), 8));
        }
    }

    /** Reads the counter (and so resets it), on the loop: what a handler does with its readiness. */
    private static long drain(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(JAVA_LONG);
            long r = LibC.read(fd, b, 8);
            return r == 8 ? b.get(JAVA_LONG, 0) : 0;
        }
    }

    /** Records what the loop reports. */
    private final class Recording implements FdHandler {
        final BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        final CompletableFuture<IOException> ended = new CompletableFuture<>();
        final AtomicInteger readyCalls = new AtomicInteger();
        volatile boolean offLoop;

        @Override
        public void onReady(FdWatch watch, int events) {
            readyCalls.incrementAndGet();
            offLoop |= !watch.loop().inEventLoop() || (events & FdWatch.READABLE) == 0;
            counts.add(drain(watch.fd()));
        }

        @Override
        public void onEnded(FdWatch watch, IOException cause) {
            offLoop |= !watch.loop().inEventLoop();
            ended.complete(cause);
        }
    }

    @Test
    void eachTimeTheDescriptorBecomesReadableTheHandlerRunsOnTheLoop() throws Exception {
        Recording r = new Recording();
        EventLoop loop = group.next();
        FdWatch watch = loop.watch(eventFd, FdWatch.READABLE, r);
        Loops.settle(loop);
        long total = 0;
        for (int i = 1; i <= 50; i++) {
            signal(i);
            Long c = r.counts.poll(10, TimeUnit.SECONDS);
            assertTrue(c != null, "readiness " + i + " reported");
            total += c;
        }
        assertEquals(50 * 51 / 2, total, "every increment read by the handler");
        assertTrue(watch.isActive());
        assertFalse(r.offLoop, "the handler ran on the loop's thread with READABLE");
    }

    @Test
    void aCancelledWatchEndsWithoutCauseAndReportsNothingMore() throws Exception {
        Recording r = new Recording();
        EventLoop loop = group.next();
        FdWatch watch = loop.watch(eventFd, FdWatch.READABLE, r);
        signal(1);
        assertEquals(1L, r.counts.poll(10, TimeUnit.SECONDS));
        watch.cancel();
        assertNull(r.ended.get(10, TimeUnit.SECONDS), "cancelled: no cause");
        assertFalse(watch.isActive());
        int calls = r.readyCalls.get();
        signal(1);
        Loops.settle(loop);
        assertEquals(calls, r.readyCalls.get(), "nothing after the end");
        assertEquals(1, drain(eventFd), "the descriptor is still the caller's, open");
        watch.cancel();
        Loops.settle(loop);
        assertFalse(r.offLoop);
    }

    @Test
    void aDescriptorTheKernelRefusesEndsTheWatchWithItsErrno() throws Exception {
        Recording r = new Recording();
        group.next().watch(1 << 20, FdWatch.READABLE, r);
        IOException cause = r.ended.get(10, TimeUnit.SECONDS);
        assertTrue(cause != null && cause.getMessage().contains("EBADF"), "named: " + cause);
    }

    @Test
    void closingTheGroupEndsTheWatchesStillActive() throws Exception {
        Recording r = new Recording();
        FdWatch watch = group.next().watch(eventFd, FdWatch.READABLE, r);
        Loops.settle(watch.loop());
        group.close(Duration.ofSeconds(5));
        IOException cause = r.ended.get(10, TimeUnit.SECONDS);
        assertTrue(cause != null && cause.getMessage().contains("stopped"), "named: " + cause);
        assertFalse(watch.isActive());
        assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> watch.loop().watch(eventFd, FdWatch.READABLE, r));
    }

    @Test
    void aWatchedIdleDescriptorDoesNotKeepTheLoopAwake() throws Exception {
        EventLoop loop = group.next();
        // Readable and never drained: an edge is reported once, not for as long as it stays ready.
        AtomicLong reported = new AtomicLong();
        loop.watch(eventFd, FdWatch.READABLE, (w, events) -> reported.incrementAndGet());
        signal(1);
        Net.await(Duration.ofSeconds(10), "the readiness reported", () -> reported.get() == 1);
        Loops.settle(loop);
        long enters = loop.stats().enters();
        Thread.sleep(300);
        assertTrue(loop.stats().enters() - enters <= 3, "the loop slept: " + (loop.stats().enters() - enters) + " enters in 300 ms");
        assertEquals(1, reported.get(), "reported once");
    }

    @Test
    void argumentsAreChecked() {
        EventLoop loop = group.next();
        assertThrows(IllegalArgumentException.class, () -> loop.watch(-1, FdWatch.READABLE, (w, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> loop.watch(eventFd, 0, (w, e) -> {}));
        assertThrows(IllegalArgumentException.class, () -> loop.watch(eventFd, FdWatch.HANGUP, (w, e) -> {}));
        assertThrows(NullPointerException.class, () -> loop.watch(eventFd, FdWatch.READABLE, null));
    }
}
