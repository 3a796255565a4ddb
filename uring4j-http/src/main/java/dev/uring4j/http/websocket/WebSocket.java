package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

import dev.uring4j.runtime.Connection;
import dev.uring4j.runtime.EventLoop;

/**
 * One WebSocket session (RFC 6455), server or client side: sends messages and closes; what arrives
 * goes to its {@link WebSocketHandler}.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. On the session's loop a send is
 * encoded straight into the connection's output and allocates nothing for binary and control
 * frames (a text message is encoded to UTF-8 in a buffer the session keeps). From another thread
 * the payload is copied and the send posted to the loop.
 *
 * <p><b>Results.</b> A send returns {@code true} when the frame was queued for sending, and
 * {@code false} when it was not: the session is closing or closed, or the peer reads too slowly and
 * the {@link SlowConsumerPolicy} refused it. With {@link SlowConsumerPolicy#DROP_OLDEST} a queued
 * message may still be dropped later in favour of newer ones ({@link #droppedMessages()} counts
 * them). From another thread the answer is decided with what the loop has not taken yet counted
 * against {@link WebSocketOptions#sendQueueBytes()}; a close decided on the loop meanwhile drops
 * the message, as it drops every message not yet sent.
 *
 * <p><b>Back-pressure.</b> While the connection's output is above its high watermark, messages are
 * held back here, whole, up to {@link WebSocketOptions#sendQueueBytes()}, and sent as the peer
 * reads. Control frames (pong, close after a failure) are not held back.
 *
 * <p><b>Lifetime.</b> Open from {@link WebSocketHandler#onOpen} until
 * {@link WebSocketHandler#onClose}, which reports the close code once the connection is gone.
 */
public final class WebSocket {
    static final int OPEN = 0;
    static final int CLOSE_SENT = 1;
    static final int CLOSE_RECEIVED = 2;
    static final int CLOSED = 3;
    private static final byte[] EMPTY = new byte[0];

    final Connection connection;
    final WebSocketHandler handler;
    final WebSocketOptions options;
    private final String subprotocol;
    private final String extensions;
    private final InetSocketAddress remoteAddress;
    private final PerMessageDeflate deflate;
    final FrameReader reader;
    private final Sender sender;
    private final SessionTimers timers;
    private volatile int state = OPEN;
    private boolean closeReceived;
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason = "";
    private volatile Object attachment;

    WebSocket(Connection connection, WebSocketHandler handler, WebSocketOptions options, boolean client,
            String subprotocol, String extensions) {
        this.connection = connection;
        this.handler = handler;
        this.options = options;
        this.subprotocol = subprotocol;
        this.extensions = extensions;
        this.remoteAddress = connection.remoteAddress();
        this.deflate = extensions == null ? null
                : client ? PerMessageDeflate.client(extensions) : PerMessageDeflate.server(extensions);
        this.reader = new FrameReader(this, !client, options, deflate);
        this.sender = new Sender(this, connection, options, client, deflate);
        this.timers = new SessionTimers(this, client);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a text message (compressed if permessage-deflate is in use and it is large enough).
     *
     * @param text the message; unpaired surrogates are sent as '?'
     * @return whether it was queued; see the class comment
     */
    public boolean sendText(CharSequence text) {
        if (!connection.eventLoop().inEventLoop()) {
            byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
            return sender.post(FrameWriter.FIN | FrameReader.OP_TEXT, utf8);
        }
        Utf8Encoder.encode(text, sender.encoded);
        return sender.sendOnLoop(FrameWriter.FIN | FrameReader.OP_TEXT, sender.encoded.array(), null, 0, sender.encoded.length);
    }

    /**
     * Sends a binary message.
     *
     * @param data the message; not kept after the call
     * @return whether it was queued; see the class comment
     */
    public boolean sendBinary(byte[] data) {
        return sendBinary(data, 0, data.length);
    }

    /**
     * Sends {@code data[offset, offset + length)} as a binary message.
     *
     * @param data the bytes; not kept after the call
     * @param offset where the message starts
     * @param length its length
     * @return whether it was queued; see the class comment
     */
    public boolean sendBinary(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        return sender.send(FrameWriter.FIN | FrameReader.OP_BINARY, data, null, offset, length);
    }

    /**
     * Sends {@code data[offset, offset + length)} as a binary message.
     *
     * @param data the memory; not kept after the call
     * @param offset where the message starts
     * @param length its length
     * @return whether it was queued; see the class comment
     */
    public boolean sendBinary(MemorySegment data, long offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.byteSize());
        return sender.send(FrameWriter.FIN | FrameReader.OP_BINARY, null, data, offset, length);
    }

    /**
     * Sends one fragment of a message (RFC 6455 section 5.4): the first fragment's {@code text}
     * says the message's type, later ones continue it, {@code last} ends it. Other messages may not
     * be sent until it ended; control frames may. Fragments are never compressed.
     *
     * @param text whether the message is text (first fragment only)
     * @param data the fragment's octets (of a text message: UTF-8, possibly split inside a code point)
     * @param offset where they start
     * @param length how many
     * @param last whether this fragment ends the message
     * @return whether it was queued; see the class comment
     */
    public boolean sendFragment(boolean text, byte[] data, int offset, int length, boolean last) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (!connection.eventLoop().inEventLoop()) {
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            return postFragment(text, copy, last);
        }
        int b0 = (sender.fragmenting ? FrameReader.OP_CONTINUATION : text ? FrameReader.OP_TEXT : FrameReader.OP_BINARY)
                | (last ? FrameWriter.FIN : 0);
        boolean queued = sender.sendOnLoop(b0, data, null, offset, length);
        if (queued) {
            sender.fragmenting = !last;
        }
        return queued;
    }

    private boolean postFragment(boolean text, byte[] copy, boolean last) {
        if (state != OPEN) {
            return false;
        }
        connection.eventLoop().execute(() -> sendFragment(text, copy, 0, copy.length, last));
        return true;
    }

    /**
     * Sends a ping; the peer answers with a pong carrying the same payload.
     *
     * @param payload at most 125 octets
     * @return whether it was queued
     * @throws IllegalArgumentException if longer than 125 octets
     */
    public boolean ping(byte[] payload) {
        return sender.send(FrameWriter.FIN | FrameReader.OP_PING, controlPayload(payload), null, 0, payload.length);
    }

    /**
     * Sends an unsolicited pong: a heartbeat that expects no answer.
     *
     * @param payload at most 125 octets
     * @return whether it was queued
     * @throws IllegalArgumentException if longer than 125 octets
     */
    public boolean pong(byte[] payload) {
        return sender.send(FrameWriter.FIN | FrameReader.OP_PONG, controlPayload(payload), null, 0, payload.length);
    }

    /**
     * Starts the closing handshake with code 1000 and no reason.
     *
     * @return whether the close frame was queued (false if the session is closing already)
     */
    public boolean close() {
        return close(CloseCodes.NORMAL, "");
    }

    /**
     * Starts the closing handshake: sends a close frame after the messages queued before it, then
     * waits for the peer's (at most {@link WebSocketOptions#closeTimeoutNanos()}). Received messages
     * are still delivered meanwhile.
     *
     * @param code 1000..1003, 1007..1014 or 3000..4999
     * @param reason UTF-8 of at most 123 octets
     * @return whether the close frame was queued (false if the session is closing already)
     * @throws IllegalArgumentException for another code or a longer reason
     */
    public boolean close(int code, String reason) {
        if (!CloseCodes.valid(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (1000..1003, 1007..1014, 3000..4999)");
        }
        byte[] payload = closePayload(code, reason);
        if (payload.length > 125) {
            throw new IllegalArgumentException("a close reason may have at most 123 octets of UTF-8, not " + (payload.length - 2));
        }
        if (!connection.eventLoop().inEventLoop()) {
            if (state != OPEN) {
                return false;
            }
            connection.eventLoop().execute(() -> closeOnLoop(payload));
            return true;
        }
        return closeOnLoop(payload);
    }

    /**
     * Whether messages may be sent: the session is open and no close frame was sent or received.
     *
     * @return whether open
     */
    public boolean isOpen() {
        return state == OPEN;
    }

    /** @return the subprotocol the handshake agreed on, or null */
    public String subprotocol() {
        return subprotocol;
    }

    /** @return the extensions the handshake agreed on ({@code Sec-WebSocket-Extensions}), or null */
    public String extensions() {
        return extensions;
    }

    /** @return the peer's address (also after the session closed) */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return the event loop that runs this session's callbacks */
    public EventLoop eventLoop() {
        return connection.eventLoop();
    }

    /** @return how many messages {@link SlowConsumerPolicy#DROP_OLDEST} dropped so far */
    public long droppedMessages() {
        return sender.dropped();
    }

    /**
     * Octets queued and not yet sent: held back here, posted from other threads, and in the connection's queue.
     *
     * @return the octets queued now (read on the loop for an exact figure)
     */
    public long queuedBytes() {
        return sender.queuedBytes();
    }

    /**
     * The object attached with {@link #attach}.
     *
     * @param <T> its type
     * @return the attachment, or null
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    /**
     * Attaches an object: per-session state of the application.
     *
     * @param attachment anything, or null
     */
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /**
     * Sends one binary or text message to many sessions, encoded once into shared native memory that
     * every session's connection sends from by reference; the memory is freed when the last send is
     * done. Sessions may live on different loops (each loop gets one task). Broadcast frames are
     * never compressed. Each session applies its own back-pressure and slow-consumer policy.
     *
     * @param text whether the message is text (the caller vouches it is UTF-8)
     * @param payload the message
     * @param offset where it starts
     * @param length its length
     * @param sessions the recipients; closed ones are skipped
     * @return how many sessions were open when the message was handed to them
     */
    public static int broadcast(boolean text, byte[] payload, int offset, int length, Collection<WebSocket> sessions) {
        return Broadcast.send(text, MemorySegment.ofArray(payload), offset, length, sessions);
    }

    @Override
    public String toString() {
        return "WebSocket[" + connection + "]";
    }

    private boolean closeOnLoop(byte[] payload) {
        if (state != OPEN) {
            return false;
        }
        sender.writeClose(payload, true);
        state = CLOSE_SENT;
        timers.closing();
        return true;
    }

    // ------------------------------------------------------------------ from the reader

    void receivedText(String text) {
        try {
            handler.onText(this, text);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void receivedBinary(MemorySegment data, long offset, int length) {
        try {
            handler.onBinary(this, data, offset, length);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void receivedFragment(boolean text, MemorySegment data, long offset, int length, boolean last) {
        try {
            handler.onFragment(this, text, data, offset, length, last);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void receivedPing(MemorySegment data, long offset, int length) {
        sender.sendOnLoop(FrameWriter.FIN | FrameReader.OP_PONG, null, data, offset, length);
        try {
            handler.onPing(this, data, offset, length);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    void receivedPong(MemorySegment data, long offset, int length) {
        try {
            handler.onPong(this, data, offset, length);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /** A close frame arrived (its code checked): answer it if we have not closed, then end the connection. */
    void receivedClose(int code, String reason) {
        reader.stop();
        closeReceived = true;
        closeCode = code;
        closeReason = reason;
        if (state == OPEN) {
            state = CLOSE_RECEIVED;
            // The peer reads nothing after its close: what was held back for it is moot.
            sender.writeClose(code == CloseCodes.NO_STATUS ? EMPTY : closePayload(code, ""), false);
        }
        timers.closing();
        endConnection();
    }

    /** Fails the session (RFC 6455 section 7.1.7): sends a close frame with {@code code} unless one was sent, and ends the connection. */
    void fail(int code, String why) {
        if (state == CLOSED) {
            return;
        }
        reader.stop();
        if (!closeReceived) {
            closeCode = code;
            closeReason = why;
        }
        if (state == OPEN) {
            sender.writeClose(closePayload(code, ""), false);
        } else {
            sender.clear();
        }
        state = CLOSE_SENT;
        timers.closing();
        connection.shutdownOutput(); // after the close frame; the connection closes at the peer's FIN or the close timeout
    }

    private void handlerFailed(Throwable t) {
        System.getLogger(WebSocket.class.getName()).log(System.Logger.Level.WARNING,
                "WebSocket handler failed on " + connection + "; closing with 1011", t);
        fail(CloseCodes.INTERNAL_ERROR, "the handler failed: " + t);
    }

    /**
     * Ends the TCP connection after a close handshake: a server ends its output at once (RFC 6455
     * section 7.1.1: the server closes first), a client waits for the server's FIN; either closes
     * when the peer's FIN comes ({@link #inputClosed}) or the close timeout runs out. Ending only
     * our output first, rather than closing, keeps the kernel from answering the peer's late octets
     * with a reset that could destroy the close frame before the peer reads it.
     */
    private void endConnection() {
        if (timers.client()) {
            connection.flush();
        } else {
            connection.shutdownOutput();
        }
    }

    // ------------------------------------------------------------------ from the connection

    /** The peer ended its output: without a close frame, the session ends abnormally (1006). */
    void inputClosed() {
        reader.stop();
        connection.close();
    }

    /** The connection is gone: tells the handler, once, with the code the session ended with. */
    void closed(Throwable cause) {
        state = CLOSED;
        timers.cancel();
        sender.clear();
        if (deflate != null) {
            deflate.end();
        }
        if (!closeReceived && closeCode == CloseCodes.ABNORMAL && cause != null) {
            closeReason = cause.toString();
        }
        try {
            handler.onClose(this, closeCode, closeReason);
        } catch (Throwable t) {
            System.getLogger(WebSocket.class.getName()).log(System.Logger.Level.WARNING, "WebSocket onClose failed", t);
        }
    }

    void opened() {
        timers.start();
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    int state() {
        return state;
    }

    SessionTimers timers() {
        return timers;
    }

    Sender sender() {
        return sender;
    }

    /** The connection is being aborted for {@code why}: report {@code code} unless the peer's close came first. */
    void aborted(int code, String why) {
        if (!closeReceived) {
            closeCode = code;
            closeReason = why;
        }
    }

    /** The held frames go out as the connection drains. */
    void drainHeld() {
        sender.drainHeld();
    }

    private static byte[] controlPayload(byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("a control frame's payload has at most 125 octets, not " + payload.length);
        }
        return payload;
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}
