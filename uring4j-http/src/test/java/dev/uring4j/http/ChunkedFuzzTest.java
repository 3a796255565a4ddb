package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the chunked decoder on its own, against a reference written in a
 * different way: the reference finds each line's end first and then reads the whole size line as
 * text with the grammar of RFC 9112 section 7.1, where the decoder steps through a state machine
 * octet by octet, keeping its place between receives. Under plain JUnit this replays the
 * seeds in {@code src/test/resources/dev/uring4j/http/ChunkedFuzzTestInputs}; see
 * {@link HttpFuzzCampaignTest} for real fuzzing.
 *
 * <p>An input is {@code [split seed][body limit][octets...]}: the octets are decoded once whole and
 * once cut into pieces chosen by the seed (as receives cut a body), with a body limit of 16 times
 * the second octet (255: none). Whatever the input, the decoder and the reference agree on whether
 * the body is complete, needs more, or is refused, and on every data octet delivered before that;
 * when complete, on how many octets the body took; and the decoder's answer does not depend on how
 * the input was cut. Delivered data runs lie inside the octets consumed, and their sum never passes
 * the body limit.
 */
class ChunkedFuzzTest {
    /** What {@link #sizeLine} makes of a size line's text. */
    private static final int VALID = 0;
    private static final int PREFIX = 1;
    private static final int BAD = 2;

    private enum Outcome { COMPLETE, NEED_MORE, REFUSED }

    private record Result(Outcome outcome, byte[] data, int consumed) {
    }

    @Timeout(90)
    @FuzzTest(maxDuration = "60s")
    void decodesAsTheGrammarSaysHoweverTheInputIsCut(byte[] input) {
        if (input.length < 2) {
            return;
        }
        long limit = (input[1] & 0xFF) == 255 ? Long.MAX_VALUE : (input[1] & 0xFF) * 16L;
        byte[] body = Arrays.copyOfRange(input, 2, input.length);

        Result reference = reference(body, limit);
        Result whole = decode(body, limit, new int[] {body.length});
        Random random = new Random(input[0]);
        int[] pieces = new int[body.length];
        int count = 0;
        for (int at = 0; at < body.length; count++) {
            pieces[count] = Math.min(body.length - at, 1 + random.nextInt(input[0] == 0 ? 1 : 1 + (input[0] & 0x3F)));
            at += pieces[count];
        }
        Result cut = decode(body, limit, Arrays.copyOf(pieces, count));

        String shown = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        assertEquals(reference.outcome, whole.outcome, "decoder and reference disagree on: " + shown);
        assertArrayEquals(reference.data, whole.data, "data differs from the reference for: " + shown);
        if (reference.outcome == Outcome.COMPLETE) {
            assertEquals(reference.consumed, whole.consumed, "where the body ends: " + shown);
        }
        assertEquals(whole.outcome, cut.outcome, "the outcome depends on how the input was cut: " + shown);
        assertArrayEquals(whole.data, cut.data, "the data depends on how the input was cut: " + shown);
        if (whole.outcome == Outcome.COMPLETE) {
            assertEquals(whole.consumed, cut.consumed, "the end depends on how the input was cut: " + shown);
        }
        assertTrue(whole.data.length <= limit, "the body limit holds");
    }

    /** Feeds {@code body} to a decoder in pieces, as receives would, until it completes, refuses, or runs out. */
    private static Result decode(byte[] body, long limit, int[] pieces) {
        ChunkedDecoder decoder = new ChunkedDecoder(limit);
        decoder.start();
        MemorySegment segment = MemorySegment.ofArray(body);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int pos = 0;
        int end = 0;
        for (int piece : pieces) {
            end += piece;
            while (pos < end && !decoder.lastChunkSeen()) {
                int available = end - pos;
                int n = decoder.decode(segment, pos, available);
                if (n == ChunkedDecoder.REJECTED) {
                    assertTrue(decoder.rejection() != null, "a refusal names its cause");
                    return new Result(Outcome.REFUSED, data.toByteArray(), pos);
                }
                assertTrue(n > 0 && n <= available, "decode consumed " + n + " of " + available);
                if (decoder.dataLength() > 0) {
                    assertTrue(decoder.dataOffset() >= 0 && decoder.dataOffset() + decoder.dataLength() <= n,
                            "the data run lies inside the octets consumed");
                    data.write(body, pos + decoder.dataOffset(), decoder.dataLength());
                }
                pos += n;
            }
            if (decoder.lastChunkSeen()) {
                return new Result(Outcome.COMPLETE, data.toByteArray(), pos);
            }
        }
        return new Result(Outcome.NEED_MORE, data.toByteArray(), pos);
    }

    /** The chunked grammar read line by line: a size line is matched whole, then its chunk taken at once. */
    private static Result reference(byte[] body, long limit) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long total = 0;
        int pos = 0;
        while (true) {
            int cr = text.indexOf('\r', pos);
            String line = text.substring(pos, cr < 0 ? text.length() : cr);
            int counted = line.length() + (cr < 0 ? 0 : 1); // the size line limit counts the CR too
            int verdict = sizeLine(line);
            int digits = 0;
            while (digits < line.length() && hex(line.charAt(digits))) {
                digits++;
            }
            if (digits > 0 && new BigInteger(line.substring(0, digits), 16).bitLength() > 63) {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos); // refused as the digits arrive
            }
            if (cr < 0) {
                return new Result(verdict != BAD && counted <= ChunkedDecoder.MAX_CHUNK_LINE_BYTES ? Outcome.NEED_MORE
                        : Outcome.REFUSED, data.toByteArray(), pos);
            }
            if (verdict != VALID || counted > ChunkedDecoder.MAX_CHUNK_LINE_BYTES) {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos);
            }
            if (cr + 1 == text.length()) {
                return new Result(Outcome.NEED_MORE, data.toByteArray(), pos);
            }
            if (text.charAt(cr + 1) != '\n') {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos);
            }
            pos = cr + 2;
            long size = Long.parseLong(line.substring(0, digits), 16);
            if (size == 0) {
                return new Result(Outcome.COMPLETE, data.toByteArray(), pos);
            }
            if (size > limit - total) {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos);
            }
            total += size;
            int available = (int) Math.min(size, body.length - pos);
            data.write(body, pos, available);
            pos += available;
            if (available < size || pos == body.length) {
                return new Result(Outcome.NEED_MORE, data.toByteArray(), pos);
            }
            if (body[pos] != '\r') {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos);
            }
            if (pos + 1 == body.length) {
                return new Result(Outcome.NEED_MORE, data.toByteArray(), pos);
            }
            if (body[pos + 1] != '\n') {
                return new Result(Outcome.REFUSED, data.toByteArray(), pos);
            }
            pos += 2;
        }
    }

    /**
     * Reads a size line without its CRLF: {@code chunk-size *( BWS ";" BWS ext-name [ BWS "=" BWS
     * ( token / quoted-string ) ] )}. {@link #VALID} if it is one, {@link #PREFIX} if it is not but
     * more text could make it one, else {@link #BAD}.
     */
    private static int sizeLine(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && hex(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return n == 0 ? PREFIX : BAD;
        }
        while (i < n) {
            int j = blanks(s, i);
            if (j == n) {
                return PREFIX;
            }
            if (s.charAt(j) != ';') {
                return BAD;
            }
            j = blanks(s, j + 1);
            if (j == n) {
                return PREFIX;
            }
            if (!tchar(s.charAt(j))) {
                return BAD;
            }
            j = tokenEnd(s, j);
            int k = blanks(s, j);
            if (k == n) {
                return k == j ? VALID : PREFIX;
            }
            if (s.charAt(k) == ';') {
                i = j;
                continue;
            }
            if (s.charAt(k) != '=') {
                return BAD;
            }
            k = blanks(s, k + 1);
            if (k == n) {
                return PREFIX;
            }
            if (tchar(s.charAt(k))) {
                i = tokenEnd(s, k);
            } else if (s.charAt(k) == '"') {
                for (k++; ; ) {
                    if (k == n) {
                        return PREFIX;
                    }
                    char c = s.charAt(k);
                    if (c == '"') {
                        break;
                    } else if (c == '\\') {
                        if (k + 1 == n) {
                            return PREFIX;
                        }
                        char quoted = s.charAt(k + 1);
                        if (!(quoted == '\t' || quoted == ' ' || (quoted >= 0x21 && quoted != 0x7F))) {
                            return BAD;
                        }
                        k += 2;
                    } else if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x7E && c != '\\') || c >= 0x80) {
                        k++;
                    } else {
                        return BAD;
                    }
                }
                i = k + 1;
            } else {
                return BAD;
            }
        }
        return VALID;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int blanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean tchar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int tokenEnd(String s, int i) {
        while (i < s.length() && tchar(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
