package dev.uring4j.examples.game;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.uring4j.http.websocket.WebSocket;
import dev.uring4j.http.websocket.WebSocketClient;
import dev.uring4j.http.websocket.WebSocketHandler;
import dev.uring4j.http.websocket.WebSocketOptions;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.TcpClient;
import dev.uring4j.runtime.Timeout;

/**
 * Simulates N browser players of {@link WsGameServer} from one process: each holds a WebSocket,
 * sends an input at 10 Hz, and reads the state frames. It measures what a player would notice:
 * delivery lateness (from the server stamping the frame to the player reading it; both ends read
 * the same monotonic clock), state frames received per second, and ticks missed (gaps in the tick
 * numbers, states the server dropped for a slow reader). The players of a loop share that loop's
 * statistics and thread.
 */
public final class WsGameClients {
    private WsGameClients() {
    }

    /** What one loop's players measured; only that loop's thread touches it. */
    static final class Stats {
        final Histogram lateness = new Histogram();
        long frames;
        long missed;
    }

    /** Every player's handler: records into the statistics of the loop the player runs on. */
    private record Player(List<Stats> stats) implements WebSocketHandler {
        @Override
        public void onOpen(WebSocket socket) {
            socket.attach(new int[] {-1});
        }

        @Override
        public void onBinary(WebSocket socket, MemorySegment data, long offset, int length) {
            Stats s = stats.get(socket.eventLoop().index());
            long sent = data.get(GameProtocol.LONG, offset + 4);
            s.lateness.record(System.nanoTime() - sent);
            int tick = data.get(GameProtocol.INT, offset);
            int[] last = socket.attachment();
            if (last[0] >= 0 && tick > last[0] + 1) {
                s.missed += tick - last[0] - 1;
            }
            last[0] = tick;
            s.frames++;
        }
    }

    /**
     * Connects {@code clients} players to {@code uri}, plays for {@code seconds}, closes them, and
     * prints and returns the totals.
     *
     * @param uri the server's {@code /game} URI
     * @param clients how many players
     * @param threads event loops for the players
     * @param seconds how long to play after everyone joined
     * @param log where the result goes
     * @return frames received, ticks missed, lateness p50 and p99 in microseconds
     * @throws Exception if a player cannot connect
     */
    public static long[] run(URI uri, int clients, int threads, int seconds, PrintStream log) throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(threads);
             WebSocketClient client = WebSocketClient.open(TcpClient.builder().group(group),
                     WebSocketOptions.builder().perMessageDeflate(false).build())) {
            List<Stats> stats = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                stats.add(new Stats());
            }
            List<List<WebSocket>> byLoop = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                byLoop.add(new ArrayList<>());
            }
            Player player = new Player(stats);
            for (int i = 0; i < clients; i++) {
                WebSocket ws = client.connect(uri, player).get(10, TimeUnit.SECONDS);
                byLoop.get(ws.eventLoop().index()).add(ws);
            }
            List<Timeout> inputs = new ArrayList<>();
            byte[] input = {1, 0, (byte) 0xFF, (byte) 0xFF};
            for (EventLoop loop : group.loops()) {
                List<WebSocket> mine = byLoop.get(loop.index());
                loop.execute(() -> {
                    stats.get(loop.index()).lateness.reset(); // joining is not playing
                    stats.get(loop.index()).frames = stats.get(loop.index()).missed = 0;
                });
                inputs.add(loop.scheduleAtFixedRate(100, 100, TimeUnit.MILLISECONDS, () -> {
                    for (WebSocket ws : mine) {
                        ws.sendBinary(input);
                    }
                }));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            Histogram lateness = new Histogram();
            long frames = 0;
            long missed = 0;
            for (EventLoop loop : group.loops()) {
                Stats s = stats.get(loop.index());
                java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
                loop.execute(() -> {
                    inputs.get(loop.index()).cancel();
                    lateness.add(s.lateness);
                    done.complete(null);
                });
                done.get(5, TimeUnit.SECONDS);
                frames += s.frames;
                missed += s.missed;
                for (WebSocket ws : byLoop.get(loop.index())) {
                    ws.close();
                }
            }
            log.printf("ws-game-clients: %d players for %d s: %d state frames (%.0f/s), %d ticks missed; delivery lateness "
                            + "p50 %d us p99 %d us max %d us%n", clients, seconds, frames, (double) frames / seconds, missed,
                    lateness.percentileMicros(50), lateness.percentileMicros(99), lateness.maxMicros());
            return new long[] {frames, missed, lateness.percentileMicros(50), lateness.percentileMicros(99)};
        }
    }

    /**
     * Runs the players: {@code --port P} (default 9200), {@code --clients N} (default 1000),
     * {@code --threads N} (default 1), {@code --seconds S} (default 10).
     *
     * @param args the options
     * @throws Exception if a player cannot connect
     */
    public static void main(String[] args) throws Exception {
        int port = 9200;
        int clients = 1000;
        int threads = 1;
        int seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        run(URI.create("ws://127.0.0.1:" + port + "/game"), clients, threads, seconds, System.out);
    }
}
