package dev.uring4j.examples.game;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.uring4j.http.HttpServer;
import dev.uring4j.http.Router;
import dev.uring4j.http.websocket.SlowConsumerPolicy;
import dev.uring4j.http.websocket.WebSocket;
import dev.uring4j.http.websocket.WebSocketHandler;
import dev.uring4j.http.websocket.WebSocketOptions;
import dev.uring4j.http.websocket.WebSocketRoute;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.TcpServer;
import dev.uring4j.runtime.Timeout;

/**
 * The game tick over WebSocket, for players in a browser: what {@link WebSocket#broadcast} is for.
 *
 * <p>Players connect to {@code ws://host:port/game} and send binary inputs whenever they like (a
 * movement, {@code moveX i16 | moveY i16}, little-endian); the server keeps each player's latest
 * input. On every tick of a fixed-rate timer (60 Hz by default) it folds the inputs into the world
 * and broadcasts one 200-octet state frame to every player:
 *
 * <pre>
 *  0 tick i32 | 4 sendTimeNs i64 | 12 players i32 | 16 up to 23 x {x i32, y i32}
 * </pre>
 *
 * <p>The frame is encoded once into shared native memory and every connection sends from it by
 * reference: a thousand players cost one encoding and a thousand sends in the loops' submissions,
 * not a thousand copies. A player who reads too slowly loses the oldest states, never the session
 * ({@link SlowConsumerPolicy#DROP_OLDEST}): only the latest state matters. What it costs is printed
 * every 5 seconds: players, tick lateness against the fixed-rate deadline and tick work, and the
 * process's CPU time. Run with {@link WsGameClients} for the players' side.
 */
public final class WsGameServer implements AutoCloseable {
    /** The state frame's size. */
    public static final int STATE_BYTES = 200;
    private static final int SHOWN = (STATE_BYTES - 16) / 8;
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final long periodNanos;
    private final PrintStream log;
    private final List<WebSocket> players = new CopyOnWriteArrayList<>();
    private final byte[] state = new byte[STATE_BYTES];
    private final MemorySegment stateView = MemorySegment.ofArray(state);
    private final Histogram lateness = new Histogram();
    private final Histogram work = new Histogram();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private TcpServer server;
    private Timeout tickTimer;
    private Timeout reportTimer;
    private long nextDeadline;
    private int tick;
    private long windowStart;
    private long windowCpu;

    /** One player's position and latest input; its session's attachment. */
    private static final class Player {
        int x;
        int y;
        volatile int moveX;
        volatile int moveY;
    }

    private WsGameServer(int tickHz, PrintStream log) {
        this.periodNanos = 1_000_000_000L / tickHz;
        this.log = log;
    }

    /**
     * Serves {@code /game} on {@code address} with {@code threads} loops and ticks at {@code tickHz} on the first loop.
     *
     * @param address where to listen
     * @param tickHz ticks per second
     * @param threads event loops for the players' connections
     * @param log where the report goes
     * @return the running server
     * @throws IOException if it cannot bind
     */
    public static WsGameServer start(InetSocketAddress address, int tickHz, int threads, PrintStream log) throws IOException {
        WsGameServer g = new WsGameServer(tickHz, log);
        WebSocketOptions options = WebSocketOptions.builder().perMessageDeflate(false)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST).sendQueueBytes(8 * STATE_BYTES).build();
        Router router = Router.builder().get("/game", WebSocketRoute.builder(g.new Players()).options(options).build()).build();
        g.server = HttpServer.builder(router).build().serve(TcpServer.builder().address(address).threads(threads));
        EventLoop loop = g.server.group().loops().get(0);
        loop.execute(() -> {
            g.windowStart = System.nanoTime();
            g.windowCpu = g.os.getProcessCpuTime();
            g.nextDeadline = System.nanoTime() + g.periodNanos;
            g.tickTimer = loop.scheduleAtFixedRate(g.periodNanos, g.periodNanos, TimeUnit.NANOSECONDS, g::tick);
            g.reportTimer = loop.scheduleAtFixedRate(REPORT_NANOS, REPORT_NANOS, TimeUnit.NANOSECONDS, g::report);
        });
        return g;
    }

    /**
     * The bound address.
     *
     * @return the bound address
     */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /**
     * The players connected now.
     *
     * @return the players connected now
     */
    public int players() {
        return players.size();
    }

    /** The players' sessions: join, move, leave. */
    private final class Players implements WebSocketHandler {
        @Override
        public void onOpen(WebSocket socket) {
            socket.attach(new Player());
            players.add(socket);
        }

        @Override
        public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
            if (length >= 4) {
                Player p = socket.attachment();
                p.moveX = data.get(GameProtocol.SHORT, offset);
                p.moveY = data.get(GameProtocol.SHORT, offset + 2);
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            players.remove(socket);
        }
    }

    private void tick() {
        long start = System.nanoTime();
        lateness.record(start - nextDeadline);
        nextDeadline += periodNanos;
        tick++;
        int shown = 0;
        for (WebSocket s : players) {
            Player p = s.attachment();
            p.x += p.moveX;
            p.y += p.moveY;
            if (shown < SHOWN) {
                stateView.set(GameProtocol.INT, 16 + 8L * shown, p.x);
                stateView.set(GameProtocol.INT, 20 + 8L * shown, p.y);
                shown++;
            }
        }
        stateView.set(GameProtocol.INT, 0, tick);
        stateView.set(GameProtocol.LONG, 4, System.nanoTime());
        stateView.set(GameProtocol.INT, 12, players.size());
        WebSocket.broadcast(false, state, 0, STATE_BYTES, players);
        work.record(System.nanoTime() - start);
    }

    private void report() {
        long now = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        log.printf("ws-game: %d players, %d ticks; tick lateness p50 %d us p99 %d us max %d us; tick work p50 %d us p99 %d us; "
                        + "process CPU %.1f%%%n", players.size(), lateness.count(), lateness.percentileMicros(50),
                lateness.percentileMicros(99), lateness.maxMicros(), work.percentileMicros(50), work.percentileMicros(99),
                100.0 * (cpu - windowCpu) / (now - windowStart));
        lateness.reset();
        work.reset();
        windowStart = now;
        windowCpu = cpu;
    }

    /** Stops ticking and closes the server; players' connections close after their queued output. */
    @Override
    public void close() {
        EventLoop loop = server.group().loops().get(0);
        loop.execute(() -> {
            tickTimer.cancel();
            reportTimer.cancel();
        });
        server.close();
    }

    /**
     * Runs the server: {@code --port P} (default 9200), {@code --hz N} (default 60), {@code --threads N} (default 1).
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = 9200;
        int hz = 60;
        int threads = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--hz" -> hz = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        WsGameServer g = start(new InetSocketAddress(port), hz, threads, System.out);
        System.out.println("listening on " + g.localAddress() + " (ws://host:" + g.localAddress().getPort() + "/game)");
        Thread.currentThread().join();
    }
}
