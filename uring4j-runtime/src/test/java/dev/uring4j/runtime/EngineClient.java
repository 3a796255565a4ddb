package dev.uring4j.runtime;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * A TLS client that shows what is on the wire: the JDK's engine over a plain blocking socket, so
 * a test can tell a peer's {@code close_notify} from a bare FIN, and speak first or stop midway.
 */
final class EngineClient implements Closeable {
    final Socket socket;
    final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    /** Whether the peer's close_notify arrived (not merely its FIN). */
    boolean closeNotifyReceived;

    EngineClient(InetSocketAddress address, SSLContext context) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        engine = context.createSSLEngine("localhost", address.getPort());
        engine.setUseClientMode(true);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet * 2).flip();
        netOut = ByteBuffer.allocate(packet);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
        engine.beginHandshake();
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP -> hs = wrap(ByteBuffer.allocate(0)).getHandshakeStatus();
                case NEED_UNWRAP -> hs = unwrap().getHandshakeStatus();
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    hs = engine.getHandshakeStatus();
                }
                default -> throw new IllegalStateException(hs.toString());
            }
        }
    }

    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        out.write(netOut.array(), 0, netOut.position());
        out.flush();
        return r;
    }

    /** One unwrap, reading from the socket until a whole record is there; at EOF, {@code null}. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                closeNotifyReceived = true;
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return r;
            }
            netIn.compact();
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            netIn.flip();
            if (n < 0) {
                return null;
            }
            netIn.limit(netIn.limit() + n);
        }
    }

    /** Sends {@code data} as records. */
    void write(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** Sends close_notify, then the FIN: our half of the session ends, reading goes on. */
    void shutdownOutput() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrap(ByteBuffer.allocate(0));
        }
        socket.shutdownOutput();
    }

    /** Plaintext until the peer's close_notify or its FIN ({@link #closeNotifyReceived} says which). */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            SSLEngineResult r = unwrap();
            appIn.flip();
            all.write(appIn.array(), 0, appIn.remaining());
            appIn.clear();
            if (r == null || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return all.toByteArray();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
