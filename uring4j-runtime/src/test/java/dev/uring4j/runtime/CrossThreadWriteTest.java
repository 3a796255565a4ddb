package dev.uring4j.runtime;

import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A write from a thread that is not the connection's loop tells the truth: {@code true} means the
 * bytes will be sent (unless the connection fails, which its handler hears), {@code false} that
 * they were refused — over the output limit, or after close. Nothing vanishes silently.
 */
class CrossThreadWriteTest {
    private static final int LIMIT = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    @Test
    void writesFromAnotherThreadPastTheOutputLimitAreRefusedAndEveryAcceptedByteArrives() throws Exception {
        Recorder recorder = new Recorder();
        LoopOptions options = LoopOptions.builder().maxPendingOutput(LIMIT).build();
        try (TcpServer server = TcpServer.builder().options(options).handler(() -> recorder).start();
             Socket client = Net.connect(server.localAddress(), 16 * 1024)) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            byte[] chunk = new byte[CHUNK];
            long accepted = 0;
            int refused = 0;
            // The client does not read yet: the kernel's buffers fill, then the connection's queue.
            for (int i = 0; i < 1024 && refused == 0; i++) {
                chunk[0] = (byte) i;
                if (c.write(chunk, 0, CHUNK)) {
                    accepted += CHUNK;
                    c.flush();
                } else {
                    refused++;
                }
            }
            assertTrue(refused > 0, "a write past the output limit was refused (accepted " + accepted + " bytes)");
            c.close();
            long received = 0;
            InputStream in = client.getInputStream();
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) > 0; ) {
                received += n;
            }
            assertEquals(accepted, received, "every byte a write accepted reached the peer, none more");
        }
    }

    @Test
    void aWriteFromAnotherThreadAfterCloseIsRefused() throws Exception {
        Recorder recorder = new Recorder();
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start();
             Socket client = Net.connect(server.localAddress())) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            assertTrue(c.write("before".getBytes()), "an open connection takes output");
            c.close();
            assertFalse(c.write("after".getBytes()), "a write after close() is refused, not dropped");
            c.flush();
            assertEquals("before", new String(Net.readToEnd(client)), "what was written before the close arrives, alone");
        }
    }

    @Test
    void aWriteFromAnotherThreadAfterTheLoopStoppedIsRefused() throws Exception {
        Recorder recorder = new Recorder();
        EventLoopGroup group = EventLoopGroup.create(1);
        try (TcpServer server = TcpServer.builder().group(group).handler(() -> recorder).start();
             Socket client = Net.connect(server.localAddress())) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            group.close();
            assertFalse(c.write("late".getBytes()), "the loop is gone: refused");
            c.close();      // and closing again is harmless
        }
    }
}
