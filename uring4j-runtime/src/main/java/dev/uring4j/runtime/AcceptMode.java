package dev.uring4j.runtime;

/**
 * How a {@link TcpServer} accepts connections and spreads them over its group's loops
 * ({@link TcpServer.Builder#acceptMode}).
 */
public enum AcceptMode {
    /**
     * One acceptor (the first loop) takes every connection and hands it to a loop round-robin: on
     * io_uring one multishot accept into direct descriptors, each connection passed to its loop
     * with {@code msg_ring}; on NIO a task on the target loop.
     */
    ACCEPTOR,
    /** Each loop accepts on its own {@code SO_REUSEPORT} socket; the kernel spreads connections. */
    REUSEPORT
}
