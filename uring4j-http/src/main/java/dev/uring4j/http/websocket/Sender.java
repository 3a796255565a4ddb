package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import dev.uring4j.runtime.Connection;

/**
 * The sending side of one session: encodes frames into the connection's output, holds whole frames
 * back while the connection is above its high watermark, applies the slow-consumer policy, and
 * takes sends from other threads to the loop.
 *
 * <p>On the loop, a frame that may go out now is encoded into a scratch buffer the session keeps
 * and copied into the connection's queue in one write (a server's larger payloads in a second write
 * straight from the caller's memory, rather than copied twice), so sending allocates nothing. A
 * frame that must wait is copied into an array of its own in the {@link SendQueue}.
 */
final class Sender {
    /** Payloads above this leave a server in two writes (header, payload) rather than copied behind the header. */
    private static final int COPY_BYTES = 1024;

    private final WebSocket session;
    private final Connection connection;
    private final WebSocketOptions options;
    private final FrameWriter writer;
    private final PerMessageDeflate deflate;
    private final MessageBuffer out = new MessageBuffer(256);
    /** A text message's UTF-8, or a segment's payload on its way to the compressor. */
    final MessageBuffer encoded = new MessageBuffer(256);
    private final SendQueue held = new SendQueue();
    /** Octets sent from other threads that the loop has not taken yet. */
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** A fragmented message is being sent: only continuation and control frames may follow. */
    boolean fragmenting;

    Sender(WebSocket session, Connection connection, WebSocketOptions options, boolean client, PerMessageDeflate deflate) {
        this.session = session;
        this.connection = connection;
        this.options = options;
        this.writer = new FrameWriter(client);
        this.deflate = deflate;
    }

    boolean masking() {
        return writer.masking();
    }

    long dropped() {
        return dropped.get();
    }

    long queuedBytes() {
        return held.bytes() + posted.get() + connection.pendingOutputBytes();
    }

    /** Sends a frame from any thread: on the loop now, else a copy posted to it. */
    boolean send(int b0, byte[] array, MemorySegment segment, long offset, int length) {
        if (connection.eventLoop().inEventLoop()) {
            return sendOnLoop(b0, array, segment, offset, length);
        }
        byte[] copy = new byte[length];
        if (array != null) {
            System.arraycopy(array, (int) offset, copy, 0, length);
        } else {
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, copy, 0, length);
        }
        return post(b0, copy);
    }

    /** Posts a frame to the loop, unless the session is closing or too much is posted already. */
    boolean post(int b0, byte[] payload) {
        if (session.state() != WebSocket.OPEN) {
            return false;
        }
        long ahead = posted.addAndGet(payload.length);
        if ((b0 & 0x08) == 0 && ahead + held.bytes() > options.sendQueueBytes()) {
            posted.addAndGet(-payload.length);
            if (options.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST) {
                dropped.incrementAndGet(); // the older messages are already on their way to the loop: this one goes
            } else {
                connection.eventLoop().execute(this::slowConsumer);
            }
            return false;
        }
        connection.eventLoop().execute(() -> {
            posted.addAndGet(-payload.length);
            sendOnLoop(b0, payload, null, 0, payload.length);
        });
        return true;
    }

    /** Encodes and writes, or holds back, one frame; on the loop. */
    boolean sendOnLoop(int b0, byte[] array, MemorySegment segment, long offset, int length) {
        int opcode = b0 & 0x0F;
        boolean control = opcode >= FrameReader.OP_CLOSE;
        int state = session.state();
        if (state != WebSocket.OPEN && !(opcode == FrameReader.OP_PONG && state == WebSocket.CLOSE_SENT)) {
            return false;
        }
        if (!control && fragmenting && opcode != FrameReader.OP_CONTINUATION) {
            throw new IllegalStateException("a fragmented message is being sent: end it (sendFragment with last) first");
        }
        if (deflate != null && !control && (b0 & FrameWriter.FIN) != 0 && opcode != FrameReader.OP_CONTINUATION
                && length >= options.compressionThreshold()) {
            if (array == null) {
                encoded.length = 0;
                encoded.ensure(length);
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, encoded.array(), 0, length);
                array = encoded.array();
                offset = 0;
            }
            MessageBuffer c = deflate.compress(array, (int) offset, length);
            array = c.array();
            segment = null;
            offset = 0;
            length = c.length;
            b0 |= FrameWriter.RSV1;
        }
        if (control || (held.isEmpty() && connection.isWritable())) {
            return write(b0, array, segment, offset, length);
        }
        out.length = 0;
        writer.frame(out, b0, array, segment, offset, length);
        return hold(Arrays.copyOf(out.array(), out.length));
    }

    private boolean write(int b0, byte[] array, MemorySegment segment, long offset, int length) {
        out.length = 0;
        boolean written;
        if (!writer.masking() && length > COPY_BYTES) {
            writer.header(out, b0, length);
            written = connection.write(out.array(), 0, out.length)
                    && (array != null ? connection.write(array, (int) offset, length) : connection.write(segment, offset, length));
        } else {
            writer.frame(out, b0, array, segment, offset, length);
            written = connection.write(out.array(), 0, out.length);
        }
        connection.flush();
        if (!written && !connection.isClosed()) {
            // Past the connection's output limit: a frame may be cut, so nothing more can be sent.
            session.aborted(options.slowConsumerPolicy() == SlowConsumerPolicy.DROP_OLDEST ? CloseCodes.POLICY_VIOLATION
                    : options.slowConsumerPolicy().closeCode, "the peer does not read: a frame would pass the connection's output limit");
            connection.abort();
        }
        return written;
    }

    private boolean hold(byte[] frame) {
        if (!makeRoom(frame.length)) {
            return false;
        }
        held.add(frame);
        return true;
    }

    /** Holds back a broadcast frame, as a frame of the session's own; takes over the reference. */
    boolean hold(SharedFrame frame) {
        if (!makeRoom(frame.length())) {
            frame.release();
            return false;
        }
        held.add(frame);
        return true;
    }

    /** Applies the policy when {@code length} more octets would pass the queue limit; false if they may not be held. */
    private boolean makeRoom(long length) {
        long limit = options.sendQueueBytes();
        if (held.bytes() + length <= limit) {
            return true;
        }
        if (options.slowConsumerPolicy() != SlowConsumerPolicy.DROP_OLDEST) {
            slowConsumer();
            return false;
        }
        while (!held.isEmpty() && held.bytes() + length > limit) {
            held.removeOldest(true);
            dropped.incrementAndGet();
        }
        if (length > limit) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Whether a broadcast frame may go straight to the connection now. */
    boolean writesThrough() {
        return session.state() == WebSocket.OPEN && held.isEmpty() && connection.isWritable() && !fragmenting;
    }

    private void slowConsumer() {
        session.fail(options.slowConsumerPolicy().closeCode, "the peer reads too slowly: more than "
                + options.sendQueueBytes() + " octets of messages held back");
    }

    /** The connection fell to its low watermark: held frames go out, oldest first, while it stays writable. */
    void drainHeld() {
        while (!held.isEmpty() && connection.isWritable()) {
            Object f = held.peek();
            boolean ok = f instanceof byte[] a ? connection.write(a, 0, a.length)
                    : connection.write(((SharedFrame) f).buffer(), 0, ((SharedFrame) f).length());
            held.removeOldest(true);
            if (!ok) {
                connection.abort();
                return;
            }
        }
        connection.flush();
    }

    /**
     * Writes a close frame: behind the held frames if {@code inOrder} (the application closes after
     * its messages), else at once and dropping them (an answer, or a failure).
     */
    void writeClose(byte[] payload, boolean inOrder) {
        out.length = 0;
        writer.frame(out, FrameWriter.FIN | FrameReader.OP_CLOSE, payload, null, 0, payload.length);
        if (inOrder && !held.isEmpty()) {
            held.add(Arrays.copyOf(out.array(), out.length)); // after what is held, whatever the limit
            return;
        }
        held.clear();
        connection.write(out.array(), 0, out.length);
        connection.flush();
    }

    /** Drops what is held back, releasing shared frames: the connection is gone. */
    void clear() {
        held.clear();
    }
}
