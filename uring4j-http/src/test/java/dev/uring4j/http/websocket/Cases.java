package dev.uring4j.http.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The conformance cases, organised as the Autobahn TestSuite organises its own: framing, ping/pong,
 * reserved bits, opcodes, fragmentation, UTF-8 handling, limits, close handling. Each case is what
 * the raw peer sends and what the RFC requires back from an echoing endpoint: the frames (echoed
 * messages, pongs), then either a clean close (the peer sends 1000 and expects 1000 back) or the
 * close code the endpoint must fail the connection with. The same table runs against the server
 * (peer masks) and the client (peer does not).
 */
final class Cases {
    /** The message limit the endpoints under test are configured with. */
    static final int MAX_MESSAGE = 64 * 1024;

    /** One frame the peer sends, whole or in pieces of {@code chunk} octets (0: whole). */
    record Step(boolean fin, int rsv, int opcode, byte[] payload, int chunk, long declaredLength) {
        Step(boolean fin, int rsv, int opcode, byte[] payload) {
            this(fin, rsv, opcode, payload, 0, payload.length);
        }
    }

    /** A frame the peer must receive: opcode and payload (always FIN, no RSV). */
    record Expect(int opcode, byte[] payload) {
    }

    /** A case: its category and name, the frames sent, the frames expected, and the close code (1000 for a clean close). */
    record Case(String category, String name, List<Step> steps, List<Expect> expected, int closeCode) {
        @Override
        public String toString() {
            return category + ": " + name;
        }
    }

    static final int TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10;

    private Cases() {
    }

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        framing(c);
        pingPong(c);
        reservedBits(c);
        opcodes(c);
        fragmentation(c);
        utf8(c);
        limits(c);
        closing(c);
        return c;
    }

    private static void framing(List<Case> c) {
        for (int n : new int[] {0, 1, 125, 126, 127, 65535, 65536, MAX_MESSAGE}) {
            byte[] text = ascii(n);
            c.add(new Case("1 framing", "text of " + n + " octets", List.of(new Step(true, 0, TEXT, text)), List.of(new Expect(TEXT, text)), 1000));
            byte[] bin = binary(n);
            c.add(new Case("1 framing", "binary of " + n + " octets", List.of(new Step(true, 0, BINARY, bin)), List.of(new Expect(BINARY, bin)), 1000));
        }
        for (int chunk : new int[] {1, 2, 7, 1000}) {
            byte[] bin = binary(3000);
            c.add(new Case("1 framing", "binary of 3000 octets written in pieces of " + chunk,
                    List.of(new Step(true, 0, BINARY, bin, chunk, bin.length)), List.of(new Expect(BINARY, bin)), 1000));
        }
        List<Step> many = new ArrayList<>();
        List<Expect> echoes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] t = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            many.add(new Step(true, 0, TEXT, t));
            echoes.add(new Expect(TEXT, t));
        }
        c.add(new Case("1 framing", "100 messages back to back", many, echoes, 1000));
    }

    private static void pingPong(List<Case> c) {
        c.add(new Case("2 ping/pong", "empty ping", List.of(new Step(true, 0, PING, new byte[0])), List.of(new Expect(PONG, new byte[0])), 1000));
        byte[] p125 = binary(125);
        c.add(new Case("2 ping/pong", "ping of 125 octets", List.of(new Step(true, 0, PING, p125)), List.of(new Expect(PONG, p125)), 1000));
        c.add(new Case("2 ping/pong", "ping of 126 octets", List.of(new Step(true, 0, PING, binary(126))), List.of(), 1002));
        c.add(new Case("2 ping/pong", "ping split into 1-octet writes", List.of(new Step(true, 0, PING, p125, 1, 125)), List.of(new Expect(PONG, p125)), 1000));
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        c.add(new Case("2 ping/pong", "unsolicited pong is ignored", List.of(new Step(true, 0, PONG, hello), new Step(true, 0, TEXT, hello)),
                List.of(new Expect(TEXT, hello)), 1000));
        List<Step> pings = new ArrayList<>();
        List<Expect> pongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] p = ("ping " + i).getBytes(StandardCharsets.US_ASCII);
            pings.add(new Step(true, 0, PING, p));
            pongs.add(new Expect(PONG, p));
        }
        c.add(new Case("2 ping/pong", "10 pings answered in order", pings, pongs, 1000));
        c.add(new Case("2 ping/pong", "fragmented ping", List.of(new Step(false, 0, PING, hello), new Step(true, 0, 0, hello)), List.of(), 1002));
    }

    private static void reservedBits(List<Case> c) {
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        for (int rsv = 1; rsv <= 7; rsv++) {
            c.add(new Case("3 reserved bits", "RSV " + rsv + " on text", List.of(new Step(true, rsv, TEXT, hello)), List.of(), 1002));
        }
        c.add(new Case("3 reserved bits", "RSV 4 on binary after a good message",
                List.of(new Step(true, 0, TEXT, hello), new Step(true, 4, BINARY, hello)), List.of(new Expect(TEXT, hello)), 1002));
        c.add(new Case("3 reserved bits", "RSV 2 on ping", List.of(new Step(true, 2, PING, hello)), List.of(), 1002));
        c.add(new Case("3 reserved bits", "RSV 1 on close", List.of(new Step(true, 1, CLOSE, new byte[] {3, (byte) 0xE8})), List.of(), 1002));
    }

    private static void opcodes(List<Case> c) {
        for (int op : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
            c.add(new Case("4 opcodes", "reserved opcode " + op, List.of(new Step(true, 0, op, new byte[0])), List.of(), 1002));
        }
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        c.add(new Case("4 opcodes", "reserved opcode 5 with payload after a message",
                List.of(new Step(true, 0, TEXT, hello), new Step(true, 0, 5, hello)), List.of(new Expect(TEXT, hello)), 1002));
    }

    private static void fragmentation(List<Case> c) {
        byte[] a = "frag".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "ment".getBytes(StandardCharsets.US_ASCII);
        byte[] ab = "fragment".getBytes(StandardCharsets.US_ASCII);
        byte[] ping = "p".getBytes(StandardCharsets.US_ASCII);
        c.add(new Case("5 fragmentation", "text in two fragments", List.of(new Step(false, 0, TEXT, a), new Step(true, 0, 0, b)), List.of(new Expect(TEXT, ab)), 1000));
        c.add(new Case("5 fragmentation", "binary in three fragments with an empty middle one",
                List.of(new Step(false, 0, BINARY, a), new Step(false, 0, 0, new byte[0]), new Step(true, 0, 0, b)), List.of(new Expect(BINARY, ab)), 1000));
        c.add(new Case("5 fragmentation", "empty fragments only", List.of(new Step(false, 0, TEXT, new byte[0]), new Step(false, 0, 0, new byte[0]),
                new Step(true, 0, 0, new byte[0])), List.of(new Expect(TEXT, new byte[0])), 1000));
        c.add(new Case("5 fragmentation", "ping between fragments",
                List.of(new Step(false, 0, TEXT, a), new Step(true, 0, PING, ping), new Step(true, 0, 0, b)),
                List.of(new Expect(PONG, ping), new Expect(TEXT, ab)), 1000));
        c.add(new Case("5 fragmentation", "pong between fragments",
                List.of(new Step(false, 0, TEXT, a), new Step(true, 0, PONG, ping), new Step(true, 0, 0, b)), List.of(new Expect(TEXT, ab)), 1000));
        List<Step> bytes = new ArrayList<>();
        for (int i = 0; i < ab.length; i++) {
            bytes.add(new Step(i == ab.length - 1, 0, i == 0 ? TEXT : 0, new byte[] {ab[i]}, 1, 1));
        }
        c.add(new Case("5 fragmentation", "one fragment per octet, each written octet by octet", bytes, List.of(new Expect(TEXT, ab)), 1000));
        c.add(new Case("5 fragmentation", "continuation with nothing to continue", List.of(new Step(true, 0, 0, a)), List.of(), 1002));
        c.add(new Case("5 fragmentation", "unfinished continuation with nothing to continue", List.of(new Step(false, 0, 0, a)), List.of(), 1002));
        c.add(new Case("5 fragmentation", "text frame inside a fragmented message",
                List.of(new Step(false, 0, TEXT, a), new Step(true, 0, TEXT, b)), List.of(), 1002));
        c.add(new Case("5 fragmentation", "binary frame inside a fragmented text",
                List.of(new Step(false, 0, TEXT, a), new Step(false, 0, BINARY, b)), List.of(), 1002));
        c.add(new Case("5 fragmentation", "fragmented close", List.of(new Step(false, 0, CLOSE, new byte[] {3, (byte) 0xE8})), List.of(), 1002));
    }

    static final List<String> VALID_UTF8 = List.of(
            "48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121", // Hello-µ@ßöäüàá-UTF-8!!
            "cebae1bdb9cf83cebcceb5", // κόσμε
            "00", "7f", "c280", "dfbf", "e0a080", "ed9fbf", "ee8080", "efbfbd", "efbfbe", "efbfbf", "f0908080", "f48fbfbf");

    static final List<String> INVALID_UTF8 = List.of(
            "cebae1bdb9cf83cebcceb5eda080656469746564", // κόσμε, then a surrogate
            "f4908080", // past U+10FFFF
            "f888808080", // five octets
            "c080", "c1bf", "e08080", "f0808080", // overlong
            "eda080", "edbfbf", // surrogates
            "80", "bf", "fe", "ff", "c241", "e18041",
            "c2", "e0a0", "f09080"); // cut short at the end

    private static void utf8(List<Case> c) {
        for (String hex : VALID_UTF8) {
            byte[] s = HexFormat.of().parseHex(hex);
            c.add(new Case("6 utf-8", "valid " + hex, List.of(new Step(true, 0, TEXT, s)), List.of(new Expect(TEXT, s)), 1000));
            for (int k = 1; k < s.length; k++) {
                c.add(new Case("6 utf-8", "valid " + hex + " split at " + k, List.of(new Step(false, 0, TEXT, Arrays.copyOf(s, k)),
                        new Step(true, 0, 0, Arrays.copyOfRange(s, k, s.length))), List.of(new Expect(TEXT, s)), 1000));
            }
        }
        for (String hex : INVALID_UTF8) {
            byte[] s = HexFormat.of().parseHex(hex);
            c.add(new Case("6 utf-8", "invalid " + hex, List.of(new Step(true, 0, TEXT, s)), List.of(), 1007));
            for (int k = 1; k < s.length; k++) {
                c.add(new Case("6 utf-8", "invalid " + hex + " split at " + k, List.of(new Step(false, 0, TEXT, Arrays.copyOf(s, k)),
                        new Step(true, 0, 0, Arrays.copyOfRange(s, k, s.length))), List.of(), 1007));
            }
        }
        // Fail fast: an invalid sequence in the first fragment is refused before the message ends.
        c.add(new Case("6 utf-8", "invalid first fragment of an unfinished message fails at once",
                List.of(new Step(false, 0, TEXT, HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080"))), List.of(), 1007));
        c.add(new Case("6 utf-8", "invalid UTF-8 in a close reason",
                List.of(new Step(true, 0, CLOSE, HexFormat.of().parseHex("03e8cebae1bdb9cf83cebcceb5eda080"))), List.of(), 1007));
    }

    private static void limits(List<Case> c) {
        c.add(new Case("9 limits", "a message one octet over the limit", List.of(new Step(true, 0, BINARY, binary(MAX_MESSAGE + 1))), List.of(), 1009));
        c.add(new Case("9 limits", "a fragmented message over the limit", List.of(new Step(false, 0, TEXT, ascii(MAX_MESSAGE / 2)),
                new Step(false, 0, 0, ascii(MAX_MESSAGE / 2)), new Step(true, 0, 0, ascii(1))), List.of(), 1009));
        c.add(new Case("9 limits", "a 64-bit length with its top bit set", List.of(new Step(true, 0, BINARY, new byte[0], 0, Long.MIN_VALUE + 5)),
                List.of(), 1002));
    }

    private static void closing(List<Case> c) {
        c.add(new Case("7 close", "empty close", List.of(), List.of(), 1005));
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
            c.add(new Case("7 close", "valid code " + code, List.of(), List.of(), -code));
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            c.add(new Case("7 close", "invalid code " + code, List.of(new Step(true, 0, CLOSE, new byte[] {(byte) (code >>> 8), (byte) code})),
                    List.of(), 1002));
        }
        c.add(new Case("7 close", "one-octet close payload", List.of(new Step(true, 0, CLOSE, new byte[] {3})), List.of(), 1002));
        ByteArrayOutputStream reason = new ByteArrayOutputStream();
        reason.write(3);
        reason.write(0xE8);
        reason.writeBytes(ascii(123));
        c.add(new Case("7 close", "close with a 123-octet reason", List.of(new Step(true, 0, CLOSE, reason.toByteArray())), List.of(), -1000));
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        c.add(new Case("7 close", "messages after a close are ignored",
                List.of(new Step(true, 0, CLOSE, new byte[] {3, (byte) 0xE8}), new Step(true, 0, TEXT, hello)), List.of(), -1000));
    }

    static byte[] ascii(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static byte[] binary(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
