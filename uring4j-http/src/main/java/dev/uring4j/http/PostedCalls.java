package dev.uring4j.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Calls made on other threads for one connection (a handler's {@code send}, its writes, its body
 * reads asking for more), run on the connection's event loop in order, in batches: the first call
 * posted while no batch is pending posts one task to the loop, and the calls that follow before the
 * loop runs it join that batch. A batch is one bracket of output ({@link ResponseWriter#enter}), so
 * the responses a handler thread produced one after another leave in one flush, and the loop takes
 * one task, not one per call.
 *
 * <pre>
 *  poster (any thread)                      loop: run()
 *  calls.offer(call)                         poll and run every call
 *  scheduled == 0 and CAS 0 -> 1 ?           scheduled = 0
 *    yes: post run() to the loop             calls empty?  yes: done
 *    no:  a pending batch takes it                         no: CAS 0 -> 1, or a poster has posted
 * </pre>
 *
 * No call is left waiting: one offered after the loop's last poll sees {@code scheduled == 1} only
 * until the loop clears it, and the loop looks at the queue again after clearing it.
 */
final class PostedCalls implements Runnable {
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(PostedCalls.class, "scheduled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HttpTransport transport;
    private final ResponseWriter output;
    private final ConcurrentLinkedQueue<Runnable> calls = new ConcurrentLinkedQueue<>();
    /** 1 while a batch is posted to the loop and has not finished taking calls. */
    @SuppressWarnings("unused")
    private volatile int scheduled;

    PostedCalls(HttpTransport transport, ResponseWriter output) {
        this.transport = transport;
        this.output = output;
    }

    /** Queues {@code call} to run on the loop; any thread. */
    void post(Runnable call) {
        calls.offer(call);
        if ((int) SCHEDULED.getVolatile(this) == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            transport.execute(this);
        }
    }

    /** Runs the calls posted so far, and those posted meanwhile, in one bracket of output. Loop thread. */
    @Override
    public void run() {
        output.enter();
        try {
            do {
                for (Runnable call; (call = calls.poll()) != null; ) {
                    try {
                        call.run();
                    } catch (Throwable t) {
                        // One call failing must not strand the calls behind it.
                        HttpConnection.LOG.log(System.Logger.Level.WARNING, "a call posted to an HTTP connection threw", t);
                    }
                }
                SCHEDULED.setVolatile(this, 0);
            } while (!calls.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1));
        } finally {
            output.exit();
        }
    }
}
