package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The kernel hands a freed direct-descriptor index out again at once, and an outgoing connection's
 * socket enters the table by a system call that runs ahead of completions the loop has not read:
 * a connection can take the index of one whose close has run but whose close completion is still
 * unread. Both must finish normally: the earlier one closes once, the later one works.
 */
class DirectIndexReuseTest {

    @Test
    void aConnectionClosedJustBeforeAnotherConnectsIsClosedOnceAndTheOtherWorks() throws Exception {
        List<Recorder> handlers = new CopyOnWriteArrayList<>();
        try (EventLoopGroup group = EventLoopGroup.builder().threads(1).build();
             TcpServer server = TcpServer.builder().group(group).handler(EchoHandler::new).start();
             TcpClient client = TcpClient.builder().group(group).handler(() -> {
                 Recorder r = new Recorder();
                 handlers.add(r);
                 return r;
             }).build()) {
            InetSocketAddress to = server.localAddress();
            Connection previous = client.connect(to).get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 300; i++) {
                previous.abort();
                Connection next = client.connect(to).get(5, TimeUnit.SECONDS);
                next.writeAndFlush(new byte[] {(byte) i});
                previous = next;
            }
            Recorder last = handlers.get(handlers.size() - 1);
            Net.await(Duration.ofSeconds(10), "the last connection's echo", () -> last.received() == 1);
            previous.close();
            Net.await(Duration.ofSeconds(10), "every connection closed", () -> handlers.stream().allMatch(r -> r.closed.isDone()));
            for (Recorder r : handlers) {
                assertEquals(1, r.closes.size(), "closed exactly once");
            }
            assertNull(last.closed.get(), "the last one closed in order");
        }
    }
}
