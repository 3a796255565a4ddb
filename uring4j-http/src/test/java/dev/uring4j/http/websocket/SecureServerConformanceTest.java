package dev.uring4j.http.websocket;

import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.uring4j.runtime.TcpServer;

/** {@link ServerConformanceCases} over TLS: the same frames and codes behind the record layer. */
class SecureServerConformanceTest extends ServerConformanceCases {
    private SSLContext context;

    @Override
    TcpServer.Builder tcp() {
        return TcpServer.builder().tls(TestTls.server());
    }

    @Override
    Socket connect(InetSocketAddress address) throws Exception {
        if (context == null) {
            context = TestTls.context();
        }
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        s.startHandshake();
        return s;
    }
}
