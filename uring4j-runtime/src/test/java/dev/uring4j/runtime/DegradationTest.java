package dev.uring4j.runtime;

import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.uring4j.ring.Probe;
import dev.uring4j.runtime.internal.uring.UringEventLoop;

/**
 * Every newer io_uring feature the runtime uses has a path for kernels without it.
 * Each path is turned off through configuration on this kernel, and the server must still echo
 * every size and carry concurrent transfers through tiny buffer groups without loss.
 */
@Tag("io_uring")
class DegradationTest {

    @BeforeEach
    void needsTheIoUringTransport() {
        Transports.assumeIoUring("choosing between io_uring's paths and their fallbacks");
    }

    private static UringOptions.Builder small() {
        // Tiny groups force -ENOBUFS; a threshold puts large sends on SEND_ZC where it is used.
        return UringOptions.builder().bufferGroups(2).buffersPerGroup(8).sendZcThreshold(64 * 1024);
    }

    private static LoopOptions options(UringOptions.Builder uring) {
        return LoopOptions.builder().bufferSize(2048).uring(uring.build()).build();
    }

    @Test
    void byDefaultEveryPathTheKernelHasIsTaken() throws Exception {
        try (TcpServer server = TcpServer.builder().options(options(small())).threads(2).handler(EchoHandler::new).start()) {
            EnumSet<UringOptions.Path> used = paths(server);
            for (UringOptions.Path p : UringOptions.Path.values()) {
                boolean expected = p.onByDefault() && Probe.current().supports(p.feature());
                assertEquals(expected, used.contains(p), p + ": " + server.group().options().uring().whyNot(p));
            }
            exercise(server);
        }
    }

    @Test
    void bundlesWhenEnabledCarryReceives() throws Exception {
        assumeTrue(Probe.current().supports(Probe.Feature.RECVSEND_BUNDLE),
                () -> Probe.current().whyMissing(Probe.Feature.RECVSEND_BUNDLE));
        LoopOptions options = options(small().enable(UringOptions.Path.RECV_BUNDLE));
        try (TcpServer server = TcpServer.builder().options(options).threads(2).handler(EchoHandler::new).start()) {
            assertTrue(paths(server).contains(UringOptions.Path.RECV_BUNDLE));
            exercise(server);
        }
    }

    @Test
    void incrementalBuffersWhenEnabledReplaceBundles() throws Exception {
        assumeTrue(Probe.current().supports(Probe.Feature.PBUF_RING_INC),
                () -> Probe.current().whyMissing(Probe.Feature.PBUF_RING_INC));
        LoopOptions options = options(small().enable(UringOptions.Path.INCREMENTAL_BUFFERS, UringOptions.Path.RECV_BUNDLE));
        try (TcpServer server = TcpServer.builder().options(options).threads(2).handler(EchoHandler::new).start()) {
            assertTrue(paths(server).contains(UringOptions.Path.INCREMENTAL_BUFFERS));
            assertFalse(paths(server).contains(UringOptions.Path.RECV_BUNDLE), "the two do not combine");
            exercise(server);
        }
    }

    @ParameterizedTest
    @EnumSource(UringOptions.Path.class)
    void withoutEachPathTheFallbackServesCorrectly(UringOptions.Path path) throws Exception {
        // Without the feature the fallback is what this kernel takes anyway: the test above serves on it.
        assumeTrue(Probe.current().supports(path.feature()), () -> Probe.current().whyMissing(path.feature()));
        try (TcpServer server = TcpServer.builder().options(options(small().disable(path))).threads(2)
                .handler(EchoHandler::new).start()) {
            assertFalse(paths(server).contains(path), path + " is off");
            assertTrue(server.group().options().uring().whyNot(path).contains("disabled by configuration"));
            if (path == UringOptions.Path.MSG_RING_FD) {
                assertEquals(AcceptMode.REUSEPORT, server.acceptMode(), "no fd passing: every loop accepts");
            }
            exercise(server);
        }
    }

    @Test
    void withEveryPathOffTheOldestPathServesCorrectly() throws Exception {
        LoopOptions oldest = options(small().disable(UringOptions.Path.values()));
        try (TcpServer server = TcpServer.builder().options(oldest).threads(2).handler(EchoHandler::new).start()) {
            assertTrue(paths(server).isEmpty(), "no newer path taken: " + paths(server));
            exercise(server);
        }
    }

    private static EnumSet<UringOptions.Path> paths(TcpServer server) {
        EnumSet<UringOptions.Path> all = EnumSet.noneOf(UringOptions.Path.class);
        for (EventLoop loop : server.group().loops()) {
            all.addAll(((UringEventLoop) loop).pathsInUse());
        }
        return all;
    }

    /** Echo of several sizes on one connection, then 24 connections moving 256 KiB each at once. */
    private static void exercise(TcpServer server) throws Exception {
        try (Socket s = Net.connect(server.localAddress())) {
            for (int size : new int[] {1, 2048, 2049, 100_000, 1 << 20}) {
                byte[] msg = Net.pattern(size, size);
                Thread w = Thread.startVirtualThread(() -> Net.write(s, msg));
                assertArrayEquals(msg, Net.read(s, size), "echo of " + size + " bytes");
                w.join();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 24; c++) {
            int seed = c;
            done.add(pool.submit(() -> {
                try (Socket s = Net.connect(server.localAddress())) {
                    byte[] msg = Net.pattern(256 * 1024, seed);
                    Thread w = Thread.startVirtualThread(() -> Net.write(s, msg));
                    assertArrayEquals(msg, Net.read(s, msg.length), "connection " + seed);
                    w.join();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, server.group().stats().droppedCompletions());
    }
}
