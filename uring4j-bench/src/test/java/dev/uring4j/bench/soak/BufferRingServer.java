package dev.uring4j.bench.soak;

import java.net.InetSocketAddress;

import dev.uring4j.examples.EchoServer;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.UringOptions;

/**
 * Child process for {@link MemlockLimitTest}: an echo server on io_uring whose buffer rings are
 * large (two groups of 32,768 entries, 512 KiB of ring each) and whose ring is small (64 SQ
 * entries), so that a locked-memory limit between the two is too small for the buffer rings
 * alone. The configuration is the public API's; the server is the echo example.
 */
public final class BufferRingServer {
    /** Ring memory of one buffer group: 32,768 entries of 16 bytes. */
    static final long BUFFER_RING_BYTES = 32768 * 16;

    private BufferRingServer() {}

    public static void main(String[] args) throws Exception {
        UringOptions uring = UringOptions.builder().sqEntries(64).cqEntries(256).bufferGroups(2).buffersPerGroup(32768).build();
        TcpServer server = TcpServer.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .threads(1)
                .transport(Transport.IO_URING)
                .options(LoopOptions.builder().bufferSize(64).uring(uring).build())
                .handler(EchoServer.Echo::new)
                .start();
        System.out.println("listening on 127.0.0.1:" + server.localAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
