package dev.uring4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blocking sockets on the loops, for virtual threads: what a {@link java.net.Socket} user expects
 * (reads, writes, the end of input, timeouts, close and interrupt from other threads), on both
 * transports, without pinning a carrier; each case with the JDK's virtual threads and with
 * virtual threads the sockets' own loops carry ({@link EventLoop#ofVirtual()}).
 */
class BlockingSocketTest {

    /** Who runs a socket's virtual threads. */
    enum Carrier {
        /** The JDK's scheduler: its carrier threads. */
        JDK,
        /** The socket's own event loop. */
        LOOP;

        /** Starts {@code task} on a virtual thread that serves {@code s}. */
        Thread start(BlockingSocket s, Runnable task) {
            return (this == LOOP ? s.connection().eventLoop().ofVirtual() : Thread.ofVirtual()).start(task);
        }
    }

    /** What a test's server does with one accepted socket, on a virtual thread of its own. */
    private interface Service {
        void serve(BlockingSocket s) throws IOException;
    }

    /** Accepts until the server socket closes, serving each connection on a virtual thread of its own. */
    private static BlockingServerSocket serveEach(BlockingServerSocket server, Carrier carrier, Service service) {
        Thread.ofVirtual().start(() -> {
            while (true) {
                BlockingSocket s;
                try {
                    s = server.accept();
                } catch (IOException closed) {
                    return;
                }
                carrier.start(s, () -> {
                    try (s) {
                        service.serve(s);
                    } catch (IOException e) {
                        // the peer went away; the test's own side reports what it saw
                    }
                });
            }
        });
        return server;
    }

    /** A server whose every connection is echoed by a virtual thread of its own. */
    private static BlockingServerSocket echoServer(EventLoopGroup group, Carrier carrier) throws IOException {
        return serveEach(BlockingServerSocket.bind(TcpServer.builder().group(group)), carrier,
                s -> s.getInputStream().transferTo(s.getOutputStream()));
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void sixtyFourMebibytesGoThroughAnEchoBothEndsBlockingWithoutPinning(Carrier carrier) throws Exception {
        List<RecordedEvent> pinned = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RecordingStream jfr = new RecordingStream();
             EventLoopGroup group = EventLoopGroup.builder().threads(2).build();
             BlockingServerSocket server = echoServer(group, carrier)) {
            jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            jfr.onEvent("jdk.VirtualThreadPinned", pinned::add);
            jfr.startAsync();
            BlockingSocket client = BlockingSocket.connect(group, server.localAddress(), Duration.ofSeconds(5));
            int total = 64 << 20;
            byte[] chunk = new byte[100_000];
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            Thread writer = carrier.start(client, () -> {
                try {
                    for (int at = 0, i = 0; at < total; i++) {
                        int n = Math.min(chunk.length - i % 7, total - at);
                        for (int k = 0; k < n; k++) {
                            chunk[k] = (byte) (at + k + (at + k) / 251);
                        }
                        sent.update(chunk, 0, n);
                        client.write(chunk, 0, n);
                        at += n;
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Long> reading = new CompletableFuture<>();
            carrier.start(client, () -> {
                try {
                    byte[] b = new byte[32 * 1024];
                    long count = 0;
                    int n;
                    while ((n = client.read(b, 0, b.length)) > 0) {
                        received.update(b, 0, n);
                        count += n;
                    }
                    reading.complete(count);
                } catch (Throwable t) {
                    reading.completeExceptionally(t);
                }
            });
            assertEquals(total, reading.get(120, TimeUnit.SECONDS), "every byte came back, then the end of input");
            writer.join();
            assertArrayEquals(sent.digest(), received.digest(), "unchanged and in order");
            assertTrue(client.readsAtOnce() + client.readsThatWaited() > 0);
            System.out.println("64 MiB echo: reads at once " + client.readsAtOnce() + ", reads that waited "
                    + client.readsThatWaited() + ", writes " + client.writes());
            client.close();
            jfr.stop();
        }
        assertEquals(List.of(), pinned, "no virtual thread pinned its carrier");
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aTlsEchoOfTwoMebibytesComesBackWholeWithTheSessionOnBothEnds(Carrier carrier) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(2).build();
             BlockingServerSocket server = serveEach(BlockingServerSocket.bind(TcpServer.builder().group(group)
                     .tls(TlsPeers.server().build())), carrier, s -> {
                         if (s.tlsSession() == null) {
                             throw new IOException("the server's socket has no TLS session");
                         }
                         s.getInputStream().transferTo(s.getOutputStream());
                     })) {
            InetSocketAddress address = new InetSocketAddress("localhost", server.localAddress().getPort());
            BlockingSocket client = BlockingSocket.connect(group, address, Duration.ofSeconds(5), TlsPeers.client().build());
            assertEquals("TLSv1.3", client.tlsSession().getProtocol(), "the handshake completed before connect returned");
            byte[] sent = Net.pattern(2 << 20, 7);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            carrier.start(client, () -> {
                try {
                    echoed.complete(client.getInputStream().readNBytes(sent.length));
                } catch (Throwable t) {
                    echoed.completeExceptionally(t);
                }
            });
            Thread writer = carrier.start(client, () -> {
                try {
                    client.write(sent, 0, sent.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertArrayEquals(sent, echoed.get(60, TimeUnit.SECONDS), "every byte back, in order, through TLS both ways");
            writer.join();
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void tenThousandVirtualThreadsBlockedInReadAreAllServed(Carrier carrier) throws Exception {
        int n = Net.connectionsThatFit(10_000);
        AtomicInteger reading = new AtomicInteger();
        try (EventLoopGroup group = EventLoopGroup.builder().threads(2).build();
             BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group).backlog(4096))) {
            serveEach(server, carrier, s -> {
                byte[] b = new byte[1];
                reading.incrementAndGet();
                int r = s.read(b, 0, 1);
                s.write(b, 0, r);
            });
            List<Socket> clients = new ArrayList<>(n);
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(Net.connect(server.localAddress()));
                }
                Net.await(Duration.ofSeconds(60), n + " virtual threads reading", () -> reading.get() == n);
                for (int i = 0; i < n; i++) {
                    clients.get(i).getOutputStream().write(i);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(i & 0xff, clients.get(i).getInputStream().read(), "connection " + i + " answered");
                }
            } finally {
                clients.forEach(Net::closeQuietly);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void closeFromAnotherThreadWakesABlockedReader(Carrier carrier) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             BlockingServerSocket server = echoServer(group, carrier)) {
            BlockingSocket s = BlockingSocket.connect(group, server.localAddress(), Duration.ofSeconds(5));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            awaitParked(readInVirtualThread(carrier, s, outcome, interrupted));
            s.close();
            Throwable t = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof SocketException && "Socket closed".equals(t.getMessage()), String.valueOf(t));
            assertThrows(SocketException.class, () -> s.write(new byte[1], 0, 1), "a closed socket refuses writes");
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void interruptingAVirtualThreadClosesTheSocketAndAPlatformThreadsDoesNot(Carrier carrier) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             BlockingServerSocket server = echoServer(group, carrier)) {
            BlockingSocket s = BlockingSocket.connect(group, server.localAddress(), Duration.ofSeconds(5));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread virtual = readInVirtualThread(carrier, s, outcome, stillInterrupted);
            awaitParked(virtual);
            virtual.interrupt();
            Throwable t = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof SocketException && "Closed by interrupt".equals(t.getMessage()), String.valueOf(t));
            assertTrue(stillInterrupted.get(), "the interrupt status stays set");
            assertTrue(s.isClosed());

            BlockingSocket p = BlockingSocket.connect(group, server.localAddress(), Duration.ofSeconds(5));
            CompletableFuture<Integer> read = new CompletableFuture<>();
            CompletableFuture<Boolean> platformInterrupted = new CompletableFuture<>();
            Thread platform = Thread.ofPlatform().start(() -> {
                try {
                    read.complete(p.read(new byte[10], 0, 10));
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
                platformInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            awaitParked(platform);
            platform.interrupt();
            p.write(new byte[] {1, 2, 3}, 0, 3);
            assertEquals(3, read.get(5, TimeUnit.SECONDS), "the platform thread's read went on and got the echo");
            assertTrue(platformInterrupted.get(), "with its interrupt status set again");
            p.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aReadTimeoutLeavesTheSocketUsable(Carrier carrier) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             BlockingServerSocket server = echoServer(group, carrier)) {
            BlockingSocket s = BlockingSocket.connect(group, server.localAddress(), Duration.ofSeconds(5));
            s.setReadTimeout(Duration.ofMillis(100));
            long start = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> s.read(new byte[1], 0, 1));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "it waited the timeout");
            s.setReadTimeout(Duration.ofSeconds(5));
            s.write(new byte[] {42}, 0, 1);
            byte[] b = new byte[1];
            assertEquals(1, s.read(b, 0, 1));
            assertEquals(42, b[0]);
            s.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void halfCloseDeliversEverythingThenTheEndAndTheOtherWayStaysOpen(Carrier carrier) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group))) {
            CompletableFuture<Void> served = new CompletableFuture<>();
            serveEach(server, carrier, s -> {
                try {
                    byte[] all = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(("got " + all.length).getBytes());
                    served.complete(null);
                } catch (Throwable t) {
                    served.completeExceptionally(t);
                }
            });
            try (Socket c = Net.connect(server.localAddress())) {
                OutputStream out = c.getOutputStream();
                out.write(Net.pattern(300_000, 4));
                c.shutdownOutput();
                InputStream in = c.getInputStream();
                assertArrayEquals("got 300000".getBytes(), in.readAllBytes());
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingTheServerSocketWakesAnAcceptor() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build()) {
            BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    server.accept();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            awaitParked(acceptor);
            server.close();
            Throwable t = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof SocketException && "Socket closed".equals(t.getMessage()), String.valueOf(t));
        }
    }

    /** A virtual thread blocked in {@code s.read}: how the read ended, then whether the thread's interrupt status was set. */
    private static Thread readInVirtualThread(Carrier carrier, BlockingSocket s, CompletableFuture<Throwable> outcome,
                                              CompletableFuture<Boolean> interrupted) {
        return carrier.start(s, () -> {
            try {
                s.read(new byte[10], 0, 10);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
            interrupted.complete(Thread.currentThread().isInterrupted());
        });
    }

    /** Until {@code t} waits (parked): the state the test wants to disturb. */
    private static void awaitParked(Thread t) {
        Net.await(Duration.ofSeconds(5), t + " waiting", () -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void aConnectToNothingListeningFailsNamingTheErrno() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build()) {
            InetSocketAddress nobody;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                nobody = new InetSocketAddress("127.0.0.1", probe.getLocalPort());
            }
            IOException e = assertThrows(IOException.class, () -> BlockingSocket.connect(group, nobody, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
        }
    }
}
