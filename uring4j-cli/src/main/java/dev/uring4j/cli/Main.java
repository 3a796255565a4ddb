package dev.uring4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.uring4j.examples.BlockingEchoServer;
import dev.uring4j.examples.EchoServer;
import dev.uring4j.examples.HttpEchoServer;
import dev.uring4j.examples.UdpEchoServer;
import dev.uring4j.examples.arena.ArenaServer;
import dev.uring4j.examples.game.GameClients;
import dev.uring4j.examples.game.GameServer;
import dev.uring4j.http.HttpServer;
import dev.uring4j.ring.Probe;
import dev.uring4j.runtime.AcceptMode;
import dev.uring4j.runtime.BlockingServerSocket;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.LoopStats;
import dev.uring4j.runtime.SelfSignedCertificate;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.TlsConfig;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.TransportSelection;
import dev.uring4j.runtime.UdpEndpoint;
import dev.uring4j.runtime.UdpStats;
import dev.uring4j.runtime.UringOptions;

/**
 * The Java side of {@code ./uring4j}: the subcommands that run a program (the script itself
 * handles build, test and bench). Servers print one line {@code listening on HOST:PORT} when
 * ready, and on SIGINT/SIGTERM shut down gracefully and print their counters. Exit status 2
 * means a usage error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "probe" -> probe(rest);
                case "echo" -> echo(rest);
                case "http" -> http(rest);
                case "udp-echo" -> udpEcho(rest);
                case "serve" -> serve(rest);
                case "arena" -> arena(rest);
                case "game" -> game(rest);
                case "game-client" -> gameClient(rest);
                case "help", "--help", "-h" -> usage();
                default -> {
                    System.err.println("uring4j: unknown command '" + args[0] + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (Args.UsageError e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /**
     * The kernel's io_uring features, then what servers started with the same flags use: a TCP
     * server and a UDP endpoint are started on 127.0.0.1 and asked, so the answer is what they
     * really took (transport, each io_uring path or why not), not what the options would allow.
     */
    private static void probe(String[] args) throws IOException {
        Args a = new Args("probe", args, Set.of("threads", "accept", Args.TRANSPORT));
        System.out.print(Probe.current().report());
        System.out.println();
        Transport asked = a.transport();
        String choice = asked == Transport.AUTO && Transport.fromProperty() != Transport.AUTO
                ? Transport.fromProperty().name() + ", -D" + Transport.PROPERTY : asked.name();
        TcpServer server;
        try {
            server = TcpServer.builder().threads(a.integer("threads", 1)).acceptMode(acceptMode(a))
                    .transport(asked).handler(EchoServer.Echo::new).start();
        } catch (IOException e) {
            System.out.println("TRANSPORT (" + choice + "): none, a server would not start: " + e.getMessage());
            return;
        }
        try (server) {
            TransportSelection s = server.group().transportSelection();
            System.out.println("TRANSPORT (" + choice + "): " + s.transport() + (s.fallback() ? ", the fallback" : "")
                    + "\n  " + s.reason());
            System.out.println();
            if (s.transport() != Transport.IO_URING) {
                System.out.println("RUNTIME PATH: none, NIO (epoll) takes no io_uring path");
            } else {
                System.out.printf("%-20s %-5s %s%n", "RUNTIME PATH", "USED", "OTHERWISE / WHY NOT");
                for (UringOptions.Path p : UringOptions.Path.values()) {
                    String why = server.whyNot(p);
                    System.out.printf("%-20s %-5s %s%n", p.name(), why == null ? "yes" : "no",
                            why == null ? "(else " + p.fallback() + ")" : p.fallback() + ": " + why);
                }
            }
        }
        System.out.println();
        try (UdpEndpoint udp = UdpEndpoint.builder().threads(1).transport(asked).handler(new UdpEchoServer.Echo())
                .start()) {
            TransportSelection s = udp.group().transportSelection();
            System.out.println("UDP (" + choice + "): " + s.transport() + (s.fallback() ? ", the fallback" : "")
                    + "\n  " + s.reason());
            if (s.transport() == Transport.IO_URING) {
                String why = Probe.current().whyMissing(Probe.Feature.SENDTO);
                System.out.println("  a datagram to an address is sent with " + (why == null
                        ? "sendto (IORING_OP_SEND with the address)" : "sendmsg: " + why));
            }
        } catch (IOException e) {
            System.out.println("UDP (" + choice + "): none, an endpoint would not start: " + e.getMessage());
        }
    }

    private static AcceptMode acceptMode(Args a) {
        return AcceptMode.valueOf(a.choice("accept", "acceptor", "acceptor", "reuseport").toUpperCase(Locale.ROOT));
    }

    private static void echo(String[] args) throws Exception {
        Args a = new Args("echo", args, withTls("port", "host", "threads", "accept", "api", "carrier", Args.TRANSPORT));
        if (a.choice("api", "callback", "callback", "blocking").equals("blocking")) {
            // A virtual thread per connection on blocking sockets; the counters say how often a read had to wait.
            boolean onLoops = onLoops(a);
            serveTcp(a, 7007, builder -> {
                BlockingServerSocket server = BlockingServerSocket.bind(builder);
                Thread.ofVirtual().name("echo-acceptor").start(() -> BlockingEchoServer.serve(server, onLoops));
                return server.server();
            }, List.of());
            return;
        }
        serveTcp(a, 7007, builder -> builder.handler(EchoServer.Echo::new).start(), List.of());
    }

    private static void http(String[] args) throws Exception {
        Args a = new Args("http", args, withTls("port", "host", "threads", "accept", Args.TRANSPORT, "virtual-threads",
                "carrier"));
        boolean virtual = a.flag("virtual-threads");
        HttpServer.Builder builder = HttpServer.builder(virtual ? HttpEchoServer.blockingRouter() : HttpEchoServer.router());
        HttpServer http = (onLoops(a) ? builder.virtualThreadsOnLoops(virtual) : builder.virtualThreads(virtual)).build();
        serveTcp(a, 8080, http::serve, List.of("http/1.1"));
    }

    /**
     * {@code --carrier loop}: virtual threads that the connections' loops carry; {@code jdk} (the
     * default): the JDK's scheduler. Refused, naming the JVM option, where loops cannot carry them.
     */
    private static boolean onLoops(Args a) {
        if (!a.choice("carrier", "jdk", "jdk", "loop").equals("loop")) {
            return false;
        }
        String why = EventLoop.virtualThreadsUnavailable();
        if (why != null) {
            throw a.usage("--carrier loop: " + why);
        }
        return true;
    }

    /** A server's options plus the TLS ones {@code echo} and {@code http} take. */
    private static Set<String> withTls(String... options) {
        Set<String> all = new java.util.LinkedHashSet<>(Arrays.asList(options));
        all.addAll(List.of("tls-cert", "tls-key", "tls-port", "tls-self-signed", "tls-ciphers"));
        return all;
    }

    /** Starts a TCP server from a builder it is given (the command's handler or HTTP server). */
    private interface Starter {
        TcpServer start(TcpServer.Builder builder) throws IOException;
    }

    /**
     * Runs {@code echo} or {@code http}: on {@code --port} in plaintext, or in TLS when given a
     * certificate and no {@code --tls-port}; with {@code --tls-port}, plaintext and TLS side by
     * side on one loop group. The TLS listener says {@code tls listening on HOST:PORT} first; the
     * usual {@code listening on HOST:PORT} (of {@code --port}) comes last, once both serve.
     */
    private static void serveTcp(Args a, int defaultPort, Starter starter, List<String> alpn) throws Exception {
        String host = a.string("host", "0.0.0.0");
        TlsConfig tls = tls(a, alpn);
        boolean sideBySide = a.string("tls-port", null) != null;
        TcpServer main = starter.start(TcpServer.builder()
                .address(new InetSocketAddress(host, a.integer("port", defaultPort)))
                .threads(a.integer("threads", 1))
                .acceptMode(acceptMode(a))
                .transport(a.transport())
                .tls(sideBySide ? null : tls));
        printTransport(main.group(), a.transport());
        if (!sideBySide) {
            serveUntilSignalled(main.localAddress(), () -> {
                main.close();
                return main.group().stats() + blockingCounters();
            });
            return;
        }
        TcpServer secure;
        try {
            secure = starter.start(TcpServer.builder().group(main.group())
                    .address(new InetSocketAddress(host, a.integer("tls-port", 8443)))
                    .acceptMode(acceptMode(a))
                    .tls(tls));
        } catch (IOException | RuntimeException e) {
            main.close();
            throw e;
        }
        System.out.println("tls " + listening(secure.localAddress()));
        serveUntilSignalled(main.localAddress(), () -> {
            secure.close();
            main.close();
            return main.group().stats() + blockingCounters();
        });
    }

    /** What the blocking echo's connections counted, when it ran. */
    private static String blockingCounters() {
        long waited = BlockingEchoServer.READS_THAT_WAITED.sum();
        long atOnce = BlockingEchoServer.READS_AT_ONCE.sum();
        return waited + atOnce == 0 ? "" : "; blocking reads at once=" + atOnce + " waited=" + waited
                + " writes=" + BlockingEchoServer.WRITES.sum();
    }

    /**
     * The TLS config the flags ask for: {@code --tls-cert FILE --tls-key FILE} (PEM), or
     * {@code --tls-self-signed} (a certificate made now for localhost, written where curl's
     * {@code --cacert} can read it); {@code null} for plaintext. {@code alpn}: the protocols offered.
     */
    private static TlsConfig tls(Args a, List<String> alpn) throws IOException {
        String cert = a.string("tls-cert", null);
        String key = a.string("tls-key", null);
        boolean selfSigned = a.flag("tls-self-signed");
        if (selfSigned && (cert != null || key != null)) {
            throw a.usage("--tls-self-signed makes its own certificate: give it without --tls-cert/--tls-key");
        }
        if ((cert == null) != (key == null)) {
            throw a.usage("--tls-cert and --tls-key go together");
        }
        if (!selfSigned && cert == null) {
            if (a.string("tls-port", null) != null) {
                throw a.usage("--tls-port needs a certificate: --tls-cert FILE --tls-key FILE, or --tls-self-signed");
            }
            return null;
        }
        TlsConfig.Builder b;
        if (selfSigned) {
            SelfSignedCertificate generated = SelfSignedCertificate.generate();
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("uring4j-tls-");
            java.nio.file.Path certFile = dir.resolve("certificate.pem");
            generated.writePem(certFile, dir.resolve("key.pem"));
            System.out.println("tls self-signed certificate for localhost, 127.0.0.1 and ::1: " + certFile);
            b = TlsConfig.server(List.of(generated.certificate()), generated.privateKey());
        } else {
            b = TlsConfig.server(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
        }
        String ciphers = a.string("tls-ciphers", null);
        if (ciphers != null) {
            b.cipherSuites(ciphers.split(","));
        }
        try {
            return b.applicationProtocols(alpn.toArray(String[]::new)).build();
        } catch (IllegalArgumentException e) {
            throw a.usage("--tls-ciphers: " + e.getMessage());
        }
    }

    /** Prints the transport the server runs on: why, unless {@code --transport} named it. */
    private static void printTransport(EventLoopGroup group, Transport asked) {
        System.out.println("transport " + group.transport() + (asked == Transport.AUTO
                ? ": " + group.transportSelection().reason() : " (--transport)"));
    }

    private static void udpEcho(String[] args) throws Exception {
        Args a = new Args("udp-echo", args, Set.of("port", "host", "threads", "transport", "rcvbuf", "batch-wait"));
        UdpEndpoint server = UdpEndpoint.builder()
                .address(new InetSocketAddress(a.string("host", "0.0.0.0"), a.integer("port", 9000)))
                .threads(a.integer("threads", 1))
                .options(loopOptions(a))
                .receiveBufferSize(a.integer("rcvbuf", 4 << 20))
                .handler(new UdpEchoServer.Echo())
                .transport(a.transport())
                .start();
        printTransport(server.group(), a.transport());
        serveUntilSignalled(server.localAddress(), () -> {
            server.close();
            return "udp " + server.stats() + "; loops " + server.group().stats();
        });
    }

    /**
     * Echo, HTTP and UDP echo in one process on one loop group: what a service speaking several
     * protocols looks like, and what {@code ./uring4j soak} runs under its mixed load. Prints
     * {@code echo listening on HOST:PORT} (and {@code http}, {@code udp-echo}; with
     * {@code --blocking-echo-port}, {@code blocking-echo}: the echo on blocking sockets, on virtual
     * threads the loops carry), then, once all serve, the usual {@code listening on HOST:PORT} with
     * the echo port. A line on stdin prints the
     * counters as one {@code stats key=value ...} line, so a harness can sample them while it runs.
     */
    private static void serve(String[] args) throws Exception {
        Args a = new Args("serve", args, Set.of("host", "echo-port", "http-port", "udp-port", "blocking-echo-port", "threads",
                Args.TRANSPORT));
        String host = a.string("host", "0.0.0.0");
        EventLoopGroup group = EventLoopGroup.builder().threads(a.integer("threads", 1)).transport(a.transport()).build();
        TcpServer echo = TcpServer.builder().group(group)
                .address(new InetSocketAddress(host, a.integer("echo-port", 7007)))
                .handler(EchoServer.Echo::new)
                .start();
        TcpServer http = HttpServer.builder(HttpEchoServer.router()).build().serve(TcpServer.builder().group(group)
                .address(new InetSocketAddress(host, a.integer("http-port", 8080))));
        UdpEndpoint udp = UdpEndpoint.builder().group(group)
                .address(new InetSocketAddress(host, a.integer("udp-port", 9000)))
                .receiveBufferSize(4 << 20)
                .handler(new UdpEchoServer.Echo())
                .start();
        int blockingPort = a.integer("blocking-echo-port", -1);
        BlockingServerSocket blocking = blockingPort < 0 ? null : blockingEcho(group, new InetSocketAddress(host, blockingPort));
        printTransport(group, a.transport());
        System.out.println("echo " + listening(echo.localAddress()));
        System.out.println("http " + listening(http.localAddress()));
        System.out.println("udp-echo " + listening(udp.localAddress()));
        if (blocking != null) {
            System.out.println("blocking-echo " + listening(blocking.localAddress()));
        }
        Thread.ofPlatform().daemon().name("uring4j-stats").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    System.out.println(statsLine(group.stats(), udp.stats(), echo.connections() + http.connections()
                            + (blocking == null ? 0 : blocking.server().connections())));
                    System.out.flush();
                }
            } catch (IOException e) {
                // stdin is gone: nobody is asking any more
            }
        });
        serveUntilSignalled(echo.localAddress(), () -> {
            echo.close();
            http.close();
            if (blocking != null) {
                blocking.close();
            }
            udp.close();
            group.close();
            return "loops " + group.stats() + "; udp " + udp.stats();
        });
    }

    /**
     * The echo on blocking sockets for {@code serve}: a virtual thread per connection, carried by
     * its loop (the JDK's where the JVM does not allow that).
     */
    private static BlockingServerSocket blockingEcho(EventLoopGroup group, InetSocketAddress address) throws IOException {
        BlockingServerSocket server = BlockingServerSocket.bind(TcpServer.builder().group(group).address(address));
        boolean onLoops = EventLoop.virtualThreadsUnavailable() == null;
        Thread.ofVirtual().name("blocking-echo-acceptor").start(() -> BlockingEchoServer.serve(server, onLoops));
        return server;
    }

    /** The counters {@code serve} prints when asked, as {@code key=value} pairs on one line. */
    private static String statsLine(LoopStats loops, UdpStats udp, int tcpConnections) {
        return "stats tcp.connections=" + tcpConnections
                + " loops.open=" + loops.openConnections()
                + " loops.opened=" + loops.connectionsOpened()
                + " loops.closed=" + loops.connectionsClosed()
                + " loops.bytesRead=" + loops.bytesRead()
                + " loops.bytesWritten=" + loops.bytesWritten()
                + " loops.bufferBytes=" + loops.bufferBytes()
                + " loops.outputBytes=" + loops.outputBytes()
                + " loops.droppedCompletions=" + loops.droppedCompletions()
                + " loops.cqOverflows=" + loops.cqOverflows()
                + " loops.bufferRingExhausted=" + loops.bufferRingExhausted()
                + " loops.inFlightOperations=" + loops.inFlightOperations()
                + " loops.buffersInUse=" + loops.buffersInUse()
                + " loops.queuedOutputBytes=" + loops.queuedOutputBytes()
                + " loops.pooledBytes=" + loops.pooledBytes()
                + " loops.completions=" + loops.completions()
                + " loops.wakeups=" + loops.wakeups()
                + " loops.batchedWaits=" + loops.batchedWaits()
                + " udp.received=" + udp.datagramsReceived()
                + " udp.sent=" + udp.datagramsSent()
                + " udp.sendRefused=" + udp.sendRefused()
                + " udp.sendErrors=" + udp.sendErrors()
                + " udp.receiveErrors=" + udp.receiveErrors()
                + " udp.truncated=" + udp.truncated()
                + " udp.peers=" + udp.peers();
    }

    private static String listening(InetSocketAddress bound) {
        return "listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort();
    }

    /**
     * The HttpArena endpoints ({@link ArenaServer}) on {@code --port}, and over TLS on
     * {@code --tls-port} when there is a certificate ({@code --tls-cert}/{@code --tls-key}, or
     * {@code DIR/certs/server.crt} and {@code server.key}). Says what it serves and what is off, then
     * {@code tls listening on HOST:PORT} if TLS is on, then the usual {@code listening on HOST:PORT}.
     */
    private static void arena(String[] args) throws Exception {
        Args a = new Args("arena", args, Set.of("port", "threads", "data", "tls-port", "tls-cert", "tls-key", Args.TRANSPORT));
        String cert = a.string("tls-cert", null);
        String key = a.string("tls-key", null);
        if ((cert == null) != (key == null)) {
            throw a.usage("--tls-cert and --tls-key go together");
        }
        java.nio.file.Path data = java.nio.file.Path.of(a.string("data", defaultArenaData()));
        if (!java.nio.file.Files.isRegularFile(data.resolve("dataset.json"))) {
            throw a.usage("no dataset.json in " + data + " (--data DIR)");
        }
        ArenaServer server = ArenaServer.start(new ArenaServer.Options("0.0.0.0", a.integer("port", 8080),
                a.integer("threads", Runtime.getRuntime().availableProcessors()), data, a.integer("tls-port", 8081),
                cert == null ? null : java.nio.file.Path.of(cert), key == null ? null : java.nio.file.Path.of(key),
                a.transport()));
        printTransport(server.group(), a.transport());
        server.notes().forEach(System.out::println);
        if (server.tlsAddress() != null) {
            System.out.println("tls " + listening(server.tlsAddress()));
        }
        serveUntilSignalled(server.localAddress(), () -> {
            server.close();
            return server.group().stats().toString();
        });
    }

    /** The sample data the repository ships, found from the checkout {@code ./uring4j} runs in. */
    private static String defaultArenaData() {
        return java.nio.file.Path.of(System.getProperty("uring4j.root", "."), "uring4j-examples", "arena").toString();
    }

    private static void game(String[] args) throws Exception {
        Args a = new Args("game", args, Set.of("port", "host", "tick-hz", "batch-wait"));
        GameServer server = GameServer.start(new InetSocketAddress(a.string("host", "0.0.0.0"), a.integer("port", 9100)),
                a.integer("tick-hz", 60), loopOptions(a), System.out);
        serveUntilSignalled(server.localAddress(), () -> {
            server.close();
            return "udp " + server.stats();
        });
    }

    private static void gameClient(String[] args) throws Exception {
        Args a = new Args("game-client", args, Set.of("port", "host", "clients", "seconds", "tick-hz", "threads"));
        GameClients.run(new InetSocketAddress(a.string("host", "127.0.0.1"), a.integer("port", 9100)),
                a.integer("clients", 100), a.integer("seconds", 10), a.integer("tick-hz", 60),
                a.integer("threads", 1), System.out);
    }

    /** {@code --batch-wait N:MICROS}: wake the loop once N completions are ready or MICROS passed (UringOptions.batchWait). */
    private static LoopOptions loopOptions(Args a) {
        String v = a.string("batch-wait", null);
        if (v == null) {
            return LoopOptions.defaults();
        }
        String[] parts = v.split(":");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            UringOptions uring = UringOptions.builder().batchWait(Integer.parseInt(parts[0]),
                    Duration.ofNanos(Integer.parseInt(parts[1]) * 1000L)).build();
            return LoopOptions.builder().uring(uring).build();
        } catch (IllegalArgumentException e) {
            throw a.usage("--batch-wait must be COMPLETIONS:MICROSECONDS with COMPLETIONS > 1, e.g. 16:100; was '" + v + "'");
        }
    }

    /**
     * Prints the listening line, then waits for SIGINT/SIGTERM; then {@code close} closes the
     * server gracefully and returns the counters to print.
     */
    private static void serveUntilSignalled(InetSocketAddress bound, java.util.function.Supplier<String> close)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("closed; counters: " + close.get());
            System.out.flush();
            closed.countDown();
        }, "uring4j-shutdown"));
        System.out.println(listening(bound));
        System.out.flush();
        closed.await();
    }

    private static void usage() {
        System.err.println("""
                usage: uring4j <command> [options]
                  probe [--threads N] [--accept acceptor|reuseport] [--transport auto|uring|nio]
                                                          io_uring features of this kernel, and what a server
                                                          started with those flags runs on and takes
                  echo --port P [--host H] [--threads N] [--accept acceptor|reuseport] [--transport auto|uring|nio] [TLS]
                       [--api callback|blocking]          an echo server for any load tool; blocking: a virtual
                       [--carrier jdk|loop]               thread per connection on blocking sockets, run by the
                                                          JDK's scheduler or (loop) by the connection's loop
                  http --port P [--host H] [--threads N] [--accept acceptor|reuseport] [--transport auto|uring|nio] [TLS]
                       [--virtual-threads]                HTTP/1.1: GET / and /plaintext, POST /echo; with
                       [--carrier jdk|loop]               --virtual-threads each handler on a virtual thread,
                                                          run by the JDK's scheduler or (loop) by its loop
                    TLS: --tls-cert FILE --tls-key FILE (PEM chain and key) or --tls-self-signed;
                         TLS on --port, or with --tls-port P plaintext on --port and TLS on P;
                         --tls-ciphers SUITE,... limits the cipher suites (standard names)
                  udp-echo --port P [--host H] [--threads N] [--transport auto|uring|nio] [--rcvbuf BYTES]
                           [--batch-wait N:MICROS]        a UDP echo server (SO_REUSEPORT over N loops)
                  serve [--echo-port 7007] [--http-port 8080] [--udp-port 9000] [--host H] [--threads N] [--transport ...]
                        [--blocking-echo-port P]          echo, HTTP and UDP echo in one process on one loop group;
                                                          with P, also the blocking-socket echo (virtual threads
                                                          the loops carry);
                                                          "listening on" (the echo port) once all three serve;
                                                          a line on stdin prints its counters ("stats key=value ...")
                  arena [--port 8080] [--threads N] [--data DIR] [--tls-port 8081 --tls-cert FILE --tls-key FILE]
                        [--transport auto|uring|nio]      the HttpArena endpoints (baseline11, pipeline, json,
                                                          upload; gzip when accepted) on all interfaces; threads
                                                          default to the CPUs; DIR defaults to the repository's
                                                          sample data; TLS by default with DIR/certs/server.crt|key
                  game --port P [--host H] [--tick-hz 60] [--batch-wait N:MICROS]
                                                          the authoritative game-server example; reports every 5 s
                  game-client --port P [--host H] --clients N --seconds S [--tick-hz 60] [--threads T]
                                                          N simulated players against it
                -During4j.transport=uring|nio in URING4J_JAVA_OPTS forces a transport for every command;
                -During4j.probe.hide=FEATURE,... makes this kernel look older (to try the fallbacks).""");
    }
}
