package dev.uring4j.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Bytes cross TLS unchanged, in order, whatever their size and however records and receive buffers split them. */
class TlsEchoTest {

    /**
     * Streams {@code total} bytes of a pattern that is a function of the position, under
     * back-pressure, then half-closes; checks every byte that comes back.
     */
    static final class StreamingCheck implements ConnectionHandler {
        final long total;
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final byte[] chunk = new byte[64 * 1024];
        private long sent;
        private long received;

        StreamingCheck(long total) {
            this.total = total;
        }

        static byte at(long i) {
            return (byte) (i * 31 + (i >>> 13));
        }

        @Override
        public void onOpen(Connection c) {
            pump(c);
        }

        private void pump(Connection c) {
            while (sent < total && c.isWritable()) {
                int n = (int) Math.min(chunk.length, total - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(sent + i);
                }
                if (!c.write(chunk, 0, n)) {
                    break;
                }
                sent += n;
            }
            c.flush();
            if (sent == total) {
                c.shutdownOutput();
            }
        }

        @Override
        public void onWritabilityChanged(Connection c, boolean writable) {
            if (writable && sent < total) {
                pump(c);
            }
        }

        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            for (int i = 0; i < length; i++) {
                if (buffer.get(JAVA_BYTE, offset + i) != at(received + i)) {
                    done.completeExceptionally(new AssertionError("byte " + (received + i) + " came back changed"));
                    c.abort();
                    return length;
                }
            }
            received += length;
            return length;
        }

        @Override
        public void onInputClosed(Connection c) {
            done.complete(received);
            c.close();
        }

        @Override
        public void onClose(Connection c, Throwable cause) {
            if (cause != null) {
                done.completeExceptionally(cause);
            }
        }
    }

    @Test
    void sixtyFourMebibytesGoBothWaysBetweenOurClientAndServer() throws Exception {
        long total = 64L << 20;
        StreamingCheck check = new StreamingCheck(total);
        try (TcpServer server = TcpServer.builder().tls(TlsPeers.server().build()).handler(EchoHandler::new).start();
             TcpClient client = TcpClient.builder().tls(TlsPeers.client().build()).handler(() -> check).build()) {
            Connection c = client.connect(new InetSocketAddress("localhost", server.localAddress().getPort()))
                    .get(10, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", c.tlsSession().getProtocol(), "the default protocol is TLS 1.3");
            assertEquals(total, check.done.get(120, TimeUnit.SECONDS), "every byte came back, unchanged, in order");
            Net.await(Duration.ofSeconds(10), "the server's connection closed", () -> server.connections() == 0);
        }
    }

    /**
     * Records span the server's receive buffers (512 bytes each here, a full record is 16 KiB) and
     * many small records share one: the JDK client writes each small write as a record of its own.
     */
    @Test
    void recordsSplitAcrossReceiveBuffersAndManyInOneArriveWhole() throws Exception {
        EventLoopGroup group = EventLoopGroup.builder().threads(1)
                .options(LoopOptions.builder().bufferSize(512).build()).build();
        try (group;
             TcpServer server = TcpServer.builder().group(group).tls(TlsPeers.server().build()).handler(EchoHandler::new).start();
             SSLSocket s = TlsPeers.connect(server.localAddress())) {
            byte[] big = Net.pattern(3 << 20, 11);
            List<byte[]> writes = new ArrayList<>();
            for (int i = 0, at = 0; at < big.length; i++) {
                int n = Math.min(big.length - at, i % 3 == 0 ? 1 + i % 97 : 1 + (i * 7919) % 40_000);
                byte[] w = new byte[n];
                System.arraycopy(big, at, w, 0, n);
                writes.add(w);
                at += n;
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (byte[] w : writes) {
                        out.write(w);
                    }
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            assertArrayEquals(big, in.readNBytes(big.length));
            writer.join();
        }
    }

    @Test
    void aThousandConcurrentHandshakesAllComplete() throws Exception {
        int n = Net.connectionsThatFit(1000);
        Recorder[] handlers = new Recorder[n];
        try (TcpServer server = TcpServer.builder().threads(2).tls(TlsPeers.server().build()).handler(EchoHandler::new).start();
             TcpClient client = TcpClient.builder().threads(1).tls(TlsPeers.client().build()).handler(new java.util.function.Supplier<>() {
                 private int next;

                 @Override
                 public synchronized ConnectionHandler get() {
                     return handlers[next++] = new Recorder();
                 }
             }).build()) {
            InetSocketAddress to = new InetSocketAddress("localhost", server.localAddress().getPort());
            List<CompletableFuture<Connection>> connects = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                connects.add(client.connect(to));
            }
            for (int i = 0; i < n; i++) {
                byte[] msg = ("hello " + i).getBytes();
                Connection c = connects.get(i).get(60, TimeUnit.SECONDS);
                c.writeAndFlush(msg);
            }
            Net.await(Duration.ofSeconds(60), "every connection's echo", () -> {
                for (Recorder r : handlers) {
                    if (r.received() == 0) {
                        return false;
                    }
                }
                return true;
            });
            assertEquals(n, server.connections(), "every handshake completed and the connections stay open");
            for (Recorder r : handlers) {
                r.connection.close();
            }
            for (Recorder r : handlers) {
                assertNull(r.closed.get(30, TimeUnit.SECONDS), "an orderly close");
            }
        }
    }
}
