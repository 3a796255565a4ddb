package dev.uring4j.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens many TLS connections to one server and holds them idle, for {@link TlsBench}'s
 * memory-per-connection figure. Plain JDK: a blocking {@link Socket} per connection and an
 * {@link SSLEngine} driven over it, so the client is none of the servers measured.
 *
 * <p>Each connection completes its handshake, and then waits until the server has too: with
 * TLS 1.3 the server sends its session ticket only after it has read the client's
 * {@code Finished}, so the client reads until a post-handshake record has arrived; with TLS 1.2
 * the server's {@code Finished} comes last and the handshake's end says as much. With
 * {@code --request} it then sends one {@code GET /plaintext} and reads the whole answer, so the
 * connection is idle after a request, as a keep-alive connection is. Then the engine is dropped
 * (the connection stays open and is never read again) and the next connection starts.
 *
 * <p>Prints {@code connected N} once all are open and idle, then holds them until its standard
 * input ends or says {@code close}, closes them and prints {@code closed}.
 *
 * <pre>
 * IdleTlsClient --port P [--host 127.0.0.1] --connections 10000 [--threads 8] [--request true|false]
 * </pre>
 *
 * <p>The client trusts any certificate: it measures servers of its own run, whose self-signed
 * certificate it has no reason to check.
 */
public final class IdleTlsClient {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final byte[] REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_TIMEOUT_MS = 30_000;

    private IdleTlsClient() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1, connections = 10_000, threads = 8;
        boolean request = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--request" -> request = Boolean.parseBoolean(args[i + 1]);
                default -> {
                    System.err.println("IdleTlsClient: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (port < 0 || args.length % 2 != 0) {
            System.err.println("usage: IdleTlsClient --port P [--host H] --connections N [--threads T] [--request true|false]");
            System.exit(2);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustingAnyone()}, null);
        InetSocketAddress server = new InetSocketAddress(host, port);
        List<Socket> open = new ArrayList<>(connections);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Socket>>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int count = connections / threads + (t < connections % threads ? 1 : 0);
            boolean withRequest = request;
            parts.add(pool.submit(() -> openIdle(tls, server, count, withRequest)));
        }
        for (Future<List<Socket>> part : parts) {
            open.addAll(part.get());
        }
        pool.shutdown();
        System.out.println("connected " + open.size());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("close")) {
                System.out.println("IdleTlsClient: unknown command '" + line.strip() + "' (close)");
            }
        }
        for (Socket s : open) {
            s.close();
        }
        System.out.println("closed");
    }

    private static List<Socket> openIdle(SSLContext tls, InetSocketAddress server, int count, boolean request) throws IOException {
        List<Socket> open = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(server);
                socket.setSoTimeout(READ_TIMEOUT_MS);
                socket.setTcpNoDelay(true);
                new Session(tls.createSSLEngine(server.getHostString(), server.getPort()), socket).open(request);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw new IOException("connection " + (open.size() + 1) + " of " + count + " on this thread: " + e, e);
            }
            open.add(socket);
        }
        return open;
    }

    /** One connection's engine and buffers, until the connection is idle. */
    private static final class Session {
        private final SSLEngine engine;
        private final InputStream in;
        private final OutputStream out;
        private final ByteBuffer netIn;
        private final ByteBuffer netOut;
        private final ByteBuffer appIn;

        Session(SSLEngine engine, Socket socket) throws IOException {
            this.engine = engine;
            engine.setUseClientMode(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocate(packet).flip();
            this.netOut = ByteBuffer.allocate(packet);
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        void open(boolean request) throws IOException {
            engine.beginHandshake();
            HandshakeStatus hs = engine.getHandshakeStatus();
            while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
                hs = switch (hs) {
                    case NEED_WRAP -> wrap(NOTHING);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapOne().getHandshakeStatus();
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                        yield engine.getHandshakeStatus();
                    }
                    default -> throw new SSLException("unexpected handshake status " + hs);
                };
            }
            if ("TLSv1.3".equals(engine.getSession().getProtocol())) {
                // The server's session ticket: it has read our Finished.
                unwrapOne();
            }
            if (request) {
                wrap(ByteBuffer.wrap(REQUEST));
                StringBuilder answer = new StringBuilder();
                while (answer.indexOf("\r\n\r\n") < 0 || !answer.toString().endsWith("Hello, World!")) {
                    appIn.clear();
                    unwrapOne();
                    answer.append(StandardCharsets.US_ASCII.decode(appIn.flip()));
                }
                if (!answer.toString().startsWith("HTTP/1.1 200 ")) {
                    throw new IOException("the server answered " + answer.substring(0, Math.min(answer.length(), 40)));
                }
            }
        }

        private HandshakeStatus wrap(ByteBuffer plain) throws IOException {
            netOut.clear();
            SSLEngineResult r = engine.wrap(plain, netOut);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + r.getStatus());
            }
            out.write(netOut.array(), 0, netOut.position());
            return r.getHandshakeStatus();
        }

        /** Unwraps one record, reading from the socket until a whole one is there. */
        private SSLEngineResult unwrapOne() throws IOException {
            while (true) {
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                switch (r.getStatus()) {
                    case OK -> {
                        return r;
                    }
                    case BUFFER_UNDERFLOW -> {
                        netIn.compact();
                        int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                        if (n < 0) {
                            throw new IOException("the server closed the connection");
                        }
                        netIn.position(netIn.position() + n).flip();
                    }
                    default -> throw new SSLException("unwrap: " + r.getStatus());
                }
            }
        }
    }

    /** Accepts any server certificate (see the class comment). */
    private static final class TrustingAnyone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
