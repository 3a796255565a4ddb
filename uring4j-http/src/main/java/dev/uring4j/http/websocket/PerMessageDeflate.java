package dev.uring4j.http.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) of one session: the negotiation of its parameters,
 * and the JDK's raw deflate streams that compress outgoing and inflate incoming messages.
 *
 * <p>A compressed message is the deflate stream of its payload, flushed with a sync flush, minus the
 * four octets {@code 00 00 FF FF} that flush ends with; the receiver appends them again before
 * inflating. With "no context takeover" for a direction, that direction's compressor starts afresh
 * for every message, so the receiver needs no memory of earlier ones. The JDK's {@link Deflater}
 * always uses a 32 KiB window, so this side cannot honour a smaller {@code *_max_window_bits} for
 * its own compressor: the server declines such offers, the client does not ask. Inflating works
 * with any window up to 32 KiB.
 *
 * <p>Owned by one session, used on its loop only (compression of a message sent from another
 * thread happens on the loop, too).
 */
final class PerMessageDeflate {
    static final String NAME = "permessage-deflate";
    /** What the client offers: compression both ways with context takeover, any window the server likes. */
    static final String CLIENT_OFFER = NAME;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean resetCompressor;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final MessageBuffer compressed = new MessageBuffer(256);

    private PerMessageDeflate(boolean resetCompressor) {
        this.resetCompressor = resetCompressor;
    }

    /** The parameters of one offer or response, or null if it is not a well-formed permessage-deflate. */
    private record Params(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            boolean clientMaxWindowBits, int clientMaxWindowBitsValue) {
    }

    /**
     * Picks the first offer in the client's {@code Sec-WebSocket-Extensions} fields this server can
     * accept.
     *
     * @return the response's extension field value, or null to decline every offer
     */
    static String acceptOffer(List<String> extensionFields) {
        for (String offer : splitList(extensionFields)) {
            Params p = parse(offer);
            if (p == null || (p.serverMaxWindowBits != 0 && p.serverMaxWindowBits < 15)) {
                continue; // malformed, or a window our compressor cannot keep within: decline this one
            }
            StringBuilder response = new StringBuilder(NAME);
            if (p.serverNoContextTakeover) {
                response.append("; server_no_context_takeover");
            }
            if (p.clientNoContextTakeover) {
                response.append("; client_no_context_takeover");
            }
            if (p.serverMaxWindowBits == 15) {
                response.append("; server_max_window_bits=15");
            }
            return response.toString();
        }
        return null;
    }

    /** The server side after accepting {@code response} (from {@link #acceptOffer}). */
    static PerMessageDeflate server(String response) {
        return new PerMessageDeflate(parse(response).serverNoContextTakeover);
    }

    /**
     * The client side after the server's response to {@link #CLIENT_OFFER}.
     *
     * @throws IllegalArgumentException if the response is not one the offer allows
     */
    static PerMessageDeflate client(String response) {
        Params p = parse(response);
        if (p == null) {
            throw new IllegalArgumentException("malformed permessage-deflate response: " + response);
        }
        if (p.clientMaxWindowBits) {
            throw new IllegalArgumentException("the server set client_max_window_bits, which the offer did not include");
        }
        return new PerMessageDeflate(p.clientNoContextTakeover);
    }

    /** Splits the comma-separated extension lists of every field into single extensions. */
    static List<String> splitList(List<String> fields) {
        List<String> items = new ArrayList<>();
        for (String field : fields) {
            for (String item : field.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static Params parse(String extension) {
        String[] parts = extension.split(";");
        if (!parts[0].trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        boolean snct = false, cnct = false, cmwb = false;
        int smwb = 0, cmwbValue = 0;
        List<String> seen = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? null : unquote(part.substring(eq + 1).trim());
            if (seen.contains(name)) {
                return null; // RFC 7692 section 7: a parameter given twice makes the offer invalid
            }
            seen.add(name);
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (value != null) return null;
                    snct = true;
                }
                case "client_no_context_takeover" -> {
                    if (value != null) return null;
                    cnct = true;
                }
                case "server_max_window_bits" -> {
                    smwb = windowBits(value);
                    if (smwb == 0) return null;
                }
                case "client_max_window_bits" -> {
                    cmwb = true;
                    if (value != null) {
                        cmwbValue = windowBits(value);
                        if (cmwbValue == 0) return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return new Params(snct, cnct, smwb, cmwb, cmwbValue);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
    }

    /** 8..15 as RFC 7692 allows them (one to two digits, no leading zero), else 0. */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return 0;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return 0;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : 0;
    }

    /**
     * Compresses one whole message.
     *
     * @return the buffer holding the compressed octets (from 0 to its length), valid until the next call
     */
    MessageBuffer compress(byte[] data, int offset, int length) {
        MessageBuffer out = compressed;
        out.length = 0;
        deflater.setInput(data, offset, length);
        int room;
        int n;
        do {
            out.ensure(Math.max(64, length / 2 + 16));
            room = out.array().length - out.length;
            n = deflater.deflate(out.array(), out.length, room, Deflater.SYNC_FLUSH);
            out.length += n;
        } while (n == room); // a full output buffer may hide more: only a short one says the flush is done
        out.length -= TAIL.length; // a sync flush always ends with the empty stored block 00 00 FF FF
        if (resetCompressor) {
            deflater.reset();
        }
        return out;
    }

    /**
     * Inflates a piece of a compressed message into {@code out}.
     *
     * @return false if the message would grow past {@code max} octets
     * @throws DataFormatException if the octets are not a deflate stream
     */
    boolean inflate(byte[] data, int offset, int length, MessageBuffer out, long max) throws DataFormatException {
        inflater.setInput(data, offset, length);
        return drain(out, max);
    }

    /** Ends a compressed message: inflates the flush tail the sender left out. */
    boolean finish(MessageBuffer out, long max) throws DataFormatException {
        inflater.setInput(TAIL, 0, TAIL.length);
        boolean fits = drain(out, max);
        if (inflater.finished()) {
            inflater.reset(); // the sender ended its stream with a final block: the next message starts a new one
        }
        return fits;
    }

    private boolean drain(MessageBuffer out, long max) throws DataFormatException {
        while (true) {
            out.ensure(1024);
            int room = out.array().length - out.length;
            int n = inflater.inflate(out.array(), out.length, room);
            out.length += n;
            if (out.length > max) {
                return false;
            }
            if (n < room) { // zlib stopped short of the room it had: it needs input, or the stream ended
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary, which permessage-deflate does not use");
                }
                return true;
            }
        }
    }

    /** Releases the native memory of the JDK's zlib streams. */
    void end() {
        deflater.end();
        inflater.end();
    }
}
