package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Steady-state echo allocates nothing on the loop thread: per message, 0 bytes.
 *
 * <p>The connection's descriptor is pushed above 127, as in any real server: the JDK's epoll
 * selector looks each ready descriptor up by a boxed {@code Integer}, which above the Integer
 * cache allocates 16 bytes per ready channel unless {@code -XX:AutoBoxCacheMax} covers it. The NIO
 * run sets that flag (see the pom and docs/FALLBACK.md); io_uring does not care.
 */
@ExtendWith(WithoutLeakDetection.class)
class AllocationTest {

    @Test
    void steadyStateEchoAllocatesZeroBytesPerMessageOnTheLoopThread() throws Exception {
        List<FileChannel> spare = new ArrayList<>();
        while (lowestFreeDescriptor() < 128) {
            spare.add(FileChannel.open(Path.of("/dev/null")));
        }
        try {
            double perMessage = allocatedPerMessage(EchoHandler::new);
            assertTrue(perMessage < 0.01, perMessage + " bytes allocated per echoed message");
        } finally {
            for (FileChannel c : spare) {
                c.close();
            }
        }
    }

    /** Answers each 64-byte message with the same 64 bytes of one shared buffer, queued by reference. */
    static final class SharedReplies implements ConnectionHandler {
        private final SharedBuffer reply;

        SharedReplies(SharedBuffer reply) {
            this.reply = reply;
        }

        @Override
        public int onData(Connection c, java.lang.foreign.MemorySegment buffer, long offset, int length) {
            int messages = length / 64;
            for (int i = 0; i < messages; i++) {
                c.write(reply, 0, 64);
            }
            c.flush();
            return messages * 64;
        }
    }

    @Test
    void sharedBufferWritesAllocateZeroBytesPerMessageOnTheLoopThread() throws Exception {
        SharedBuffer reply = SharedBuffer.allocate(64);
        try {
            double perMessage = allocatedPerMessage(() -> new SharedReplies(reply));
            assertTrue(perMessage < 0.01, perMessage + " bytes allocated per shared write");
        } finally {
            reply.release();
        }
    }

    /**
     * Serves 64-byte messages with {@code handler}, 16 in flight at a time to keep the loop busy,
     * and returns the bytes the loop thread allocates per message once warmed up.
     */
    private static double allocatedPerMessage(java.util.function.Supplier<ConnectionHandler> handler) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TcpServer server = TcpServer.builder().handler(handler).start();
             Socket s = Net.connect(server.localAddress())) {
            long loopThread = loopThreadId(server);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] msg = new byte[64];
            byte[] back = new byte[64];
            for (int i = 0; i < 20_000; i++) {
                roundTrips(out, in, msg, back, 16);
            }
            long before = threads.getThreadAllocatedBytes(loopThread);
            int messages = 0;
            for (int i = 0; i < 10_000; i++) {
                roundTrips(out, in, msg, back, 16);
                messages += 16;
            }
            long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
            System.out.printf("allocation: %d bytes over %d messages on the loop thread%n", allocated, messages);
            return (double) allocated / messages;
        }
    }

    /** The id of the thread of {@code server}'s first loop, whose allocation a test counts. */
    static long loopThreadId(TcpServer server) throws Exception {
        CompletableFuture<Long> tid = new CompletableFuture<>();
        server.group().loops().get(0).execute(() -> tid.complete(Thread.currentThread().threadId()));
        return tid.get(5, TimeUnit.SECONDS);
    }

    /** The number open(2) would return next. */
    static int lowestFreeDescriptor() throws java.io.IOException {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> taken.add(Integer.parseInt(p.getFileName().toString())));
        }
        int fd = 0;
        while (taken.contains(fd)) {
            fd++;
        }
        return fd;
    }

    private static void roundTrips(OutputStream out, DataInputStream in, byte[] msg, byte[] back, int n) throws Exception {
        for (int k = 0; k < n; k++) {
            out.write(msg);
        }
        for (int k = 0; k < n; k++) {
            in.readFully(back);
        }
    }
}
