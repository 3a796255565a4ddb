package dev.uring4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Virtual threads an event loop carries ({@link EventLoop#ofVirtual()}): they run on the loop's
 * thread and count as on the loop, a thread that parks lets the loop go on, and a loop that stops
 * under parked threads lets them end instead of leaving them parked for ever.
 */
class LoopCarrierTest {

    @Test
    void aCarriedThreadRunsOnItsLoopAndAJdkVirtualThreadDoesNot() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(2).build()) {
            EventLoop loop = group.loops().get(1);
            CompletableFuture<List<Object>> seen = new CompletableFuture<>();
            loop.ofVirtual().start(() -> seen.complete(List.of(EventLoop.current(), loop.inEventLoop(),
                    group.loops().get(0).inEventLoop(), Thread.currentThread().isVirtual())));
            assertEquals(List.of(loop, true, false, true), seen.get(5, TimeUnit.SECONDS),
                    "its loop is current, it is in that loop and not in the other, and it is a virtual thread");

            CompletableFuture<List<Object>> jdk = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                List<Object> facts = new java.util.ArrayList<>();
                facts.add(EventLoop.current());
                facts.add(loop.inEventLoop());
                jdk.complete(facts);
            });
            assertEquals(java.util.Arrays.asList(null, false), jdk.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCarriedThreadThatSleepsLeavesTheLoopFreeAndResumesOnIt() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build()) {
            EventLoop loop = group.loops().get(0);
            CountDownLatch taskRan = new CountDownLatch(1);
            CompletableFuture<Boolean> afterSleep = new CompletableFuture<>();
            loop.ofVirtual().start(() -> {
                try {
                    // The loop runs this task while the thread sleeps; had the sleep held the loop's
                    // thread, the task would wait until after the await below times out.
                    loop.execute(taskRan::countDown);
                    assertTrue(taskRan.await(5, TimeUnit.SECONDS), "the loop ran a task while its thread slept");
                    Thread.sleep(20);
                    afterSleep.complete(loop.inEventLoop());
                } catch (Throwable t) {
                    afterSleep.completeExceptionally(t);
                }
            });
            assertTrue(afterSleep.get(10, TimeUnit.SECONDS), "back on the loop after the sleep");
        }
    }

    @Test
    void closingTheGroupUnderParkedReadersEndsThem() throws Exception {
        int n = 50;
        CompletableFuture<?>[] outcomes = new CompletableFuture<?>[n];
        Socket[] clients = new Socket[n];
        EventLoopGroup group = EventLoopGroup.builder().threads(2).build();
        try (BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group))) {
            for (int i = 0; i < n; i++) {
                clients[i] = Net.connect(server.localAddress());
                BlockingSocket s = server.accept();
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                outcomes[i] = outcome;
                s.connection().eventLoop().ofVirtual().start(() -> {
                    try {
                        s.read(new byte[8], 0, 8);
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                });
            }
            group.close();
            for (int i = 0; i < n; i++) {
                Object t = outcomes[i].get(10, TimeUnit.SECONDS);
                assertTrue(t instanceof SocketException, "reader " + i + " ended with " + t);
            }
        } finally {
            for (Socket c : clients) {
                Net.closeQuietly(c);
            }
            group.close();
        }
    }

    @Test
    void withoutTheJvmOptionTheReasonNamesIt() throws Exception {
        assertNull(EventLoop.virtualThreadsUnavailable(), "the tests run with --add-opens java.base/java.lang");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Unavailable.class.getName())
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertTrue(out.contains("UnsupportedOperationException"), out);
    }

    /** A JVM without the option: prints the reason, then what {@code ofVirtual} throws. */
    static final class Unavailable {
        public static void main(String[] args) throws IOException {
            System.out.println(EventLoop.virtualThreadsUnavailable());
            try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build()) {
                group.loops().get(0).ofVirtual();
            } catch (UnsupportedOperationException e) {
                System.out.println(e);
            }
        }
    }

    @Test
    void aThreadStartedByACarriedThreadSharesItsLoop() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build()) {
            EventLoop loop = group.loops().get(0);
            CompletableFuture<EventLoop> child = new CompletableFuture<>();
            loop.ofVirtual().start(() -> Thread.ofVirtual().start(() -> child.complete(EventLoop.current())));
            assertSame(loop, child.get(5, TimeUnit.SECONDS), "the JDK gives a virtual thread its parent's scheduler");
            assertFalse(loop.inEventLoop());
        }
    }
}
