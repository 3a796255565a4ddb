package dev.uring4j.runtime;

import java.net.InetSocketAddress;

/** A transport's running server behind the public {@link TcpServer}. */
interface ServerCore {
    InetSocketAddress localAddress();

    TcpServer.AcceptMode acceptMode();

    int connections();

    /** Stops accepting and closes the server's connections after their output drains. */
    void close();
}
