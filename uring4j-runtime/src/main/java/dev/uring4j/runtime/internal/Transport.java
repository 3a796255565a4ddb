package dev.uring4j.runtime.internal;

import java.io.IOException;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;

/**
 * A way to do I/O behind the public API: io_uring, or JDK NIO where io_uring is unavailable.
 */
public interface Transport {
    /** {@code "io_uring"} or {@code "nio"}. */
    String name();

    /** Creates and starts {@code threads} loops for {@code group}; throws naming the cause if they cannot start. */
    TransportLoop[] startLoops(EventLoopGroup group, int threads, LoopOptions options, String name) throws IOException;

    /** Binds and starts accepting for {@code server} on {@code group}'s loops. */
    ServerCore startServer(EventLoopGroup group, ServerConfig config) throws IOException;

    /** Binds (and, in client mode, connects) a UDP endpoint on {@code group}'s loops and starts receiving. */
    UdpCore startUdp(EventLoopGroup group, UdpConfig config) throws IOException;
}
