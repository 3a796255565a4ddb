package dev.uring4j.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * UDP echo against the real kernel: every size from 1 byte to the largest IPv4 payload comes back
 * intact, from the server's port, and the server saw the client's own address as the sender;
 * IPv6, dual-stack IPv4 peers, and an endpoint spread over two loops with SO_REUSEPORT.
 */
class UdpEchoTest {
    private static final int[] SIZES = {1, 2, 63, 64, 65, 1000, 1472, 1473, 2048, 4000, 4096, 8192, 16_384, 32_768,
            65_000, UdpEndpoint.MAX_IPV4_PAYLOAD};

    @Test
    void everySizeUpToTheLargestIpv4PayloadIsEchoedWithItsContentAndSender() throws Exception {
        Udp.Echo echo = new Udp.Echo();
        try (UdpEndpoint server = UdpEndpoint.builder().maxDatagramSize(UdpEndpoint.MAX_IPV4_PAYLOAD)
                .receiveBufferSize(4 << 20).handler(echo).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            InetSocketAddress me = Udp.local(client);
            for (int size : SIZES) {
                byte[] msg = Net.pattern(size, size);
                Udp.send(client, msg, server.localAddress());
                Udp.Received r = Udp.receive(client);
                assertArrayEquals(msg, r.data(), "echo of " + size + " bytes");
                assertEquals(server.localAddress(), r.from(), "the reply comes from the server's port");
                assertEquals(me, echo.senders.poll(), "the server saw our address as the sender of " + size + " bytes");
            }
            Net.await(Duration.ofSeconds(5), "the last send completion", () -> server.stats().datagramsSent() == SIZES.length);
            UdpStats stats = server.stats();
            assertEquals(SIZES.length, stats.datagramsReceived(), stats.toString());
            assertEquals(0, stats.truncated(), stats.toString());
            assertTrue(echo.errors.isEmpty(), echo.errors.toString());
        }
    }

    @Test
    void onIoUringTheSocketIsADirectDescriptorClosedWithTheEndpoint() throws Exception {
        Transports.assumeIoUring("direct descriptors");
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            assumeTrue(group.pathsInUse().contains(UringOptions.Path.DIRECT_DESCRIPTORS), "DIRECT_DESCRIPTORS is off");
            long socketsBefore = Net.openSockets();
            Udp.Echo echo = new Udp.Echo();
            InetSocketAddress bound;
            try (UdpEndpoint server = UdpEndpoint.builder().group(group).handler(echo).start()) {
                bound = server.localAddress();
                assertEquals(socketsBefore, Net.openSockets(), "the endpoint's socket is no descriptor of the process");
            }
            try (UdpEndpoint server = UdpEndpoint.builder().group(group).address(bound).handler(echo).start();
                 DatagramChannel client = Udp.client(server.localAddress())) {
                byte[] msg = Net.pattern(100, 3);
                Udp.send(client, msg, bound);
                assertArrayEquals(msg, Udp.receive(client).data());
            }
            // Closed with the endpoint: the port is free again.
            try (DatagramChannel again = DatagramChannel.open().bind(bound)) {
                assertEquals(bound.getPort(), Udp.local(again).getPort());
            }
        }
    }

    @Test
    void smallDatagramsShareTheLoopsBuffersAndAreEchoed() throws Exception {
        // The default maximum (2048) fits the loop's 4 KiB provided buffers: no groups of its own.
        Udp.Echo echo = new Udp.Echo();
        try (UdpEndpoint server = UdpEndpoint.builder().handler(echo).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            for (int size : new int[] {1, 64, 1472, 2048}) {
                byte[] msg = Net.pattern(size, size + 7);
                Udp.send(client, msg, server.localAddress());
                assertArrayEquals(msg, Udp.receive(client).data(), "echo of " + size + " bytes");
            }
            assertTrue(echo.errors.isEmpty(), echo.errors.toString());
        }
    }

    @Test
    void ipv6PeersAreEchoed() throws Exception {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        Udp.Echo echo = new Udp.Echo();
        try (UdpEndpoint server = UdpEndpoint.builder().address(bind).maxDatagramSize(UdpEndpoint.MAX_IPV6_PAYLOAD)
                .handler(echo).start();
             DatagramChannel client = Udp.client(server.localAddress())) {
            InetSocketAddress me = Udp.local(client);
            for (int size : new int[] {1, 1232, 9000, UdpEndpoint.MAX_IPV6_PAYLOAD}) {
                byte[] msg = Net.pattern(size, size);
                Udp.send(client, msg, server.localAddress());
                Udp.Received r = Udp.receive(client);
                assertArrayEquals(msg, r.data(), "IPv6 echo of " + size + " bytes");
                assertEquals(server.localAddress(), r.from());
                assertEquals(me, echo.senders.poll());
            }
            assertTrue(echo.errors.isEmpty(), echo.errors.toString());
        }
    }

    @Test
    void aDualStackSocketServesIpv4PeersAsMappedAddresses() throws Exception {
        List<Boolean> ipv4 = new ArrayList<>();
        List<Boolean> sameAsPlain = new ArrayList<>();
        InetSocketAddress[] client = new InetSocketAddress[1];
        DatagramHandler h = (socket, d, sender) -> {
            ipv4.add(sender.isIPv4());
            UdpPeer plain = socket.peer(client[0]);
            sameAsPlain.add(sender.sameAs(plain) && socket.peer(sender) == plain);
            socket.send(plain, d.buffer(), d.offset(), d.length());
        };
        try (UdpEndpoint server = UdpEndpoint.builder().address(new InetSocketAddress(InetAddress.getByName("::"), 0))
                .handler(h).start();
             DatagramChannel c = Udp.client(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            client[0] = Udp.local(c);
            byte[] msg = Net.pattern(100, 1);
            Udp.send(c, msg, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.localAddress().getPort()));
            Udp.Received r = Udp.receive(c);
            assertArrayEquals(msg, r.data());
            assertEquals(List.of(true), ipv4, "the sender is an IPv4 peer (::ffff:127.0.0.1)");
            assertEquals(List.of(true), sameAsPlain, "the mapped sender and the plain IPv4 address are one peer");
            assertEquals(1, server.socket().peerCount());
        }
    }

    @Test
    void anEndpointOnTwoLoopsSharesThePortAndServesEveryPeer() throws Exception {
        Udp.Echo echo = new Udp.Echo();
        echo.recordSenders = false;
        int peers = 64;
        try (UdpEndpoint server = UdpEndpoint.builder().threads(2).handler(echo).start()) {
            assertEquals(2, server.sockets().size());
            List<DatagramChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < peers; i++) {
                    DatagramChannel c = Udp.client(server.localAddress());
                    clients.add(c);
                    Udp.send(c, Net.pattern(32, i), server.localAddress());
                }
                for (int i = 0; i < peers; i++) {
                    assertArrayEquals(Net.pattern(32, i), Udp.receive(clients.get(i)).data(), "peer " + i);
                }
            } finally {
                clients.forEach(Net::closeQuietly);
            }
            long first = server.sockets().get(0).stats().datagramsReceived();
            long second = server.sockets().get(1).stats().datagramsReceived();
            assertEquals(peers, first + second);
            // SO_REUSEPORT hashes the 4-tuple: 64 peers all landing on one socket has odds of 2^-63.
            assertTrue(first > 0 && second > 0, "both loops served peers: " + first + " and " + second);
        }
    }
}
