package dev.uring4j.bench.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import dev.uring4j.bench.peers.PeerArgs;
import dev.uring4j.examples.HttpEchoServer;
import dev.uring4j.http.HttpHandler;
import dev.uring4j.http.HttpServer;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;

/**
 * uring4j's HTTP server over TLS, as {@link TlsBench} measures it: the routes of
 * {@code ./uring4j http} ({@link HttpEchoServer#router()}) on one loop, the PEM certificate and
 * key of {@code --cert} and {@code --key}, no ALPN (the load offers none), TLS 1.3 and 1.2 unless {@code --tls-protocol} names one, the JDK's
 * cipher suites in the JDK's order unless {@code --tls-suite} names one.
 * The transport is the runtime's choice, {@code -During4j.transport=nio} for the fallback.
 *
 * <p>Two things differ from {@code ./uring4j http}, both for the measurement: requests are
 * counted on their way to the router (one plain store on the loop thread) and read by
 * {@link ServerControl}; and the idle timeout is an hour, since opening ten thousand connections
 * takes longer than the default minute and Netty's peer closes nothing idle either.
 */
public final class UringHttpsServer {
    private UringHttpsServer() {}

    public static void main(String[] args) throws Exception {
        PeerArgs peer = PeerArgs.parse("UringHttpsServer", args, Set.of("--cert", "--key", "--tls-protocol", "--tls-suite"));
        String cert = peer.required("--cert");
        String key = peer.required("--key");
        TlsConfig.Builder tls = TlsConfig.server(Path.of(cert), Path.of(key));
        String protocol = peer.options().get("--tls-protocol");
        if (protocol != null) {
            tls.protocols(protocol);
        }
        String suite = peer.options().get("--tls-suite");
        if (suite != null) {
            tls.cipherSuites(suite);
        }
        HttpHandler routes = HttpEchoServer.router();
        // Written by the loop thread only; a release store keeps it free of a fence per request.
        AtomicLong requests = new AtomicLong();
        HttpHandler counted = (request, response) -> {
            requests.setRelease(requests.getPlain() + 1);
            routes.handle(request, response);
        };
        TcpServer server = HttpServer.builder(counted).idleTimeout(Duration.ofHours(1)).build()
                .serve(TcpServer.builder().address(peer.address()).threads(1).tls(tls.build()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        ServerControl.start(requests::get, server::connections);
        System.out.println("transport " + server.group().transport());
        peer.announce(server.localAddress());
        stopped.await();
    }
}
