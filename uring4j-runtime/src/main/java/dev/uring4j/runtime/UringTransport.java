package dev.uring4j.runtime;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import dev.uring4j.ring.sys.ErrnoException;

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
        for (UringEventLoop l : loops) {
            l.start();
        }
        Throwable failure = null;
        for (UringEventLoop l : loops) {
            try {
                l.started.join();
            } catch (CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure != null) {
            long deadline = System.nanoTime();
            for (UringEventLoop l : loops) {
                if (!l.terminated.isDone()) {
                    l.shutdown(deadline);
                }
            }
            for (UringEventLoop l : loops) {
                l.terminated.join();
            }
            if (failure instanceof ErrnoException ee) {
                throw ee;
            }
            throw new IOException("starting the io_uring event loops failed: " + failure, failure);
        }
        return loops;
    }

    @Override
    public ServerCore startServer(EventLoopGroup group, ServerConfig config) throws IOException {
        return UringServer.start(group, config);
    }

    @Override
    public UdpCore startUdp(EventLoopGroup group, UdpConfig config) throws IOException {
        return UringUdp.start(group, config);
    }
}
