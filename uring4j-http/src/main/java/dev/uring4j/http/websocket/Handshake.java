package dev.uring4j.http.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** What the server and client sides of the opening handshake (RFC 6455 section 4) share. */
final class Handshake {
    /** The GUID both sides append to the key (RFC 6455 section 1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {
    }

    /** {@code Sec-WebSocket-Accept} for {@code key}: base64 of the SHA-1 of the key and the GUID. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1, which every JDK provides, is missing", e);
        }
    }

    /** Whether {@code key} is the base64 of 16 octets, as a client's key must be. */
    static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The comma-separated tokens of every field value given, trimmed, lower-cased if {@code fold}. */
    static List<String> tokens(List<String> values, boolean fold) {
        List<String> tokens = new ArrayList<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                String s = t.trim();
                if (!s.isEmpty()) {
                    tokens.add(fold ? s.toLowerCase(Locale.ROOT) : s);
                }
            }
        }
        return tokens;
    }
}
