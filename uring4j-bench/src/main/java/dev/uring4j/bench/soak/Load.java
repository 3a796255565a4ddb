package dev.uring4j.bench.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's load: many clients at once, each a {@link Lane} on a virtual thread, each kind
 * counted in a {@link Tally}. {@link #standard} is the mix {@code ./uring4j soak} runs;
 * {@link #steady} keeps only clients whose connections stay open and are never reset on purpose,
 * for tests that need every byte of every connection accounted for.
 */
final class Load {
    /** Where the servers listen; a null one gets no clients. {@code blockingEcho}: the echo on blocking sockets. */
    record Targets(InetSocketAddress echo, InetSocketAddress http, InetSocketAddress udp, InetSocketAddress blockingEcho) {}

    interface LaneFactory {
        Lane create(Load load, Tally tally, int id) throws IOException;
    }

    private static final int KEEP_ERRORS = 40;

    private final List<Tally> tallies = new ArrayList<>();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<UdpLane> udp = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> errorLog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorsLogged = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean running;
    private long startNanos;

    /** The mix of {@code ./uring4j soak}: every kind of client, at most one connection each at a time. */
    static Load standard(Targets t, int udpPerSecond) throws IOException {
        Load load = new Load();
        if (t.echo() != null) {
            load.keptEchoes("echo", "", t.echo(), 4);
            load.add("echo-slow-reader", "1 MiB echoes read 4 KiB per 2 ms, 8 KiB window", 1,
                    (l, y, id) -> new EchoLanes.Large(l, y, id, t.echo(), true));
            load.churningEchoes("echo", "", t.echo());
        }
        if (t.blockingEcho() != null) {
            load.keptEchoes("blocking-echo", BLOCKING, t.blockingEcho(), 2);
            load.churningEchoes("blocking-echo", BLOCKING, t.blockingEcho());
        }
        if (t.http() != null) {
            load.add("http", "kept-alive GET /plaintext", 2, (l, y, id) -> new HttpLanes.KeepAlive(l, y, id, t.http()));
            load.add("http-pipelined", "16 pipelined GETs and small POST /echo", 1, (l, y, id) -> new HttpLanes.Pipelined(l, y, id, t.http()));
            load.add("http-post-large", "POST /echo of 1 to 1.5 MiB, fixed or chunked", 1,
                    (l, y, id) -> new HttpLanes.Post(l, y, id, t.http(), false));
            load.add("http-slow-reader", "POST /echo of 512 KiB read 4 KiB per 2 ms", 1,
                    (l, y, id) -> new HttpLanes.Post(l, y, id, t.http(), true));
            load.add("http-churn", "GET with Connection: close", 1, (l, y, id) -> new HttpLanes.Churn(l, y, id, t.http()));
            load.add("http-reset", "1 MiB POST /echo, RST mid-body", 1, (l, y, id) -> new HttpLanes.Reset(l, y, id, t.http()));
        }
        if (t.udp() != null) {
            load.add("udp", String.format(Locale.ROOT, "numbered datagrams of 16 to 1472 B, %,d/s", udpPerSecond), 1,
                    (l, y, id) -> new UdpLane(l, y, id, t.udp(), udpPerSecond));
        }
        return load;
    }

    /** Clients whose connections stay open and are never reset: every byte they send must come back. */
    static Load steady(Targets t, int udpPerSecond) throws IOException {
        Load load = new Load();
        if (t.echo() != null) {
            load.keptEchoes("echo", "", t.echo(), 2);
        }
        if (t.blockingEcho() != null) {
            load.keptEchoes("blocking-echo", BLOCKING, t.blockingEcho(), 1);
        }
        if (t.http() != null) {
            load.add("http", "kept-alive GET /plaintext", 1, (l, y, id) -> new HttpLanes.KeepAlive(l, y, id, t.http()));
            load.add("http-post-large", "POST /echo of 1 to 1.5 MiB, fixed or chunked", 1,
                    (l, y, id) -> new HttpLanes.Post(l, y, id, t.http(), false));
        }
        if (t.udp() != null) {
            load.add("udp", String.format(Locale.ROOT, "numbered datagrams, %,d/s", udpPerSecond), 1,
                    (l, y, id) -> new UdpLane(l, y, id, t.udp(), udpPerSecond));
        }
        return load;
    }

    /** What the clients of the echo on blocking sockets say after their description. */
    private static final String BLOCKING = " (blocking sockets)";

    /** {@code keepAlive} kept-alive echo clients and one of large messages, against {@code server}. */
    private void keptEchoes(String name, String which, InetSocketAddress server, int keepAlive) throws IOException {
        add(name, "kept-alive echo, 1 B to 64 KiB messages" + which, keepAlive, (l, y, id) -> new EchoLanes.KeepAlive(l, y, id, server));
        add(name + "-large", "echo of 1 to 4 MiB, written while read" + which, 1,
                (l, y, id) -> new EchoLanes.Large(l, y, id, server, false));
    }

    /** The echo clients whose connections end: half-close, churn and reset, against {@code server}. */
    private void churningEchoes(String name, String which, InetSocketAddress server) throws IOException {
        add(name + "-half-close", "send, FIN, read the echo to EOF" + which, 1, (l, y, id) -> new EchoLanes.HalfClose(l, y, id, server));
        add(name + "-churn", "connect, echo 32 B, close" + which, 1, (l, y, id) -> new EchoLanes.Churn(l, y, id, server));
        add(name + "-reset", "1 MiB echo, RST after 0 to 200 KiB" + which, 1, (l, y, id) -> new EchoLanes.Reset(l, y, id, server));
    }

    private void add(String name, String description, int count, LaneFactory factory) throws IOException {
        Tally tally = new Tally(name, description + (count > 1 ? " (" + count + " clients)" : ""));
        tallies.add(tally);
        for (int i = 0; i < count; i++) {
            Lane lane = factory.create(this, tally, ids.incrementAndGet());
            lanes.add(lane);
            if (lane instanceof UdpLane u) {
                udp.add(u);
            }
        }
    }

    void start() {
        running = true;
        startNanos = System.nanoTime();
        for (Lane lane : lanes) {
            threads.add(Thread.ofVirtual().name("soak-" + lane.tally.name).start(lane::run));
        }
    }

    boolean running() {
        return running;
    }

    /**
     * Stops every client after its exchange in progress; a client that has not finished within
     * {@code grace} is an error and its connection is reset. UDP echoes get a second to arrive.
     */
    void stop(Duration grace) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + grace.toNanos();
        for (int i = 0; i < threads.size(); i++) {
            Lane lane = lanes.get(i);
            long left = Math.max(1, deadline - System.nanoTime());
            if (!threads.get(i).join(Duration.ofNanos(left))) {
                error(lane.tally, new IOException("the client did not finish its exchange within " + grace.toSeconds()
                        + " s of the stop"));
                Lane.abort(lane.socket);
            }
        }
        for (UdpLane u : udp) {
            u.finish(Duration.ofSeconds(1));
        }
    }

    void error(Tally tally, Throwable e) {
        tally.errors.increment();
        if (errorsLogged.incrementAndGet() <= KEEP_ERRORS) {
            double at = (System.nanoTime() - startNanos) / 1e9;
            errorLog.add(String.format(Locale.ROOT, "%.1f s %s: %s", at, tally.name, e));
        }
    }

    /** The first errors, with when and in which client; "(and N more)" at the end if there were more. */
    List<String> errors() {
        List<String> list = new ArrayList<>(errorLog);
        int more = errorsLogged.get() - list.size();
        if (more > 0) {
            list.add("(and " + more + " more)");
        }
        return list;
    }

    List<Tally.Snapshot> tallies() {
        return tallies.stream().map(Tally::snapshot).toList();
    }

    Tally.Snapshot total() {
        return tallies().stream().reduce(Tally.Snapshot.zero(), Tally.Snapshot::plus);
    }

    /** The most TCP connections the load holds at once: one per TCP client. */
    int maxTcpConnections() {
        return (int) lanes.stream().filter(Lane::tcp).count();
    }

    long udpSent() {
        return udp.stream().mapToLong(u -> u.sent.sum()).sum();
    }

    long udpReceived() {
        return udp.stream().mapToLong(u -> u.received.sum()).sum();
    }

    long udpCorrupted() {
        return udp.stream().mapToLong(u -> u.corrupted.sum()).sum();
    }

    long udpDuplicates() {
        return udp.stream().mapToLong(u -> u.duplicates.sum()).sum();
    }

    /** Datagrams never echoed; final once {@link #stop} has returned. */
    long udpLost() {
        return udp.stream().mapToLong(UdpLane::lost).sum();
    }
}
