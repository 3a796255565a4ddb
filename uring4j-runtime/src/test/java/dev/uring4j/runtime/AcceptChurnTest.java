package dev.uring4j.runtime;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 50,000 clients that connect and close at once leave no descriptor behind.
 *
 * <p>The clients stay at most {@link #MAX_AHEAD} handshakes ahead of the server's accepts. Four
 * threads can complete handshakes faster than a loop sharing two busy cores accepts them (the NIO
 * transport costs several system calls per connection); once the accept queue is full the kernel
 * drops the handshake's last ACK, and a client that resets right after never reaches the server.
 * That is the kernel shedding load, not a leak, and not what this test is about.
 */
class AcceptChurnTest {
    /** Well under the backlog (SOMAXCONN, 4096), so the accept queue never overflows. */
    private static final int MAX_AHEAD = 1000;


    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fiftyThousandConnectAndCloseLeakNothing(boolean direct) throws Exception {
        if (direct) {
            Transports.assumeIoUring("accepting into direct descriptors");
        }
        int total = 50_000;
        LoopOptions options = direct ? LoopOptions.defaults()
                : LoopOptions.builder().uring(UringOptions.builder().disable(UringOptions.Path.DIRECT_DESCRIPTORS).build()).build();
        try (TcpServer server = TcpServer.builder().options(options).threads(2).handler(Recorder::new).start()) {
            long baseline = Net.openSockets();
            AtomicLong connected = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < total; i += 4) {
                        while (connected.get() - server.group().stats().connectionsOpened() > MAX_AHEAD) {
                            Thread.sleep(1);
                        }
                        Socket s = Net.connect(server.localAddress());
                        connected.incrementAndGet();
                        // A reset close, as impatient clients do; it also keeps the client's
                        // ports out of TIME_WAIT, which 50,000 closes would otherwise exhaust.
                        s.setSoLinger(true, 0);
                        s.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Net.await(Duration.ofSeconds(30), "every accepted connection closed",
                    () -> server.group().stats().connectionsClosed() == total);
            assertEquals(total, server.group().stats().connectionsOpened());
            assertEquals(0, server.connections());
            Net.await(Duration.ofSeconds(10), "socket descriptors back to the baseline",
                    () -> Net.openSockets() == baseline);
        }
    }
}
