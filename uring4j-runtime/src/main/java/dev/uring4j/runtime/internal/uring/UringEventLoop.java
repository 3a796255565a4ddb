package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_COOP_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_NO_SQARRAY;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SUBMIT_ALL;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_TASKRUN_FLAG;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ANY;
import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.uring4j.ring.CqeHandler;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.internal.ClientConfig;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.LoopStats;
import dev.uring4j.runtime.internal.LoopThread;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * The io_uring event loop: one thread, one ring.
 *
 * <p>Each iteration drains the CQ and dispatches every completion, publishes the recycled
 * provided buffers, runs posted tasks and due timers, prepares one send per connection with
 * flushed output, and then makes one {@code io_uring_enter} that submits everything and waits for
 * at least one completion, bounded by the nearest timer ({@code IORING_ENTER_EXT_ARG}). The ring is
 * {@code SINGLE_ISSUER | DEFER_TASKRUN} where the kernel allows, so completions are only posted
 * while the loop waits: the loop decides when to batch.
 *
 * <p>Other loops wake this one with {@code msg_ring} (no syscall here); foreign threads through
 * an eventfd that the loop keeps a read armed on, written only when the loop is about to sleep.
 * Every object reachable from here belongs to the loop's thread.
 */
public final class UringEventLoop extends TransportLoop implements CqeHandler {
    static {
        // Its error paths must work without descriptors to spare (see TransportLoop).
        preload(UringListener.class);
    }

    /** The eventfd increment, shared read-only by every waking thread. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);
    /**
     * The longest the loop sleeps past completions of its own UDP sends that are already in the
     * CQ (see the wait in {@link #iterate}): under traffic the next datagram wakes it much sooner;
     * when traffic stops, send errors and freed queue space are still seen within this.
     */
    private static final long SEND_COMPLETION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int FIRST_BGID = 1;

    // Created on the loop thread in init(); the ring is SINGLE_ISSUER, so its creator must submit.
    IoUring ring;
    BufferGroups buffers;
    UringUdpTable udp;
    private Arena arena;
    private int eventFd = -1;
    private MemorySegment eventFdBuffer;
    private boolean wakeupArmed;

    boolean direct;
    boolean multishotRecv;
    boolean multishotAccept;
    boolean sendZc;
    boolean recvBundle;
    boolean bindListenOps;
    /** The paths this loop took, for probe output and tests. */
    public final java.util.EnumSet<LoopOptions.Path> pathsInUse = java.util.EnumSet.noneOf(LoopOptions.Path.class);
    int sendZcThreshold;
    /** Wake-up batching ({@link LoopOptions.Builder#batchWait}): completions to wait for, and for how long at most. */
    private int waitCompletions = 1;
    private int waitMinMicros;
    /** Direct-descriptor table size; table indices at and above it belong to outgoing connections. */
    private int tableSize;
    private int[] freeClientIndices = new int[0];
    private int freeClientCount;

    /** Accepted connections in direct-descriptor slots (read racily by other loops for hand-over). */
    private volatile int acceptedOpen;

    UringConnection[] connections = new UringConnection[0];
    private int[] generations = new int[0];
    private UringListener[] listeners = new UringListener[4];
    private int listenerCount;

    private volatile boolean shutdownRequested;
    private long shutdownDeadline;
    private boolean cancelledAll;
    private boolean running = true;

    // counters (written by the loop thread only; read racily by stats())
    long enters;
    long sqesSubmitted;
    long completions;
    long wakeups;
    long bufferRingExhausted;
    long sockNonEmpty;
    long cqOverflows;
    long droppedCompletions;
    long zeroCopySends;

    UringEventLoop(EventLoopGroup group, int index, LoopOptions options, String threadName) {
        super(group, index, options, threadName);
    }

    // ------------------------------------------------------------------ setup

    private void init() throws ErrnoException {
        int flags = IORING_SETUP_SUBMIT_ALL;
        if (options.uses(LoopOptions.Path.DEFER_TASKRUN)) {
            flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
        } else if (Probe.current().supports(Probe.Feature.TASKRUN_FLAG)) {
            flags |= IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
        }
        if (options.uses(LoopOptions.Path.NO_SQARRAY)) {
            flags |= IORING_SETUP_NO_SQARRAY;
        }
        ring = IoUring.builder().entries(options.sqEntries).cqEntries(options.cqEntries).flags(flags)
                .registerRingFd(options.uses(LoopOptions.Path.REGISTERED_RING_FD)).build();
        arena = Arena.ofConfined();
        blocks = new BlockPool(arena);
        direct = options.uses(LoopOptions.Path.DIRECT_DESCRIPTORS);
        multishotRecv = options.uses(LoopOptions.Path.RECV_MULTISHOT);
        multishotAccept = options.uses(LoopOptions.Path.MULTISHOT_ACCEPT);
        sendZc = options.uses(LoopOptions.Path.SEND_ZC) && options.sendZcThreshold != Integer.MAX_VALUE;
        sendZcThreshold = options.sendZcThreshold;
        if (options.batchCompletions > 1) {
            String why = Probe.current().whyMissing(Probe.Feature.MIN_TIMEOUT);
            if (why == null) {
                waitCompletions = options.batchCompletions;
                waitMinMicros = options.batchWaitMicros;
            } else {
                LOG.log(System.Logger.Level.INFO, "batchWait is ignored: " + why + "; waking on the first completion");
            }
        }
        if (direct) {
            // The kernel caps a file table at RLIMIT_NOFILE.
            long[] nofile = LibC.rlimit(LibC.RLIMIT_NOFILE);
            long soft = nofile == null ? -1 : nofile[0];
            tableSize = (int) Math.min(options.maxConnections, soft < 0 ? Integer.MAX_VALUE : soft);
            ring.registerFilesSparse(tableSize);
            connections = new UringConnection[tableSize];
            generations = new int[tableSize];
        } else {
            connections = new UringConnection[1024];
            generations = new int[1024];
        }
        boolean rings = options.uses(LoopOptions.Path.BUFFER_RING);
        boolean incremental = rings && options.uses(LoopOptions.Path.INCREMENTAL_BUFFERS);
        // A bundle spans whole consecutive buffers; an incremental buffer is shared by receives:
        // the two do not combine, and incremental consumption (off by default) wins when enabled.
        recvBundle = rings && multishotRecv && !incremental && options.uses(LoopOptions.Path.RECV_BUNDLE);
        buffers = new BufferGroups(this, ring, options.bufferGroups, options.buffersPerGroup, options.bufferSize,
                FIRST_BGID, rings, incremental);
        bindListenOps = options.uses(LoopOptions.Path.BIND_LISTEN);
        recordPaths();
        udp = new UringUdpTable(this, FIRST_BGID + options.bufferGroups);
        eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw new ErrnoException("eventfd", eventFd);
        }
        eventFdBuffer = arena.allocate(JAVA_LONG);
        armWakeup();
    }

    private void recordPaths() {
        int f = ring.setupFlags();
        record(LoopOptions.Path.DEFER_TASKRUN, (f & IORING_SETUP_DEFER_TASKRUN) != 0);
        record(LoopOptions.Path.REGISTERED_RING_FD, ring.isRingFdRegistered());
        record(LoopOptions.Path.NO_SQARRAY, (f & IORING_SETUP_NO_SQARRAY) != 0);
        record(LoopOptions.Path.DIRECT_DESCRIPTORS, direct);
        record(LoopOptions.Path.MULTISHOT_ACCEPT, multishotAccept);
        record(LoopOptions.Path.RECV_MULTISHOT, multishotRecv);
        record(LoopOptions.Path.BUFFER_RING, options.uses(LoopOptions.Path.BUFFER_RING));
        record(LoopOptions.Path.RECV_BUNDLE, recvBundle);
        record(LoopOptions.Path.INCREMENTAL_BUFFERS, buffers.incremental());
        record(LoopOptions.Path.SEND_ZC, sendZc);
        record(LoopOptions.Path.MSG_RING_FD, direct && options.uses(LoopOptions.Path.MSG_RING_FD));
        record(LoopOptions.Path.BIND_LISTEN, bindListenOps);
    }

    private void record(LoopOptions.Path path, boolean used) {
        if (used) {
            pathsInUse.add(path);
        }
    }

    // ------------------------------------------------------------------ the loop

    @Override
    protected void run() {
        try {
            init();
        } catch (Throwable t) {
            cleanup();
            started.completeExceptionally(t);
            terminated.complete(null);
            return;
        }
        started.complete(null);
        try {
            while (running) {
                iterate();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " failed; its connections are lost", t);
        } finally {
            cleanup();
            terminated.complete(null);
        }
    }

    private void iterate() {
        now = System.nanoTime();
        if (ring.cqHasOverflow()) {
            cqOverflows++;
        }
        udp.draining();
        completions += ring.forEachCqe(this);
        buffers.publish();
        runTasks();
        runTimers();
        flushDirty();
        udp.flush();
        if (shutdownRequested) {
            progressShutdown();
            if (!running) {
                return;
            }
        }
        long timeout = nextWaitNanos();
        if (timeout != 0 && !prepareToSleep()) {
            timeout = 0;
        }
        // Without waiting, GETEVENTS still runs deferred task work, so completions keep flowing
        // while tasks keep the loop busy. Waiting, count one completion beyond those our own UDP
        // sends will post (usually inline, during this enter, so waiting for one would return at
        // once), but do not sleep long past them.
        int ownSends = udp.expectedCompletions();
        if (ownSends > 0 && timeout > SEND_COMPLETION_WAIT_NANOS) {
            timeout = SEND_COMPLETION_WAIT_NANOS;
        }
        int r = timeout == 0 ? ring.submitAndGetEvents()
                : ring.submitAndWait(waitCompletions + ownSends, timeout, waitMinMicros);
        awake();
        enters++;
        if (r > 0) {
            sqesSubmitted += r;
        } else if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR) {
            throw new IllegalStateException("io_uring_enter: " + Errno.describe(r));
        }
        if (ring.cqReady() > 0) {
            wakeups++;
        }
    }

    /**
     * Dispatches one completion. A failure while handling it is logged and the loop goes on (with
     * strict completions, in tests, it propagates).
     */
    @Override
    public void handle(long userData, int res, int flags) {
        try {
            dispatch(userData, res, flags);
        } catch (RuntimeException | Error e) {
            if (options.strictCompletions) {
                throw e;
            }
            try {
                LOG.log(System.Logger.Level.ERROR, "handling the completion " + UserData.describe(userData) + " res "
                        + res + " failed; the loop goes on", e);
            } catch (Throwable logging) {
                e.printStackTrace();
            }
        }
    }

    private void dispatch(long userData, int res, int flags) {
        int op = UserData.op(userData);
        switch (op) {
            case UserData.OP_RECV, UserData.OP_SEND, UserData.OP_SEND_ZC, UserData.OP_CLOSE, UserData.OP_CANCEL,
                 UserData.OP_SHUTDOWN, UserData.OP_SOCKET, UserData.OP_CONNECT, UserData.OP_LINK_TIMEOUT -> {
                UringConnection c = connectionFor(userData);
                if (c == null) {
                    dropped(userData, "no connection of that generation in slot " + UserData.slot(userData));
                    return;
                }
                c.onCompletion(op, res, flags);
            }
            case UserData.OP_RECVMSG, UserData.OP_SENDMSG -> udp.dispatch(op, userData, res, flags);
            case UserData.OP_ACCEPT -> {
                int slot = UserData.slot(userData);
                UringListener l = slot >= 0 && slot < listenerCount ? listeners[slot] : null;
                if (l == null || l.generation != UserData.generation(userData)) {
                    dropped(userData, "no listener " + slot);
                    return;
                }
                l.onAccept(res, flags);
            }
            case UserData.OP_HANDOFF -> UringServer.handedOver(this, UserData.slot(userData), res);
            case UserData.OP_PROVIDE_BUFFERS -> {
                if (res < 0) {
                    LOG.log(System.Logger.Level.WARNING, "returning a buffer to group " + buffers.bgid(UserData.slot(userData))
                            + " failed: " + Errno.describe(res) + "; the group has one buffer fewer");
                }
            }
            case UserData.OP_HANDOFF_SEND -> {
                if (res < 0) {
                    LOG.log(System.Logger.Level.WARNING, "handing a connection to another loop failed: "
                            + Errno.describe(res) + "; the connection was closed");
                }
            }
            case UserData.OP_WAKEUP -> {
                wakeupArmed = false;
                if (!cancelledAll) {
                    armWakeup();
                }
            }
            case UserData.OP_MSG, UserData.OP_LOOP_CANCEL, UserData.OP_FD_INSTALL, UserData.OP_BIND,
                 UserData.OP_LISTEN -> {
                // A wakeup from another loop (its tasks run this iteration), or our shutdown cancel.
            }
            default -> dropped(userData, "unknown op " + op);
        }
    }

    private UringConnection connectionFor(long userData) {
        int slot = UserData.slot(userData);
        if (slot < 0 || slot >= connections.length) {
            return null;
        }
        UringConnection c = connections[slot];
        return c != null && c.generation == UserData.generation(userData) ? c : null;
    }

    /**
     * A completion that cannot be matched to anything of ours. In production it is counted and
     * dropped, never used as an index; with strict completions (tests) it is an error.
     */
    void dropped(long userData, String why) {
        droppedCompletions++;
        if (options.strictCompletions) {
            throw new IllegalStateException("completion with " + UserData.describe(userData) + ": " + why);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "dropped completion with " + UserData.describe(userData) + ": " + why);
    }

    // ------------------------------------------------------------------ SQEs

    /**
     * An SQE, submitting what is queued first when the SQ is full, so nothing is ever dropped.
     * (Callers that link SQEs reserve room for the whole chain with {@link #reserve}.)
     */
    public Sqe sqe() {
        Sqe s = ring.getSqe();
        if (s == null) {
            submitNow();
            s = ring.getSqe();
            if (s == null) {
                throw new IllegalStateException("SQ still full after submitting: the kernel consumed nothing");
            }
        }
        return s;
    }

    /** Makes room for {@code n} linked SQEs, so a chain is never split across submissions. */
    void reserve(int n) {
        if (ring.sq().spaceLeft() < n) {
            submitNow();
        }
    }

    private void submitNow() {
        int r = ring.submit();
        enters++;
        if (r > 0) {
            sqesSubmitted += r;
        }
    }

    // ------------------------------------------------------------------ wakeups and tasks

    private void armWakeup() {
        if (wakeupArmed || eventFd < 0) {
            return;
        }
        sqe().prepRead(eventFd, eventFdBuffer.address(), 8, -1)
                .userData(UserData.encode(UserData.OP_WAKEUP, 0, 0));
        wakeupArmed = true;
    }

    @Override
    protected void wakeup() {
        if (LoopThread.current() instanceof UringEventLoop from && from.ring != null && !from.shutdownRequested) {
            // From another loop: a ring message, queued with that loop's next submit.
            from.sqe().prepMsgRing(ring.fd(), 0, UserData.encode(UserData.OP_MSG, 0, 0), 0)
                    .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_MSG, 0, 0));
            return;
        }
        LibC.write(eventFd, ONE, 8);
    }

    // ------------------------------------------------------------------ connections

    /** Registers a new connection in {@code slot} (direct) or for {@code fd} (normal descriptor). */
    UringConnection adopt(int slotOrFd, ConnectionHandler handler, UringServer server) {
        return adopt(slotOrFd, slotOrFd, direct, handler, server);
    }

    /** Registers a connection in table slot {@code slot} whose descriptor is {@code fd}. */
    UringConnection adopt(int slot, int fd, boolean fixed, ConnectionHandler handler, UringServer server) {
        if (slot >= connections.length) {
            int n = Math.max(slot + 1, connections.length * 2);
            connections = Arrays.copyOf(connections, n);
            generations = Arrays.copyOf(generations, n);
        }
        int generation = ++generations[slot] & UserData.GENERATION_MASK;
        UringConnection c = new UringConnection(this, slot, generation, fd, fixed, handler, server);
        connections[slot] = c;
        connectionsOpened++;
        if (fixed) {
            acceptedOpen++;
        }
        return c;
    }

    /**
     * A normal fd for direct descriptor {@code slot} ({@code IORING_OP_FIXED_FD_INSTALL}, 6.8), for
     * the calls that need one (getpeername); the caller closes it. The operation completes inline
     * at submit, so its CQE is read here without being consumed; the dispatcher ignores it when the
     * drain reaches it. Returns -1 when the kernel cannot install one.
     */
    int installFd(int slot, int generation) {
        if (!Probe.current().supports(Probe.Feature.FIXED_FD_INSTALL)) {
            return -1;
        }
        long ud = UserData.encode(UserData.OP_FD_INSTALL, generation, slot);
        sqe().prepFixedFdInstall(slot, 0).userData(ud);
        int r = inlineResult(ud);
        return r < 0 ? -1 : r;
    }

    /**
     * Submits what is queued and returns the result of the operation whose SQE carried
     * {@code userData}, which must be one that completes at submit (fixed-fd install, bind,
     * listen). Its CQE is read without being consumed; the dispatcher ignores it later.
     */
    int inlineResult(long userData) {
        submitNow();
        for (int i = ring.cqReady() - 1; i >= 0; i--) {
            if (ring.cq().userData(i) == userData) {
                return ring.cq().res(i);
            }
        }
        // Not in the CQ: it overflowed (the kernel keeps it for later). Treat as unknown.
        return -Errno.EAGAIN;
    }

    /** The connection in {@code slot} finished closing: the slot may be reused. */
    void released(UringConnection c) {
        if (connections[c.slot] == c) {
            connections[c.slot] = null;
        }
        connectionsClosed++;
        if (c.fixed) {
            acceptedOpen--;
        } else if (direct) {
            freeClientIndices[freeClientCount++] = c.slot;
        }
    }

    /**
     * A table index for an outgoing connection on normal fd {@code fd}. With direct descriptors
     * the indices below the table size are kernel slot numbers, so clients get indices above it
     * (the two numberings must not meet); otherwise the fd itself.
     */
    int clientSlot(int fd) {
        if (!direct) {
            return fd;
        }
        if (freeClientCount == 0) {
            int base = Math.max(connections.length, tableSize);
            int grow = Math.max(256, connections.length / 2);
            connections = Arrays.copyOf(connections, base + grow);
            generations = Arrays.copyOf(generations, base + grow);
            if (freeClientIndices.length < freeClientCount + grow) {
                freeClientIndices = Arrays.copyOf(freeClientIndices, freeClientIndices.length + grow);
            }
            for (int i = grow - 1; i >= 0; i--) {
                freeClientIndices[freeClientCount++] = base + i;
            }
        }
        return freeClientIndices[--freeClientCount];
    }

    /**
     * How many more connections may be accepted into this loop's direct-descriptor table. The
     * kernel accepts first and installs second, closing the connection when the table is full, so
     * the runtime must never accept into a full table: listeners stop at zero.
     */
    int acceptRoom() {
        return direct ? tableSize - acceptedOpen : Integer.MAX_VALUE;
    }

    /** Size of the direct-descriptor range accepted connections go into. */
    int acceptCapacity() {
        return direct ? tableSize : Integer.MAX_VALUE;
    }

    // ------------------------------------------------------------------ listeners

    int addListener(UringListener l) {
        if (listenerCount == listeners.length) {
            listeners = Arrays.copyOf(listeners, listenerCount * 2);
        }
        listeners[listenerCount] = l;
        return listenerCount++;
    }

    // ------------------------------------------------------------------ shutdown

    /** Starts a graceful shutdown: stop accepting, let output drain until {@code deadline}, then cancel. */
    @Override
    public void shutdown(long deadlineNanos) {
        execute(() -> {
            if (shutdownRequested) {
                return;
            }
            shutdownDeadline = deadlineNanos;
            shutdownRequested = true;
            for (int i = 0; i < listenerCount; i++) {
                listeners[i].stop();
            }
            for (UringConnection c : connections) {
                if (c != null) {
                    c.close();
                }
            }
            udp.closeAll();
        });
    }

    boolean isShuttingDown() {
        return shutdownRequested;
    }

    private void progressShutdown() {
        boolean listenersDone = true;
        for (int i = 0; i < listenerCount; i++) {
            listenersDone &= listeners[i].isClosed();
        }
        if (openConnections() == 0 && listenersDone && udp.open() == 0) {
            if (wakeupArmed) {
                cancelAll();
                return;
            }
            running = false;
            return;
        }
        if (System.nanoTime() - shutdownDeadline > 0 && !cancelledAll) {
            for (UringConnection c : connections) {
                if (c != null) {
                    c.abort();
                }
            }
            udp.abortAll();
            cancelAll();
        }
    }

    private void cancelAll() {
        if (cancelledAll) {
            return;
        }
        cancelledAll = true;
        // IORING_ASYNC_CANCEL_ANY: every request still in flight ends with its final CQE.
        sqe().prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
    }

    /** Frees everything, in the order that keeps kernel-written memory alive until nothing can write it. */
    private void cleanup() {
        if (ring != null) {
            // Whatever is still in flight (an abnormal exit) is cancelled and drained first.
            drainAfterCancel();
        }
        if (udp != null) {
            udp.freeAfterDrain();
        }
        if (buffers != null) {
            buffers.close();
        }
        for (int i = 0; i < listenerCount; i++) {
            listeners[i].closeFd();
        }
        if (eventFd >= 0) {
            LibC.close(eventFd);
        }
        if (ring != null) {
            ring.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    private void drainAfterCancel() {
        Sqe s = ring.getSqe();
        if (s != null) {
            s.prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean idle = false;
        while (!idle && System.nanoTime() - until < 0) {
            ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20));
            idle = ring.cqReady() == 0;
            ring.forEachCqe((ud, res, fl) -> { });
        }
    }

    // ------------------------------------------------------------------ EventLoop

    @Override
    public LoopStats stats() {
        BufferGroups b = buffers;
        BlockPool p = blocks;
        return new LoopStats(enters, sqesSubmitted, completions, wakeups, tasksRun, bufferRingExhausted, sockNonEmpty,
                cqOverflows, droppedCompletions, bytesRead, bytesWritten, connectionsOpened, connectionsClosed,
                openConnections(), b == null ? 0 : b.peakPerBatch(), b == null ? 0 : b.total(), b == null ? 0 : b.bytes(),
                p == null ? 0 : p.inUseBytes(), zeroCopySends);
    }

    @Override
    public void connect(ClientConfig config, java.net.InetSocketAddress address, CompletableFuture<Connection> future) {
        execute(() -> {
            int fd = LibC.socket(dev.uring4j.ring.sys.SockAddr.familyOf(address), LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                future.completeExceptionally(new ConnectionException("socket for connect to " + address, -fd, "(none)"));
                return;
            }
            LibC.setsockoptInt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, config.tcpNoDelay() ? 1 : 0);
            if (config.sendBufferSize() > 0) {
                LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, config.sendBufferSize());
            }
            if (config.receiveBufferSize() > 0) {
                LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, config.receiveBufferSize());
            }
            ConnectionHandler handler = java.util.Objects.requireNonNull(config.handlers().get(),
                    "handler factory returned null");
            UringConnection c = adopt(clientSlot(fd), fd, false, handler, null);
            c.connect(address, config.connectTimeoutNanos(), config.idleTimeoutNanos(), future);
        });
    }

    @Override
    public String transport() {
        return "io_uring";
    }

    /** Whether every native resource of the loop is gone: ring unmapped and closed, arenas closed (tests). */
    @Override
    public boolean nativeResourcesFreed() {
        return terminated.isDone() && (ring == null || ring.isClosed()) && (arena == null || !arena.scope().isAlive());
    }

    /** The loop's arena: memory that must live as long as the loop (closed after the ring). */
    Arena arena() {
        return arena;
    }

    int ringFd() {
        return ring.fd();
    }

}
