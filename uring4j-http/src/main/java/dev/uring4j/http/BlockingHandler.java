package dev.uring4j.http;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Runs a handler on a thread of its own, by default a virtual thread of the request's connection, so
 * that it may block (JDBC, {@code Thread.sleep}, a call to another service) while the event loop goes
 * on with the connection's I/O and with other connections. Wrap the whole server's handler
 * ({@link HttpServer.Builder#virtualThreads}) or single routes, keeping the others on the loop:
 *
 * <pre>{@code
 * Router.builder()
 *         .get("/plaintext", (request, response) -> response.send(HELLO))            // on the loop
 *         .get("/report", BlockingHandler.onVirtualThreads((request, response) -> {   // may block
 *             byte[] report = database.query(request.query());
 *             response.header("Content-Type", "text/csv").send(report);
 *         }))
 *         .build();
 * }</pre>
 *
 * <p><b>One connection, one request at a time.</b> On virtual threads ({@link #onVirtualThreads},
 * {@link HttpServer.Builder#virtualThreads}) the handlers of one connection run one after another,
 * in request order, as in a server with a thread per connection: the handler of a pipelined request
 * starts once the handler of the request before it has returned, so a handler that blocks delays
 * the later requests of its own connection, never those of another connection, each of which has
 * its own thread. The thread ends when its connection has no request waiting, and a new one starts
 * with the next. With an executor ({@link #on}) each request is a task of its own, and the
 * handlers of pipelined requests may run at once.
 *
 * <p>Before the hand-off, on the loop, the request head (target, headers) is copied, so that the
 * handler reads it on its own thread for as long as it runs; its size is bounded by the head limits.
 * The handler reads the body with blocking calls ({@link HttpRequest#body()}) and answers with
 * {@link HttpResponse#send}, or writes with blocking calls ({@link HttpResponse#outputStream()}),
 * both at the client's pace: the loop stops reading a body the handler does not keep up with, and
 * the writer parks while the client does not keep up with it. Responses still leave in request
 * order, whichever handler finishes first (with an executor, which may run them at once). A handler that throws gets the client a {@code 500} (or,
 * if the response had started, a closed connection), as on the loop. What the handler has not read
 * of the body when it returns is discarded; the response may still be answered later, from any
 * thread. On virtual threads the engine reuses the request and the response for a later request of
 * the connection once the handler has returned and the response has ended, so keep neither past
 * both.
 *
 * <p>Costs over a handler on the loop: the copy of the head, the thread, and a post to the loop for
 * each response call (calls posted while the loop has not yet taken the earlier ones join them), so
 * keep handlers that never block on the loop.
 */
public final class BlockingHandler implements HttpHandler {
    private final HttpHandler handler;
    /** Runs one task per request; null for the connection's own virtual thread ({@link HandlerLane}). */
    private final Executor executor;
    /** The connection's thread is one its loop carries. */
    private final boolean carried;

    private BlockingHandler(HttpHandler handler, Executor executor, boolean carried) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = executor;
        this.carried = carried;
    }

    /**
     * Runs {@code handler} on a virtual thread per connection: the requests of one connection one
     * after another, in order, those of different connections at once.
     *
     * @param handler the handler that may block
     * @return the handler to route to or serve
     */
    public static BlockingHandler onVirtualThreads(HttpHandler handler) {
        return new BlockingHandler(handler, null, false);
    }

    /**
     * Runs {@code handler} as {@link #onVirtualThreads} does, on virtual threads that the
     * connections' event loops carry ({@link dev.uring4j.runtime.EventLoop#ofVirtual()}): the
     * handler runs on its connection's loop thread, between the loop's batches of completions,
     * and what it sends goes straight into the loop's next submission, with no carrier thread to
     * wake and nothing posted between threads. A handler that parks ({@code Thread.sleep}, a
     * lock, a JDK socket, {@link HttpRequest#body()}) frees the loop meanwhile; one that computes
     * for long, or holds its thread in a native call or a {@code java.io} file read, delays every
     * connection of the loop, as a handler on the loop would.
     *
     * @param handler the handler that may park
     * @return the handler to route to or serve
     * @throws UnsupportedOperationException without the JVM option that
     *     {@link dev.uring4j.runtime.EventLoop#ofVirtual()} needs; the message names it
     */
    public static BlockingHandler onLoopVirtualThreads(HttpHandler handler) {
        String why = dev.uring4j.runtime.EventLoop.virtualThreadsUnavailable();
        if (why != null) {
            throw new UnsupportedOperationException(why);
        }
        return new BlockingHandler(handler, null, true);
    }

    /**
     * Runs {@code handler} on {@code executor}: a pool bounding how many requests block at once, for
     * example. An executor that refuses the task, or runs it in the calling thread (the event loop,
     * which the handler's blocking calls would wait for), gets the client a {@code 500}.
     *
     * @param executor runs one task per request
     * @param handler the handler that may block
     * @return the handler to route to or serve
     */
    public static BlockingHandler on(Executor executor, HttpHandler handler) {
        return new BlockingHandler(handler, Objects.requireNonNull(executor, "executor"), false);
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) {
        Exchange exchange = response.exchange();
        HttpRequest copy = request.detach();
        if (executor == null) {
            // Not to be handed to a later request before the handler has returned and its response ended.
            exchange.lendToHandler();
            HandlerLane lane = exchange.connection.lane(carried);
            lane.submit(() -> run(exchange, copy, response, lane));
        } else {
            // Whatever the executor's tasks hand the exchange to may hold it for as long as it likes.
            exchange.touchedOffLoop = true;
            executor.execute(() -> run(exchange, copy, response, null));
        }
    }

    /** Runs the handler on its own thread; {@code lane} is the connection's, or null for an executor's task. */
    private void run(Exchange exchange, HttpRequest request, HttpResponse response, HandlerLane lane) {
        try {
            if (exchange.connection.onLoopThreadItself()) {
                // Its blocking reads would wait for the loop they block: fail now rather than hang.
                throw new IllegalStateException("the handler executor ran the handler on the event loop thread; it "
                        + "must hand the task to another thread");
            }
            if (carried && exchange.connection.inEventLoop()) {
                exchange.connection.joinCarriedBracket();
            }
            handler.handle(request, response);
        } catch (Throwable t) {
            exchange.connection.execute(() -> exchange.connection.blockingHandlerFailed(exchange, t));
        } finally {
            request.handlerReturned();
            if (lane != null) {
                lane.handlerReturned(exchange);
            }
        }
    }
}
