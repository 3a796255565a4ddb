package dev.uring4j.http;

import java.util.Arrays;
import java.util.concurrent.ThreadFactory;

/**
 * Runs one connection's blocking handlers on a virtual thread, one request after another, as a
 * server with a thread per connection does: the requests of a pipelined batch go to the thread
 * already running for the connection, or to one new thread, and the thread ends once the
 * connection has nothing queued, so an idle connection holds no thread. The requests wait in a
 * {@link SerialQueue} whose runner is the thread: a request that finds none running has one started.
 *
 * <p>The threads are not started one by one as requests are read: on a machine with fewer cores
 * than busy threads, starting a virtual thread wakes a carrier that takes the core from the loop at
 * once, runs that one connection's handler and parks, only for the loop to wake it again for the
 * next connection. The loop instead collects the lanes to start while it handles a batch of
 * completions, and hands them all to the carriers in one step after it ({@link Launcher}).
 */
final class HandlerLane implements Runnable {
    /** Made on first use: a server that never hands off does not create the factory. */
    private static final class Holder {
        static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("http-handler-", 0).factory();
    }

    private final HttpConnection connection;
    /** The connection's loop carries the thread, rather than the JDK's scheduler. */
    private final boolean carried;
    private final SerialQueue requests;
    /** Exchanges whose handlers returned, not yet told to the loop; the lane's thread only. */
    private Exchange returned;
    private final Runnable tellReturned = this::tellReturned;

    HandlerLane(HttpConnection connection, boolean carried) {
        this.connection = connection;
        this.carried = carried;
        this.requests = carried ? SerialQueue.onOneCarrier() : new SerialQueue();
    }

    /** Queues a request's handler behind the connection's earlier ones. Loop thread. */
    void submit(Runnable request) {
        if (requests.offer(request)) {
            if (carried) {
                // Starting a thread the loop carries queues it on the loop, after the batch at hand: nothing to gather.
                start();
            } else {
                Launcher.of().add(this, connection);
            }
        }
    }

    @Override
    public void run() {
        requests.runAll(tellReturned);
    }

    /** The handler lent {@code ex} returned. Lane thread. */
    void handlerReturned(Exchange ex) {
        ex.nextReturned = returned;
        returned = ex;
    }

    /**
     * Tells the loop in one call, posted after every call the handlers made, that the handlers the
     * thread ran since it last told returned. Lane thread, while it holds the queue: no other thread
     * of the lane touches the list meanwhile.
     */
    private void tellReturned() {
        Exchange list = returned;
        if (list == null) {
            return;
        }
        returned = null;
        connection.execute(() -> {
            for (Exchange ex = list, next; ex != null; ex = next) {
                next = ex.nextReturned;
                ex.nextReturned = null;
                ex.returnedFromHandler();
            }
        });
    }

    /** Starts the lane's thread. */
    private void start() {
        try {
            (carried ? connection.loopVirtualThreads().name("http-handler").unstarted(this)
                    : Holder.VIRTUAL.newThread(this)).start();
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** No thread could be started (out of memory): the connection's requests will not be answered, so it closes. */
    private void failed(Throwable t) {
        connection.execute(() -> connection.handlerThreadFailed(t));
    }

    /**
     * The lanes a loop found due in one batch of work, started together once the batch is done: by
     * one thread that starts the others from a carrier, where starting a thread queues it behind
     * the running one and wakes nobody. So a batch costs the loop one wake-up of a carrier, not one
     * per connection. One per loop thread, used on it only.
     */
    private static final class Launcher implements Runnable {
        private static final ThreadLocal<Launcher> PER_LOOP = ThreadLocal.withInitial(Launcher::new);

        private HandlerLane[] due = new HandlerLane[8];
        private int count;

        static Launcher of() {
            return PER_LOOP.get();
        }

        void add(HandlerLane lane, HttpConnection connection) {
            if (count == due.length) {
                due = Arrays.copyOf(due, count * 2);
            }
            due[count++] = lane;
            if (count == 1) {
                try {
                    // Posted from the loop to itself: it runs after the completions being handled, without a wake-up.
                    connection.executeOnLoop(this);
                } catch (RuntimeException stopped) {
                    due[--count] = null;
                    throw stopped;
                }
            }
        }

        @Override
        public void run() {
            if (count == 1) {
                HandlerLane lane = due[0];
                due[0] = null;
                count = 0;
                lane.start();
                return;
            }
            HandlerLane[] batch = Arrays.copyOf(due, count);
            Arrays.fill(due, 0, count, null);
            count = 0;
            try {
                Holder.VIRTUAL.newThread(() -> {
                    for (HandlerLane lane : batch) {
                        lane.start();
                    }
                }).start();
            } catch (Throwable t) {
                for (HandlerLane lane : batch) {
                    lane.failed(t);
                }
            }
        }
    }
}
