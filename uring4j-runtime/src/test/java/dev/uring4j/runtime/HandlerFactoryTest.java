package dev.uring4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * A handler factory that returns {@code null} or throws refuses that one connection: its
 * descriptor is closed, the server's count stays exact, and the next connection is served; a
 * client's factory is asked before any socket is opened.
 */
class HandlerFactoryTest {

    /** Every other connection gets no handler ({@code null}, or an exception), the others an echo. */
    private static Supplier<ConnectionHandler> everyOtherRefused(boolean throwing) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            if (calls.getAndIncrement() % 2 == 1) {
                return new EchoHandler();
            }
            if (throwing) {
                throw new IllegalStateException("no handler for this one");
            }
            return null;
        };
    }

    private static void refusedThenServed(boolean throwing) throws Exception {
        for (AcceptMode mode : AcceptMode.values()) {
            try (TcpServer server = TcpServer.builder().threads(2).acceptMode(mode)
                    .handler(everyOtherRefused(throwing)).start()) {
                long fds = -1;
                for (int i = 0; i < 6; i++) {
                    if (i == 1) {
                        // After one round: the first warning loads what logging and the test
                        // harness's output capture need, and a jar opened for a class stays open.
                        Net.await(Duration.ofSeconds(5), "the first round counted closed", () -> server.connections() == 0);
                        fds = Net.openFds();
                    }
                    try (Socket refused = Net.connect(server.localAddress())) {
                        refused.setSoTimeout(3000);
                        assertClosedByServer(refused);
                    }
                    try (Socket served = Net.connect(server.localAddress())) {
                        Net.write(served, "ping".getBytes());
                        assertArrayEquals("ping".getBytes(), Net.read(served, 4), mode + ": the next one is served");
                    }
                }
                Net.await(Duration.ofSeconds(5), "every connection counted closed", () -> server.connections() == 0);
                long baseline = fds;
                Net.await(Duration.ofSeconds(5), "the refused descriptors closed", () -> Net.openFds() <= baseline);
            }
        }
    }

    /** The server closed the connection without a byte: EOF or a reset, not silence. */
    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed by the server");
        } catch (SocketTimeoutException silence) {
            fail("the server neither served nor closed a connection it had no handler for");
        } catch (SocketException reset) {
            // A reset is a close too.
        }
    }

    @Test
    void aFactoryReturningNullClosesThatConnectionAndCountsIt() throws Exception {
        refusedThenServed(false);
    }

    @Test
    void aFactoryThatThrowsClosesThatConnectionAndCountsIt() throws Exception {
        refusedThenServed(true);
    }

    @Test
    void aClientsFactoryIsAskedBeforeASocketIsOpened() throws Exception {
        try (TcpServer server = TcpServer.builder().handler(EchoHandler::new).start();
             TcpClient client = TcpClient.builder().handler(() -> null).build()) {
            long fds = Net.openFds();
            for (int i = 0; i < 50; i++) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> client.connect(server.localAddress()).get(5, TimeUnit.SECONDS));
                assertInstanceOf(NullPointerException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("handler factory"), e.getCause().getMessage());
            }
            assertEquals(fds, Net.openFds(), "no socket was opened for a connection without a handler");
            assertEquals(0, server.connections());
        }
    }

    @Test
    void aClientsThrowingFactoryFailsTheConnect() throws Exception {
        try (TcpClient client = TcpClient.builder().handler(() -> {
            throw new IllegalStateException("no handler");
        }).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)).get(5, TimeUnit.SECONDS));
            assertEquals("no handler", e.getCause().getMessage());
        }
    }
}
