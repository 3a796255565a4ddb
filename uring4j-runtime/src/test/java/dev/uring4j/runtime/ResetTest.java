package dev.uring4j.runtime;

import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.ring.Errno;

/** A peer's reset fails that connection only, once, and frees what it held. */
class ResetTest {

    @Test
    void resetWhileOneMegabyteIsQueuedFailsOnlyThatConnection() throws Exception {
        Recorder victim = new Recorder() {
            @Override
            public void onOpen(Connection c) {
                super.onOpen(c);
                byte[] big = Net.pattern(1 << 20, 1);
                c.writeAndFlush(MemorySegment.ofArray(big), 0, big.length);
            }
        };
        int[] accepted = {0};
        try (TcpServer server = TcpServer.builder().sendBufferSize(64 * 1024)
                .handler(() -> accepted[0]++ == 0 ? victim : new EchoHandler()).start()) {
            Socket peer = Net.connect(server.localAddress(), 4096);
            victim.opened.get(5, TimeUnit.SECONDS);
            List<Socket> others = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                others.add(Net.connect(server.localAddress()));
            }
            Net.await(Duration.ofSeconds(5), "the send to block on a full socket",
                    () -> victim.connection.pendingOutputBytes() > 0);
            peer.setSoLinger(true, 0);
            peer.close();
            Throwable cause = victim.closed.get(10, TimeUnit.SECONDS);
            ConnectionException e = assertInstanceOf(ConnectionException.class, cause);
            assertTrue(e.errno() == Errno.ECONNRESET || e.errno() == Errno.EPIPE, e.getMessage());
            assertTrue(e.getMessage().contains("send") || e.getMessage().contains("recv"), e.getMessage());
            assertTrue(e.getMessage().contains("connection#"), "names the connection: " + e.getMessage());
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < others.size(); i++) {
                    byte[] msg = Net.pattern(32, i * 7 + round);
                    Net.write(others.get(i), msg);
                    assertArrayEquals(msg, Net.read(others.get(i), msg.length), "connection " + i + " unaffected");
                }
            }
            assertEquals(1, victim.closes.size(), "reported once");
            others.forEach(Net::closeQuietly);
            Net.await(Duration.ofSeconds(5), "every connection released", () -> server.connections() == 0);
            assertEquals(0, server.group().stats().outputBytes(), "queued output released: " + server.group().stats());
        }
    }

    @Test
    void resetWhileMultishotRecvIsArmedEndsItWithOneTerminalCompletion() throws Exception {
        Recorder recorder = new Recorder();
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start()) {
            Socket peer = Net.connect(server.localAddress());
            recorder.opened.get(5, TimeUnit.SECONDS);
            Net.write(peer, "before".getBytes());
            Net.await(Duration.ofSeconds(5), "data delivered", () -> recorder.received() == 6);
            peer.setSoLinger(true, 0);
            peer.close();
            Throwable cause = recorder.closed.get(5, TimeUnit.SECONDS);
            if (cause != null) {
                assertEquals(Errno.ECONNRESET, assertInstanceOf(ConnectionException.class, cause).errno());
            }
            // onClose comes after the last completion of the connection: once the loop has gone
            // round after it, any callback still queued behind it would have run.
            Loops.settle(recorder.connection.eventLoop());
            assertEquals(1, recorder.closes.size(), "one close");
            assertEquals(0, recorder.dataAfterClose.get(), "no callbacks after the terminal completion");
            assertEquals(0, server.connections());
        }
    }
}
