package dev.uring4j.http.websocket;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming validator agrees with the JDK's strict UTF-8 decoder on every sequence of up to
 * three octets, and on random texts split at random points, fed whole, in pieces, and from
 * segments; and it refuses at the first octet that cannot continue valid UTF-8.
 */
@Tag("transport-independent")
class Utf8ValidatorTest {

    private static final java.nio.charset.CharsetDecoder DECODER = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    static boolean jdkValid(byte[] b) {
        try {
            DECODER.reset().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkOnEverySequenceOfUpToThreeOctets() {
        for (int len = 1; len <= 3; len++) {
            int count = 1 << (8 * len);
            byte[] b = new byte[len];
            // Three-octet sequences are taken whole only from a lead octet of three or four (E0..F4):
            // the others begin with what the shorter lengths cover (ASCII, a stray continuation, a
            // lead of two) or with an octet that is never valid.
            for (int v = len == 3 ? 0xE0 : 0; v < count; v = len == 3 && (v & 0xFF) == 0xF4 ? v + 0xEC : v + 1) {
                for (int i = 0; i < len; i++) {
                    b[i] = (byte) (v >>> (8 * i));
                }
                assertEquals(jdkValid(b), Utf8Validator.isValid(b, 0, len), () -> java.util.HexFormat.of().formatHex(b));
            }
        }
    }

    @Test
    void agreesOnRandomTextsFedInRandomPieces() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int t = 0; t < 20_000; t++) {
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(40); i > 0; i--) {
                s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x80) : r.nextInt(0x110000) & ~0x800 /* avoid most surrogates */);
            }
            byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
            if (b.length > 0 && r.nextBoolean()) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256); // corrupt one octet, sometimes
            }
            boolean expected = jdkValid(b);
            Utf8Validator v = new Utf8Validator();
            boolean ok = true;
            for (int at = 0; at < b.length && ok; ) {
                int n = 1 + r.nextInt(b.length - at);
                ok = r.nextBoolean() ? v.update(b, at, n) : v.update(MemorySegment.ofArray(b), at, n);
                at += n;
            }
            assertEquals(expected, ok && v.complete(), () -> java.util.HexFormat.of().formatHex(b));
        }
    }

    @Test
    void refusesAtTheFirstBadOctet() {
        Utf8Validator v = new Utf8Validator();
        byte[] start = {(byte) 0xCE, (byte) 0xBA, (byte) 0xED};
        assertEquals(true, v.update(start, 0, 3), "ED may start a valid sequence");
        assertEquals(false, v.update(new byte[] {(byte) 0xA0}, 0, 1), "ED A0 begins a surrogate: refused at once");
    }
}
