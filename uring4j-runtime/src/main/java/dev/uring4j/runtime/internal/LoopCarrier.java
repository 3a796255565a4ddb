package dev.uring4j.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * An event loop as the scheduler of virtual threads: their continuations run on the loop's own
 * thread, between its batches of completions, as its tasks do. A virtual thread that waits for the
 * loop (a blocking socket's {@code read}) is then resumed by the loop that received its bytes, on
 * the same thread, in the same iteration: no carrier is woken, no thread hands anything to
 * another, and what the thread writes goes straight into the loop's next submission.
 *
 * <p>The JDK has no public API for a virtual thread's scheduler yet; the constructor its own tests
 * use is reached by reflection, which needs {@code --add-opens java.base/java.lang=} this module
 * ({@code ALL-UNNAMED} on the class path). Without it {@link #unavailable()} says so and nothing
 * here is used.
 *
 * <p>A continuation made due on the loop's thread (the loop unparking a reader) waits in a queue
 * the loop drains with its tasks, so a batch of completions resumes its threads after the batch,
 * without a task allocated for it; one made due elsewhere (a timed park ending, another thread's
 * unpark) is posted as a task. A continuation that a stopped loop can no longer run is resumed on
 * the common pool instead, so that its thread sees its socket closed and ends rather than staying
 * parked for ever.
 */
public final class LoopCarrier implements Executor {
    /** {@code new ThreadBuilders.VirtualThreadBuilder(Executor)}, as {@code (Executor) -> OfVirtual}. */
    private static final MethodHandle BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final String UNAVAILABLE;

    static {
        MethodHandle builder = null;
        MethodHandle carrier = null;
        String unavailable = null;
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            var constructor = c.getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            builder = MethodHandles.lookup().unreflectConstructor(constructor)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            var m = Thread.class.getDeclaredMethod("currentCarrierThread");
            m.setAccessible(true);
            carrier = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            builder = null;
            carrier = null;
            unavailable = "virtual threads carried by an event loop need the JVM option --add-opens java.base/java.lang="
                    + moduleName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        UNAVAILABLE = unavailable;
    }

    private final TransportLoop loop;
    /** Continuations made due on the loop's thread, run by {@link #runDue()}; loop thread only. */
    private final ArrayDeque<Runnable> due = new ArrayDeque<>();

    LoopCarrier(TransportLoop loop) {
        this.loop = loop;
    }

    /** Why loops cannot carry virtual threads in this JVM, or {@code null} when they can. */
    public static String unavailable() {
        return UNAVAILABLE;
    }

    /**
     * The platform thread under the calling thread: itself for a platform thread, its carrier for
     * a mounted virtual thread ({@code null} when loops cannot carry virtual threads, as no virtual
     * thread then runs on a loop).
     */
    static Thread currentCarrier() {
        if (CURRENT_CARRIER == null) {
            return null;
        }
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.currentCarrierThread failed", t);
        }
    }

    /** A builder of virtual threads whose scheduler is this loop. */
    public Thread.Builder.OfVirtual builder() {
        if (BUILDER == null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.invokeExact((Executor) this);
        } catch (Throwable e) {
            throw new UnsupportedOperationException("creating a virtual thread builder with a scheduler failed", e);
        }
    }

    @Override
    public void execute(Runnable continuation) {
        if (!loop.inEventLoop()) {
            loop.post(continuation, () -> resumeElsewhere(continuation));
        } else if (loop.isStopped()) {
            resumeElsewhere(continuation);
        } else {
            // The loop runs it with its tasks (TransportLoop.runTasks), and does not wait while one is due.
            due.add(continuation);
        }
    }

    /** Whether a continuation waits to run. Loop thread. */
    boolean hasDue() {
        return !due.isEmpty();
    }

    /**
     * Runs the continuations due, and those they make due meanwhile (one thread unparking
     * another); returns whether it ran any. Loop thread.
     */
    boolean runDue() {
        Runnable c = due.poll();
        if (c == null) {
            return false;
        }
        do {
            loop.runTask(c);
        } while ((c = due.poll()) != null);
        return true;
    }

    /** The loop has stopped: what was due resumes on the common pool, where its thread finds its socket closed. */
    void rejectDue() {
        Runnable c;
        while ((c = due.poll()) != null) {
            resumeElsewhere(c);
        }
    }

    /** A continuation this loop will never run, having stopped: its thread goes on on the common pool. */
    private static void resumeElsewhere(Runnable continuation) {
        ForkJoinPool.commonPool().execute(continuation);
    }

    private static String moduleName() {
        Module m = LoopCarrier.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }
}
