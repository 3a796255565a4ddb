package dev.uring4j.http;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Runs a handler on a thread of its own, by default a new virtual thread per request, so that it may
 * block (JDBC, {@code Thread.sleep}, a call to another service) while the event loop goes on with
 * the connection's I/O and with other connections. Wrap the whole server's handler
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
 * <p>Before the hand-off, on the loop, the request head (target, headers) is copied, so that the
 * handler reads it on its own thread for as long as it runs; its size is bounded by the head limits.
 * The handler reads the body with blocking calls ({@link HttpRequest#body()}) and answers with
 * {@link HttpResponse#send}, or writes with blocking calls ({@link HttpResponse#outputStream()}),
 * both at the client's pace: the loop stops reading a body the handler does not keep up with, and
 * the writer parks while the client does not keep up with it. Responses still leave in request
 * order, whichever handler finishes first. A handler that throws gets the client a {@code 500} (or,
 * if the response had started, a closed connection), as on the loop. What the handler has not read
 * of the body when it returns is discarded; the response may still be answered later, from any
 * thread.
 *
 * <p>Costs over a handler on the loop: the copy of the head, the thread, and a post to the loop for
 * each response call, so keep handlers that never block on the loop.
 */
public final class BlockingHandler implements HttpHandler {
    /** A new virtual thread per task: the threads cost little, and a blocked one parks without holding a carrier. */
    static final Executor VIRTUAL_THREAD_PER_REQUEST = task -> Holder.VIRTUAL.newThread(task).start();

    private final HttpHandler handler;
    private final Executor executor;

    /** Made on first use: a server that never hands off does not create the factory. */
    private static final class Holder {
        static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("http-handler-", 0).factory();
    }

    private BlockingHandler(HttpHandler handler, Executor executor) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Runs {@code handler} on a new virtual thread per request.
     *
     * @param handler the handler that may block
     * @return the handler to route to or serve
     */
    public static BlockingHandler onVirtualThreads(HttpHandler handler) {
        return new BlockingHandler(handler, VIRTUAL_THREAD_PER_REQUEST);
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
        return new BlockingHandler(handler, executor);
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) {
        Exchange exchange = response.exchange();
        HttpRequest copy = request.detach();
        // The other thread may hold the exchange for as long as it likes: never hand it to a later request.
        exchange.touchedOffLoop = true;
        executor.execute(() -> run(exchange, copy, response));
    }

    private void run(Exchange exchange, HttpRequest request, HttpResponse response) {
        try {
            if (exchange.connection.inEventLoop()) {
                // Its blocking reads would wait for the loop they block: fail now rather than hang.
                throw new IllegalStateException("the handler executor ran the handler on the event loop thread; it "
                        + "must hand the task to another thread");
            }
            handler.handle(request, response);
        } catch (Throwable t) {
            exchange.connection.execute(() -> exchange.connection.blockingHandlerFailed(exchange, t));
        } finally {
            request.handlerReturned();
        }
    }
}
