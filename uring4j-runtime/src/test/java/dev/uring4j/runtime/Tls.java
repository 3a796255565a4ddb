package dev.uring4j.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import dev.uring4j.runtime.internal.tls.Pem;

/**
 * Plain JDK TLS peers and the openssl and curl command lines, for the tests of certificate
 * material: a blocking {@link SSLServerSocket} server, a client that returns what the server
 * presented, and a runner of external tools that skips a test when its tool is missing.
 */
final class Tls {
    private Tls() {}

    /** Skips the calling test unless {@code tool} is an executable on the PATH. */
    static void assumeTool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean found = Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, tool)));
        Assumptions.assumeTrue(found, tool + " is not on the PATH (apt-get install " + tool + "): its interoperability check is skipped");
    }

    /** What a tool printed (standard output and error together) and its exit status. */
    record Run(int exitCode, String output) {}

    /** Runs a command with no input, so that openssl s_client ends after the handshake. */
    static Run run(Path directory, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // The output is read to its end first, so this only waits for the exit that follows it.
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not exit after closing its output:\n" + output);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** A context that presents what {@code keyManager} picks (none if null) and trusts what {@code trusted} holds (the JDK's cacerts if null). */
    static SSLContext context(KeyManager keyManager, KeyStore trusted) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManager == null ? null : new KeyManager[] {keyManager}, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot make an SSLContext", e);
        }
    }

    /** A client context that trusts exactly {@code certificates}, and presents {@code keyManager}'s (may be null). */
    static SSLContext clientTrusting(KeyManager keyManager, X509Certificate... certificates) {
        return context(keyManager, Pem.trustStore(List.of(certificates)));
    }

    /**
     * Connects to 127.0.0.1:{@code port} as a client of {@code host}: the host name is sent as
     * SNI and, with {@code verifyHost}, the certificate must name it (HTTPS endpoint
     * identification); an IP literal is sent as no SNI, as clients do. Returns the chain the
     * server presented.
     */
    static X509Certificate[] handshake(SSLContext context, int port, String host, boolean verifyHost,
            Consumer<SSLParameters> tweak) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            if (verifyHost) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!Character.isDigit(host.charAt(0)) && host.indexOf(':') < 0) {
                // The JDK sends a name without a dot ("localhost") as no SNI; say it explicitly.
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            tweak.accept(parameters);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate[]) socket.getSession().getPeerCertificates();
        }
    }

    static X509Certificate[] handshake(SSLContext context, int port, String host) throws IOException {
        return handshake(context, port, host, true, p -> { });
    }

    /** What each side of an engine handshake received from the other: the server's chain, and the client's (null if it sent none). */
    record Handshake(X509Certificate[] serverChain, X509Certificate[] clientChain) {}

    /**
     * A handshake between two {@link SSLEngine}s in memory, the way a server built on the JDK's
     * engine sees it: the client sends {@code host} as SNI and, with {@code verifyHost}, checks
     * that the certificate names it. Each engine's records go straight to the other, round by
     * round, on this thread.
     */
    static Handshake engineHandshake(SSLContext serverContext, boolean needClientAuth, SSLContext clientContext, String host,
            boolean verifyHost, Consumer<SSLParameters> tweak) throws SSLException {
        SSLEngine client = clientContext.createSSLEngine(host, 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        if (verifyHost) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tweak.accept(parameters);
        client.setSSLParameters(parameters);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(needClientAuth);
        int size = server.getSession().getPacketBufferSize() * 4;
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer application = ByteBuffer.allocate(size);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50 && !(finished(client) && finished(server)); round++) {
            step(client, toClient, toServer, application);
            step(server, toServer, toClient, application);
        }
        if (!finished(client) || !finished(server)) {
            fail("the engines did not finish their handshake: client " + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
        }
        return new Handshake((X509Certificate[]) client.getSession().getPeerCertificates(),
                needClientAuth ? (X509Certificate[]) server.getSession().getPeerCertificates() : null);
    }

    private static boolean finished(SSLEngine engine) {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** One round for one engine: read every record the other sent, run the tasks that asks for, write what it has to send. */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer application) throws SSLException {
        in.flip();
        while (in.hasRemaining() && progressed(engine.unwrap(in, application))) {
            runTasks(engine);
        }
        in.compact();
        runTasks(engine);
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
                && progressed(engine.wrap(ByteBuffer.allocate(0), out))) {
            runTasks(engine);
        }
        application.clear();
    }

    private static boolean progressed(SSLEngineResult result) {
        return result.getStatus() == SSLEngineResult.Status.OK && (result.bytesConsumed() > 0 || result.bytesProduced() > 0);
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /**
     * A TLS server on 127.0.0.1 that handshakes with one client at a time, answers an HTTP
     * request with {@code ok} (for curl) and closes; a client that sends nothing (openssl
     * s_client, a JDK client) is closed when it closes. Failures on its side are kept, to explain
     * a client's.
     */
    static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;
        private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        /** The certificate of each client that presented one, in order. */
        final BlockingQueue<X509Certificate> clientCertificates = new LinkedBlockingQueue<>();

        Server(SSLContext context, boolean needClientAuth) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(needClientAuth);
            acceptor = Thread.ofPlatform().name("tls-test-server").daemon().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        Queue<Throwable> failures() {
            return failures;
        }

        private void serve() {
            while (true) {
                try (SSLSocket client = (SSLSocket) socket.accept()) {
                    // A safety net against a client that stalls, not a way to wait for anything.
                    client.setSoTimeout(20_000);
                    client.startHandshake();
                    if (client.getNeedClientAuth()) {
                        clientCertificates.add((X509Certificate) client.getSession().getPeerCertificates()[0]);
                    }
                    if (readRequest(client.getInputStream())) {
                        OutputStream out = client.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (SocketException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                    failures.add(e);
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }

        /** Reads up to the blank line that ends a request's head; false at the end of input before one. */
        private static boolean readRequest(InputStream in) throws IOException {
            int matched = 0;
            for (int b; (b = in.read()) >= 0; ) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            socket.close();
            acceptor.join(10_000);
        }
    }
}
