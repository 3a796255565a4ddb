package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.internal.ClientConfig;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.LoopStats;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.internal.LoopFdWatch;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * The NIO event loop: one thread, one {@link Selector} (epoll on Linux), for where io_uring is
 * unavailable.
 *
 * <p>Each iteration runs posted tasks and due timers, then lets every connection with flushed
 * output write it (one coalesced write per connection, as on io_uring), then waits in
 * {@link Selector#select(Consumer, long)} bounded by the nearest timer. Ready channels are handled
 * inside that call, so no key set is built: a connection reads once per readiness into the
 * loop's one read buffer, which the handler sees as the {@code onData} view. Writes that do not
 * fit in the socket wait for {@code OP_WRITE}. Other threads wake the loop with
 * {@link Selector#wakeup()}, only when it is about to sleep (the handshake of {@link TransportLoop}).
 *
 * <p>Every object reachable from here belongs to the loop's thread.
 */
public final class NioEventLoop extends TransportLoop {
    static {
        // Its error paths must work without descriptors to spare (see TransportLoop).
        preload(NioListener.class, NioErrors.class, NioConnection.class, NioUdpSocket.class);
    }

    /** Bytes one read may take at most: at least this, or the configured buffer size if larger. */
    private static final int MIN_READ_BUFFER = 64 * 1024;

    /** What a registered channel's attachment does when the selector reports it ready. */
    interface Ready {
        void ready(int readyOps);
    }

    private Selector selector;
    private final NioFdWatches watches = new NioFdWatches(this);
    private Arena arena;
    /** The read buffer shared by the loop's connections: valid for one onData call. */
    MemorySegment readMemory;
    /** Zeros to wipe what a connection was shown with, before the next read (allocation-free). */
    private MemorySegment readZeros;
    ByteBuffer readBuffer;
    /** Made once: {@code select(Consumer)} then allocates nothing per call. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    /** Whether {@link #now} must be read again before the first event of this wait is handled. */
    private boolean stampPending;

    private NioConnection[] connections = new NioConnection[64];
    private int connectionCount;
    private NioUdpSocket[] udpSockets = new NioUdpSocket[4];
    private int udpCount;
    private NioUdpSocket[] udpDirty = new NioUdpSocket[4];
    private int udpDirtyCount;
    private long nextUdpNumber;
    /** For {@link #dropCancelledKeys}: readiness seen then is seen again by the next select (epoll is level-triggered). */
    private static final Consumer<SelectionKey> IGNORE = k -> { };
    private long nextConnectionId;


    // counters (written by the loop thread only; read racily by stats())
    long selects;
    long events;
    long wakeups;

    NioEventLoop(int index, LoopOptions options, String threadName) {
        super(index, options, threadName);
    }

    // ------------------------------------------------------------------ the loop

    @Override
    protected void setUp() throws ErrnoException {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw NioErrors.errnoException("Selector.open", e);
        }
        // Shared, not confined: virtual threads this loop carries run on its thread as other
        // Thread objects, and write into its blocks directly.
        arena = Arena.ofShared();
        blocks = new BlockPool(arena, leaks);
        int size = Math.max(options.bufferSize(), MIN_READ_BUFFER);
        readMemory = arena.allocate(size, 64);
        readBuffer = readMemory.asByteBuffer();
        readZeros = arena.allocate(size);
    }

    @Override
    protected void iterate() throws IOException {
        now = System.nanoTime();
        runTasks();
        runTimers();
        flushDirty();
        flushUdp();
        if (!keepRunning()) {
            return;
        }
        long timeout = nextWaitNanos();
        if (timeout != 0 && !prepareToSleep()) {
            timeout = 0;
        }
        stampPending = true;
        // select's timeout is in milliseconds: round up, so a timer is never woken for early.
        int n = timeout == 0 ? selector.selectNow(dispatcher)
                : selector.select(dispatcher, Math.max(1, (timeout + 999_999) / 1_000_000));
        awake();
        selects++;
        events += n;
        if (n > 0 && timeout != 0) {
            wakeups++;
        }
    }

    /** One ready channel, handled inside select. A failure is logged and the loop goes on. */
    private void dispatch(SelectionKey key) {
        if (stampPending) {
            stampPending = false;
            now = System.nanoTime();
        }
        if (!key.isValid()) {
            // Closed by an earlier channel's handler in this same select.
            return;
        }
        try {
            ((Ready) key.attachment()).ready(key.readyOps());
        } catch (RuntimeException | Error e) {
            if (strictCompletions) {
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, "handling a ready channel on " + name() + " failed; the loop goes on", e);
        }
    }

    @Override
    protected void wakeup() {
        selector.wakeup();
    }

    // ------------------------------------------------------------------ channels

    /**
     * Zeroes the first {@code n} bytes of the shared read buffer: what the last read delivered, so
     * the next connection shown the buffer sees zeros beyond its own bytes.
     */
    void wipeRead(int n) {
        MemorySegment.copy(readZeros, 0, readMemory, 0, n);
    }

    /** Registers {@code channel} for {@code ops} with {@code attachment}. */
    SelectionKey register(SelectableChannel channel, int ops, Ready attachment) throws IOException {
        return channel.register(selector, ops, attachment);
    }

    /** Takes {@code channel} (non-blocking, configured) into this loop as a connection of {@code server}. */
    NioConnection adopt(SocketChannel channel, ConnectionHandler handler, NioServer server) throws IOException {
        NioConnection c = new NioConnection(this, ++nextConnectionId, channel, handler, server);
        c.key = register(channel, 0, c);
        if (connectionCount == connections.length) {
            connections = Arrays.copyOf(connections, connectionCount * 2);
        }
        c.index = connectionCount;
        connections[connectionCount++] = c;
        connectionsOpened++;
        return c;
    }

    /** The connection finished closing. */
    void released(NioConnection c) {
        int i = c.index;
        NioConnection last = connections[--connectionCount];
        connections[i] = last;
        last.index = i;
        connections[connectionCount] = null;
        c.index = -1;
        connectionsClosed++;
    }

    /** Closes every connection of {@code server} after its output drains. */
    void closeConnectionsOf(NioServer server) {
        // Closing is deferred to the end of the iteration, so the array does not change under us.
        for (int i = 0; i < connectionCount; i++) {
            if (connections[i].server == server) {
                connections[i].close();
            }
        }
    }

    // ------------------------------------------------------------------ UDP sockets

    long nextUdpNumber() {
        return ++nextUdpNumber;
    }

    /** Takes {@code s} (registered, not yet open) into this loop. */
    void adopt(NioUdpSocket s) {
        if (udpCount == udpSockets.length) {
            udpSockets = Arrays.copyOf(udpSockets, udpCount * 2);
        }
        s.index = udpCount;
        udpSockets[udpCount++] = s;
    }

    /** The socket finished closing. */
    void released(NioUdpSocket s) {
        int i = s.index;
        if (i < 0) {
            return;
        }
        NioUdpSocket last = udpSockets[--udpCount];
        udpSockets[i] = last;
        last.index = i;
        udpSockets[udpCount] = null;
        s.index = -1;
    }

    /** {@code s} has output to send, or a close to finish, at this iteration's flush phase. */
    void markDirty(NioUdpSocket s) {
        if (s.dirty) {
            return;
        }
        s.dirty = true;
        if (udpDirtyCount == udpDirty.length) {
            udpDirty = Arrays.copyOf(udpDirty, udpDirtyCount * 2);
        }
        udpDirty[udpDirtyCount++] = s;
    }

    private void flushUdp() {
        // udpDirtyCount is read on every pass, so a socket marked while another flushes is flushed too.
        for (int i = 0; i < udpDirtyCount; i++) {
            NioUdpSocket s = udpDirty[i];
            udpDirty[i] = null;
            s.flush();
        }
        udpDirtyCount = 0;
    }

    /**
     * Makes the selector drop cancelled keys now, which closes the descriptors of channels closed
     * while registered; otherwise that waits for the next select. Only outside a select (the
     * flush phase, shutdown): the selector refuses a select within its own.
     */
    void dropCancelledKeys() {
        try {
            selector.selectNow(IGNORE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "dropping cancelled keys on " + name() + ": " + e);
        }
    }

    @Override
    public void connect(ClientConfig config, InetSocketAddress address, CompletableFuture<Connection> future) {
        post(() -> {
            ConnectionHandler handler;
            try {
                handler = config.newHandler();
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
                return;
            }
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(family(address));
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
                if (config.sendBufferSize() > 0) {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferSize());
                }
                if (config.receiveBufferSize() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferSize());
                }
                if (config.localAddress() != null) {
                    try {
                        channel.bind(config.localAddress());
                    } catch (IOException e) {
                        closeQuietly(channel);
                        future.completeExceptionally(NioErrors.connectionException("bind to " + config.localAddress()
                                + " for connect to " + address, e, "(none)"));
                        return;
                    }
                }
                NioConnection c = adopt(channel, handler, null);
                if (config.tls() != null) {
                    c.useTls(config.tls(), address);
                }
                c.connect(address, config.connectTimeoutNanos(), config.idleTimeoutNanos(), future);
            } catch (IOException e) {
                closeQuietly(channel);
                future.completeExceptionally(NioErrors.connectionException("socket for connect to " + address, e,
                        "(none)"));
            } catch (RuntimeException e) {
                closeQuietly(channel);
                future.completeExceptionally(e);
            }
        }, () -> future.completeExceptionally(new RejectedExecutionException("event loop " + name() + " has stopped")));
    }

    /**
     * The socket family of {@code address}, as io_uring's transport opens it: the JDK would
     * otherwise open IPv6 sockets for IPv4 addresses (dual-stack, listening on {@code ::}).
     */
    static StandardProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket fails only for a descriptor already gone; nothing is left to free.
            LOG.log(System.Logger.Level.DEBUG, () -> "closing " + channel + ": " + e);
        }
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    protected LoopFdWatch newWatch(int fd, int events, FdHandler handler) {
        return watches.newWatch(fd, events, handler);
    }

    @Override
    protected void closeAll() {
        stopListeners();
        watches.closeAll();
        for (int i = 0; i < connectionCount; i++) {
            connections[i].close();
        }
        for (int i = 0; i < udpCount; i++) {
            udpSockets[i].close();
        }
    }

    @Override
    protected void failAll(Throwable cause) {
        watches.failAll(cause);
        while (connectionCount > 0) {
            connections[connectionCount - 1].loopDied(cause);
        }
        while (udpCount > 0) {
            udpSockets[udpCount - 1].loopDied(cause);
        }
    }

    @Override
    protected void abortAll() {
        for (int i = 0; i < connectionCount; i++) {
            connections[i].abort();
        }
        while (udpCount > 0) {
            udpSockets[udpCount - 1].abort();
        }
    }

    @Override
    protected boolean othersClosed() {
        return udpCount == 0 && watches.open() == 0;
    }

    @Override
    protected boolean readyToStop() {
        return true;
    }

    /** Closes what is left (an abnormal exit leaves channels open), then the selector and the arena. */
    @Override
    protected void freeResources() {
        closeListenersNow();
        watches.free();
        while (connectionCount > 0) {
            connections[connectionCount - 1].closeNow();
        }
        while (udpCount > 0) {
            udpSockets[udpCount - 1].abort();
        }
        if (selector != null) {
            try {
                // Deregisters every key; the JDK closes a channel's descriptor once its key is gone.
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the selector of " + name() + ": " + e);
            }
        }
        if (arena != null) {
            arena.close();
        }
    }

    // ------------------------------------------------------------------ EventLoop

    /**
     * On NIO: {@code enters} counts selects, {@code completions} ready channels handled,
     * {@code wakeups} selects that waited and returned ready channels; the read buffer is the one
     * "buffer" ({@code bufferCount} 1, {@code bufferBytes} its size). The io_uring-only counters are 0.
     */
    @Override
    public LoopStats stats() {
        BlockPool p = blocks;
        MemorySegment r = readMemory;
        return new LoopStats(selects, 0, events, wakeups, tasksRun, 0, 0, 0, 0, bytesRead, bytesWritten,
                connectionsOpened, connectionsClosed, openConnections(), 0, r == null ? 0 : 1,
                r == null ? 0 : r.byteSize(), p == null ? 0 : p.inUseBytes(), 0, 0, 0,
                p == null ? 0 : p.queuedOutputBytes(), p == null ? 0 : p.allocatedBytes(), 0);
    }

    @Override
    public Transport transport() {
        return Transport.NIO;
    }

    @Override
    public boolean nativeResourcesFreed() {
        return terminated.isDone() && connectionCount == 0 && udpCount == 0 && (selector == null || !selector.isOpen())
                && (arena == null || !arena.scope().isAlive());
    }
}
