package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_ASYNC_CANCEL_ANY;
import static dev.uring4j.ring.uapi.IoUringH.IORING_FILE_INDEX_ALLOC;
import static dev.uring4j.ring.uapi.IoUringH.IOSQE_CQE_SKIP_SUCCESS;

import dev.uring4j.ring.CqeHandler;
import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.internal.BlockPool;
import dev.uring4j.runtime.internal.ClientConfig;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionHandler;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.internal.LoopFdWatch;
import dev.uring4j.runtime.LoopFile;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.LoopStats;
import dev.uring4j.runtime.internal.LoopThread;
import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.internal.TransportLoop;
import dev.uring4j.runtime.UringOptions;

/**
 * The io_uring event loop: one thread, one ring.
 *
 * <p>Each iteration drains the CQ and dispatches every completion by its {@code user_data}
 * ({@link UserData}: connections through the {@link SlotTable}, listeners, UDP sockets, the
 * loop's own operations), publishes the recycled provided buffers, runs posted tasks and due
 * timers, prepares one send per connection with flushed output, and then makes one
 * {@code io_uring_enter} that submits everything and waits for at least one completion, bounded
 * by the nearest timer ({@code IORING_ENTER_EXT_ARG}); under load, for as many as arrive within
 * a small latency budget ({@link WaitBatching}). The ring is
 * {@code SINGLE_ISSUER | DEFER_TASKRUN} where the kernel allows ({@link UringPaths}), so
 * completions are only posted while the loop waits: the loop decides when to batch.
 *
 * <p>Other loops wake this one with {@code msg_ring} (no system call here); other threads through
 * the {@link Wakeup} eventfd. Every object reachable from here belongs to the loop's thread.
 */
public final class UringEventLoop extends TransportLoop implements CqeHandler {
    static {
        // Its error paths must work without descriptors to spare (see TransportLoop).
        preload(UringListener.class);
    }

    /**
     * The longest the loop sleeps while tasks it gives another loop wait for that loop's slots:
     * it learns of freed slots only by looking.
     */
    private static final long MAIL_BACKLOG_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int FIRST_BGID = 1;
    private static final long LOOP_CANCEL = UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0);

    final UringOptions uringOptions;
    /** The TCP servers of this loop's group, for connections handed over by another loop. */
    final ServerTable servers;

    // Made on the loop thread in setUp(); the ring is SINGLE_ISSUER, so its creator must submit.
    IoUring ring;
    UringPaths paths;
    BufferGroups buffers;
    UringUdpTable udp;
    private UringFdWatches watches;
    /** The loop's file operations, when the ring has them ({@link UringPaths#fileIo}); else {@code null}. */
    private UringFiles files;
    private final RingMail ringMail = new RingMail(this);
    /** The ring's fd once set up, for other loops' messages (-1 before); written once by this loop. */
    private volatile int messageRingFd = -1;
    SlotTable slots;
    private Arena arena;
    private Wakeup wakeup;
    private boolean cancelledAll;
    private WaitBatching waitBatching;
    /** The fd {@link #registerDirect} hands the kernel, and the slot it writes back (loop's arena). */
    private MemorySegment directScratch;
    /** Operations prepared or in the kernel whose last completion has not arrived ({@link #sqe()}). */
    private final Operations operations = new Operations(leaks);

    // counters (written by the loop thread only; read racily by stats())
    long enters;
    long sqesSubmitted;
    long completions;
    long wakeups;
    long batchedWaits;
    long bufferRingExhausted;
    long sockNonEmpty;
    long cqOverflows;
    long droppedCompletions;
    long zeroCopySends;

    UringEventLoop(int index, LoopOptions options, String threadName, ServerTable servers) {
        super(index, options, threadName);
        this.uringOptions = options.uring();
        this.servers = servers;
    }

    // ------------------------------------------------------------------ the loop

    @Override
    protected void setUp() throws ErrnoException {
        ring = UringPaths.setUpRing(uringOptions);
        paths = new UringPaths(uringOptions, ring, LOG);
        waitBatching = paths.waitBatching();
        // Shared, not confined: virtual threads this loop carries run on its thread as other
        // Thread objects, and write into its blocks directly.
        arena = Arena.ofShared();
        blocks = new BlockPool(arena, leaks);
        int tableSize = 0;
        if (paths.direct) {
            // The kernel caps a file table at RLIMIT_NOFILE.
            long[] nofile = LibC.rlimit(LibC.RLIMIT_NOFILE);
            long soft = nofile == null ? -1 : nofile[0];
            tableSize = (int) Math.min(uringOptions.registeredFiles(), soft < 0 ? Integer.MAX_VALUE : soft);
            ring.registerFilesSparse(tableSize);
        }
        slots = new SlotTable(paths.direct, tableSize);
        buffers = new BufferGroups(this, ring, uringOptions.bufferGroups(), uringOptions.buffersPerGroup(),
                options.bufferSize(), FIRST_BGID, paths.bufferRings, paths.incremental);
        udp = new UringUdpTable(this, FIRST_BGID + uringOptions.bufferGroups());
        watches = new UringFdWatches(this);
        files = paths.fileIo ? new UringFiles(this) : null;
        messageRingFd = ring.fd();
        directScratch = arena.allocate(JAVA_INT);
        wakeup = new Wakeup();
        wakeup.arm(this);
    }

    @Override
    protected void iterate() throws ErrnoException {
        now = System.nanoTime();
        if (ring.cqHasOverflow()) {
            cqOverflows++;
        }
        udp.draining();
        int handled = ring.forEachCqe(this);
        completions += handled;
        waitBatching.observe(now, handled);
        buffers.publish();
        runTasks();
        runTimers();
        flushDirty();
        udp.flush();
        ringMail.flush();
        if (!keepRunning()) {
            return;
        }
        long timeout = nextWaitNanos();
        if (timeout != 0 && !prepareToSleep()) {
            timeout = 0;
        }
        if (ringMail.backlogged() && timeout > MAIL_BACKLOG_WAIT_NANOS) {
            timeout = MAIL_BACKLOG_WAIT_NANOS;
        }
        // Without waiting, GETEVENTS still runs deferred task work, so completions keep flowing
        // while tasks keep the loop busy. Waiting, count one completion beyond those our own UDP
        // sends will post (usually inline, during this enter, so waiting for one would return at
        // once). Their completions are then handled at the next wake-up: nothing waits on them
        // (a send's failure is reported, its queue slot reused, a little later), and bounding the
        // sleep past them with a short timeout would arm a kernel timer on every wait, which on
        // a virtual machine is an exit to the hypervisor costing more than the datagram itself.
        int ownSends = udp.expectedCompletions();
        operations.submitting();
        int r;
        if (timeout == 0) {
            r = ring.submitAndGetEvents();
        } else {
            int minWaitMicros = waitBatching.minWaitMicros();
            if (minWaitMicros > 0) {
                batchedWaits++;
            }
            r = ring.submitAndWait(waitBatching.waitNr() + ownSends, timeout, minWaitMicros);
        }
        awake();
        enters++;
        if (r > 0) {
            sqesSubmitted += r;
        } else if (r < 0 && !retryable(r)) {
            throw new ErrnoException("io_uring_enter", r, "the ring cannot be entered any more");
        }
        if (ring.cqReady() > 0) {
            wakeups++;
        }
    }

    /**
     * Whether {@code io_uring_enter} failed in a way the next iteration recovers from: the wait timed
     * out or was interrupted ({@code ETIME}, {@code EINTR}), or the kernel wants the CQ reaped
     * before it takes more ({@code EAGAIN}, {@code EBUSY}), which the next iteration does first.
     */
    private static boolean retryable(int r) {
        return r == -Errno.ETIME || r == -Errno.EINTR || r == -Errno.EAGAIN || r == -Errno.EBUSY;
    }

    /**
     * Dispatches one completion. A failure while handling it is logged and the loop goes on (with
     * strict completions, in tests, it propagates).
     */
    @Override
    public void handle(long userData, int res, int flags) {
        operations.completed(userData, flags);
        try {
            dispatch(userData, res, flags);
        } catch (RuntimeException | Error e) {
            if (strictCompletions) {
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
                 UserData.OP_SHUTDOWN, UserData.OP_SOCKET, UserData.OP_CONNECT, UserData.OP_LINK_TIMEOUT,
                 UserData.OP_SPLICE_IN, UserData.OP_SPLICE_OUT -> {
                UringConnection c = slots.lookUp(userData);
                if (c == null) {
                    unowned(userData, flags, "no connection of that generation in slot " + UserData.slot(userData));
                    return;
                }
                c.onCompletion(op, res, flags);
            }
            case UserData.OP_RECVMSG, UserData.OP_SENDMSG -> udp.dispatch(op, userData, res, flags);
            case UserData.OP_ACCEPT -> {
                int slot = UserData.slot(userData);
                if (!(listener(slot) instanceof UringListener l) || l.generation != UserData.generation(userData)) {
                    unowned(userData, flags, "no listener " + slot);
                    return;
                }
                l.onAccept(res, flags);
            }
            case UserData.OP_HANDOFF -> {
                UringServer server = servers.get(UserData.slot(userData));
                if (server == null) {
                    unowned(userData, flags, "no server " + UserData.slot(userData));
                } else {
                    server.handedOver(this, res);
                }
            }
            case UserData.OP_PROVIDE_BUFFERS -> {
                if (res < 0) {
                    LOG.log(System.Logger.Level.WARNING, "returning a buffer to group " + buffers.bgid(UserData.slot(userData))
                            + " failed: " + Errno.describe(res) + "; the group has one buffer fewer");
                }
            }
            case UserData.OP_HANDOFF_SEND -> {
                UringServer server = servers.get(UserData.slot(userData));
                if (server != null) {
                    server.handOverSent(UserData.generation(userData), res);
                } else if (res < 0) {
                    LOG.log(System.Logger.Level.WARNING, "handing a connection to another loop failed: "
                            + Errno.describe(res) + "; the connection was closed");
                }
            }
            case UserData.OP_WAKEUP -> wakeup.completed(this, flags, !cancelledAll);
            case UserData.OP_POLL -> watches.dispatch(userData, res, flags);
            case UserData.OP_FILE -> {
                if (files == null) {
                    unowned(userData, flags, "no file operations on this loop");
                } else {
                    files.dispatch(userData, res, flags);
                }
            }
            case UserData.OP_FILE_CLOSE -> UringFiles.closed(userData, res);
            case UserData.OP_TASK -> ringMail.received(userData);
            case UserData.OP_TASK_SENT -> ringMail.sendFailed(userData, res);
            case UserData.OP_MSG, UserData.OP_LOOP_CANCEL, UserData.OP_FD_INSTALL, UserData.OP_BIND,
                 UserData.OP_LISTEN, UserData.OP_FILES_UPDATE, UserData.OP_POLL_REMOVE -> {
                // A wakeup from another loop (its tasks run this iteration), our shutdown cancel,
                // an operation whose result was read at submit (inlineResult), or the removal of a
                // poll that had already ended.
            }
            default -> unowned(userData, flags, "unknown op " + op);
        }
    }

    /**
     * A completion no operation of ours can have posted (its owner is unknown): dropped, and not
     * counted against the operations in flight, which {@link #handle} assumed it was.
     */
    void unowned(long userData, int flags, String why) {
        operations.unowned(userData, flags);
        dropped(userData, why);
    }

    /**
     * A completion that cannot be matched to anything of ours. In production it is counted and
     * dropped, never used as an index; with strict completions (tests) it is an error.
     */
    void dropped(long userData, String why) {
        droppedCompletions++;
        if (strictCompletions) {
            throw new IllegalStateException("completion with " + UserData.describe(userData) + ": " + why);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "dropped completion with " + UserData.describe(userData) + ": " + why);
    }

    // ------------------------------------------------------------------ SQEs

    /**
     * An SQE, submitting what is queued first when the SQ is full, so nothing is ever dropped.
     * (Callers that link SQEs reserve room for the whole chain with {@link #reserve}.) The
     * operation counts as in flight until its last completion (one without
     * {@code IORING_CQE_F_MORE}).
     */
    public Sqe sqe() {
        Sqe s = sqeWithoutCompletion();
        operations.prepared(s);
        return s;
    }

    /**
     * An SQE for an operation that posts no completion when it succeeds: the caller sets
     * {@code IOSQE_CQE_SKIP_SUCCESS} (returned buffers, a wake-up message to another loop). Not
     * counted in flight; the completion of its failure is matched by its op alone.
     */
    public Sqe sqeWithoutCompletion() {
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
        operations.submitting();
        int r = ring.submit();
        enters++;
        if (r > 0) {
            sqesSubmitted += r;
        }
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

    /**
     * Moves normal descriptor {@code fd} into a free slot of the loop's registered file table
     * ({@code IORING_OP_FILES_UPDATE} with {@code IORING_FILE_INDEX_ALLOC}), for sockets set up
     * with system calls that then live as direct descriptors: the caller closes {@code fd} once this
     * succeeds. Returns the slot, or {@code -errno} ({@code ENFILE}: the table is full), when the
     * caller keeps using {@code fd}.
     */
    int registerDirect(int fd) {
        int r = filesUpdate(fd, IORING_FILE_INDEX_ALLOC);
        return r == 1 ? directScratch.get(JAVA_INT, 0) : (r < 0 ? r : -Errno.ENFILE);
    }

    /**
     * Closes direct descriptor {@code slot} by clearing it from the table ({@code IORING_OP_FILES_UPDATE}
     * with -1), for a socket nothing is in flight on any more. After the loop's final drain the
     * table goes with the ring instead.
     */
    void unregisterDirect(int slot) {
        if (isStopped() || ring.isClosed()) {
            return;
        }
        int r = filesUpdate(-1, slot);
        if (r < 0) {
            LOG.log(System.Logger.Level.WARNING, "closing direct descriptor " + slot + " failed: " + Errno.describe(r)
                    + "; it closes with the ring");
        }
    }

    /**
     * Puts {@code fd} (-1: nothing) in table slot {@code offset} (or a free one, whose number the
     * kernel writes back into {@link #directScratch}) and returns the kernel's result: the number
     * of slots updated, or {@code -errno}.
     */
    private int filesUpdate(int fd, int offset) {
        directScratch.set(JAVA_INT, 0, fd);
        long ud = UserData.encode(UserData.OP_FILES_UPDATE, 0, offset);
        sqe().prepFilesUpdate(directScratch.address(), 1, offset).userData(ud);
        return inlineResult(ud);
    }

    /**
     * A normal fd for direct descriptor {@code slot} ({@code IORING_OP_FIXED_FD_INSTALL}, 6.8), for
     * the calls that need one (getpeername); the caller closes it. Returns -1 when the kernel
     * cannot install one.
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

    // ------------------------------------------------------------------ wakeups

    @Override
    protected void wakeup() {
        if (LoopThread.current() instanceof UringEventLoop from && from.ring != null && !from.isShuttingDown()) {
            // From another loop: a ring message, queued with that loop's next submit.
            from.sqeWithoutCompletion().prepMsgRing(ring.fd(), 0, UserData.encode(UserData.OP_MSG, 0, 0), 0)
                    .flags(IOSQE_CQE_SKIP_SUCCESS).userData(UserData.encode(UserData.OP_MSG, 0, 0));
            return;
        }
        wakeup.signal();
    }

    /** Through the ring where it has the file operations, else as every transport does. */
    @Override
    public void openFile(java.nio.file.Path path, LoopFile.Callback<LoopFile> callback) {
        if (!inEventLoop()) {
            post(() -> openFile(path, callback), () -> callback.complete(null,
                    new java.io.IOException("open " + path + ": event loop " + name() + " has stopped")));
        } else if (files != null) {
            files.open(path, callback);
        } else {
            super.openFile(path, callback);
        }
    }

    @Override
    protected LoopFdWatch newWatch(int fd, int events, FdHandler handler) {
        return watches.newWatch(fd, events, handler);
    }

    /**
     * From another io_uring loop that takes {@code MSG_RING_TASKS}: the task rides a ring message
     * ({@link RingMail}) instead of the task queue.
     */
    @Override
    protected boolean mailedFromLoop(Runnable task) {
        if (LoopThread.current() instanceof UringEventLoop from && from.paths != null && from.paths.msgRingTasks
                && !from.isShuttingDown() && messageRingFd >= 0) {
            from.ringMail.send(this, task);
            return true;
        }
        return false;
    }

    @Override
    protected void submitPending() {
        submitNow();
    }

    @Override
    protected void rejectHeldTasks() {
        ringMail.closeOutboxes();
        ringMail.rejectInbound();
    }

    /** This loop's task messages, as source and as target. */
    RingMail ringMail() {
        return ringMail;
    }

    /** The ring fd other loops send messages to, or -1 before the ring is set up. */
    int ringFdForMessages() {
        return messageRingFd;
    }

    // ------------------------------------------------------------------ connections

    /** Registers a new accepted connection in {@code slot} (direct) or for {@code fd} (normal descriptor). */
    UringConnection adopt(int slotOrFd, ConnectionHandler handler, UringServer server) {
        return adopt(slotOrFd, slotOrFd, paths.direct, handler, server);
    }

    /** Registers a connection in table slot {@code slot} whose descriptor is {@code fd}. */
    UringConnection adopt(int slot, int fd, boolean fixed, ConnectionHandler handler, UringServer server) {
        int generation = slots.claim(slot);
        UringConnection c = new UringConnection(this, slot, generation, fd, fixed, handler, server);
        slots.put(c);
        connectionsOpened++;
        return c;
    }

    /** The connection finished closing: its slot may be reused. */
    void released(UringConnection c) {
        slots.remove(c);
        connectionsClosed++;
    }

    @Override
    public void connect(ClientConfig config, InetSocketAddress address, CompletableFuture<Connection> future) {
        post(() -> UringConnect.open(this, config, address, future), () -> future.completeExceptionally(
                new RejectedExecutionException("event loop " + name() + " has stopped")));
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    protected void closeAll() {
        stopListeners();
        watches.closeAll();
        slots.forEach(UringConnection::close);
        udp.closeAll();
    }

    @Override
    protected void failAll(Throwable cause) {
        watches.failAll(cause);
        slots.forEach(c -> c.loopDied(cause));
        udp.failAll(cause);
    }

    @Override
    protected void abortAll() {
        slots.forEach(UringConnection::abort);
        udp.abortAll();
        cancelAll();
    }

    @Override
    protected boolean othersClosed() {
        return listenersClosed() && udp.open() == 0 && watches.open() == 0;
    }

    @Override
    protected boolean readyToStop() {
        if (wakeup.armed()) {
            // The wake-up read holds the eventfd and its buffer: end it, and stop after its completion.
            cancelAll();
            return false;
        }
        return true;
    }

    private void cancelAll() {
        if (cancelledAll) {
            return;
        }
        cancelledAll = true;
        // IORING_ASYNC_CANCEL_ANY: every request still in flight ends with its final CQE.
        sqe().prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(LOOP_CANCEL);
    }

    /** Frees everything, in the order that keeps kernel-written memory alive until nothing can write it. */
    @Override
    protected void freeResources() {
        if (ring != null) {
            // Whatever is still in flight (an abnormal exit) is cancelled and drained first.
            drainAfterCancel();
        }
        if (files != null) {
            files.abandonAll(name());
        }
        if (udp != null) {
            udp.freeAfterDrain();
        }
        if (buffers != null) {
            buffers.close();
        }
        closeListenersNow();
        if (wakeup != null) {
            wakeup.close();
        }
        if (ring != null) {
            ring.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    private void drainAfterCancel() {
        if (operations.inFlight() == 0) {
            return;
        }
        sqe().prepCancel64(0, IORING_ASYNC_CANCEL_ANY).userData(LOOP_CANCEL);
        operations.submitting();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (operations.inFlight() > 0 && System.nanoTime() - until < 0) {
            ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20));
            ring.forEachCqe((ud, res, fl) -> operations.completed(ud, fl));
        }
        if (operations.inFlight() > 0) {
            LOG.log(System.Logger.Level.ERROR, name() + ": " + operations.inFlight() + " operations still in flight 5 s "
                    + "after cancelling them; the ring is closed anyway (the kernel ends them with it)");
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
                p == null ? 0 : p.inUseBytes(), zeroCopySends, operations.inFlight(), b == null ? 0 : b.inUse(),
                p == null ? 0 : p.queuedOutputBytes(), p == null ? 0 : p.allocatedBytes(), batchedWaits);
    }

    @Override
    public Transport transport() {
        return Transport.IO_URING;
    }

    @Override
    public Set<UringOptions.Path> pathsInUse() {
        UringPaths p = paths;
        return p == null ? Set.of() : p.inUse();
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
