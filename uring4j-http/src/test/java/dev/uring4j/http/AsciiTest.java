package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans and comparisons agree with the octet classes they stand for: every octet
 * value, at every position of a word and of the tail after the last whole word, stops a scan
 * exactly when its class says so, and no scan reads or stops past its end.
 */
class AsciiTest {
    private interface Scan {
        int skip(MemorySegment segment, long base, int from, int end);
    }

    private static final int RUN = 19; // two whole words and three octets, read in a word overlapping the second

    @Test
    void targetScanStopsAtEveryOctetOutsideTheTargetClassAndAtTheQuery() {
        check(Ascii::skipTarget, 'a', c -> !Ascii.is((byte) c, Ascii.TARGET) || c == '?');
    }

    @Test
    void fieldValueScanStopsAtEveryOctetThatIsNotAFieldVchar() {
        check(Ascii::skipFieldVchars, 'a', c -> !Ascii.is((byte) c, Ascii.FIELD_VCHAR));
    }

    @Test
    void classScanStopsAtEveryOctetOutsideTheClasses() {
        for (int mask : new int[] {Ascii.TOKEN, Ascii.HOST, Ascii.TOKEN | Ascii.HOST}) {
            check((segment, base, from, end) -> Ascii.skip(segment, base, from, end, mask), 'a',
                    c -> !Ascii.is((byte) c, mask));
        }
    }

    /** Puts each octet value at each position of a run of {@code fill}, and checks where the scan stops. */
    private static void check(Scan scan, char fill, IntPredicate stops) {
        try (Arena arena = Arena.ofConfined()) {
            // The run sits between guard octets that stop every scan, so a scan reading past its
            // end would be seen stopping there.
            MemorySegment segment = arena.allocate(RUN + 16);
            int base = 5;
            for (int c = 0; c < 256; c++) {
                for (int at = 0; at < RUN; at++) {
                    segment.fill((byte) 0);
                    for (int i = 0; i < RUN; i++) {
                        segment.set(ValueLayout.JAVA_BYTE, base + i, (byte) fill);
                    }
                    segment.set(ValueLayout.JAVA_BYTE, base + at, (byte) c);
                    int expected = stops.test(c) ? at : RUN;
                    assertEquals(expected, scan.skip(segment, base, 0, RUN), "octet 0x" + Integer.toHexString(c) + " at " + at);
                    int end = at; // the octet just past the end must not count
                    assertEquals(end, scan.skip(segment, base, 0, end), "end before octet 0x" + Integer.toHexString(c) + " at " + at);
                    for (int from = 1; from <= at; from += 3) { // runs not starting on a word
                        assertEquals(expected, scan.skip(segment, base, from, RUN), "from " + from + ", octet 0x"
                                + Integer.toHexString(c) + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void comparisonsAgreeWithOctetByOctetAtEveryLengthPositionAndOctet() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(32);
            for (int n = 1; n <= 20; n++) {
                byte[] lowercase = new byte[n];
                for (int i = 0; i < n; i++) {
                    lowercase[i] = (byte) alphabet.charAt((i * 7 + n) % alphabet.length());
                }
                for (int at = 0; at < n; at++) {
                    for (int c = 0; c < 256; c++) {
                        // Guards around the region: a comparison reading past it would see them.
                        segment.fill((byte) 'X');
                        for (int i = 0; i < n; i++) {
                            byte b = lowercase[i];
                            segment.set(ValueLayout.JAVA_BYTE, 3 + i, i % 2 == 0 ? b : (byte) Character.toUpperCase(b));
                        }
                        segment.set(ValueLayout.JAVA_BYTE, 3 + at, (byte) c);
                        boolean folds = Ascii.lower((byte) c) == lowercase[at];
                        String where = "length " + n + ", octet 0x" + Integer.toHexString(c) + " at " + at;
                        assertEquals(folds, Ascii.equalsIgnoreCase(segment, 3, n, lowercase), where);
                        byte[] exact = new byte[n];
                        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 3, exact, 0, n);
                        assertTrue(Ascii.equals(segment, 3, n, exact), where);
                        exact[at] ^= 1;
                        assertFalse(Ascii.equals(segment, 3, n, exact), where);
                    }
                }
                assertFalse(Ascii.equalsIgnoreCase(segment, 3, n + 1, lowercase), "length differs");
            }
        }
    }

    @Test
    void wordsAreReadFirstOctetLowest() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(8);
            MemorySegment.copy(Ascii.bytes("HTTP/1.1"), 0, segment, ValueLayout.JAVA_BYTE, 0, 8);
            assertEquals(Ascii.word("HTTP/1.1"), Ascii.word(segment, 0));
            assertEquals('H', Ascii.word(segment, 0) & 0xFF);
        }
    }
}
