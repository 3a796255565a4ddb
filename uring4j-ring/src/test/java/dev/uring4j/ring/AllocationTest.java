package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Zero allocation on the hot path: once the JIT has compiled it, a submit/complete loop of nops,
 * of send + recv, and of send + multishot recv into a buffer ring allocates 0 bytes per
 * operation, counted with {@code ThreadMXBean#getCurrentThreadAllocatedBytes}.
 *
 * <p>Each loop is warmed up, then measured over windows of many thousand operations. One window
 * with no byte allocated passes; a window can be spoiled by the JVM's own doing (a
 * deoptimization falling back to the interpreter), so up to {@link #WINDOWS} are tried. An
 * allocation on the hot path, even one object per thousand operations, shows in every window.
 */
class AllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Calls of the loop before measuring: enough for C2 to compile it as a method, not only OSR. */
    private static final int WARMUP_CALLS = 40;
    private static final int WINDOWS = 5;
    private static final int LEN = 64;

    /** A steady-state loop; returns the operations (completions) it did. */
    private interface Loop {
        long run(int iterations);
    }

    private static void assertAllocationFree(String what, Loop loop, int iterationsPerCall) {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        for (int i = 0; i < WARMUP_CALLS; i++) {
            loop.run(iterationsPerCall);
        }
        StringBuilder seen = new StringBuilder();
        for (int w = 0; w < WINDOWS; w++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long ops = 0;
            for (int i = 0; i < 10; i++) {
                ops += loop.run(iterationsPerCall);
            }
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (bytes == 0) {
                return;
            }
            seen.append(String.format(" %d B over %d operations (%.4f B/op);", bytes, ops, (double) bytes / ops));
        }
        fail(what + " allocated in every one of " + WINDOWS + " measured windows:" + seen);
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void nopSubmitAndReap(RingConfig config) throws Exception {
        config.assumeSupported();
        try (IoUring ring = config.builder().entries(64).cqEntries(128).build()) {
            Reaper reaper = new Reaper();
            int batch = 8;
            Loop loop = iterations -> {
                for (int it = 0; it < iterations; it++) {
                    for (int i = 0; i < batch; i++) {
                        ring.getSqe().prepNop().userData(Reaper.NOP);
                    }
                    // Under SQPOLL the poller may consume entries before submitAndWait counts them, so
                    // its result is not checked; waiting for the whole batch is.
                    ring.submitAndWait(batch);
                    if (ring.forEachCqe(reaper) != batch) {
                        reaper.unexpected++;
                    }
                }
                return (long) iterations * batch;
            };
            assertAllocationFree("nop submitAndWait + forEachCqe (" + config + ")", loop, 2_000);
            assertEquals(0, reaper.unexpected, config + ": every nop completed with res 0, a batch per wait");
            assertTrue(reaper.nops > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendAndRecv(RingConfig config) throws Exception {
        config.assumeSupported();
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(64).cqEntries(128).build();
             Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom(JAVA_BYTE, Sockets.pattern(LEN, 7));
            MemorySegment in = arena.allocate(LEN);
            Reaper reaper = new Reaper();
            Loop loop = iterations -> {
                for (int it = 0; it < iterations; it++) {
                    ring.getSqe().prepSend(pair[0], out.address(), LEN, 0).userData(Reaper.SEND);
                    ring.getSqe().prepRecv(pair[1], in.address(), LEN, 0).userData(Reaper.RECV);
                    ring.submitAndWait(2);
                    reapAll(ring, reaper, 2);
                }
                return 2L * iterations;
            };
            assertAllocationFree("send + recv over loopback TCP (" + config + ")", loop, 500);
            assertEquals(0, reaper.unexpected, config + ": every send and recv moved " + LEN + " bytes");
            assertEquals(reaper.sends, reaper.recvs);
            assertEquals(-1L, MemorySegment.mismatch(out, 0, LEN, in, 0, LEN), "the bytes sent arrived");
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendAndMultishotRecvIntoBufferRing(RingConfig config) throws Exception {
        config.assumeSupported();
        Probe probe = Probe.current();
        assumeTrue(probe.supports(Probe.Feature.RECV_MULTISHOT), () -> probe.whyMissing(Probe.Feature.RECV_MULTISHOT));
        assumeTrue(probe.supports(Probe.Feature.PBUF_RING), () -> probe.whyMissing(Probe.Feature.PBUF_RING));
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(64).cqEntries(128).build();
             BufferRing buffers = BufferRing.register(ring, 3, 16, LEN, 0);
             Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom(JAVA_BYTE, Sockets.pattern(LEN, 11));
            Reaper reaper = new Reaper();
            reaper.buffers = buffers;
            reaper.expected = out;
            Loop loop = iterations -> {
                for (int it = 0; it < iterations; it++) {
                    if (!reaper.armed) {
                        ring.getSqe().prepRecvMultishot(pair[1], 0, 0, 0).bufferSelect(buffers.bgid())
                                .userData(Reaper.RECV);
                        reaper.armed = true;
                    }
                    ring.getSqe().prepSend(pair[0], out.address(), LEN, 0).userData(Reaper.SEND);
                    ring.submitAndWait(2);
                    reapAll(ring, reaper, 2);
                }
                return 2L * iterations;
            };
            assertAllocationFree("send + multishot recv with buffer ring recycling (" + config + ")", loop, 500);
            assertEquals(0, reaper.unexpected, config + ": every send and receive moved " + LEN + " bytes, into a "
                    + "provided buffer holding what was sent");
            assertEquals(reaper.sends, reaper.recvs);
        } finally {
            Sockets.close(pair);
        }
    }

    /** Waits until {@code n} completions have been reaped (a receive may complete after its send). */
    private static void reapAll(IoUring ring, Reaper reaper, int n) {
        int reaped = ring.forEachCqe(reaper);
        while (reaped < n) {
            ring.submitAndWait(1);
            reaped += ring.forEachCqe(reaper);
        }
    }

    /** Checks each completion in place; counts what a broken loop would get wrong instead of throwing mid-loop. */
    private static final class Reaper implements CqeHandler {
        static final long NOP = 1;
        static final long SEND = 2;
        static final long RECV = 3;

        BufferRing buffers;
        MemorySegment expected;
        boolean armed;
        long nops;
        long sends;
        long recvs;
        int unexpected;

        @Override
        public void handle(long userData, int res, int flags) {
            if (userData == NOP) {
                nops++;
                if (res != 0) {
                    unexpected++;
                }
            } else if (userData == SEND) {
                sends++;
                if (res != LEN) {
                    unexpected++;
                }
            } else if (userData == RECV) {
                recvs++;
                if (res != LEN) {
                    unexpected++;
                }
                if (buffers != null) {
                    onProvidedBuffer(res, flags);
                }
            } else {
                unexpected++;
            }
        }

        private void onProvidedBuffer(int res, int flags) {
            if (!Cqe.more(flags)) {
                armed = false;
            }
            if (!Cqe.hasBuffer(flags)) {
                return;
            }
            int bid = Cqe.bufferId(flags);
            if (!buffers.isValidBid(bid)
                    || res > 0 && MemorySegment.mismatch(buffers.buffers(), (long) bid * buffers.bufferSize(),
                    (long) bid * buffers.bufferSize() + res, expected, 0, res) != -1) {
                unexpected++;
            }
            buffers.recycle(bid);
        }
    }
}
