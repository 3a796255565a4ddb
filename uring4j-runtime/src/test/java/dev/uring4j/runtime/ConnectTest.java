package dev.uring4j.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.LibC;

/**
 * Connect failures are reported once, naming the errno, the address and, for timeouts, the
 * duration; a client's local address is where its sockets bind before they connect.
 */
class ConnectTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        group = EventLoopGroup.create(1);
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    private static ConnectionException failure(CompletableFuture<Connection> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(ConnectionException.class, e.getCause());
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        ConnectionException e = failure(TcpClient.builder().group(group).handler(Recorder::new).build().connect(target));
        assertEquals(Errno.ECONNREFUSED, e.errno(), e.getMessage());
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    }

    @Test
    void outgoingConnectionsLiveInDirectDescriptorsAndCarryData() throws Exception {
        Transports.assumeIoUring("direct descriptors");
        assumeTrue(group.pathsInUse().contains(UringOptions.Path.DIRECT_DESCRIPTORS), "DIRECT_DESCRIPTORS is off");
        try (TcpServer server = TcpServer.builder().group(group).handler(EchoHandler::new).start();
             TcpClient client = TcpClient.builder().group(group).handler(Recorder::new).build()) {
            long socketsBefore = Net.openSockets();
            List<Connection> connections = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                connections.add(client.connect(server.localAddress()).get(10, TimeUnit.SECONDS));
            }
            // Both ends are direct descriptors: the process holds no descriptor for any of them.
            assertTrue(Net.openSockets() - socketsBefore < 20, "sockets opened: " + (Net.openSockets() - socketsBefore));
            for (Connection c : connections) {
                assertTrue(c.toString().contains("(direct)"), c.toString());
                assertEquals(server.localAddress().getPort(), c.remoteAddress().getPort());
                c.close();
            }
            Net.await(Duration.ofSeconds(5), "all closed", () -> group.stats().openConnections() == 0);
        }
    }

    @Test
    void aClientsLocalAddressIsTheSourceTheServerSees() throws Exception {
        // All of 127/8 is loopback on Linux: a second loopback address tells the bind apart from the default.
        InetAddress source = InetAddress.getByName("127.0.0.2");
        Recorder accepted = new Recorder();
        try (TcpServer server = TcpServer.builder().group(group).handler(() -> accepted).start();
             TcpClient client = TcpClient.builder().group(group).address(new InetSocketAddress(source, 0))
                     .handler(Recorder::new).build()) {
            Connection c = client.connect(server.localAddress()).get(10, TimeUnit.SECONDS);
            assertEquals(source, c.localAddress().getAddress());
            Connection seen = accepted.opened.get(10, TimeUnit.SECONDS);
            assertEquals(c.localAddress(), seen.remoteAddress(), "the server sees the bound source address and port");
            c.close();
        }
    }

    @Test
    void aLocalAddressThatIsNotThisHostsFailsTheConnectNamingTheBind() throws Exception {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no host has it.
        InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0);
        try (TcpClient client = TcpClient.builder().group(group).address(elsewhere).handler(Recorder::new).build()) {
            ConnectionException e = failure(client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
            assertEquals(Errno.EADDRNOTAVAIL, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("bind to " + elsewhere), e.getMessage());
        }
    }

    @Test
    void multicastDestinationIsUnreachable() throws Exception {
        // TCP to a multicast address fails in the kernel's route lookup with ENETUNREACH, on any host.
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("224.0.0.1"), 9);
        ConnectionException e = failure(TcpClient.builder().group(group).handler(Recorder::new).build().connect(target));
        assertEquals(Errno.ENETUNREACH, e.errno(), e.getMessage());
    }

    @Test
    void aConnectThatHangsFailsAtItsTimeoutNamingAddressAndDuration() throws Exception {
        // A listener whose accept queue is full drops further SYNs, so the next connect hangs.
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        List<Socket> fillers = new ArrayList<>();
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment addr = a.allocate(128);
            int len = dev.uring4j.ring.sys.SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(0, LibC.bind(fd, addr, len));
            assertEquals(0, LibC.listen(fd, 0));
            java.lang.foreign.MemorySegment alen = a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, 128);
            LibC.getsockname(fd, addr, alen);
            InetSocketAddress target = dev.uring4j.ring.sys.SockAddr.read(addr);
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(target, 200);
                    fillers.add(s);
                } catch (java.net.SocketTimeoutException full) {
                    s.close();
                    break;
                }
            }
            long start = System.nanoTime();
            ConnectionException e = failure(TcpClient.builder().group(group).handler(Recorder::new)
                    .connectTimeout(Duration.ofMillis(300)).build().connect(target));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Errno.ETIMEDOUT, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("300 ms"), e.getMessage());
            assertTrue(took >= 250, "did not fail before its timeout: " + took + " ms");
        } finally {
            fillers.forEach(Net::closeQuietly);
            LibC.close(fd);
        }
    }

    @Test
    void cancellingAPendingConnectCancelsItAndClosesTheSocket() throws Exception {
        long fdsBefore = Net.openSockets();
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        List<Socket> fillers = new ArrayList<>();
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment addr = a.allocate(128);
            int len = dev.uring4j.ring.sys.SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LibC.bind(fd, addr, len);
            LibC.listen(fd, 0);
            java.lang.foreign.MemorySegment alen = a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, 128);
            LibC.getsockname(fd, addr, alen);
            InetSocketAddress target = dev.uring4j.ring.sys.SockAddr.read(addr);
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(target, 200);
                    fillers.add(s);
                } catch (java.net.SocketTimeoutException full) {
                    s.close();
                    break;
                }
            }
            CompletableFuture<Connection> f = TcpClient.builder().group(group).handler(Recorder::new)
                    .connectTimeout(null).build().connect(target);
            // The loop has made the socket and submitted the connect, which the full accept queue
            // keeps pending: what is cancelled is a connect in flight.
            Loops.settle(group.loops().get(0));
            assertFalse(f.isDone(), "the connect is pending");
            assertTrue(f.cancel(true));
            assertThrows(CancellationException.class, f::join);
            fillers.forEach(Net::closeQuietly);
            LibC.close(fd);
            // A direct descriptor is no fd of the process: the connection's count says it closed.
            Net.await(Duration.ofSeconds(5), "the cancelled connect's socket closed",
                    () -> Net.openSockets() <= fdsBefore && group.stats().openConnections() == 0);
        }
    }
}
