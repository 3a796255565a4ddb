package dev.uring4j.http;

/**
 * Calls made on other threads for one connection (a handler's {@code send}, its writes, its body
 * reads asking for more), run on the connection's event loop in order, in batches: the first call
 * posted while no batch is pending posts one task to the loop, and the calls that follow before the
 * loop has run them all join that batch ({@link SerialQueue}). A batch is one bracket of output
 * ({@link ResponseWriter#enter}), so the responses a handler thread produced one after another
 * leave in one flush, and the loop takes one task, not one per call.
 */
final class PostedCalls implements Runnable {
    private final HttpTransport transport;
    private final ResponseWriter output;
    private final SerialQueue calls = new SerialQueue();

    PostedCalls(HttpTransport transport, ResponseWriter output) {
        this.transport = transport;
        this.output = output;
    }

    /** Queues {@code call} to run on the loop; any thread. */
    void post(Runnable call) {
        if (calls.offer(call)) {
            try {
                transport.execute(this);
            } catch (RuntimeException stopped) {
                calls.unclaim();
                throw stopped;
            }
        }
    }

    /** Runs the calls posted so far, and those posted meanwhile, in one bracket of output. Loop thread. */
    @Override
    public void run() {
        output.enter();
        try {
            calls.runAll(null);
        } finally {
            output.exit();
        }
    }
}
