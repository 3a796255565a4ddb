package dev.uring4j.http;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * The response to one request: status and headers, then either the whole body at once
 * ({@link #send}) or a streamed body of declared length ({@link #start(long)}) or chunked
 * ({@link #startChunked()}), written with {@link #write} and finished with {@link #end()}.
 *
 * <p><b>Streaming at the client's pace.</b> Every {@code write} is taken whole, and its result
 * says whether to go on: {@code false} means the output is piling up (the client reads slower than
 * the handler writes, or the response waits behind an earlier pipelined one), so stop writing and
 * continue from {@link #onWritable}, which runs its task on the event loop once the response takes
 * more. A handler that keeps writing regardless fills the connection's output queue until the
 * runtime's limit ({@code LoopOptions.maxPendingOutput}) closes the connection, or, behind an earlier
 * response, the heap. Streaming a large body from the event loop:
 *
 * <pre>{@code
 * final class Countdown implements Runnable {
 *     private static final byte[] CHUNK = new byte[64 * 1024];
 *     private final HttpResponse response;
 *     private long left;
 *
 *     Countdown(HttpResponse response, long length) {
 *         this.response = response.start(length);
 *         this.left = length;
 *     }
 *
 *     public void run() {                           // on the event loop, now and from onWritable
 *         while (left > 0) {
 *             int n = (int) Math.min(left, CHUNK.length);
 *             left -= n;
 *             if (!response.write(CHUNK, 0, n) && left > 0) {
 *                 response.onWritable(this);         // the client is behind: continue when it caught up
 *                 return;
 *             }
 *         }
 *         response.end();
 *     }
 * }
 * router.get("/big", (request, response) -> new Countdown(response, 1L << 30).run());
 * }</pre>
 *
 * <p>From another thread the same loop works with a task that wakes the writer, for example
 * {@code response.onWritable(latch::countDown)} followed by {@code latch.await()}.
 *
 * <p>The engine writes the status line, {@code Date}, the framing ({@code Content-Length} or
 * {@code Transfer-Encoding: chunked}) and {@code Connection}, answers {@code HEAD} with the headers
 * and no body, and omits the body of {@code 204} and {@code 304}. An HTTP/1.0 client gets a streamed
 * body of unknown length delimited by closing the connection, since it knows no chunked coding.
 *
 * <p><b>Threads.</b> Use a response from one thread at a time: the handler's, then whichever thread
 * it hands the response to. Called on the event loop, methods write directly; called from another
 * thread, they copy their data and post the write to the loop, so the caller may reuse its buffers
 * at once and the loop is woken through the transport's task queue; what they report about
 * writability is then the loop's last word plus what that thread has posted and the loop not yet
 * taken, so a writer on another thread cannot queue more than
 * {@link HttpServer#maxBufferedResponseBytes()} ahead of the loop. Misuse (a second {@code send},
 * writing more than declared) throws {@link IllegalStateException} in the calling thread. After the
 * client has gone, or after the engine answered in the handler's place (a broken or oversized body),
 * calls are accepted and their output discarded, writes report the response writable and a waiting
 * {@link #onWritable} task runs, so that no writer waits forever. Do not touch a response after it
 * ended: the engine reuses it for a later request.
 */
public final class HttpResponse {
    private static final int BUILDING = 0;
    private static final int FIXED = 1;
    private static final int CHUNKED = 2;
    private static final int ENDED = 3;
    private static final byte[] EMPTY = new byte[0];

    private final Exchange exchange;
    private final ByteBuf headers = new ByteBuf(256);
    private int status = 200;
    private int state = BUILDING;
    private long declared;
    private long written;

    HttpResponse(Exchange exchange) {
        this.exchange = exchange;
    }

    Exchange exchange() {
        return exchange;
    }

    void recycle() {
        headers.reset(8192, 256);
        status = 200;
        state = BUILDING;
        declared = written = 0;
    }

    /**
     * Sets the status code (default 200).
     *
     * @param status a final status code, 200 to 599
     * @return this response
     * @throws IllegalArgumentException for codes outside 200..599; the engine sends the only
     *     interim response HTTP/1.1 needs here, {@code 100 Continue}
     * @throws IllegalStateException if the head was already sent
     */
    public HttpResponse status(int status) {
        building();
        if (status < 200 || status > StatusLine.MAX) {
            throw new IllegalArgumentException("status " + status + " is not a final status code (200..599)");
        }
        this.status = status;
        return this;
    }

    /**
     * Adds a header field. Checks and encodes it without allocating.
     *
     * @param name the field name, a token
     * @param value the field value: visible ISO-8859-1 characters, spaces and tabs
     * @return this response
     * @throws IllegalArgumentException as {@link HttpHeader#of} does
     * @throws IllegalStateException if the head was already sent
     */
    public HttpResponse header(String name, String value) {
        building();
        HttpHeader.encode(headers, name, value);
        return this;
    }

    /**
     * Adds a prepared header field: one array copy.
     *
     * @param header the field line
     * @return this response
     * @throws IllegalStateException if the head was already sent
     */
    public HttpResponse header(HttpHeader header) {
        building();
        headers.append(header.bytes());
        return this;
    }

    /**
     * Sends the response with an empty body.
     *
     * @throws IllegalStateException if the head was already sent
     */
    public void send() {
        send(EMPTY, 0, 0);
    }

    /**
     * Sends the response with {@code body} as its whole body.
     *
     * @param body the body; not kept after the call
     * @throws IllegalStateException if the head was already sent, or the status is 204 or 304 and
     *     the body is not empty
     */
    public void send(byte[] body) {
        send(body, 0, body.length);
    }

    /**
     * Sends the response with part of an array as its whole body.
     *
     * @param body holds the body; not kept after the call
     * @param offset where the body starts in {@code body}
     * @param length how many octets it has
     * @throws IllegalStateException if the head was already sent, or the status is 204 or 304 and
     *     the body is not empty
     */
    public void send(byte[] body, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, body.length);
        commit(ENDED, length);
        if (onLoop()) {
            exchange.send(status, headers, body, null, offset, length);
        } else {
            byte[] copy = Arrays.copyOfRange(body, offset, offset + length);
            int s = status;
            post(() -> exchange.send(s, headers, copy, null, 0, length));
        }
    }

    /**
     * Sends the response with part of a memory segment as its whole body.
     *
     * @param body holds the body; not kept after the call
     * @param offset where the body starts in {@code body}
     * @param length how many octets it has
     * @throws IllegalStateException if the head was already sent, or the status is 204 or 304 and
     *     the body is not empty
     */
    public void send(MemorySegment body, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, body.byteSize());
        commit(ENDED, length);
        if (onLoop()) {
            exchange.send(status, headers, null, body, offset, length);
        } else {
            byte[] copy = copy(body, offset, length);
            int s = status;
            post(() -> exchange.send(s, headers, copy, null, 0, length));
        }
    }

    /**
     * Sends the head of a response whose body of exactly {@code contentLength} octets follows through
     * {@link #write}, then {@link #end()}. Answering {@code HEAD}, call {@link #end()} at once: the
     * head carries the length, and a body would not be sent.
     *
     * @param contentLength the body's length, sent as {@code Content-Length}
     * @return this response
     * @throws IllegalArgumentException if {@code contentLength} is negative
     * @throws IllegalStateException if the head was already sent, or the status is 204 or 304 and
     *     the body is not empty
     */
    public HttpResponse start(long contentLength) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("negative content length " + contentLength);
        }
        commit(FIXED, contentLength);
        startOnLoop(contentLength);
        return this;
    }

    /**
     * Sends the head of a response whose body follows through {@link #write} in chunks, then
     * {@link #end()}: for a body whose length is not known up front.
     *
     * @return this response
     * @throws IllegalStateException if the head was already sent, or the status is 204 or 304
     */
    public HttpResponse startChunked() {
        commit(CHUNKED, 0);
        startOnLoop(-1);
        return this;
    }

    private void startOnLoop(long length) {
        if (onLoop()) {
            exchange.start(status, headers, length);
        } else {
            int s = status;
            post(() -> exchange.start(s, headers, length));
        }
    }

    /**
     * Writes the next part of a started body.
     *
     * @param data the part; not kept after the call
     * @return whether to go on writing: {@code false} when the output is piling up, so the caller
     *     should stop and continue from {@link #onWritable}; the part is taken either way
     * @throws IllegalStateException if the body was not started or has ended, or the octets would
     *     exceed the length {@link #start(long)} declared
     */
    public boolean write(byte[] data) {
        return write(data, 0, data.length);
    }

    /**
     * Writes part of an array as the next part of a started body.
     *
     * @param data holds the part; not kept after the call
     * @param offset where the part starts in {@code data}
     * @param length how many octets it has
     * @return whether to go on writing: {@code false} when the output is piling up, so the caller
     *     should stop and continue from {@link #onWritable}; the part is taken either way
     * @throws IllegalStateException if the body was not started or has ended, or the octets would
     *     exceed the length {@link #start(long)} declared
     */
    public boolean write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        streaming(length);
        if (onLoop()) {
            exchange.write(data, null, offset, length);
            return exchange.connection.writability().writable(exchange);
        }
        return postWrite(Arrays.copyOfRange(data, offset, offset + length));
    }

    /**
     * Writes part of a memory segment, such as a request body's receive view, as the next part of a
     * started body.
     *
     * @param data holds the part; not kept after the call
     * @param offset where the part starts in {@code data}
     * @param length how many octets it has
     * @return whether to go on writing: {@code false} when the output is piling up, so the caller
     *     should stop and continue from {@link #onWritable}; the part is taken either way
     * @throws IllegalStateException if the body was not started or has ended, or the octets would
     *     exceed the length {@link #start(long)} declared
     */
    public boolean write(MemorySegment data, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        streaming(length);
        if (onLoop()) {
            exchange.write(null, data, offset, length);
            return exchange.connection.writability().writable(exchange);
        }
        return postWrite(copy(data, offset, length));
    }

    /**
     * Queues {@code length} body octets of {@code file} from {@code position}, sent from the file
     * ({@code Connection.writeFile}), when this response can: on the event loop, the file open on
     * it, the response at the head of the connection's line with a declared length. The connection
     * holds the file open until the octets are sent.
     *
     * @return {@code false} when it cannot, having written nothing: the caller reads and writes instead
     */
    boolean writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        if (!onLoop() || !exchange.sendsFileNow(file)) {
            return false;
        }
        streaming(length);
        exchange.writeFile(file, position, length);
        return true;
    }

    /** Posts a write made on another thread; counts it until the loop takes it, so such writers stay bounded. */
    private boolean postWrite(byte[] copy) {
        Writability writability = exchange.connection.writability();
        long posted = writability.posted(copy.length);
        post(() -> {
            writability.taken(copy.length);
            exchange.write(copy, null, 0, copy.length);
        });
        return writability.mayPostMore(posted);
    }

    /**
     * Whether a {@link #write} now would go out without piling up: the same answer the last write
     * gave, without writing.
     *
     * @return {@code true} while the response takes more output; from a thread other than the event
     *     loop, the loop's most recent answer, and {@code false} while that thread's own posted
     *     writes are more than the loop has caught up with
     */
    public boolean isWritable() {
        Writability writability = exchange.connection.writability();
        return onLoop() ? writability.writable(exchange) : writability.mayPostMore(writability.posted());
    }

    /**
     * Runs {@code task} on the event loop once this response takes more output: when the client has
     * read enough of what was sent, or the earlier responses it waited behind are out. The task runs
     * once, later, never inside this call; if the response is writable already, it runs as soon as
     * the loop gets to it. Registering again before it ran replaces the task. If the connection
     * closes first, the task runs anyway (writes are then discarded), so that a writer waiting on it
     * is let go.
     *
     * @param task what to run, typically the writer itself; it runs on the event loop, so it writes
     *     without copying
     * @throws IllegalStateException if the body was not started with {@link #start(long)} or
     *     {@link #startChunked()}, or has ended
     */
    public void onWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state != FIXED && state != CHUNKED) {
            throw new IllegalStateException(state == ENDED ? "the response has already ended" : "onWritable() without start()");
        }
        if (onLoop()) {
            exchange.connection.writability().onWritable(exchange, task);
        } else {
            post(() -> exchange.connection.writability().onWritable(exchange, task));
        }
    }

    /**
     * The body as a stream to write with blocking calls, from a thread other than the event loop,
     * such as a handler run by {@link BlockingHandler}: writes park the calling thread while the
     * response does not take more output (the client reads slower, or an earlier pipelined response
     * is not out yet), with the same bound on queued output as {@link #write} and
     * {@link #onWritable} on the loop. Small writes are gathered into a buffer of 16 KiB; the first
     * octet sent starts a chunked body unless {@link #start(long)} or {@link #startChunked()} was
     * called; {@link OutputStream#close()} sends the rest and ends the response. If the client is
     * gone, writes are discarded.
     *
     * @return a new stream over this response; one per response
     * @throws IllegalStateException on the event loop, which must not block
     */
    public OutputStream outputStream() {
        return outputStream(-1);
    }

    /**
     * As {@link #outputStream()}, for a body of exactly {@code contentLength} octets whose response
     * has not started: the stream starts it. A body of up to 16 KiB is held until complete and leaves
     * with its head in one step, as {@link #send} does; writing more than declared is an
     * {@code IOException}, and closing the stream short of it closes the connection.
     *
     * @param contentLength the body's length, sent as {@code Content-Length}; -1 as {@link #outputStream()}
     * @return a new stream over this response; one per response
     * @throws IllegalStateException on the event loop, which must not block, or if the head was
     *     already sent and {@code contentLength} is not -1
     */
    public OutputStream outputStream(long contentLength) {
        if (exchange.connection.onLoopThreadItself()) {
            throw new IllegalStateException("outputStream() blocks, and this is the event loop: use write and onWritable");
        }
        if (contentLength >= 0) {
            building();
        }
        return new ResponseOutputStream(this, contentLength);
    }

    /**
     * Finishes a started body.
     *
     * @throws IllegalStateException if the body was not started or has ended already, or if fewer
     *     octets were written than {@link #start(long)} declared (except in answer to {@code HEAD});
     *     the connection is then closed,
     *     since the client cannot tell where the next response starts
     */
    public void end() {
        if (state != FIXED && state != CHUNKED) {
            throw new IllegalStateException(state == ENDED ? "the response has already ended" : "end() without start()");
        }
        // A HEAD response sends no body, so the length it declares needs no octets written.
        boolean shortBody = state == FIXED && written != declared && !exchange.head;
        state = ENDED;
        if (onLoop()) {
            endOnLoop(shortBody);
        } else {
            post(() -> endOnLoop(shortBody));
        }
        if (shortBody) {
            throw new IllegalStateException("declared Content-Length " + declared + " but wrote " + written
                    + " bytes; closing the connection");
        }
    }

    private void endOnLoop(boolean shortBody) {
        if (shortBody) {
            exchange.connection.abandon(exchange);
        } else {
            exchange.end();
        }
    }

    /**
     * Whether the head has been sent, so that status and headers can no longer change.
     *
     * @return whether {@link #send}, {@link #start} or {@link #startChunked} has been called
     */
    public boolean isCommitted() {
        return state != BUILDING;
    }

    private void building() {
        if (state != BUILDING) {
            throw new IllegalStateException("the response head has already been sent");
        }
    }

    private void commit(int next, long length) {
        building();
        if ((status == 204 || status == 304) && (length != 0 || next == CHUNKED)) {
            throw new IllegalStateException("a " + status + " response has no body");
        }
        state = next;
        declared = length;
    }

    private void streaming(long length) {
        if (state != FIXED && state != CHUNKED) {
            throw new IllegalStateException(state == ENDED ? "the response has already ended" : "write() without start()");
        }
        if (state == FIXED && length > declared - written) {
            throw new IllegalStateException("writing " + length + " bytes would exceed the declared Content-Length "
                    + declared + " (" + written + " written)");
        }
        written += length;
    }

    private boolean onLoop() {
        return exchange.connection.inEventLoop();
    }

    private void post(Runnable write) {
        if (!exchange.lentToHandler) {
            // Some thread the loop did not lend it to: it may hold the exchange for as long as it likes.
            exchange.touchedOffLoop = true;
        }
        exchange.connection.execute(write);
    }

    private static byte[] copy(MemorySegment source, long offset, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("writes from another thread are copied; " + length + " bytes is too many at once");
        }
        byte[] copy = new byte[(int) length];
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, copy, 0, (int) length);
        return copy;
    }
}
