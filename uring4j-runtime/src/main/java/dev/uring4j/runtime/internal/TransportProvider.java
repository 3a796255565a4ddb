package dev.uring4j.runtime.internal;

import java.io.IOException;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.Transport;


/**
 * The transport seam: what the public API asks of a way to do I/O, io_uring or the JDK's NIO.
 * Everything above it (groups, servers, clients, endpoints) is written once; everything below it
 * is one transport's loops, connections, listeners and UDP sockets.
 */
public interface TransportProvider {
    /** Which transport this is. */
    Transport transport();

    /** {@code threads} loops, constructed but not started, named {@code namePrefix-INDEX}. */
    TransportLoop[] newLoops(int threads, LoopOptions options, String namePrefix);

    /** Binds and starts accepting for a server on {@code group}'s loops. */
    LoopServer startServer(LoopGroup group, ServerConfig config) throws IOException;

    /** Binds (and, in client mode, connects) a UDP endpoint on {@code group}'s loops and starts receiving. */
    LoopUdp startUdp(LoopGroup group, UdpConfig config) throws IOException;
}
