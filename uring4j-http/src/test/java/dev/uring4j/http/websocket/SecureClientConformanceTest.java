package dev.uring4j.http.websocket;

import java.net.InetAddress;
import java.net.ServerSocket;

import dev.uring4j.runtime.TcpClient;

/** {@link ClientConformanceCases} over TLS ({@code wss:}). */
class SecureClientConformanceTest extends ClientConformanceCases {
    @Override
    TcpClient.Builder tcp() {
        return TcpClient.builder().tls(TestTls.client());
    }

    @Override
    ServerSocket listen() throws Exception {
        return TestTls.context().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @Override
    String scheme() {
        return "wss";
    }
}
