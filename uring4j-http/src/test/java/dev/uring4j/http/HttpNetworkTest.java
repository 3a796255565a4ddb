package dev.uring4j.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import dev.uring4j.runtime.TcpServer;

/** {@link HttpNetworkCases} in plaintext. */
class HttpNetworkTest extends HttpNetworkCases {

    @Override
    TcpServer.Builder tcp() {
        return TcpServer.builder();
    }

    @Override
    Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(address);
        return s;
    }
}
