package dev.uring4j.runtime.internal;

import java.net.InetSocketAddress;
import dev.uring4j.runtime.TcpServer;

/** A transport's running server behind the public {@link TcpServer}. */
public interface ServerCore {
    InetSocketAddress localAddress();

    TcpServer.AcceptMode acceptMode();

    int connections();

    /** Stops accepting and closes the server's connections after their output drains. */
    void close();
}
