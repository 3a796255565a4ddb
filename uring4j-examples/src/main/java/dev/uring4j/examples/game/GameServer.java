package dev.uring4j.examples.game;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.uring4j.runtime.Datagram;
import dev.uring4j.runtime.DatagramHandler;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.Timeout;
import dev.uring4j.runtime.UdpAddress;
import dev.uring4j.runtime.UdpEndpoint;
import dev.uring4j.runtime.UdpPeer;
import dev.uring4j.runtime.UdpSocket;
import dev.uring4j.runtime.UdpStats;

/**
 * An authoritative game server on a fixed tick: what a UDP event loop is for.
 *
 * <p>Clients send input datagrams whenever they like; the server keeps the latest input of each
 * client and, on every tick of a fixed-rate timer on the event loop (60 Hz by default), folds the
 * inputs into the world state and sends every client a snapshot: its own state, the last input it
 * acknowledges, and its 16 neighbours (a stand-in for interest management). A client is known by
 * its address: the first input from a new address makes it a {@link UdpPeer}, whose dense
 * {@link UdpPeer#id()} indexes the state arrays, and gets the whole world as a baseline, a burst of
 * equal-sized chunks that leaves as one GSO {@code sendmsg}. Clients silent for 5 s are dropped.
 * A tick that runs a whole period late (the process was stalled) folds the state but sends no
 * snapshots: the next tick, due at once, sends the current state instead of a burst of stale ones.
 *
 * <p>Everything runs on one loop thread and, in steady state, allocates nothing: the inputs are
 * read in place from the receive buffer, the snapshots are written into one scratch segment and
 * copied into the send queue, and all of a tick's snapshots leave in the same
 * {@code io_uring_enter}. What it costs is printed every 5 seconds: tick lateness (how late the
 * tick ran against its fixed-rate deadline), tick work, datagrams in and out per second, the
 * process's CPU time per datagram, and bytes allocated on the loop thread per datagram. Run:
 * {@code ./uring4j game --port 9100}, and {@code ./uring4j game-client --port 9100 --clients 1000}.
 */
public final class GameServer implements DatagramHandler, AutoCloseable {
    private static final int NEIGHBOURS = 16;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int WORLD = 1 << 20;

    private final long periodNanos;
    private final PrintStream log;
    private final MemorySegment out = Arena.ofAuto().allocate(65_536, 8);
    private UdpEndpoint endpoint;
    private UdpSocket socket;
    private EventLoop loop;
    private Timeout tickTimer;
    private Timeout reportTimer;
    private Timeout sweepTimer;

    // world state, indexed by the peer's id
    private UdpPeer[] players = new UdpPeer[0];
    private int[] x = new int[0];
    private int[] y = new int[0];
    private int[] moveX = new int[0];
    private int[] moveY = new int[0];
    private int[] ackSeq = new int[0];
    private long[] echoTime = new long[0];
    private long[] lastHeard = new long[0];
    private int[] activeIndex = new int[0];
    private int[] active = new int[0];
    private int activeCount;
    private int tick;
    private long badDatagrams;
    private long skippedSnapshots;

    // measurement: the current window and the run's totals (windows after the first, the warm-up)
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Histogram lateness = new Histogram();
    private final Histogram work = new Histogram();
    private final Histogram totalLateness = new Histogram();
    private final Histogram totalWork = new Histogram();
    private long windowStart;
    private long windowCpu;
    private long windowIn;
    private long windowOut;
    private long windowAlloc;
    private int windows;
    private long totalNanos;
    private long totalCpu;
    private long totalIn;
    private long totalOut;
    private long totalAlloc;

    private GameServer(int tickHz, PrintStream log) {
        this.periodNanos = 1_000_000_000L / tickHz;
        this.log = log;
    }

    /** Binds {@code address} on a loop of its own and starts ticking at {@code tickHz}. */
    public static GameServer start(InetSocketAddress address, int tickHz, LoopOptions options, PrintStream log)
            throws IOException {
        GameServer g = new GameServer(tickHz, log);
        g.endpoint = UdpEndpoint.builder().address(address).options(options)
                .receiveBufferSize(4 << 20)            // 5,000 inputs of backlog: a GC pause must not drop them
                .maxDatagramSize(1400)
                .sendQueue(16_384, 16 << 20)           // a tick's snapshots and the baselines of a join storm
                .handler(g).start();
        g.socket = g.endpoint.socket();
        g.loop = g.socket.eventLoop();
        CompletableFuture<Void> started = new CompletableFuture<>();
        g.loop.execute(() -> {
            g.startWindow();
            g.tickTimer = g.loop.scheduleAtFixedRate(g.periodNanos, g.periodNanos, TimeUnit.NANOSECONDS, g::tick);
            g.reportTimer = g.loop.scheduleAtFixedRate(REPORT_NANOS, REPORT_NANOS, TimeUnit.NANOSECONDS, g::report);
            g.sweepTimer = g.loop.scheduleAtFixedRate(1, 1, TimeUnit.SECONDS, g::sweep);
            started.complete(null);
        });
        started.join();
        return g;
    }

    public InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    public UdpStats stats() {
        return endpoint.stats();
    }

    // ------------------------------------------------------------------ inputs

    @Override
    public void onDatagram(UdpSocket s, Datagram d, UdpAddress sender) {
        if (d.length() < GameProtocol.INPUT_SIZE || d.get(0) != GameProtocol.INPUT) {
            badDatagrams++;
            return;
        }
        UdpPeer p = s.peer(sender);
        if (p == null) {
            badDatagrams++;
            return;
        }
        int id = p.id();
        if (id >= players.length || players[id] != p) {
            join(p);
        }
        MemorySegment m = d.buffer();
        long at = d.offset();
        // Folded at the next tick: the latest input wins, as in most authoritative servers.
        ackSeq[id] = m.get(GameProtocol.INT, at + 4);
        echoTime[id] = m.get(GameProtocol.LONG, at + 8);
        moveX[id] = Math.clamp(m.get(GameProtocol.SHORT, at + 16), -1000, 1000);
        moveY[id] = Math.clamp(m.get(GameProtocol.SHORT, at + 18), -1000, 1000);
        lastHeard[id] = System.nanoTime();
    }

    private void join(UdpPeer p) {
        int id = p.id();
        if (id >= players.length) {
            int n = Math.max(64, Integer.highestOneBit(id) * 2);
            players = Arrays.copyOf(players, n);
            x = Arrays.copyOf(x, n);
            y = Arrays.copyOf(y, n);
            moveX = Arrays.copyOf(moveX, n);
            moveY = Arrays.copyOf(moveY, n);
            ackSeq = Arrays.copyOf(ackSeq, n);
            echoTime = Arrays.copyOf(echoTime, n);
            lastHeard = Arrays.copyOf(lastHeard, n);
            activeIndex = Arrays.copyOf(activeIndex, n);
            active = Arrays.copyOf(active, n);
        }
        players[id] = p;
        x[id] = (int) ((id * 2654435761L) & (WORLD - 1));
        y[id] = (int) ((id * 40503L) & (WORLD - 1));
        moveX[id] = moveY[id] = 0;
        activeIndex[id] = activeCount;
        active[activeCount++] = id;
        sendBaseline(p);
    }

    /** The whole world to a new client, in chunks of equal size: one burst to one peer. */
    private void sendBaseline(UdpPeer p) {
        int chunk = 0;
        for (int first = 0; first < activeCount; first += GameProtocol.BASELINE_ENTITIES) {
            int n = Math.min(GameProtocol.BASELINE_ENTITIES, activeCount - first);
            out.set(JAVA_BYTE, 0, GameProtocol.BASELINE);
            out.set(GameProtocol.INT, 4, tick);
            out.set(GameProtocol.INT, 8, chunk++);
            out.set(GameProtocol.INT, 12, n);
            long at = GameProtocol.BASELINE_HEADER;
            for (int k = 0; k < n; k++) {
                at = putEntity(at, active[first + k]);
            }
            socket.send(p, out, 0, (int) at);
        }
    }

    private void leave(int id) {
        int i = activeIndex[id];
        int last = active[--activeCount];
        active[i] = last;
        activeIndex[last] = i;
        socket.forget(players[id]);
        players[id] = null;
    }

    // ------------------------------------------------------------------ the tick

    private void tick() {
        long start = System.nanoTime();
        // The timer already moved to the next deadline when it ran us: this tick's is one period earlier.
        lateness.record(start - (tickTimer.deadlineNanos() - periodNanos));
        tick++;
        for (int i = 0; i < activeCount; i++) {
            int id = active[i];
            x[id] = (x[id] + moveX[id] / 16) & (WORLD - 1);
            y[id] = (y[id] + moveY[id] / 16) & (WORLD - 1);
        }
        if (tickTimer.deadlineNanos() - start <= 0) {
            // We are a whole tick behind (the loop was stalled) and the next tick is due now: fold
            // this one, but send only the latest state rather than a burst of stale snapshots.
            skippedSnapshots++;
            work.record(System.nanoTime() - start);
            return;
        }
        for (int i = 0; i < activeCount; i++) {
            int id = active[i];
            out.set(JAVA_BYTE, 0, GameProtocol.SNAPSHOT);
            out.set(GameProtocol.INT, 4, tick);
            out.set(GameProtocol.INT, 8, ackSeq[id]);
            int n = Math.min(NEIGHBOURS, activeCount - 1);
            out.set(GameProtocol.INT, 12, n);
            out.set(GameProtocol.LONG, 16, echoTime[id]);
            out.set(GameProtocol.INT, 24, x[id]);
            out.set(GameProtocol.INT, 28, y[id]);
            long at = GameProtocol.SNAPSHOT_HEADER;
            for (int k = 1; k <= n; k++) {
                int j = i + k;
                at = putEntity(at, active[j >= activeCount ? j - activeCount : j]);
            }
            socket.send(players[id], out, 0, (int) at);
        }
        work.record(System.nanoTime() - start);
    }

    private long putEntity(long at, int id) {
        out.set(GameProtocol.INT, at, id);
        out.set(GameProtocol.INT, at + 4, x[id]);
        out.set(GameProtocol.INT, at + 8, y[id]);
        return at + GameProtocol.ENTITY;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (int i = activeCount - 1; i >= 0; i--) {
            int id = active[i];
            if (now - lastHeard[id] > IDLE_NANOS) {
                leave(id);
            }
        }
    }

    // ------------------------------------------------------------------ reporting

    private void startWindow() {
        UdpStats s = socket.stats();
        windowStart = System.nanoTime();
        windowCpu = os.getProcessCpuTime();
        windowIn = s.datagramsReceived();
        windowOut = s.datagramsSent();
        windowAlloc = threads.getCurrentThreadAllocatedBytes();
        lateness.reset();
        work.reset();
    }

    private void report() {
        UdpStats s = socket.stats();
        long nanos = System.nanoTime() - windowStart;
        long cpu = os.getProcessCpuTime() - windowCpu;
        long in = s.datagramsReceived() - windowIn;
        long outCount = s.datagramsSent() - windowOut;
        long alloc = threads.getCurrentThreadAllocatedBytes() - windowAlloc;
        log.println(line("5 s", nanos, cpu, in, outCount, alloc, lateness, work, s));
        if (windows++ > 0) {
            totalNanos += nanos;
            totalCpu += cpu;
            totalIn += in;
            totalOut += outCount;
            totalAlloc += alloc;
            totalLateness.add(lateness);
            totalWork.add(work);
        }
        startWindow();
    }

    private String line(String what, long nanos, long cpu, long in, long outCount, long alloc, Histogram late,
                        Histogram busy, UdpStats s) {
        double secs = nanos / 1e9;
        long datagrams = Math.max(1, in + outCount);
        return String.format("%s: clients %d, tick %d | tick lateness %s | tick work %s | in %.0f/s, out %.0f/s"
                        + " | server CPU %.2f µs/datagram (%.0f%% of a core) | loop allocated %.3f B/datagram"
                        + " | late ticks without snapshots %d, refused %d, send errors %d, ENOBUFS %d, bad %d",
                what, activeCount, tick, late.summary(), busy.summary(), in / secs, outCount / secs,
                cpu / 1e3 / datagrams, 100.0 * cpu / nanos, (double) alloc / datagrams, skippedSnapshots, s.sendRefused(),
                s.sendErrors(), s.bufferRingExhausted(), badDatagrams);
    }

    /** The run's figures so far: every 5-second window after the first (the warm-up). */
    public String summary() {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(totalNanos == 0 ? "summary: no complete window after the warm-up yet"
                : line("summary over " + windows + " windows after the first", totalNanos, totalCpu, totalIn,
                totalOut, totalAlloc, totalLateness, totalWork, socket.stats())));
        return f.join();
    }

    /** Stops ticking, prints the summary, and closes the endpoint and its loop. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        loop.execute(() -> {
            tickTimer.cancel();
            reportTimer.cancel();
            sweepTimer.cancel();
            stopped.complete(null);
        });
        stopped.join();
        log.println(summary());
        endpoint.close();
    }
}
