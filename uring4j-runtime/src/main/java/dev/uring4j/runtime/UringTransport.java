package dev.uring4j.runtime;

import java.io.IOException;

/** The io_uring transport: {@link UringEventLoop}s and {@link UringServer}s. */
final class UringTransport implements Transport {
    static final UringTransport INSTANCE = new UringTransport();

    private UringTransport() {}

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public TransportLoop[] startLoops(EventLoopGroup group, int threads, LoopOptions options, String name)
            throws IOException {
        UringEventLoop[] loops = new UringEventLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new UringEventLoop(group, i, options, name + "-" + i);
        }
        return TransportLoop.startAll(loops, name());
    }

    @Override
    public ServerCore startServer(EventLoopGroup group, ServerConfig config) throws IOException {
        return UringServer.start(group, config);
    }
}
