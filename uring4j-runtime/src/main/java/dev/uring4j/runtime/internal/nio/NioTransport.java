package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.internal.LoopUdp;
import dev.uring4j.runtime.internal.ServerConfig;
import dev.uring4j.runtime.internal.ServerCore;
import dev.uring4j.runtime.internal.Transport;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.internal.UdpConfig;
import dev.uring4j.runtime.internal.UdpCore;

/**
 * The JDK NIO transport ({@link NioEventLoop}s and {@link NioServer}s): epoll through
 * {@link java.nio.channels.Selector}, for wherever io_uring cannot run. Same public API and
 * behaviour; docs/FALLBACK.md lists what differs.
 */
public final class NioTransport implements Transport {
    public static final String NAME = "nio";
    public static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportLoop[] startLoops(EventLoopGroup group, int threads, LoopOptions options, String name)
            throws IOException {
        NioEventLoop[] loops = new NioEventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new NioEventLoop(group, i, options, name + "-" + i);
        }
        return TransportLoop.startAll(loops, NAME);
    }

    @Override
    public ServerCore startServer(EventLoopGroup group, ServerConfig config) throws IOException {
        return NioServer.start(group, config);
    }

    @Override
    public UdpCore startUdp(EventLoopGroup group, UdpConfig config) throws IOException {
        return LoopUdp.start(group, config, NioUdp.OPENER);
    }
}
