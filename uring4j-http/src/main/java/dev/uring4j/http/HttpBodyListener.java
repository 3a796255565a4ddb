package dev.uring4j.http;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Receives a request body as it arrives, decoded from its transfer coding, without the engine
 * holding it: a body of any size costs no more memory than the receive buffers it passes through.
 * All calls are made on the connection's event loop.
 *
 * <p>Calls receive the request, so one stateless listener can serve every request (the echo handler
 * does): {@code request.response()} is the place to answer.
 */
public interface HttpBodyListener {
    /**
     * The next part of the body. The view is valid only during this call: copy or write out what
     * you need before returning.
     *
     * @param request the request the body belongs to
     * @param buffer the receive buffer the part is in
     * @param offset where the part starts in {@code buffer}
     * @param length how many octets it has, at least one
     */
    void onData(HttpRequest request, MemorySegment buffer, long offset, int length);

    /**
     * The body is complete.
     *
     * @param request the request the body belongs to
     * @param trailers for a chunked body, its trailer fields (a view valid during this call only);
     *     otherwise empty
     */
    void onEnd(HttpRequest request, HttpHeaders trailers);

    /**
     * The body will not complete: the client closed the connection or timed out, the body broke
     * the chunked grammar, or it exceeded the body limit. No more calls follow. Does nothing unless
     * overridden.
     *
     * @param request the request the body belongs to
     * @param cause what ended the body, in words
     */
    default void onAbort(HttpRequest request, IOException cause) {
    }
}
