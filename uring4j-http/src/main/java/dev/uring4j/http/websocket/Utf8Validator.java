package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Validates UTF-8 as it arrives, one chunk at a time, keeping its state between chunks, so that a
 * text message split anywhere (across frames, receive views, or inside a code point) is checked
 * once, and an invalid one is refused at its first bad octet rather than at the end of the message
 * (RFC 6455 section 8.1: fail fast).
 *
 * <p>The automaton is Björn Höhrmann's UTF-8 DFA: a character class per octet, and a transition
 * table over (state, class). It refuses overlong forms, surrogates (U+D800..U+DFFF) and code points
 * past U+10FFFF, exactly what RFC 3629 refuses. Owned by one connection, used on its loop only.
 */
final class Utf8Validator {
    /** A whole number of code points was seen. */
    static final int ACCEPT = 0;
    /** An invalid sequence was seen; the state stays here. */
    static final int REJECT = 12;

    private static final byte[] CLASS = new byte[256];
    private static final byte[] TRANSITION = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    static {
        // Classes: 0 ASCII, 1/9/7 continuation ranges 80..8F/90..9F/A0..BF, 8 invalid (C0, C1, F5..FF),
        // 2 lead of two, 10 E0, 3 E1..EC and EE..EF, 4 ED, 11 F0, 6 F1..F3, 5 F4.
        for (int b = 0x80; b <= 0x8F; b++) CLASS[b] = 1;
        for (int b = 0x90; b <= 0x9F; b++) CLASS[b] = 9;
        for (int b = 0xA0; b <= 0xBF; b++) CLASS[b] = 7;
        CLASS[0xC0] = CLASS[0xC1] = 8;
        for (int b = 0xC2; b <= 0xDF; b++) CLASS[b] = 2;
        CLASS[0xE0] = 10;
        for (int b = 0xE1; b <= 0xEF; b++) CLASS[b] = 3;
        CLASS[0xED] = 4;
        CLASS[0xF0] = 11;
        CLASS[0xF1] = CLASS[0xF2] = CLASS[0xF3] = 6;
        CLASS[0xF4] = 5;
        for (int b = 0xF5; b <= 0xFF; b++) CLASS[b] = 8;
    }

    private int state = ACCEPT;

    /** Forgets what was seen: the next octet starts a new text. */
    void reset() {
        state = ACCEPT;
    }

    /**
     * Checks {@code length} more octets of the text.
     *
     * @return false as soon as an octet cannot continue valid UTF-8; the rest is not looked at
     */
    boolean update(byte[] data, int offset, int length) {
        int s = state;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (s == ACCEPT) {
                // ASCII runs, the common case, eight at a time.
                while (i + 8 <= end && ((long) Bytes.LONG.get(data, i) & 0x8080808080808080L) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            s = TRANSITION[s + CLASS[data[i++] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
        }
        state = s;
        return true;
    }

    /** As {@link #update(byte[], int, int)} for octets in a segment. */
    boolean update(MemorySegment data, long offset, int length) {
        int s = state;
        for (long i = offset, end = offset + length; i < end; i++) {
            s = TRANSITION[s + CLASS[data.get(ValueLayout.JAVA_BYTE, i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
        }
        state = s;
        return true;
    }

    /** Whether the text seen so far ends on a code point boundary: a message may end here. */
    boolean complete() {
        return state == ACCEPT;
    }

    /** Whether {@code data[offset, offset + length)} is one complete valid UTF-8 text. */
    static boolean isValid(byte[] data, int offset, int length) {
        Utf8Validator v = new Utf8Validator();
        return v.update(data, offset, length) && v.complete();
    }
}
