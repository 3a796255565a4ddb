package dev.uring4j.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.ring.Errno;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * What a UDP user must observe when datagrams are too big, buffers run dry, nobody listens, or
 * the send queue is full: every case reported, counted, and nothing else lost.
 */
class UdpFaultsTest {

    /** What the handler saw of each datagram. */
    record Seen(int length, int fullLength, boolean truncated, byte[] data) {
    }

    private static DatagramHandler recording(List<Seen> seen) {
        return (socket, d, sender) -> {
            synchronized (seen) {
                seen.add(new Seen(d.length(), d.fullLength(), d.isTruncated(), d.toByteArray()));
            }
            socket.send(sender, d.buffer(), d.offset(), d.length());
        };
    }

    @Test
    void aDatagramLongerThanItsBufferIsDeliveredCutAndSaysSo() throws Exception {
        // 8000 bytes does not fit the loop's 4 KiB buffers: the endpoint gets buffers of its own,
        // just big enough for 8000, and the kernel itself cuts the 9000-byte datagram (MSG_TRUNC).
        List<Seen> seen = new ArrayList<>();
        try (UdpEndpoint server = UdpEndpoint.builder().maxDatagramSize(8000).handler(recording(seen)).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            byte[] big = Net.pattern(9000, 3);
            Udp.send(client, big, server.localAddress());
            assertArrayEquals(Arrays.copyOf(big, 8000), Udp.receive(client).data(), "the first 8000 bytes came back");
            byte[] fits = Net.pattern(8000, 4);
            Udp.send(client, fits, server.localAddress());
            assertArrayEquals(fits, Udp.receive(client).data());
            synchronized (seen) {
                assertEquals(8000, seen.get(0).length());
                assertEquals(9000, seen.get(0).fullLength(), "the length that was sent (MSG_TRUNC)");
                assertTrue(seen.get(0).truncated());
                assertFalse(seen.get(1).truncated(), "a datagram of exactly the maximum is whole");
            }
            assertEquals(1, server.stats().truncated());
        }
    }

    @Test
    void onSharedBuffersTheMaximumDatagramSizeStillCuts() throws Exception {
        // 1000 fits the loop's buffers, which have room for more: the view stops at the maximum.
        List<Seen> seen = new ArrayList<>();
        try (UdpEndpoint server = UdpEndpoint.builder().maxDatagramSize(1000).handler(recording(seen)).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            byte[] msg = Net.pattern(1500, 5);
            Udp.send(client, msg, server.localAddress());
            assertArrayEquals(Arrays.copyOf(msg, 1000), Udp.receive(client).data());
            synchronized (seen) {
                assertEquals(1000, seen.get(0).length());
                assertEquals(1500, seen.get(0).fullLength());
                assertTrue(seen.get(0).truncated());
            }
        }
    }

    @Test
    void aThousandDistinctPeersAreEachEchoedAndKeptInThePeerTable() throws Exception {
        int n = 1000;
        List<Integer> ids = new ArrayList<>();
        DatagramHandler h = (socket, d, sender) -> {
            UdpPeer p = socket.peer(sender);
            if (p.attachment() == null) {
                p.attach(p.id());
                ids.add(p.id());
            }
            socket.send(p, d.buffer(), d.offset(), d.length());
        };
        try (UdpEndpoint server = UdpEndpoint.builder().receiveBufferSize(4 << 20).handler(h).start()) {
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(Udp.client(server.localAddress()));
                }
                for (int round = 0; round < 2; round++) {
                    for (int i = 0; i < n; i++) {
                        Udp.send(clients.get(i), Net.pattern(48, i * 2 + round), server.localAddress());
                    }
                    for (int i = 0; i < n; i++) {
                        assertArrayEquals(Net.pattern(48, i * 2 + round), Udp.receive(clients.get(i)).data(),
                                "peer " + i + " round " + round);
                    }
                }
            } finally {
                clients.forEach(Net::closeQuietly);
            }
            UdpSocket s = server.socket();
            CountDownLatch checked = new CountDownLatch(1);
            s.eventLoop().execute(checked::countDown);
            checked.await(5, TimeUnit.SECONDS);
            assertEquals(n, s.peerCount(), "one table entry per peer, the second round found them");
            List<Integer> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted.get(i), "peer ids are dense: 0.." + (n - 1));
            }
        }
    }

    @Test
    void aBurstThatExhaustsTheBuffersLosesNothingTheKernelQueuedAndIsCounted() throws Exception {
        // Two groups of four 4 KiB buffers; the loop is held in the first callback while the burst
        // queues up in the socket, so when it lets go the kernel runs dry at once, again and again.
        LoopOptions tiny = LoopOptions.builder().uring(UringOptions.builder().bufferGroups(2).buffersPerGroup(4).build()).build();
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        boolean[] seenSeq = new boolean[5000];
        int burst = seenSeq.length;
        DatagramHandler h = (socket, d, sender) -> {
            if (received.getAndIncrement() == 0) {
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int seq = d.buffer().get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, d.offset());
            synchronized (seenSeq) {
                seenSeq[seq] = true;
            }
        };
        try (UdpEndpoint server = UdpEndpoint.builder().options(tiny).receiveBufferSize(8 << 20).handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            int port = server.localAddress().getPort();
            long dropsBefore = Udp.kernelDrops(port);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
            for (int i = 0; i < burst; i++) {
                b.clear();
                b.putInt(0, i);
                client.send(b, server.localAddress());
            }
            hold.countDown();
            long drops = Udp.kernelDrops(port) - dropsBefore;
            Net.await(Duration.ofSeconds(20), "the burst delivered", () -> received.get() + Udp.kernelDrops(port)
                    - dropsBefore >= burst);
            UdpStats stats = server.stats();
            System.out.printf("burst of %d: received %d, kernel drops %d, %s%n", burst, received.get(), drops, stats);
            assertEquals(burst - (Udp.kernelDrops(port) - dropsBefore), received.get(),
                    "every datagram the kernel queued was delivered");
            assertEquals(0, Udp.kernelDrops(port) - dropsBefore, "8 MiB of receive buffer held the burst");
            for (int i = 0; i < burst; i++) {
                assertTrue(seenSeq[i], "datagram " + i + " delivered");
            }
            if (Transports.ioUring()) {
                // NIO receives into one buffer of its own per socket: it has no provided buffers to run out of.
                assertTrue(stats.bufferRingExhausted() > 0, "ENOBUFS was hit and counted: " + stats);
                assertEquals(stats.bufferRingExhausted(), server.group().stats().bufferRingExhausted(),
                        "the loop's counter counts the UDP exhaustion too");
            }
        }
    }

    @Test
    void aConnectedSocketHearsEconnrefusedOncePerRefusal() throws Exception {
        int closedPort;
        try (DatagramChannel gone = DatagramChannel.open()) {
            gone.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closedPort = Udp.local(gone).getPort();
        }
        ConcurrentLinkedQueue<ConnectionException> errors = new ConcurrentLinkedQueue<>();
        DatagramHandler h = new DatagramHandler() {
            @Override
            public void onDatagram(UdpSocket socket, Datagram datagram, UdpAddress sender) {
            }

            @Override
            public void onError(UdpSocket socket, ConnectionException error) {
                errors.add(error);
            }
        };
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort);
        try (UdpEndpoint client = UdpEndpoint.builder().connect(nobody).handler(h).start()) {
            UdpSocket s = client.socket();
            assertEquals(nobody, s.remoteAddress());
            s.send(new byte[] {1, 2, 3}, 0, 3);
            Net.await(Duration.ofSeconds(5), "ECONNREFUSED reported", () -> !errors.isEmpty());
            ConnectionException e = errors.peek();
            assertEquals(Errno.ECONNREFUSED, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("recvmsg") || e.getMessage().contains("send to"), e.getMessage());
            assertTrue(e.getMessage().contains(s.toString()), "names the socket: " + e.getMessage());
            // The refusal is on the socket before the report: whatever else it would make the
            // loop report is handled once the loop has gone round after the first.
            Loops.settle(s.eventLoop());
            assertEquals(1, errors.size(), "one ICMP error, one report: " + errors);
            assertFalse(s.isClosed(), "the socket goes on");
            s.send(new byte[] {4}, 0, 1);
            Net.await(Duration.ofSeconds(5), "the second refusal reported", () -> errors.size() == 2);
        }
    }

    @Test
    void aBurstToOnePeerGoesOutInOneGsoSendAndArrivesAsSeparateDatagrams() throws Exception {
        int count = 20;
        int size = 1200;
        DatagramHandler h = (socket, d, sender) -> {
            // One request, a burst of replies to the same peer in the same callback: one GSO run.
            byte[] reply = new byte[size];
            for (int i = 0; i < count; i++) {
                Arrays.fill(reply, (byte) i);
                // The last one shorter: a GSO run may end with a short segment.
                socket.send(sender, reply, 0, i == count - 1 ? 100 : size);
            }
        };
        try (UdpEndpoint server = UdpEndpoint.builder().handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            Udp.send(client, new byte[] {1}, server.localAddress());
            for (int i = 0; i < count; i++) {
                byte[] got = Udp.receive(client).data();
                assertEquals(i == count - 1 ? 100 : size, got.length, "datagram " + i);
                for (byte b : got) {
                    assertEquals((byte) i, b, "datagram " + i + " in order, content intact");
                }
            }
            Net.await(Duration.ofSeconds(5), "the send completions", () -> server.stats().datagramsSent() == count);
            UdpStats stats = server.stats();
            if (Transports.ioUring()) {
                assertEquals(1, stats.sends(), "one sendmsg for the burst: " + stats);
                assertEquals(1, stats.gsoSends(), stats.toString());
            } else {
                assertEquals(count, stats.sends(), "a DatagramChannel has no GSO: one send each: " + stats);
                assertEquals(0, stats.gsoSends(), stats.toString());
            }
        }
    }

    @Test
    void aGsoRunTheKernelRefusesIsSentDatagramByDatagram() throws Exception {
        Transports.assumeIoUring("UDP GSO (UDP_SEGMENT) with a raw socket option");
        // SO_NO_CHECK (no UDP checksums): the kernel refuses UDP_SEGMENT sends with EINVAL.
        int soNoCheck = 11;
        DatagramHandler h = (socket, d, sender) -> {
            for (int i = 0; i < 10; i++) {
                socket.send(sender, new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0}, 0, 8);
            }
        };
        try (UdpEndpoint server = UdpEndpoint.builder().socketOption(1, soNoCheck, 1).handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            Udp.send(client, new byte[] {1}, server.localAddress());
            for (int i = 0; i < 10; i++) {
                assertEquals((byte) i, Udp.receive(client).data()[0], "datagram " + i + ", in order");
            }
            Net.await(Duration.ofSeconds(5), "the send completions", () -> server.stats().datagramsSent() == 10);
            UdpStats stats = server.stats();
            assertEquals(1, stats.gsoSends(), "the run was tried once: " + stats);
            assertEquals(11, stats.sends(), "then each datagram alone: " + stats);
            assertEquals(0, stats.sendErrors(), "the refusal cost nothing: " + stats);
            // GSO stays off for the socket: the next burst goes datagram by datagram at once.
            Udp.send(client, new byte[] {2}, server.localAddress());
            for (int i = 0; i < 10; i++) {
                Udp.receive(client);
            }
            assertEquals(1, server.stats().gsoSends());
        }
    }

    @Test
    void withoutGsoEveryDatagramIsItsOwnSendmsg() throws Exception {
        DatagramHandler h = (socket, d, sender) -> {
            for (int i = 0; i < 5; i++) {
                socket.send(sender, new byte[600], 0, 600);
            }
        };
        try (UdpEndpoint server = UdpEndpoint.builder().gso(false).handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            Udp.send(client, new byte[] {1}, server.localAddress());
            for (int i = 0; i < 5; i++) {
                assertEquals(600, Udp.receive(client).data().length);
            }
            Net.await(Duration.ofSeconds(5), "the send completions", () -> server.stats().datagramsSent() == 5);
            assertEquals(5, server.stats().sends());
            assertEquals(0, server.stats().gsoSends());
        }
    }

    @Test
    void aFullSendQueueRefusesAndCounts() throws Exception {
        List<Boolean> accepted = new ArrayList<>();
        DatagramHandler h = (socket, d, sender) -> {
            // Four slots: the fifth datagram of one iteration does not fit.
            for (int i = 0; i < 6; i++) {
                accepted.add(socket.send(sender, new byte[10], 0, 10));
            }
        };
        try (UdpEndpoint server = UdpEndpoint.builder().sendQueue(4, 4096).handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            Udp.send(client, new byte[] {1}, server.localAddress());
            for (int i = 0; i < 4; i++) {
                Udp.receive(client);
            }
            Net.await(Duration.ofSeconds(5), "the sends completed", () -> server.stats().datagramsSent() == 4);
            assertEquals(List.of(true, true, true, true, false, false), accepted);
            assertEquals(2, server.stats().sendRefused());
        }
    }

    @Test
    void controlMessagesAreDeliveredBesideThePayload() throws Exception {
        // SO_TIMESTAMPNS: each datagram carries a struct timespec of when the kernel received it.
        int soTimestampNs = 35;
        List<long[]> cmsgs = new ArrayList<>();
        DatagramHandler h = (socket, d, sender) -> {
            java.lang.foreign.MemorySegment m = d.buffer();
            long c = d.controlOffset();
            synchronized (cmsgs) {
                cmsgs.add(new long[] {d.controlLength(), m.get(java.lang.foreign.ValueLayout.JAVA_LONG, c),
                        m.get(java.lang.foreign.ValueLayout.JAVA_INT, c + 8), m.get(java.lang.foreign.ValueLayout.JAVA_INT, c + 12),
                        m.get(java.lang.foreign.ValueLayout.JAVA_LONG, c + 16), d.length(), d.get(0)});
            }
        };
        if (!Transports.ioUring()) {
            // A DatagramChannel neither sets raw options nor returns control data: refused, named.
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () ->
                    UdpEndpoint.builder().controlRoom(32).socketOption(1, soTimestampNs, 1).handler(h).start());
            assertTrue(e.getMessage().contains("level 1 option 35") && e.getMessage().contains("nio"), e.getMessage());
            return;
        }
        try (UdpEndpoint server = UdpEndpoint.builder().controlRoom(32).socketOption(1, soTimestampNs, 1).handler(h).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            long before = System.currentTimeMillis() / 1000;
            Udp.send(client, new byte[] {42, 43}, server.localAddress());
            Net.await(Duration.ofSeconds(5), "the datagram", () -> {
                synchronized (cmsgs) {
                    return !cmsgs.isEmpty();
                }
            });
            long[] c = cmsgs.get(0);
            assertEquals(32, c[0], "one cmsg of CMSG_SPACE(16)");
            assertEquals(32, c[1], "cmsg_len");
            assertEquals(1, c[2], "SOL_SOCKET");
            assertEquals(soTimestampNs, c[3], "SCM_TIMESTAMPNS");
            assertTrue(Math.abs(c[4] - before) <= 2, "tv_sec is now: " + c[4] + " vs " + before);
            assertEquals(2, c[5], "the payload follows the control room");
            assertEquals(42, c[6]);
        }
    }

    @Test
    void closingFreesEverythingAndSendsWhatWasQueued() throws Exception {
        EventLoopGroup group = EventLoopGroup.create(1);
        CountDownLatch closed = new CountDownLatch(1);
        DatagramHandler h = new DatagramHandler() {
            @Override
            public void onDatagram(UdpSocket socket, Datagram d, UdpAddress sender) {
                // Queue replies and close in the same callback: they still go out.
                for (int i = 0; i < 3; i++) {
                    socket.send(sender, d.buffer(), d.offset(), d.length());
                }
                socket.close();
            }

            @Override
            public void onClose(UdpSocket socket, Throwable cause) {
                closed.countDown();
            }
        };
        UdpEndpoint server = UdpEndpoint.builder().group(group).maxDatagramSize(10_000).handler(h).start();
        try (DatagramChannel client = Udp.client(server.localAddress())) {
            Udp.send(client, Net.pattern(5000, 1), server.localAddress());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(Net.pattern(5000, 1), Udp.receive(client).data(), "reply " + i);
            }
            assertTrue(closed.await(5, TimeUnit.SECONDS), "onClose ran");
            server.close();
        }
        int port = server.localAddress().getPort();
        assertFalse(Udp.isBound(port), "the socket was closed when onClose ran");
        group.close();
        assertTrue(((TransportLoop) group.loops().get(0)).nativeResourcesFreed());
    }

    @Test
    void closingTheGroupClosesItsEndpointsWithReceivesArmed() throws Exception {
        EventLoopGroup group = EventLoopGroup.create(2);
        UdpEndpoint big = UdpEndpoint.builder().group(group).maxDatagramSize(60_000).handler(new Udp.Echo()).start();
        UdpEndpoint small = UdpEndpoint.builder().group(group).handler(new Udp.Echo()).start();
        assertEquals(2, big.sockets().size());
        assertTrue(Udp.isBound(big.localAddress().getPort()) && Udp.isBound(small.localAddress().getPort()));
        group.close();
        for (EventLoop l : group.loops()) {
            assertTrue(((TransportLoop) l).nativeResourcesFreed(), "loop " + l.index() + " freed everything");
        }
        assertTrue(big.socket().isClosed() && small.socket().isClosed());
        assertFalse(Udp.isBound(big.localAddress().getPort()), "both sockets of the two-loop endpoint are closed");
        assertFalse(Udp.isBound(small.localAddress().getPort()));
        big.close();
        small.close();
    }
}
