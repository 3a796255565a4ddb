package dev.uring4j.http.websocket;

import java.net.InetAddress;
import java.net.ServerSocket;

import dev.uring4j.runtime.TcpClient;

/** {@link ClientConformanceCases} in plaintext. */
class ClientConformanceTest extends ClientConformanceCases {
    @Override
    TcpClient.Builder tcp() {
        return TcpClient.builder();
    }

    @Override
    ServerSocket listen() throws Exception {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @Override
    String scheme() {
        return "ws";
    }
}
