package dev.uring4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.internal.uring.UringEventLoop;

/**
 * A loop that cannot go on does not die silently: every connection it served is closed (the
 * peers see it), every handler hears the cause in {@code onClose}, and closing the server
 * afterwards returns instead of waiting for the dead loop. The failure is provoked the way the
 * suite's strict completion checking makes it fatal: a completion the loop cannot match.
 */
@Tag("io_uring")
class LoopDeathTest {

    @BeforeEach
    void needsIoUring() {
        Transports.assumeIoUring("matching completions to user_data");
        assumeTrue(Boolean.getBoolean("uring4j.strictCompletions"), "the suite runs with strict completions");
    }

    @Test
    void aLoopThatFailsClosesItsConnectionsWithTheCause() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        List<Socket> clients = new ArrayList<>();
        try (TcpServer server = TcpServer.builder().handler(() -> {
            Recorder r = new Recorder();
            synchronized (recorders) {
                recorders.add(r);
            }
            return r;
        }).start()) {
            for (int i = 0; i < 3; i++) {
                clients.add(Net.connect(server.localAddress()));
            }
            Net.await(java.time.Duration.ofSeconds(5), "three connections", () -> server.connections() == 3);
            UringEventLoop loop = (UringEventLoop) server.group().loops().get(0);
            CompletableFuture<Void> queued = new CompletableFuture<>();
            loop.execute(() -> {
                // Not counted in flight: the loop matches nothing to it, so nothing waits for it.
                loop.sqeWithoutCompletion().prepNop().userData(0x7E7E_7E7E_0000_0001L);
                queued.complete(null);
            });
            queued.get(5, TimeUnit.SECONDS);
            for (Socket s : clients) {
                s.setSoTimeout(5000);
                assertClosedByServer(s);
            }
            synchronized (recorders) {
                for (Recorder r : recorders) {
                    Throwable cause = r.closed.get(5, TimeUnit.SECONDS);
                    assertInstanceOf(IllegalStateException.class, cause);
                    assertTrue(cause.getMessage().contains("completion with user_data 0x7e7e7e7e00000001"), cause.getMessage());
                    assertEquals(1, r.closes.size(), "onClose once");
                }
            }
            assertEquals(0, server.connections(), "every connection counted closed");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        if (LeakDetection.enabled()) {
            // Leak detection saw the injected completion end an operation that was never in
            // flight, and nothing else: the dead loop gave back everything it held.
            List<String> reports = LeakDetection.takeReported();
            assertEquals(1, reports.size(), String.join("\n", reports));
            assertTrue(reports.get(0).contains("operation in flight with user_data 0x7e7e7e7e00000001 given back but not held"),
                    reports.get(0));
        }
    }

    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "closed by the server");
        } catch (SocketException reset) {
            // A reset is a close too.
        }
    }
}
