package dev.uring4j.runtime;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A blocking-socket echo on a virtual thread its loop carries allocates nothing per message on
 * the loop's thread, which runs the virtual thread too: the read that waits, its wake-up and the
 * write that follows reuse what they hold.
 */
@ExtendWith(WithoutLeakDetection.class)
class BlockingAllocationTest {

    @Test
    void aCarriedBlockingEchoAllocatesNothingPerMessageOnTheLoopThread() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group));
             Socket s = Net.connect(server.localAddress())) {
            BlockingSocket accepted = server.accept();
            accepted.connection().eventLoop().ofVirtual().start(() -> {
                byte[] b = new byte[4096];
                try (accepted) {
                    int n;
                    while ((n = accepted.read(b, 0, b.length)) > 0) {
                        accepted.write(b, 0, n);
                    }
                } catch (IOException e) {
                    // the test's client went away
                }
            });
            CompletableFuture<Long> tid = new CompletableFuture<>();
            group.loops().get(0).execute(() -> tid.complete(Thread.currentThread().threadId()));
            long loopThread = tid.get(5, TimeUnit.SECONDS);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] msg = new byte[64];
            for (int i = 0; i < 20_000; i++) {
                out.write(msg);
                in.readFully(msg);
            }
            long before = threads.getThreadAllocatedBytes(loopThread);
            int messages = 100_000;
            for (int i = 0; i < messages; i++) {
                out.write(msg);
                in.readFully(msg);
            }
            long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
            System.out.printf("carried blocking echo: %d bytes over %d messages on the loop thread%n", allocated, messages);
            // One object per message would be 16 bytes or more each; what is allowed here (a few
            // kilobytes over the whole run, about 1 KiB seen) is what the run allocates once, not per message.
            assertTrue(allocated / (double) messages < 0.05, allocated / (double) messages + " bytes per message");
        }
    }
}
