package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;

/**
 * Reads the frames of one session from the receive views (RFC 6455 section 5) and enforces the
 * protocol's rules, failing the session with the close code the RFC names for each violation.
 *
 * <pre>
 *   HEADER ──(2..14 octets, all present)──► PAYLOAD ──(frame complete)──► HEADER
 *      │ a rule broken                          │ bad UTF-8, too big
 *      └──────────────► DONE ◄──────────────────┴── (close frame received)
 * </pre>
 *
 * <p>A frame header is consumed only once all of it is there (the runtime keeps a partial one and
 * presents it again); payload is consumed as it arrives, unmasked straight from the receive view
 * into the session's message buffer (control frames into a buffer of their own, so that they may
 * come between the fragments of a message), and text is validated as it arrives, so a bad octet
 * fails the session at once. Nothing is allocated per frame; a whole text message becomes one
 * {@code String}.
 *
 * <p>Owned by one session, used on its loop only.
 */
final class FrameReader {
    static final int OP_CONTINUATION = 0;
    static final int OP_TEXT = 1;
    static final int OP_BINARY = 2;
    static final int OP_CLOSE = 8;
    static final int OP_PING = 9;
    static final int OP_PONG = 10;

    private static final int HEADER = 0;
    private static final int PAYLOAD = 1;
    private static final int DONE = 2;
    /** Messages this size or smaller keep the buffer they grew; a larger one gives it back after. */
    private static final int KEEP_BYTES = 64 * 1024;
    private static final int CHUNK = 16 * 1024;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final WebSocket session;
    private final boolean expectMasked;
    private final boolean streaming;
    private final int maxMessageBytes;
    private final PerMessageDeflate deflate;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final MessageBuffer message = new MessageBuffer(256);
    private final MessageBuffer control = new MessageBuffer(125);
    /** Unmasked compressed octets, or a streamed piece, on their way out of the receive view. */
    private final MessageBuffer scratch = new MessageBuffer(256);

    private int phase = HEADER;
    // The frame being read.
    private boolean fin;
    private int opcode;
    private int mask;
    private long payloadLength;
    private long payloadRead;
    // The data message being read: its opcode (0 between messages), whether compressed.
    private int messageOpcode;
    private boolean compressed;
    private long messageBytes;

    FrameReader(WebSocket session, boolean expectMasked, WebSocketOptions options, PerMessageDeflate deflate) {
        this.session = session;
        this.expectMasked = expectMasked;
        this.streaming = options.streaming();
        this.maxMessageBytes = options.maxMessageBytes();
        this.deflate = deflate;
    }

    /** Stops reading: after a close frame, or once the session failed. Later input is discarded. */
    void stop() {
        phase = DONE;
    }

    boolean stopped() {
        return phase == DONE;
    }

    /** Reads what it can of the view; returns how many octets were consumed. */
    int read(MemorySegment buf, long offset, int length) {
        int pos = 0;
        while (pos < length && phase != DONE) {
            if (phase == HEADER) {
                int n = readHeader(buf, offset + pos, length - pos);
                if (n == 0) {
                    break; // a partial header: the runtime presents it again with what follows
                }
                pos += n;
                if (phase == PAYLOAD && payloadLength == 0) {
                    endFrame();
                }
            } else {
                int n = (int) Math.min(length - pos, payloadLength - payloadRead);
                payload(buf, offset + pos, n);
                pos += n;
                if (phase == PAYLOAD && payloadRead == payloadLength) {
                    endFrame();
                }
            }
        }
        return phase == DONE ? length : pos;
    }

    private int readHeader(MemorySegment buf, long at, int available) {
        if (available < 2) {
            return 0;
        }
        int b0 = buf.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        int b1 = buf.get(ValueLayout.JAVA_BYTE, at + 1) & 0xFF;
        int len7 = b1 & 0x7F;
        boolean masked = (b1 & 0x80) != 0;
        int size = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (available < size) {
            return 0;
        }
        fin = (b0 & 0x80) != 0;
        int rsv = b0 & 0x70;
        opcode = b0 & 0x0F;
        long len = len7;
        int p = 2;
        if (len7 == 126) {
            len = Short.toUnsignedInt(buf.get(U16, at + 2));
            p = 4;
        } else if (len7 == 127) {
            len = buf.get(U64, at + 2);
            p = 10;
            if (len < 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "a 64-bit payload length with its most significant bit set");
            }
        }
        mask = masked ? buf.get(U32, at + p) : 0;
        if (masked != expectMasked) {
            return fail(CloseCodes.PROTOCOL_ERROR, expectMasked ? "an unmasked frame from a client" : "a masked frame from a server");
        }
        boolean isControl = opcode >= OP_CLOSE;
        if (isControl) {
            if (opcode > OP_PONG) {
                return fail(CloseCodes.PROTOCOL_ERROR, "reserved control opcode " + opcode);
            }
            if (!fin) {
                return fail(CloseCodes.PROTOCOL_ERROR, "a fragmented control frame");
            }
            if (len > 125) {
                return fail(CloseCodes.PROTOCOL_ERROR, "a control frame of " + len + " octets (at most 125)");
            }
            if (rsv != 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "reserved bits set on a control frame");
            }
        } else if (opcode == OP_CONTINUATION) {
            if (messageOpcode == 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "a continuation frame with no message to continue");
            }
            if (rsv != 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "reserved bits set on a continuation frame");
            }
        } else if (opcode == OP_TEXT || opcode == OP_BINARY) {
            if (messageOpcode != 0) {
                return fail(CloseCodes.PROTOCOL_ERROR, "a new data frame before the fragmented message ended");
            }
            if (rsv != 0 && (rsv != 0x40 || deflate == null)) {
                return fail(CloseCodes.PROTOCOL_ERROR, "reserved bits 0x" + Integer.toHexString(rsv >> 4) + " set without an extension that defines them");
            }
            messageOpcode = opcode;
            compressed = rsv != 0;
            messageBytes = 0;
            utf8.reset();
        } else {
            return fail(CloseCodes.PROTOCOL_ERROR, "reserved data opcode " + opcode);
        }
        if (!isControl && !streaming && !compressed && messageBytes + len > maxMessageBytes) {
            return fail(CloseCodes.TOO_BIG, "a message of more than " + maxMessageBytes + " octets");
        }
        payloadLength = len;
        payloadRead = 0;
        control.length = 0;
        phase = PAYLOAD;
        return size;
    }

    private void payload(MemorySegment buf, long at, int n) {
        if (opcode >= OP_CLOSE) {
            Bytes.unmask(buf, at, control.array(), control.length, n, mask, payloadRead);
            control.length += n;
            payloadRead += n;
            return;
        }
        if (!compressed && !streaming) {
            message.ensure(n);
            Bytes.unmask(buf, at, message.array(), message.length, n, mask, payloadRead);
            if (messageOpcode == OP_TEXT && !utf8.update(message.array(), message.length, n)) {
                fail(CloseCodes.INVALID_DATA, "invalid UTF-8 in a text message");
                return;
            }
            message.length += n;
            payloadRead += n;
            messageBytes += n;
            return;
        }
        for (int done = 0; done < n && phase == PAYLOAD; ) {
            int k = Math.min(n - done, CHUNK);
            scratch.length = 0;
            scratch.ensure(k);
            Bytes.unmask(buf, at + done, scratch.array(), 0, k, mask, payloadRead);
            scratch.length = k;
            payloadRead += k;
            done += k;
            if (compressed) {
                inflate(scratch.array(), k, false);
            } else {
                streamPiece(scratch, 0, k, fin && payloadRead == payloadLength);
            }
        }
    }

    /** Inflates compressed octets (or, at the message's end, the flush tail) into the message or, streaming, out to the handler. */
    private void inflate(byte[] data, int length, boolean end) {
        int from = message.length;
        long max = streaming ? Long.MAX_VALUE : maxMessageBytes;
        try {
            boolean fits = end ? deflate.finish(message, max) : deflate.inflate(data, 0, length, message, max);
            if (!fits) {
                fail(CloseCodes.TOO_BIG, "a message inflating to more than " + maxMessageBytes + " octets");
                return;
            }
        } catch (DataFormatException e) {
            fail(CloseCodes.INVALID_DATA, "a compressed message that is not a deflate stream: " + e.getMessage());
            return;
        }
        if (messageOpcode == OP_TEXT && !utf8.update(message.array(), from, message.length - from)) {
            fail(CloseCodes.INVALID_DATA, "invalid UTF-8 in a text message");
            return;
        }
        if (streaming && (message.length > from || end)) {
            streamPiece(message, from, message.length - from, end);
            message.length = 0;
        }
    }

    private void streamPiece(MessageBuffer piece, int from, int length, boolean last) {
        boolean text = messageOpcode == OP_TEXT;
        if (text && !compressed && !utf8.update(piece.array(), from, length)) {
            fail(CloseCodes.INVALID_DATA, "invalid UTF-8 in a text message");
            return;
        }
        if (last && text && !utf8.complete()) {
            fail(CloseCodes.INVALID_DATA, "a text message ending inside a UTF-8 sequence");
            return;
        }
        if (last && !compressed) {
            messageOpcode = 0; // before the call: the handler may look at the session's state
        }
        session.receivedFragment(text, piece.segment(), from, length, last);
    }

    private void endFrame() {
        phase = HEADER;
        switch (opcode) {
            case OP_CLOSE -> closeFrame();
            case OP_PING -> session.receivedPing(control.segment(), 0, control.length);
            case OP_PONG -> session.receivedPong(control.segment(), 0, control.length);
            default -> {
                if (fin) {
                    endMessage();
                }
            }
        }
    }

    private void endMessage() {
        if (compressed) {
            inflate(null, 0, true);
            if (phase == DONE || streaming) {
                messageOpcode = 0;
                return;
            }
        } else if (streaming) {
            if (payloadLength == 0) {
                streamPiece(scratch, 0, 0, true); // an empty last frame still ends the message
            }
            return;
        }
        int op = messageOpcode;
        messageOpcode = 0;
        if (op == OP_TEXT) {
            if (!utf8.complete()) {
                fail(CloseCodes.INVALID_DATA, "a text message ending inside a UTF-8 sequence");
                return;
            }
            String text = new String(message.array(), 0, message.length, StandardCharsets.UTF_8);
            message.clear(KEEP_BYTES);
            session.receivedText(text);
        } else {
            int n = message.length;
            session.receivedBinary(message.segment(), 0, n);
            message.clear(KEEP_BYTES);
        }
    }

    private void closeFrame() {
        int n = control.length;
        if (n == 0) {
            session.receivedClose(CloseCodes.NO_STATUS, "");
            return;
        }
        if (n == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "a close frame with a one-octet payload");
            return;
        }
        byte[] c = control.array();
        int code = ((c[0] & 0xFF) << 8) | (c[1] & 0xFF);
        if (!CloseCodes.valid(code)) {
            fail(CloseCodes.PROTOCOL_ERROR, "close code " + code + ", which may not be sent");
            return;
        }
        if (!Utf8Validator.isValid(c, 2, n - 2)) {
            fail(CloseCodes.INVALID_DATA, "a close reason that is not UTF-8");
            return;
        }
        session.receivedClose(code, new String(c, 2, n - 2, StandardCharsets.UTF_8));
    }

    private int fail(int code, String why) {
        phase = DONE;
        session.fail(code, why);
        return 0;
    }
}
