package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default limits (request line 8 KiB, header section 16 KiB, 100 fields) at their exact edge
 * and one octet over, fed whole and octet by octet; and the proof that a trickled head costs O(n):
 * however a head is split, every octet is examined exactly once.
 */
class DefaultLimitsTest {
    private static final HttpServer SERVER = HttpServer.builder(TestApp.router()).build();

    private static String requestLine(int length) {
        String prefix = "GET /plaintext?";
        String suffix = " HTTP/1.1";
        return prefix + "q".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    /** A header section of exactly {@code bytes} octets (field lines with CRLFs) in {@code fields} fields. */
    private static String headerSection(int bytes, int fields) {
        StringBuilder s = new StringBuilder("Host: a\r\n");
        for (int i = 1; i < fields - 1; i++) {
            s.append("X-").append(i % 10).append(": v\r\n");
        }
        int room = bytes - s.length() - "Y: \r\n".length();
        s.append("Y: ").append("v".repeat(room)).append("\r\n");
        assertEquals(bytes, s.length());
        return s.toString();
    }

    private static List<Integer> answer(String request, boolean octetByOctet) {
        byte[] input = request.getBytes(StandardCharsets.ISO_8859_1);
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(SERVER);
        if (octetByOctet) {
            for (int i = 0; i < input.length; i++) {
                transport.receive(input, i, 1);
            }
        } else {
            transport.receive(input);
        }
        boolean ended = transport.isOutputShutdown();
        List<Integer> statuses = Responses.statuses(transport.output(), ended);
        assertEquals(statuses.contains(200) ? List.of(200) : statuses, statuses);
        assertEquals(!statuses.equals(List.of(200)), ended, "refused requests end the connection");
        return statuses;
    }

    @ParameterizedTest(name = "octet by octet: {0}")
    @ValueSource(booleans = {false, true})
    void requestLineOf8KiBIsServedOneMoreIs414(boolean octetByOctet) {
        assertEquals(List.of(200), answer(requestLine(8192) + "\r\nHost: a\r\n\r\n", octetByOctet));
        assertEquals(List.of(414), answer(requestLine(8193) + "\r\nHost: a\r\n\r\n", octetByOctet));
    }

    @ParameterizedTest(name = "octet by octet: {0}")
    @ValueSource(booleans = {false, true})
    void headerSectionOf16KiBIsServedOneMoreIs431(boolean octetByOctet) {
        assertEquals(List.of(200), answer("GET / HTTP/1.1\r\n" + headerSection(16384, 100) + "\r\n", octetByOctet));
        assertEquals(List.of(431), answer("GET / HTTP/1.1\r\n" + headerSection(16385, 100) + "\r\n", octetByOctet));
    }

    @Test
    void hundredFieldsAreServedOneMoreIs431() {
        assertEquals(List.of(200), answer("GET / HTTP/1.1\r\n" + headerSection(2000, 100) + "\r\n", false));
        assertEquals(List.of(431), answer("GET / HTTP/1.1\r\n" + headerSection(2000, 101) + "\r\n", false));
    }

    @Test
    void limitsAreCheckedAsOctetsArriveNotWhenTheHeadEnds() {
        // 8 KiB of target with no end in sight: answered on the octet that crosses the limit.
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(SERVER);
        transport.receive("GET /" + "a".repeat(8186));
        assertEquals(0, transport.output().length, "8191 octets are still within the limit");
        transport.receive("aa");
        assertEquals(List.of(414), Responses.statuses(transport.output(), true));
        assertTrue(transport.isOutputShutdown());
    }

    @Test
    void theTransportNeverHasToKeepMoreThanMaxRetainedBytes() {
        InMemoryTransport transport = new InMemoryTransport();
        transport.connect(SERVER);
        String head = requestLine(8192) + "\r\n" + headerSection(16384, 100) + "\r\n";
        byte[] input = head.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < input.length; i += 1000) {
            transport.receive(input, i, Math.min(1000, input.length - i));
        }
        assertEquals(List.of(200), Responses.statuses(transport.output(), false));
        assertEquals((input.length - 1) / 1000 * 1000, transport.maxRetainedSeen(),
                "the incomplete head is kept until its last piece arrives");
        assertTrue(transport.maxRetainedSeen() <= SERVER.maxRetainedBytes());
    }

    /**
     * The parser examines each octet of a head once, however it is split: a 24 KiB head trickled
     * octet by octet costs 24 Ki examinations, not the ~300 Mi a re-scanning parser would make.
     */
    @Test
    void aTrickledHeadIsExaminedOnceOctetByOctetSoItCostsLinearTime() {
        String head = requestLine(8192) + "\r\n" + headerSection(16384, 100) + "\r\n";
        byte[] input = head.getBytes(StandardCharsets.ISO_8859_1);
        HeadParser parser = new HeadParser(8192, 16384, 100, 1 << 20);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(input.length);
            MemorySegment.copy(input, 0, buffer, ValueLayout.JAVA_BYTE, 0, input.length);
            int result = HeadParser.NEED_MORE;
            for (int available = 1; available <= input.length && result == HeadParser.NEED_MORE; available++) {
                result = parser.parse(buffer, 0, available); // re-presented from the first octet each time
            }
            assertEquals(input.length, result, "the head parses complete");
            assertEquals(input.length, parser.examined(), "each octet examined exactly once");
        }
    }

    @Test
    void aTransportThatDropsKeptOctetsIsToldSo() {
        HeadParser parser = new HeadParser(8192, 16384, 100, 0);
        MemorySegment buffer = MemorySegment.ofArray("GET / HT".getBytes(StandardCharsets.US_ASCII));
        assertEquals(HeadParser.NEED_MORE, parser.parse(buffer, 0, 8));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> parser.parse(buffer, 0, 4));
        assertTrue(e.getMessage().contains("unconsumed bytes must be kept"), e.getMessage());
    }
}
