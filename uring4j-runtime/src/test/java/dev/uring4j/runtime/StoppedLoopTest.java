package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Work handed to a loop that has stopped fails at once with a clear exception, instead of being
 * dropped and leaving its caller waiting: {@code execute} throws, a connect's future completes
 * exceptionally, and a connection's address is answered from what is known.
 */
class StoppedLoopTest {

    @Test
    void executeOnAStoppedLoopThrows() throws Exception {
        EventLoopGroup group = EventLoopGroup.create(1);
        EventLoop loop = group.next();
        group.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }

    @Test
    void aConnectOnAClosedGroupFailsAtOnce() throws Exception {
        EventLoopGroup group = EventLoopGroup.create(1);
        TcpClient client = TcpClient.builder().group(group).handler(Recorder::new).build();
        group.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                new InetSocketAddress("127.0.0.1", 9)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }

    @Test
    void aConnectionsAddressesAfterItsLoopStoppedAreAnsweredNotAwaited() throws Exception {
        Recorder recorder = new Recorder();
        EventLoopGroup group = EventLoopGroup.create(1);
        try (TcpServer server = TcpServer.builder().group(group).handler(() -> recorder).start();
             Socket client = Net.connect(server.localAddress())) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            group.close();
            // Not on the loop's thread, and the loop is gone: known addresses or null, never a wait.
            InetSocketAddress local = c.localAddress();
            InetSocketAddress remote = c.remoteAddress();
            if (local != null) {
                assertEquals(server.localAddress().getPort(), local.getPort());
            }
            if (remote != null) {
                assertEquals(client.getLocalPort(), remote.getPort());
            }
            Net.await(java.time.Duration.ofSeconds(5), "the connection closed with its loop", () -> !recorder.closes.isEmpty());
        }
    }
}
