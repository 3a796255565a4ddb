package dev.uring4j.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;

/** {@link HttpNetworkCases} over TLS: the HTTP engine behaves the same behind the record layer. */
class HttpsNetworkTest extends HttpNetworkCases {
    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.generate("localhost");
    private final TlsConfig tls = TlsConfig.server(List.of(CERTIFICATE.certificate()), CERTIFICATE.privateKey())
            .applicationProtocols("http/1.1").build();
    private final SSLContext client = HttpsServer.trusting(CERTIFICATE.certificate());

    @Override
    TcpServer.Builder tcp() {
        return TcpServer.builder().tls(tls);
    }

    @Override
    Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket tcp = new Socket();
        if (receiveBuffer > 0) {
            tcp.setReceiveBufferSize(receiveBuffer);
        }
        tcp.connect(address);
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(tcp, "localhost", address.getPort(), true);
        s.startHandshake();
        return s;
    }
}
