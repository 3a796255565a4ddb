package dev.uring4j.examples.game;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.uring4j.runtime.Datagram;
import dev.uring4j.runtime.DatagramHandler;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.Timeout;
import dev.uring4j.runtime.UdpAddress;
import dev.uring4j.runtime.UdpEndpoint;
import dev.uring4j.runtime.UdpSocket;
import dev.uring4j.runtime.UringOptions;

/**
 * Simulates N game clients from one process, each with its own connected UDP socket (so the
 * server sees N addresses): every client sends an input datagram at the tick rate, at its own
 * phase (clients are spread over 16 phases of the tick, as real players are not in step), and
 * reads snapshots.
 *
 * <p>It measures what a player would notice: snapshots lost (gaps in the tick numbers), the time
 * from an input to the snapshot acknowledging it (which includes waiting for the next tick, so
 * about half a tick on average), and the jitter of snapshot arrival (how far each interval is
 * from the tick period: the server's tick lateness plus the network). The first 2 seconds are a
 * warm-up and not counted. All clients of a loop share that loop's thread; measurement allocates
 * nothing.
 */
public final class GameClients {
    private static final int PHASES = 16;
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private GameClients() {}

    /** What one loop's clients measured. */
    private static final class Stats {
        final Histogram ackLatency = new Histogram();
        final Histogram jitter = new Histogram();
        long inputs;
        long snapshots;
        long lost;
        long baselineChunks;

        void reset() {
            ackLatency.reset();
            jitter.reset();
            inputs = snapshots = lost = baselineChunks = 0;
        }
    }

    /** One simulated player. */
    private static final class Client implements DatagramHandler {
        Stats stats;
        final long periodNanos;
        UdpSocket socket;
        int seq;
        int lastTick;
        long lastArrival;
        int rng;

        Client(long periodNanos, int seed) {
            this.periodNanos = periodNanos;
            this.rng = seed * 0x9E3779B9 | 1;
        }

        void sendInput(MemorySegment scratch) {
            rng ^= rng << 13;
            rng ^= rng >>> 17;
            rng ^= rng << 5;
            GameProtocol.writeInput(scratch, ++seq, System.nanoTime(), (rng % 1000), ((rng >> 10) % 1000));
            if (socket.send(scratch, 0, GameProtocol.INPUT_SIZE)) {
                stats.inputs++;
            }
        }

        @Override
        public void onDatagram(UdpSocket s, Datagram d, UdpAddress sender) {
            MemorySegment m = d.buffer();
            long at = d.offset();
            byte type = GameProtocol.type(m, at);
            if (type == GameProtocol.BASELINE) {
                stats.baselineChunks++;
                return;
            }
            if (type != GameProtocol.SNAPSHOT || d.length() < GameProtocol.SNAPSHOT_HEADER) {
                return;
            }
            long now = System.nanoTime();
            int tick = m.get(GameProtocol.INT, at + 4);
            long echo = m.get(GameProtocol.LONG, at + 16);
            stats.snapshots++;
            if (lastTick != 0 && tick > lastTick + 1) {
                stats.lost += tick - lastTick - 1;
            }
            if (lastTick != 0 && tick == lastTick + 1) {
                stats.jitter.record(Math.abs(now - lastArrival - periodNanos));
            }
            if (tick > lastTick) {
                lastTick = tick;
                lastArrival = now;
            }
            if (echo != 0) {
                stats.ackLatency.record(now - echo);
            }
        }
    }

    /**
     * Runs {@code clients} clients against {@code server} for {@code seconds} (plus the warm-up)
     * and prints what they measured.
     */
    public static void run(InetSocketAddress server, int clients, int seconds, int tickHz, int threads, PrintStream log)
            throws IOException, InterruptedException {
        long period = 1_000_000_000L / tickHz;
        // Every client's socket shares its loop's provided buffers (snapshots fit them); small send
        // queues, since a client has one input in flight.
        LoopOptions options = LoopOptions.builder().uring(UringOptions.builder().buffersPerGroup(4096).build()).build();
        EventLoopGroup group = EventLoopGroup.builder().threads(threads).options(options).name("game-client").build();
        List<Stats> stats = new ArrayList<>();
        List<List<Client>> perLoop = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            stats.add(new Stats());
            perLoop.add(new ArrayList<>());
        }
        try {
            for (int i = 0; i < clients; i++) {
                Client c = new Client(period, i + 1);
                UdpEndpoint e = UdpEndpoint.builder().group(group).connect(server).maxDatagramSize(1400)
                        .sendQueue(16, 16 << 10).handler(c).start();
                // Nothing arrives before the client's first input, which the drivers below send.
                int loop = e.socket().eventLoop().index();
                c.socket = e.socket();
                c.stats = stats.get(loop);
                perLoop.get(loop).add(c);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<Timeout> drivers = new ArrayList<>();
            for (EventLoop loop : group.loops()) {
                List<Client> mine = perLoop.get(loop.index());
                MemorySegment scratch = Arena.ofAuto().allocate(GameProtocol.INPUT_SIZE);
                int[] phase = {0};
                drivers.add(loop.scheduleAtFixedRate(0, period / PHASES, TimeUnit.NANOSECONDS, () -> {
                    int p = phase[0]++ % PHASES;
                    for (int i = p; i < mine.size(); i += PHASES) {
                        mine.get(i).sendInput(scratch);
                    }
                }));
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(WARMUP_NANOS));
            onEveryLoop(group, l -> stats.get(l.index()).reset());
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Stats total = new Stats();
            onEveryLoop(group, l -> {
                Stats s = stats.get(l.index());
                synchronized (total) {
                    total.ackLatency.add(s.ackLatency);
                    total.jitter.add(s.jitter);
                    total.inputs += s.inputs;
                    total.snapshots += s.snapshots;
                    total.lost += s.lost;
                    total.baselineChunks += s.baselineChunks;
                }
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            long cpu = os.getProcessCpuTime() - cpu0;
            drivers.forEach(Timeout::cancel);
            log.printf("game-client: %d clients, %d s at %d Hz: inputs %.0f/s, snapshots %.0f/s, lost %d (%.4f%%)%n",
                    clients, seconds, tickHz, total.inputs / secs, total.snapshots / secs, total.lost,
                    100.0 * total.lost / Math.max(1, total.snapshots + total.lost));
            log.printf("game-client: input to acknowledging snapshot %s (includes waiting for the tick)%n",
                    total.ackLatency.summary());
            log.printf("game-client: snapshot arrival jitter (|interval - %.2f ms|) %s%n", period / 1e6,
                    total.jitter.summary());
            log.printf("game-client: simulator CPU %.0f%% of a core%n", 100.0 * cpu / (secs * 1e9));
        } finally {
            group.close();
        }
    }

    private static void onEveryLoop(EventLoopGroup group, java.util.function.Consumer<EventLoop> action) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (EventLoop l : group.loops()) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            l.execute(() -> {
                action.accept(l);
                f.complete(null);
            });
            done.add(f);
        }
        done.forEach(CompletableFuture::join);
    }
}
