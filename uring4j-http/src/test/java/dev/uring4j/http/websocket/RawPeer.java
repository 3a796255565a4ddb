package dev.uring4j.http.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One end of a WebSocket connection written by hand for the conformance suites: it sends exactly
 * the octets a case says (well-formed or not, whole or split) and reads what comes back frame by
 * frame, checking the masking rule for the other side. A client peer masks its frames and expects
 * unmasked ones; a server peer the reverse.
 */
final class RawPeer implements AutoCloseable {
    /** A received frame. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    private final boolean client;

    RawPeer(Socket socket, boolean client) throws IOException {
        this.socket = socket;
        this.client = client;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Encodes a frame as this side sends it (masked by a client); {@code rsv} is the three bits as 0..7. */
    byte[] encode(boolean fin, int rsv, int opcode, byte[] payload) {
        return encode(fin, rsv, opcode, payload, client, payload.length);
    }

    static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked, long declaredLength) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (declaredLength >= 0 && declaredLength < 126) {
            f.write(maskBit | (int) declaredLength);
        } else if (declaredLength >= 0 && declaredLength <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write((int) (declaredLength >>> 8));
            f.write((int) declaredLength);
        } else {
            f.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) (declaredLength >>> shift));
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(key);
            f.write(key, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ key[i & 3]);
        }
        return f.toByteArray();
    }

    void send(byte[] wire) throws IOException {
        out.write(wire);
        out.flush();
    }

    /** Sends {@code wire} in pieces of {@code chunk} octets, each flushed on its own. */
    void send(byte[] wire, int chunk) throws IOException {
        for (int i = 0; i < wire.length; i += chunk) {
            out.write(wire, i, Math.min(chunk, wire.length - i));
            out.flush();
        }
    }

    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        send(encode(fin, 0, opcode, payload));
    }

    void sendClose(int code) throws IOException {
        sendFrame(true, 8, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    Frame read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        boolean masked = (b1 & 0x80) != 0;
        assertEquals(!client, masked, client ? "a server's frame must not be masked" : "a client's frame must be masked");
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            in.readNBytes(key, 0, 4);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("the connection ended inside a frame");
        }
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i & 3];
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended before a frame");
        }
        return b;
    }

    /** Reads until the peer ends the connection: true if it did (and sent nothing more). */
    boolean readsEof() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
