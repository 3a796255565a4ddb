package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * One shared buffer sent to many connections by reference: every peer gets the bytes, each
 * connection holds a reference exactly until its send is done, the memory is freed when the last
 * reference goes (seen through the buffer's freed-callback and reference count, not by waiting),
 * and a close, an abort or TLS gives every reference back once.
 */
class SharedBufferTest {

    /** Collects the connections the server opens. */
    static final class Collector extends Recorder {
        final Queue<Connection> open = new ConcurrentLinkedQueue<>();

        @Override
        public void onOpen(Connection c) {
            super.onOpen(c);
            open.add(c);
        }
    }

    /** A shared buffer holding {@code content}, and the latch its freed-callback counts down. */
    private record Tracked(SharedBuffer buf, CountDownLatch freed) {
        static Tracked of(byte[] content) {
            CountDownLatch freed = new CountDownLatch(1);
            SharedBuffer buf = SharedBuffer.allocate(content.length, freed::countDown);
            MemorySegment.copy(content, 0, buf.segment(), JAVA_BYTE, 0, content.length);
            return new Tracked(buf, freed);
        }

        void awaitFreed() throws InterruptedException {
            assertTrue(freed.await(10, TimeUnit.SECONDS), "freed after its last reference: " + buf);
        }
    }

    /** A server with one connection, from a client whose receive buffer is {@code receiveBuffer} bytes (0: the default). */
    private static final class OnePeer implements AutoCloseable {
        final Collector server = new Collector();
        final TcpServer srv;
        final Socket reader;
        final Connection c;

        OnePeer(LoopOptions options, int receiveBuffer) throws Exception {
            srv = TcpServer.builder().options(options).handler(() -> server).start();
            reader = Net.connect(srv.localAddress(), receiveBuffer);
            c = server.opened.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            Net.closeQuietly(reader);
            srv.close();
        }
    }

    /** Writes {@code buf} to each of {@code connections} on its own loop, and returns once every write was queued. */
    private static void writeOnLoops(Iterable<Connection> connections, SharedBuffer buf, int length) throws Exception {
        List<CompletableFuture<Boolean>> queued = new ArrayList<>();
        for (Connection c : connections) {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            c.eventLoop().execute(() -> {
                boolean accepted = c.write(buf, 0, length);
                c.flush();
                done.complete(accepted);
            });
            queued.add(done);
        }
        for (CompletableFuture<Boolean> q : queued) {
            assertTrue(q.get(10, TimeUnit.SECONDS), "the shared write was accepted");
        }
    }

    /**
     * Writes {@code content} to every connection of {@code server} (one per client) through one
     * shared buffer, checks that each client receives it, and that the buffer is freed once the
     * sends are done while every connection stays open.
     */
    private static SharedBuffer sendToAll(Collector server, List<? extends Socket> clients, byte[] content) throws Exception {
        Net.await(Duration.ofSeconds(10), clients.size() + " connections open", () -> server.open.size() == clients.size());
        Tracked t = Tracked.of(content);
        writeOnLoops(server.open, t.buf(), content.length);
        t.buf().release();
        for (Socket s : clients) {
            assertArrayEquals(content, Net.read(s, content.length));
        }
        t.awaitFreed();
        return t.buf();
    }

    @Test
    void aThousandConnectionsReceiveOneBufferFreedWithTheLastSend() throws Exception {
        int n = Net.connectionsThatFit(1000);
        byte[] content = Net.pattern(3000, 7);
        Collector server = new Collector();
        try (TcpServer srv = TcpServer.builder().threads(2).handler(() -> server).start()) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(Net.connect(srv.localAddress()));
                }
                SharedBuffer buf = sendToAll(server, clients, content);
                assertEquals(0, buf.refCount());
                assertEquals(0, server.closes.size(), "no connection closed");
                assertThrows(IllegalStateException.class, buf::retain);
            } finally {
                clients.forEach(Net::closeQuietly);
            }
        }
    }

    @Test
    void aReferenceIsHeldUntilItsSendIsDoneAndWritesFromOtherThreadsCarryOne() throws Exception {
        byte[] content = Net.pattern(4 << 20, 11);
        try (OnePeer p = new OnePeer(LoopOptions.defaults(), 4096)) {
            Connection c = p.c;
            Tracked t = Tracked.of(content);
            SharedBuffer buf = t.buf();
            // From this thread: the reference travels to the loop with the write.
            assertTrue(c.write(buf, 0, content.length));
            c.flush();
            buf.release();
            // More than the socket holds: part of the bytes are still queued on the connection.
            Net.await(Duration.ofSeconds(5), "the queue to take the bytes", () -> c.pendingOutputBytes() > 0);
            Loops.settle(c.eventLoop());
            assertEquals(1, buf.refCount(), "the connection's reference, while bytes wait to be sent");
            assertEquals(1, t.freed().getCount());
            assertArrayEquals(content, Net.read(p.reader, content.length));
            t.awaitFreed();
        }
    }

    @Test
    void backPressureCountsSharedBytesAndARefusedWriteKeepsNoReference() throws Exception {
        LoopOptions small = LoopOptions.builder().watermarks(8 * 1024, 64 * 1024).maxPendingOutput(256 * 1024).build();
        try (OnePeer p = new OnePeer(small, 4096)) {
            Connection c = p.c;
            Tracked t = Tracked.of(Net.pattern(200 * 1024, 3));
            SharedBuffer buf = t.buf();
            CompletableFuture<boolean[]> results = new CompletableFuture<>();
            c.eventLoop().execute(() -> {
                boolean first = c.write(buf, 0, 200 * 1024);
                boolean writable = c.isWritable();
                long pending = c.pendingOutputBytes();
                boolean second = c.write(buf, 0, 200 * 1024);
                results.complete(new boolean[] {first, writable, pending == 200 * 1024, second, buf.refCount() == 2});
                c.flush();
            });
            boolean[] r = results.get(5, TimeUnit.SECONDS);
            assertTrue(r[0], "the first write fits under the limit");
            assertFalse(r[1], "past the high watermark the connection is not writable");
            assertTrue(r[2], "the queued bytes are the shared bytes");
            assertFalse(r[3], "the second would pass the output limit");
            assertTrue(r[4], "the refused write kept no reference");
            buf.release();
            Net.read(p.reader, 200 * 1024);
            t.awaitFreed();
            Net.await(Duration.ofSeconds(5), "writable again", () -> p.server.writability.contains(true));
        }
    }

    @Test
    void abortAndPeerResetGiveQueuedReferencesBackOnce() throws Exception {
        Collector server = new Collector();
        try (TcpServer srv = TcpServer.builder().handler(() -> server).start()) {
            Socket quiet = Net.connect(srv.localAddress(), 4096);
            Socket resetting = Net.connect(srv.localAddress(), 4096);
            Net.await(Duration.ofSeconds(5), "both open", () -> server.open.size() == 2);
            Tracked t = Tracked.of(Net.pattern(1 << 20, 5));
            SharedBuffer buf = t.buf();
            List<Connection> both = List.copyOf(server.open);
            // Several references per connection, most of them still queued behind a full socket.
            for (int i = 0; i < 3; i++) {
                writeOnLoops(both, buf, 1 << 20);
            }
            buf.release();
            Loops.settle(both.get(0).eventLoop());
            assertTrue(buf.refCount() >= 2, "each connection still holds references to what its peer has not read: " + buf);
            Connection first = both.get(0);
            first.abort();
            resetting.setSoLinger(true, 0);
            resetting.close();
            quiet.setSoLinger(true, 0);
            quiet.close();
            t.awaitFreed();
            Net.await(Duration.ofSeconds(10), "both closed", () -> server.closes.size() == 2);
            assertEquals(0, buf.refCount());
        }
    }

    @Test
    void gracefulCloseSendsTheQueuedReferencesFirst() throws Exception {
        byte[] content = Net.pattern(1 << 20, 13);
        try (OnePeer p = new OnePeer(LoopOptions.defaults(), 4096)) {
            Tracked t = Tracked.of(content);
            writeOnLoops(List.of(p.c, p.c), t.buf(), content.length);
            t.buf().release();
            p.c.close();
            byte[] all = Net.readToEnd(p.reader);
            assertEquals(2 * content.length, all.length);
            assertArrayEquals(content, java.util.Arrays.copyOfRange(all, content.length, all.length));
            t.awaitFreed();
        }
    }

    @Test
    void tlsConnectionsEncryptFromTheSharedBuffer() throws Exception {
        int n = 20;
        byte[] content = Net.pattern(40_000, 17);
        Collector server = new Collector();
        try (TcpServer srv = TcpServer.builder().threads(2).tls(TlsPeers.server().build()).handler(() -> server).start()) {
            List<SSLSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(TlsPeers.connect(srv.localAddress()));
                }
                sendToAll(server, clients, content);
            } finally {
                clients.forEach(Net::closeQuietly);
            }
        }
    }

    @Test
    void aSliceGoesOutBetweenCopiedBytesAndZeroLengthWritesQueueNothing() throws Exception {
        byte[] content = Net.pattern(1000, 19);
        try (OnePeer p = new OnePeer(LoopOptions.defaults(), 0)) {
            Connection c = p.c;
            Tracked t = Tracked.of(content);
            SharedBuffer buf = t.buf();
            AtomicInteger refsAfterEmpty = new AtomicInteger(-1);
            CompletableFuture<Void> done = new CompletableFuture<>();
            c.eventLoop().execute(() -> {
                c.write(buf, 500, 0);
                refsAfterEmpty.set(buf.refCount());
                c.write(new byte[] {1, 2, 3});
                c.write(buf, 100, 300);
                c.write(new byte[] {4, 5});
                c.flush();
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
            assertEquals(1, refsAfterEmpty.get());
            assertThrows(IndexOutOfBoundsException.class, () -> c.write(buf, 900, 200));
            buf.release();
            assertArrayEquals(new byte[] {1, 2, 3}, Net.read(p.reader, 3));
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 100, 400), Net.read(p.reader, 300));
            assertArrayEquals(new byte[] {4, 5}, Net.read(p.reader, 2));
            t.awaitFreed();
        }
    }

    @Test
    void aFreedBufferIsRefusedWithoutTakingRoomFromTheOutputLimit() throws Exception {
        LoopOptions small = LoopOptions.builder().watermarks(8 * 1024, 32 * 1024).maxPendingOutput(64 * 1024).build();
        try (OnePeer p = new OnePeer(small, 0)) {
            SharedBuffer freed = SharedBuffer.allocate(32 * 1024);
            freed.release();
            for (int i = 0; i < 3; i++) {
                assertThrows(IllegalStateException.class, () -> p.c.write(freed, 0, 32 * 1024));
            }
            Tracked t = Tracked.of(Net.pattern(60 * 1024, 23));
            assertTrue(p.c.write(t.buf(), 0, 60 * 1024), "the whole limit is still free");
            p.c.flush();
            t.buf().release();
            assertArrayEquals(Net.pattern(60 * 1024, 23), Net.read(p.reader, 60 * 1024));
            t.awaitFreed();
        }
    }

    @Test
    void releasingTwiceFails() {
        SharedBuffer buf = SharedBuffer.allocate(16);
        buf.retain();
        buf.release();
        buf.release();
        assertThrows(IllegalStateException.class, buf::release);
        assertThrows(IllegalStateException.class, () -> buf.segment().get(JAVA_BYTE, 0));
        assertThrows(IllegalArgumentException.class, () -> SharedBuffer.allocate(SharedBuffer.MAX_BYTES + 1));
    }
}
