package dev.uring4j.http;

/**
 * Answers requests. Called on the connection's event loop once a request head has arrived; it must
 * not block that thread.
 *
 * <p>The handler may answer at once, or keep the {@link HttpResponse} and answer later from any
 * thread; responses still leave in request order. The request head ({@link HttpRequest#target()},
 * {@link HttpRequest#headers()}) is readable only until this method returns, because it is a view
 * of the receive buffer: copy what a later answer needs. To receive the body, register a listener
 * with {@link HttpRequest#onBody} before returning; otherwise the body is read and discarded.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handles one request.
     *
     * @param request the request; its head is readable until this method returns
     * @param response its response, to answer now or later from any thread
     * @throws Exception anything; the client gets {@code 500} (or, if the response had started, a
     *     closed connection), the failure is logged, and other connections are not affected
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
