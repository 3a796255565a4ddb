package dev.uring4j.http;

import java.lang.foreign.MemorySegment;

/**
 * Writes one connection's response octets to its transport, and flushes once per batch rather
 * than once per write: every piece of work that may write (an event from the transport, a timer,
 * a response call) is bracketed by {@link #enter()} and {@link #exit()}, and only the outermost
 * {@code exit} flushes. A batch of pipelined requests answered in one {@code onData} thus costs one
 * flush, however many responses it produced.
 *
 * <p><b>One write per batch, too.</b> Inside a bracket, small writes are gathered here and handed
 * to the transport together ({@link #push}), since each transport write has a fixed cost (its
 * checks and accounting, a copy into native memory) that dwarfs copying a small response once
 * more. The gathered octets go to the transport before anything that depends on what it holds:
 * a larger write, a question of whether it is writable ({@link Writability#transportWritable}),
 * shutting down or closing, and the flush. So the transport's queue and its watermarks see the
 * same octets at every decision as if each write had gone straight to it.
 *
 * <p>It also holds what every response head is assembled from: the connection's scratch buffer and
 * the server's {@code Date} line. The clock is read once per batch, at the first response head in
 * it, not once per response: the responses of one batch are made within the same moment, and
 * reading the clock cost more than anything else in writing a small response's head.
 *
 * <p>Owned by one {@link HttpConnection}, used on its event loop only.
 */
final class ResponseWriter {
    private final HttpConnection connection;
    private final HttpServer server;
    private final HttpTransport transport;
    /** The most octets gathered before they are handed to the transport: a batch of small responses. */
    static final int GATHER_BYTES = 16 * 1024;

    // Small at first: they grow to what the connection's responses need, and an idle connection
    // (most of them, in a server holding many) keeps little.
    private final ByteBuf scratch = new ByteBuf(256);
    private final ByteBuf gathered = new ByteBuf(256);
    private int depth;
    private boolean unflushed;
    /** The Date line read in this batch; null until a head in the batch needs it. */
    private byte[] batchDate;

    ResponseWriter(HttpConnection connection, HttpServer server, HttpTransport transport) {
        this.connection = connection;
        this.server = server;
        this.transport = transport;
    }

    void write(byte[] array, int offset, int length) {
        if (gathers(length)) {
            gathered.append(array, offset, length);
        } else {
            push();
            transport.write(array, offset, length);
        }
        unflushed = true;
    }

    void write(MemorySegment source, long offset, long length) {
        if (gathers(length)) {
            gathered.append(source, offset, (int) length);
        } else {
            push();
            transport.write(source, offset, length);
        }
        unflushed = true;
    }

    /** Whether a write of {@code length} octets joins the gathered ones: inside a bracket, while they fit. */
    /** Queues a file region after everything written so far, what was gathered included. */
    void writeFile(dev.uring4j.runtime.LoopFile file, long position, long length) {
        push();
        transport.writeFile(file, position, length);
        unflushed = true;
    }

    private boolean gathers(long length) {
        return depth > 0 && length <= GATHER_BYTES - gathered.length();
    }

    /** Hands the gathered octets to the transport; drops them if the connection has closed meanwhile. */
    void push() {
        if (gathered.length() == 0) {
            return;
        }
        if (!connection.isClosed()) {
            transport.write(gathered.array(), 0, gathered.length());
        }
        gathered.clear();
    }

    /** Opens a bracket of work that may write. */
    void enter() {
        if (depth++ == 0) {
            batchDate = null;
        }
    }

    /**
     * Closes a bracket; the outermost one first lets handlers waiting for writability write (their
     * octets join this batch), then flushes what was written inside it.
     */
    void exit() {
        if (depth == 1) {
            connection.writability().runTasks();
        }
        if (--depth == 0) {
            push();
            if (unflushed && !connection.isClosed()) {
                unflushed = false;
                transport.flush();
            }
        }
    }

    /** Ends our direction of the connection, which sends everything written first: nothing is left to flush. */
    void shutdownOutput() {
        push();
        transport.shutdownOutput();
        unflushed = false;
    }

    /** The buffer a response head (or a chunk's size line) is assembled in before it is written or staged. */
    ByteBuf scratch() {
        return scratch;
    }

    /** The server's gzip settings; null if it compresses nothing. */
    Compression compression() {
        return server.compression();
    }

    /** The {@code Date} header line for now (for this batch), by the transport's wall clock. */
    byte[] dateLine() {
        byte[] date = batchDate;
        if (date == null) {
            date = server.dateLine(transport.currentTimeMillis());
            if (depth > 0) {
                batchDate = date;
            }
        }
        return date;
    }
}
