package dev.uring4j.runtime;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Steady-state UDP echo allocates nothing on the loop thread: receive (multishot recvmsg, views),
 * peer lookup, send queue, GSO runs and the flush, 0 bytes per datagram. Counted with
 * {@code ThreadMXBean.getThreadAllocatedBytes} on the loop's thread. On NIO the JDK allocates the
 * sender's address whenever it changes; the test bounds that, and checks that from one peer
 * nothing at all is allocated.
 */
@ExtendWith(WithoutLeakDetection.class)
class UdpAllocationTest {
    /**
     * A bound on what a change of sender costs on NIO: the JDK's new {@code InetSocketAddress}
     * with its {@code InetAddress}, and our copy of the address bytes. JDK 25 measured 144-174
     * bytes, depending on how much of its receive path escape analysis had compiled away.
     */
    private static final int JDK_SENDER_BYTES = 512;

    /** Echoes to the sender's entry in the peer table, as a game server replies to a known client. */
    static final class PeerEcho implements DatagramHandler {
        @Override
        public void onDatagram(UdpSocket socket, Datagram d, UdpAddress sender) {
            socket.send(socket.peer(sender), d.buffer(), d.offset(), d.length());
        }
    }

    @ParameterizedTest(name = "batchWait {0}")
    @ValueSource(ints = {1, 16})
    void steadyStateEchoAllocatesZeroBytesPerDatagramOnTheLoopThread(int batch) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LoopOptions options = batch == 1 ? LoopOptions.defaults() : LoopOptions.builder().uring(UringOptions.builder().batchWait(batch, java.time.Duration.ofNanos(50_000)).build()).build();
        int peers = 8;
        try (UdpEndpoint server = UdpEndpoint.builder().options(options).receiveBufferSize(4 << 20)
                .handler(PeerEcho::new).start()) {
            EventLoop loop = server.socket().eventLoop();
            CompletableFuture<Long> tid = new CompletableFuture<>();
            loop.execute(() -> tid.complete(Thread.currentThread().threadId()));
            long loopThread = tid.get(5, TimeUnit.SECONDS);
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < peers; i++) {
                    clients.add(Udp.client(server.localAddress()));
                }
                ByteBuffer out = ByteBuffer.allocateDirect(64);
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                // Warm-up: JIT, peer table entries, provided buffers and send slots all touched. The
                // loop's waits bounded by its own sends get hot late; compiling them allocated about
                // 3 KB once, in the first 80,000 datagrams after a shorter warm-up, and never again.
                pump(clients, server.localAddress(), out, in, 60_000);
                long before = threads.getThreadAllocatedBytes(loopThread);
                long datagrams = pump(clients, server.localAddress(), out, in, 20_000);
                long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
                double perDatagram = (double) allocated / datagrams;
                UdpStats stats = server.stats();
                System.out.printf("batchWait %d: %d bytes over %d echoed datagrams on the loop thread (%.4f per datagram); %s%n",
                        batch, allocated, datagrams, perDatagram, stats);
                assertEquals(peers, stats.peers());
                if (Transports.ioUring()) {
                    assertTrue(perDatagram < 0.01, allocated + " bytes allocated for " + datagrams + " datagrams");
                    assertTrue(stats.gsoSends() > 0, "bursts from one peer went out as GSO runs, on the measured path too: "
                            + stats);
                } else {
                    // DatagramChannel.receive makes a new InetSocketAddress whenever the sender differs
                    // from the previous datagram's (here every 4th datagram): that, and nothing per datagram.
                    double perSenderChange = allocated / (datagrams / 4.0);
                    System.out.printf("nio: %.1f bytes per change of sender%n", perSenderChange);
                    assertTrue(perSenderChange <= JDK_SENDER_BYTES, perSenderChange + " bytes per change of sender");
                    // From one peer the JDK keeps its sender object: then nothing at all is allocated.
                    List<DatagramChannel> one = clients.subList(0, 1);
                    pump(one, server.localAddress(), out, in, 2_000);
                    long beforeOne = threads.getThreadAllocatedBytes(loopThread);
                    long fromOne = pump(one, server.localAddress(), out, in, 5_000);
                    long allocatedOne = threads.getThreadAllocatedBytes(loopThread) - beforeOne;
                    System.out.printf("nio, one peer: %d bytes over %d echoed datagrams%n", allocatedOne, fromOne);
                    assertTrue((double) allocatedOne / fromOne < 0.01, allocatedOne + " bytes allocated for " + fromOne
                            + " datagrams from one peer");
                }
            } finally {
                clients.forEach(Net::closeQuietly);
            }
        }
    }

    /** {@code rounds} times: 4 datagrams from each client, then their echoes. Returns datagrams echoed. */
    private static long pump(List<DatagramChannel> clients, InetSocketAddress server, ByteBuffer out, ByteBuffer in,
                             int rounds) throws Exception {
        long n = 0;
        for (int r = 0; r < rounds / clients.size(); r++) {
            for (DatagramChannel c : clients) {
                for (int k = 0; k < 4; k++) {
                    out.clear();
                    c.send(out, server);
                }
            }
            for (DatagramChannel c : clients) {
                for (int k = 0; k < 4; k++) {
                    in.clear();
                    c.receive(in);
                    if (in.position() != 64) {
                        throw new AssertionError("echo of " + in.position() + " bytes");
                    }
                    n++;
                }
            }
        }
        return n;
    }
}
