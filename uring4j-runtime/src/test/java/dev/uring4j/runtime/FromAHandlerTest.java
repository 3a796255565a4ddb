package dev.uring4j.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a handler may do on its loop without waiting for that loop: start a server and a UDP
 * endpoint on its own group, and close them again. Each used to wait for a task queued behind the
 * handler itself, so the loop stopped for good.
 */
class FromAHandlerTest {

    /** Runs what the test hands it, on the loop, when a byte arrives. */
    private static final class OnLoop extends Recorder {
        volatile java.util.concurrent.Callable<Object> next;
        final java.util.concurrent.BlockingQueue<CompletableFuture<Object>> results =
                new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public int onData(Connection c, MemorySegment buffer, long offset, int length) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            try {
                f.complete(next.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
            results.add(f);
            return length;
        }

        Object run(Socket s, java.util.concurrent.Callable<Object> task) throws Exception {
            next = task;
            Net.write(s, new byte[] {1});
            return results.poll(10, TimeUnit.SECONDS).get();
        }
    }

    @Test
    void aHandlerStartsAndClosesAServerAndAUdpEndpointOnItsOwnGroup() throws Exception {
        OnLoop control = new OnLoop();
        try (EventLoopGroup group = EventLoopGroup.create(2);
             TcpServer server = TcpServer.builder().group(group).handler(() -> control).start();
             Socket s = Net.connect(server.localAddress())) {
            TcpServer started = (TcpServer) control.run(s, () -> TcpServer.builder().group(group).handler(EchoHandler::new).start());
            InetSocketAddress at = started.localAddress();
            try (Socket e = Net.connect(at)) {
                Net.write(e, "hello".getBytes());
                assertArrayEquals("hello".getBytes(), Net.read(e, 5), "the server started by a handler serves");
            }
            UdpEndpoint udp = (UdpEndpoint) control.run(s, () -> UdpEndpoint.builder().group(group)
                    .handler((DatagramHandler) (socket, d, sender) -> { }).start());
            assertTrue(udp.localAddress().getPort() > 0);

            control.run(s, () -> {
                started.close();
                udp.close();
                return null;
            });
            Net.await(Duration.ofSeconds(5), "the server's port closed", () -> refused(at));
            // The loops go on: the controlling connection still answers.
            assertTrue(control.run(s, () -> Boolean.TRUE) == Boolean.TRUE);
        }
    }

    private static boolean refused(InetSocketAddress at) {
        try (Socket probe = new Socket()) {
            probe.connect(at, 1000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }
}
