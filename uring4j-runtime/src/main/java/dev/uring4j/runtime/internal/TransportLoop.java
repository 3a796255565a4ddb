package dev.uring4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.ConnectionException;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.FdWatch;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.Timeout;
import dev.uring4j.runtime.UringOptions;

/**
 * An event loop of a particular transport, and what every transport's loop does the same way:
 * its thread, tasks posted from other threads with the handshake that wakes a sleeping loop, the
 * timer heap, the connections to flush at the end of an iteration, and the counters that mean the
 * same on every transport.
 *
 * <p>A transport's iteration runs, in some order around its one wait, {@link #runTasks()},
 * {@link #runTimers()} and {@link #flushDirty()}; before waiting it calls {@link #prepareToSleep()}
 * and after {@link #awake()}, and it implements {@link #wakeup()} to end a wait early. Everything
 * here except {@link #execute}, the timer entry points and the futures belongs to the loop's thread.
 */
public abstract non-sealed class TransportLoop implements EventLoop {
    public static final System.Logger LOG = System.getLogger("dev.uring4j.runtime");
    /** The longest a loop waits without a timer, so that shutdown deadlines are seen. */
    protected static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        // A loop must keep working while the process is out of descriptors, and that is exactly
        // when its error paths run for the first time: the JDK's log formatter opens tzdb.dat on
        // first use, and a class loaded from a directory on the class path needs a descriptor too.
        // Load all of that now; each transport adds the classes of its own error paths.
        java.time.ZoneId.systemDefault();
        preload(Errno.class, ErrnoException.class, ConnectionException.class, AcceptBackoff.class, LibC.class,
                TimerQueue.Timer.class);
        try {
            // The formatter of the java.util.logging backend, where System.Logger leads there.
            Class.forName("java.util.logging.SimpleFormatter", true, null);
        } catch (ClassNotFoundException absent) {
            // No java.logging in this runtime image: System.Logger goes elsewhere.
        }
    }

    /** Initialises {@code classes} now (see the static initialiser). */
    protected static void preload(Class<?>... classes) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (Class<?> c : classes) {
                lookup.ensureInitialized(c);
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final LoopOptions options;
    /**
     * Whether a completion or readiness that cannot be handled is an error that ends the loop
     * ({@code -During4j.strictCompletions=true}, for tests) instead of being counted, logged and
     * dropped. Read when the loop is made.
     */
    protected final boolean strictCompletions = Boolean.getBoolean("uring4j.strictCompletions");
    private final int index;
    public final Thread thread;
    private final TaskQueue tasks = new TaskQueue();
    private final LoopCarrier carrier = new LoopCarrier(this);
    public final CompletableFuture<Void> started = new CompletableFuture<>();
    public final CompletableFuture<Void> terminated = new CompletableFuture<>();
    protected final TimerQueue timers = new TimerQueue();
    /** Native memory for output and kept input; made by the transport's setup, on the loop thread. */
    public BlockPool blocks;
    /** Scratch memory of the loop's TLS connections, made with the first of them. */
    TlsBuffers tlsBuffers;
    /** What the loop holds, with where it was acquired: only with leak detection on, else {@code null}. */
    public final Leaks leaks;
    /** {@link System#nanoTime()} of the current iteration's completions or events. */
    public long now;

    private LoopListener[] listeners = new LoopListener[4];
    private int listenerCount;

    private volatile boolean shutdownRequested;
    /** Set when the loop's thread has left its iterations: no task runs after this. */
    private volatile boolean stopped;
    private long shutdownDeadline;
    private boolean aborted;
    private boolean running = true;

    /** Connections with output to send, or kept input to deliver again, this iteration. */
    private LoopConnection<?> dirtyHead;
    private LoopConnection<?> dirtyTail;

    // counters every transport keeps (written by the loop thread only; read racily by stats())
    public long tasksRun;
    public long bytesRead;
    public long bytesWritten;
    public long connectionsOpened;
    public long connectionsClosed;
    /**
     * {@link dev.uring4j.runtime.LoopFile} operations started and not yet reported, whichever way
     * they run: a shutting-down loop waits for them, as they may write memory their callers free
     * once they hear back.
     */
    public int fileOperations;

    // The thread only starts in start(), after the subclass is constructed.
    @SuppressWarnings("this-escape")
    protected TransportLoop(int index, LoopOptions options, String threadName) {
        this.index = index;
        this.options = options;
        this.thread = new LoopThread(this, this::run, threadName);
        this.thread.setDaemon(false);
        this.leaks = Leaks.forLoop(threadName);
    }

    /** Makes what the loop runs on (ring or selector, native memory), on the loop's thread. */
    protected abstract void setUp() throws Exception;

    /**
     * One iteration: handle what completed or became ready, run tasks and timers, flush output,
     * then, if {@link #keepRunning()} says so, wait once.
     */
    protected abstract void iterate() throws Exception;

    /**
     * Frees what {@link #setUp()} made, in an order that keeps memory the kernel may write alive
     * until nothing can write it; also after a failed or partial set-up, and after the loop died.
     */
    protected abstract void freeResources();

    /** Closes every listener, connection and UDP socket gracefully: the first step of a shutdown. */
    protected abstract void closeAll();

    /** Closes whatever is still open now, discarding queued output: the shutdown's deadline passed. */
    protected abstract void abortAll();

    /** Whether everything but connections has let go (listeners closed, UDP sockets released). */
    protected abstract boolean othersClosed();

    /**
     * Everything is closed: whether the loop may stop now, or must first wait for operations of
     * its own (the io_uring loop cancels its wake-up read and waits for that completion).
     */
    protected abstract boolean readyToStop();

    /** Ends the loop's current or next wait. Called at most once per wait, by whoever claimed it. */
    protected abstract void wakeup();

    /** Opens a connection to {@code address}; runs on any thread, completes {@code future} on the loop. */
    public abstract void connect(ClientConfig config, InetSocketAddress address, CompletableFuture<Connection> future);


    /** The io_uring paths this loop took when it set up (none on NIO, or before set-up). */
    public Set<UringOptions.Path> pathsInUse() {
        return Set.of();
    }

    /** Whether the loop has finished and freed every native resource: descriptors closed, arenas closed (tests). */
    public abstract boolean nativeResourcesFreed();

    /** Completes when the loop's thread has finished and its resources are freed. */
    public final CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    final void start() {
        thread.start();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * The loop's thread: sets up, completes {@link #started} (or fails it naming the cause), runs
     * iterations until shut down, frees everything and completes {@link #terminated}.
     */
    private void run() {
        try {
            setUp();
        } catch (Throwable t) {
            freeAll();
            reportLeaks();
            started.completeExceptionally(t);
            terminated.complete(null);
            return;
        }
        started.complete(null);
        LoopStatsEvent.started(this);
        try {
            while (running) {
                iterate();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + name() + " failed; its connections, listeners and UDP"
                    + " sockets are closed with that cause", t);
            try {
                failAll(t);
            } catch (Throwable again) {
                LOG.log(System.Logger.Level.ERROR, "closing what event loop " + name() + " served failed too", again);
            }
        } finally {
            LoopStatsEvent.ended(this);
            stopped = true;
            rejectPending();
            rejectHeldTasks();
            carrier.rejectDue();
            freeAll();
            reportLeaks();
            terminated.complete(null);
        }
    }

    /**
     * Frees the transport's resources, then drops the shared-buffer references that connections
     * which ended with the loop still held: only now is the kernel sure to read none of them.
     */
    private void freeAll() {
        freeResources();
        if (blocks != null) {
            blocks.releaseReferences();
        }
    }

    private void reportLeaks() {
        if (leaks != null) {
            leaks.loopClosed();
        }
    }

    /**
     * The loop cannot go on ({@code cause}): close every connection, listener and UDP socket now,
     * each handler hearing {@code cause} in its {@code onClose}; nothing is drained or awaited.
     */
    protected abstract void failAll(Throwable cause);

    /**
     * Starts a graceful shutdown that must be finished by {@code deadlineNanos}
     * ({@link System#nanoTime()}): listeners stop, connections and UDP sockets close after their
     * output drains; at the deadline whatever is left is aborted.
     */
    public final void shutdown(long deadlineNanos) {
        post(() -> {
            if (shutdownRequested) {
                return;
            }
            shutdownDeadline = deadlineNanos;
            shutdownRequested = true;
            closeAll();
        });
    }

    /** Whether a shutdown was asked for: new connections and sockets are refused. */
    public final boolean isShuttingDown() {
        return shutdownRequested;
    }

    /**
     * Moves a requested shutdown on; called once per iteration before the wait. Returns false once
     * the loop is done, and must neither wait nor iterate again.
     */
    protected final boolean keepRunning() {
        if (shutdownRequested) {
            if (openConnections() == 0 && othersClosed() && fileOperations == 0) {
                running = !readyToStop();
            } else if (!aborted && System.nanoTime() - shutdownDeadline > 0) {
                aborted = true;
                abortAll();
            }
        }
        return running;
    }

    // ------------------------------------------------------------------ listeners

    /** Takes {@code l} into the loop; returns its index, which stays its own until the loop ends. */
    public final int addListener(LoopListener l) {
        if (listenerCount == listeners.length) {
            listeners = Arrays.copyOf(listeners, listenerCount * 2);
        }
        listeners[listenerCount] = l;
        return listenerCount++;
    }

    /** The listener at {@code index}, or {@code null}. */
    protected final LoopListener listener(int index) {
        return index >= 0 && index < listenerCount ? listeners[index] : null;
    }

    /** Stops every listener (accepting ends; each closes its socket when nothing of it is in flight). */
    protected final void stopListeners() {
        for (int i = 0; i < listenerCount; i++) {
            listeners[i].stop();
        }
    }

    /** Whether every listener has stopped and let go of its socket. */
    protected final boolean listenersClosed() {
        for (int i = 0; i < listenerCount; i++) {
            if (!listeners[i].isClosed()) {
                return false;
            }
        }
        return true;
    }

    /** Closes every listener's socket now (the loop is ending; nothing of theirs is in flight any more). */
    protected final void closeListenersNow() {
        for (int i = 0; i < listenerCount; i++) {
            listeners[i].closeNow();
        }
    }

    // ------------------------------------------------------------------ tasks and wakeups

    @Override
    public final boolean inEventLoop() {
        Thread t = Thread.currentThread();
        return t == thread || (t.isVirtual() && LoopCarrier.currentCarrier() == thread);
    }

    @Override
    public final Thread.Builder.OfVirtual ofVirtual() {
        return carrier.builder();
    }

    @Override
    public final void execute(Runnable task) {
        if (!post(task)) {
            throw new RejectedExecutionException("event loop " + name() + " has stopped");
        }
    }

    /**
     * Queues {@code task} to run on the loop, unless the loop has stopped: then returns
     * {@code false} and the task never runs. (A task queued just as the loop stops is dropped too:
     * whatever it would act on is gone with the loop.)
     */
    public final boolean post(Runnable task) {
        if (stopped) {
            return false;
        }
        if (!inEventLoop() && mailedFromLoop(task)) {
            return true;
        }
        return enqueue(task);
    }

    /**
     * Hands {@code task}, posted from another thread, to this loop by a way of the transport's
     * own (ring messages from another io_uring loop); {@code false} to queue it as usual.
     */
    protected boolean mailedFromLoop(Runnable task) {
        return false;
    }

    /**
     * Queues {@code task} in the loop's task queue, waking the loop if it may be asleep; the way
     * every task goes unless {@link #mailedFromLoop} took it. Returns {@code false}, and the task
     * never runs, when the loop has stopped.
     */
    public final boolean enqueue(Runnable task) {
        if (stopped) {
            return false;
        }
        if (tasks.offer(task, inEventLoop())) {
            wakeup();
        }
        if (stopped) {
            // The loop stopped while the task went in: it will not run.
            rejectPending();
        }
        return true;
    }

    /**
     * Queues {@code task}; if the loop stops before running it (or has stopped),
     * {@code onRejected} runs instead, on this thread or the stopping loop's, so that whoever
     * waits on the task (a future, a descriptor handed over) is not left hanging.
     */
    public final void post(Runnable task, Runnable onRejected) {
        if (!post(new Rejectable(task, onRejected))) {
            onRejected.run();
        }
    }

    @Override
    public final FdWatch watch(int fd, int events, FdHandler handler) {
        LoopFdWatch w = newWatch(fd, events, handler);
        w.start();
        return w;
    }

    /**
     * Opens {@code path} for {@link dev.uring4j.runtime.LoopFile#open}: by default with blocking calls on
     * {@link BlockingFile}'s pool; a transport that can do better overrides this.
     */
    public void openFile(java.nio.file.Path path, dev.uring4j.runtime.LoopFile.Callback<dev.uring4j.runtime.LoopFile> callback) {
        BlockingFile.open(this, path, callback);
    }

    /** A watch of {@code fd} on this transport, not yet armed (arguments checked by {@link LoopFdWatch}). */
    protected abstract LoopFdWatch newWatch(int fd, int events, FdHandler handler);

    /**
     * As {@link #post(Runnable, Runnable)}, but runs {@code task} at once when called on this loop:
     * for callers that wait for the task, which on the loop itself would wait forever.
     */
    public final void runOrPost(Runnable task, Runnable onRejected) {
        if (inEventLoop() && !stopped) {
            task.run();
        } else {
            post(task, onRejected);
        }
    }

    /**
     * Runs {@code task} on the loop; the future completes with its result, or exceptionally with
     * what it threw, or with a {@link RejectedExecutionException} if the loop stopped first.
     */
    public final <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        post(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, () -> f.completeExceptionally(new RejectedExecutionException("event loop " + name() + " has stopped")));
        return f;
    }

    /** Whether the loop has stopped: it runs no more tasks, and its resources are being or have been freed. */
    public final boolean isStopped() {
        return stopped;
    }

    /** Takes every task left in the queue: a {@link Rejectable}'s rejection runs, the others are dropped. */
    private void rejectPending() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            reject(t);
        }
    }

    /**
     * A task that will never run, its loop having stopped: one posted with a rejection
     * ({@link #post(Runnable, Runnable)}) runs it; any other is dropped.
     */
    public static void reject(Runnable task) {
        if (task instanceof Rejectable r) {
            try {
                r.onRejected.run();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "a task refused by a stopped event loop failed to report it", e);
            }
        }
    }

    /**
     * Waits for {@code f}, which another loop completes. Called on a loop's thread (a handler
     * starting a server or an endpoint on its group), the calling loop first submits what it has
     * prepared, so that a ring message carrying or announcing the work leaves now, not after the
     * wait.
     */
    public static <T> T await(CompletableFuture<T> f) {
        if (LoopThread.current() instanceof TransportLoop l) {
            l.submitPending();
        }
        return f.join();
    }

    /** Hands the kernel what the loop has prepared, without waiting (loop thread). */
    protected void submitPending() {
    }

    /** Runs one task on the loop: counted, and what it throws is logged, not propagated. */
    public final void runTask(Runnable t) {
        tasksRun++;
        try {
            t.run();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, "task on " + thread.getName() + " threw", e);
        }
    }

    /** The loop has stopped and its task queue is empty: tasks the transport holds elsewhere are rejected. */
    protected void rejectHeldTasks() {
    }

    /** A task with what to do if it will never run. */
    private record Rejectable(Runnable task, Runnable onRejected) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /** Tells posters the loop may sleep, then looks again ({@link TaskQueue}); whether the loop may wait. */
    protected final boolean prepareToSleep() {
        return tasks.prepareToSleep();
    }

    /** The wait is over: wakeups are not needed until the next {@link #prepareToSleep()}. */
    protected final void awake() {
        tasks.awake();
    }

    /** Runs the queued tasks, and the virtual threads due that this loop carries, until neither is left. */
    protected final void runTasks() {
        do {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                runTask(t);
            }
        } while (carrier.runDue());
    }

    /**
     * How long the loop may wait: 0 with tasks or connections to flush, else until the nearest
     * timer, at most {@link #MAX_WAIT_NANOS}.
     */
    protected final long nextWaitNanos() {
        if (dirtyHead != null || !tasks.isEmpty() || carrier.hasDue()) {
            return 0;
        }
        long deadline = timers.nextDeadline();
        if (deadline == Long.MAX_VALUE) {
            return MAX_WAIT_NANOS;
        }
        long wait = deadline - System.nanoTime();
        return wait <= 0 ? 0 : Math.min(wait, MAX_WAIT_NANOS);
    }

    // ------------------------------------------------------------------ timers

    @Override
    public final Timeout schedule(long delay, TimeUnit unit, Runnable task) {
        return addTimer(new TimerQueue.Timer(this, task, System.nanoTime() + unit.toNanos(delay), 0));
    }

    @Override
    public final Timeout scheduleAtFixedRate(long initialDelay, long period, TimeUnit unit, Runnable task) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return addTimer(new TimerQueue.Timer(this, task, System.nanoTime() + unit.toNanos(initialDelay),
                unit.toNanos(period)));
    }

    private Timeout addTimer(TimerQueue.Timer t) {
        if (inEventLoop()) {
            timers.add(t);
        } else {
            post(() -> {
                if (!t.isCancelled()) {
                    timers.add(t);
                }
            });
        }
        return t;
    }

    final void removeTimer(TimerQueue.Timer t) {
        if (inEventLoop()) {
            timers.remove(t);
        } else {
            post(() -> timers.remove(t));
        }
    }

    protected final void runTimers() {
        if (timers.size() == 0) {
            return;
        }
        long t0 = System.nanoTime();
        TimerQueue.Timer t;
        while ((t = timers.pollDue(t0)) != null) {
            if (!t.claimRun()) {
                continue;
            }
            if (t.periodNanos > 0) {
                t.deadline += t.periodNanos;
                timers.add(t);
            }
            tasksRun++;
            try {
                t.task.run();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "timer task on " + thread.getName() + " threw", e);
            }
        }
    }

    // ------------------------------------------------------------------ end-of-iteration flush

    public final void markDirty(LoopConnection<?> c) {
        if (c.inDirtyList) {
            return;
        }
        c.inDirtyList = true;
        c.nextDirty = null;
        if (dirtyTail == null) {
            dirtyHead = dirtyTail = c;
        } else {
            dirtyTail.nextDirty = c;
            dirtyTail = c;
        }
    }

    /** Lets every connection marked this iteration send its output (and re-deliver kept input). */
    protected final void flushDirty() {
        LoopConnection<?> c = dirtyHead;
        dirtyHead = dirtyTail = null;
        while (c != null) {
            LoopConnection<?> next = c.nextDirty;
            c.nextDirty = null;
            c.inDirtyList = false;
            c.flushNow();
            c = next;
        }
    }

    // ------------------------------------------------------------------ EventLoop

    protected int openConnections() {
        return (int) (connectionsOpened - connectionsClosed);
    }

    @Override
    public final int index() {
        return index;
    }

    @Override
    public final LoopOptions options() {
        return options;
    }

    public String name() {
        return thread.getName();
    }
}
