package dev.uring4j.runtime;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import dev.uring4j.runtime.internal.tls.Der;

/**
 * The DER that keys and certificates are made of, byte for byte as X.690 and RFC 5280 spell it:
 * both length forms at their edges, INTEGERs in minimal two's complement, OIDs in base 128, the
 * time types on either side of 2050; and a reader that refuses what DER is not, saying where.
 */
@Tag("transport-independent")
class DerTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({"0, 0400", "1, 0401", "127, 047f", "128, 048180", "255, 0481ff", "256, 04820100", "65535, 0482ffff", "65536, 0483010000"})
    void lengthsUseTheShortFormBelow128AndTheFewestBytesAbove(int length, String header) throws IOException {
        byte[] element = Der.octetString(new byte[length]);
        assertEquals(header, HEX.formatHex(element, 0, header.length() / 2));
        assertEquals(header.length() / 2 + length, element.length);
        Der.Element read = Der.parse(element);
        assertEquals(Der.OCTET_STRING, read.tag());
        assertEquals(length, read.length());
        assertEquals(header.length() / 2, read.offset());
    }

    @ParameterizedTest
    @CsvSource({"0, 020100", "127, 02017f", "128, 02020080", "-1, 0201ff", "-129, 0202ff7f", "256, 02020100"})
    void integersAreMinimalTwosComplement(long value, String der) {
        assertEquals(der, HEX.formatHex(Der.integer(value)));
    }

    @ParameterizedTest
    @CsvSource({"1.2.840.113549.1.1.11, 06092a864886f70d01010b", "2.5.29.17, 0603551d11", "1.3.101.112, 06032b6570",
            "2.999.3, 0603883703", "0.0, 060100"})
    void objectIdentifiersRoundTrip(String dotted, String der) throws IOException {
        assertEquals(der, HEX.formatHex(Der.oid(dotted)));
        assertEquals(dotted, Der.parse(Der.oid(dotted)).oid());
    }

    @Test
    void timesAreUtcTimeBefore2050AndGeneralizedTimeFrom2050() {
        assertEquals("170d3439313233313233353935395a", HEX.formatHex(Der.time(Instant.parse("2049-12-31T23:59:59Z"))));
        assertEquals("180f32303530303130313030303030305a", HEX.formatHex(Der.time(Instant.parse("2050-01-01T00:00:00Z"))));
        assertThrows(IllegalArgumentException.class, () -> Der.time(Instant.parse("1949-12-31T23:59:59Z")));
    }

    @Test
    void whatIsWrittenIsWhatTheJdkReads() throws IOException {
        byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String("ünïcode.test"))),
                Der.set(Der.sequence(Der.oid("2.5.4.6"), Der.printableString("SE"))));
        assertEquals("C=SE,CN=ünïcode.test", new X500Principal(name).getName());
        assertEquals("030207" + "80", HEX.formatHex(Der.bitString(new byte[] {(byte) 0x80}, 7)));
        assertEquals("0101ff", HEX.formatHex(Der.bool(true)));
        assertEquals("0500", HEX.formatHex(Der.nullValue()));
        assertEquals("a0030201" + "02", HEX.formatHex(Der.explicit(0, Der.integer(2))));
        assertEquals("8203" + "612e62", HEX.formatHex(Der.implicit(2, "a.b".getBytes())));
        List<Der.Element> children = Der.parse(name).children();
        assertEquals(2, children.size());
        assertArrayEquals(Der.set(Der.sequence(Der.oid("2.5.4.6"), Der.printableString("SE"))), children.get(1).encoded());
        assertThrows(IllegalArgumentException.class, () -> Der.printableString("a@b"));
    }

    @ParameterizedTest
    @CsvSource({
            "'', an element was expected at offset 0",
            "30, has no length",
            "3080, indefinite length at offset 1",
            "3003020100ff, 1 bytes after the element",
            "300502010002, says it is 5 bytes long but only 4 remain",
            "3085000000000000, a length of 5 bytes",
            "1f0100, tag numbers of more than one byte",
            "3081, the length at offset 1 runs past the end"})
    void whatIsNotDerIsRefusedSayingWhere(String hex, String problem) {
        IOException e = assertThrows(IOException.class, () -> Der.parse(HEX.parseHex(hex)));
        assertTrue(e.getMessage().startsWith("DER: ") && e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0600", "060188", "0500"})
    void aBrokenObjectIdentifierIsRefused(String hex) {
        assertThrows(IOException.class, () -> Der.parse(HEX.parseHex(hex)).oid());
    }

    @Test
    void aPositiveIntegerWithItsTopBitSetGetsALeadingZero() {
        assertEquals("0211" + "00" + "80".repeat(16), HEX.formatHex(Der.integer(new BigInteger(1, HEX.parseHex("80".repeat(16))))));
    }
}
