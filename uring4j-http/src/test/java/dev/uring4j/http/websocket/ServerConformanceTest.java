package dev.uring4j.http.websocket;

import java.net.InetSocketAddress;
import java.net.Socket;

import dev.uring4j.runtime.TcpServer;

/** {@link ServerConformanceCases} in plaintext. */
class ServerConformanceTest extends ServerConformanceCases {
    @Override
    TcpServer.Builder tcp() {
        return TcpServer.builder();
    }

    @Override
    Socket connect(InetSocketAddress address) throws Exception {
        return new Socket(address.getAddress(), address.getPort());
    }
}
