package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import dev.uring4j.runtime.internal.LoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.internal.LoopServer;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.TransportProvider;
import dev.uring4j.runtime.internal.UdpConfig;


/**
 * The JDK NIO transport ({@link NioEventLoop}s and {@link NioServer}s): epoll through
 * {@link java.nio.channels.Selector}, for wherever io_uring cannot run. Same public API and
 * behaviour; docs/FALLBACK.md lists what differs.
 */
public final class NioTransport implements TransportProvider {
    public static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {}

    @Override
    public Transport transport() {
        return Transport.NIO;
    }

    @Override
    public TransportLoop[] newLoops(int threads, LoopOptions options, String namePrefix) {
        NioEventLoop[] loops = new NioEventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new NioEventLoop(i, options, namePrefix + "-" + i);
        }
        return loops;
    }

    @Override
    public LoopServer startServer(LoopGroup group, ServerConfig config) throws IOException {
        return NioServer.start(group, config);
    }

    @Override
    public LoopUdp startUdp(LoopGroup group, UdpConfig config) throws IOException {
        return LoopUdp.start(group, config, NioUdp.OPENER);
    }
}
