package dev.uring4j.runtime.internal.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few pieces of ASN.1 DER (ITU-T X.690) that PEM keys and a self-signed certificate need:
 * writers that return one encoded element each, and a reader of one element at a time. The JDK
 * has no public DER API, so the PKCS#1 and SEC1 key forms are wrapped into PKCS#8 here, and a
 * TBSCertificate is built here for {@link java.security.Signature} to sign.
 *
 * <p>Only definite lengths and low tag numbers (below 31) exist here: that is all DER allows
 * for the types used, and the reader refuses anything else with an {@link IOException} saying
 * what it found and at which offset. Stateless; every method is safe from any thread.
 */
public final class Der {
    public static final int BOOLEAN = 0x01;
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int NULL = 0x05;
    public static final int OBJECT_IDENTIFIER = 0x06;
    public static final int UTF8_STRING = 0x0c;
    public static final int PRINTABLE_STRING = 0x13;
    public static final int IA5_STRING = 0x16;
    public static final int UTC_TIME = 0x17;
    public static final int GENERALIZED_TIME = 0x18;
    public static final int SEQUENCE = 0x30;
    public static final int SET = 0x31;

    private static final int CONTEXT_PRIMITIVE = 0x80;
    private static final int CONTEXT_CONSTRUCTED = 0xa0;

    // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; both in UTC, to the second.
    private static final DateTimeFormatter UTC_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {}

    /** One element: {@code tag}, the DER length of the contents, then the contents concatenated. */
    public static byte[] tlv(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] c : contents) {
            length += c.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] c : contents) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    /** X.690 8.1.3: short form below 128, else 0x80 | the count of big-endian length bytes that follow, no leading zeros. */
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write(length >>> shift);
        }
    }

    public static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, elements);
    }

    /** A SET of one or more elements, written in the order given: callers pass one element or DER's sorted order. */
    public static byte[] set(byte[]... elements) {
        return tlv(SET, elements);
    }

    /** {@link BigInteger#toByteArray()} is already the minimal two's complement form DER asks for. */
    public static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    public static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
    }

    public static byte[] nullValue() {
        return tlv(NULL);
    }

    /**
     * An OBJECT IDENTIFIER from its dotted form ({@code 1.2.840.10045.2.1}): the first two arcs
     * packed as {@code 40 * first + second}, each arc in base 128, high bit set on all but its last byte.
     *
     * @throws IllegalArgumentException if {@code dotted} is not two or more arcs that fit a {@code long}
     */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("object identifier " + dotted + " must have at least two arcs");
        }
        long[] arcs = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                arcs[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("object identifier " + dotted + " has an arc that is not a number: '" + parts[i] + "'", e);
            }
            if (arcs[i] < 0) {
                throw new IllegalArgumentException("object identifier " + dotted + " has a negative arc");
            }
        }
        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) || arcs[1] > Long.MAX_VALUE - 80) {
            throw new IllegalArgumentException("object identifier " + dotted + " must start with 0 or 1 and an arc below 40, or with 2");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBase128(out, arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, arcs[i]);
        }
        return tlv(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int g = groups - 1; g > 0; g--) {
            out.write((int) (0x80 | (value >>> (7 * g)) & 0x7f));
        }
        out.write((int) (value & 0x7f));
    }

    /** A BIT STRING of {@code bits}, whose last {@code unusedBits} (0 to 7) bits are padding. */
    public static byte[] bitString(byte[] bits, int unusedBits) {
        if (unusedBits < 0 || unusedBits > 7 || (bits.length == 0 && unusedBits != 0)) {
            throw new IllegalArgumentException("a bit string's unused bits must be 0 to 7, and 0 when it is empty: " + unusedBits);
        }
        return tlv(BIT_STRING, new byte[] {(byte) unusedBits}, bits);
    }

    public static byte[] octetString(byte[] bytes) {
        return tlv(OCTET_STRING, bytes);
    }

    public static byte[] utf8String(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException if {@code s} has a character outside PrintableString's set (X.680 41.4) */
    public static byte[] printableString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean printable = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || " '()+,-./:=?".indexOf(c) >= 0;
            if (!printable) {
                throw new IllegalArgumentException("'" + c + "' cannot be in a PrintableString: " + s);
            }
        }
        return tlv(PRINTABLE_STRING, s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A time as X.509 writes it (RFC 5280 4.1.2.5): UTCTime before 2050, GeneralizedTime from then on, to the second. */
    public static byte[] time(Instant instant) {
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        if (year < 1950 || year > 9999) {
            throw new IllegalArgumentException("an X.509 time must fall in the years 1950 to 9999: " + instant);
        }
        boolean utc = year < 2050;
        String text = (utc ? UTC_TIME_FORMAT : GENERALIZED_TIME_FORMAT).format(instant);
        return tlv(utc ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code [tagNumber] EXPLICIT}: the whole element wrapped in a constructed context tag. */
    public static byte[] explicit(int tagNumber, byte[] element) {
        return tlv(CONTEXT_CONSTRUCTED | checkTagNumber(tagNumber), element);
    }

    /** {@code [tagNumber] IMPLICIT} over a primitive type: the contents alone under a primitive context tag. */
    public static byte[] implicit(int tagNumber, byte[] contents) {
        return tlv(CONTEXT_PRIMITIVE | checkTagNumber(tagNumber), contents);
    }

    /** The tag byte of {@code [tagNumber]} EXPLICIT, for comparing with {@link Element#tag()}. */
    public static int explicitTag(int tagNumber) {
        return CONTEXT_CONSTRUCTED | checkTagNumber(tagNumber);
    }

    private static int checkTagNumber(int tagNumber) {
        if (tagNumber < 0 || tagNumber > 30) {
            throw new IllegalArgumentException("context tag numbers 0 to 30 take one byte; " + tagNumber + " does not");
        }
        return tagNumber;
    }

    /** Reads the single element that {@code der} must be, with nothing after it. */
    public static Element parse(byte[] der) throws IOException {
        Element e = read(der, 0, der.length);
        if (e.end() != der.length) {
            throw new IOException("DER: " + (der.length - e.end()) + " bytes after the element that ends at offset " + e.end());
        }
        return e;
    }

    /** Reads the element that starts at {@code offset} and must end by {@code limit}. */
    static Element read(byte[] der, int offset, int limit) throws IOException {
        if (offset >= limit) {
            throw new IOException("DER: an element was expected at offset " + offset + ", the data ends there");
        }
        int tag = der[offset] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IOException("DER: tag numbers of more than one byte are not supported (tag 0x"
                    + Integer.toHexString(tag) + " at offset " + offset + ")");
        }
        int p = offset + 1;
        if (p >= limit) {
            throw new IOException("DER: the element at offset " + offset + " has no length");
        }
        int first = der[p++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new IOException("DER: indefinite length at offset " + (p - 1) + " (BER, not DER)");
        } else {
            int count = first & 0x7f;
            if (count > 4) {
                throw new IOException("DER: a length of " + count + " bytes at offset " + (p - 1) + " is larger than any data here");
            }
            if (p + count > limit) {
                throw new IOException("DER: the length at offset " + (p - 1) + " runs past the end of the data");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | (der[p++] & 0xff);
            }
        }
        if (length > limit - p) {
            throw new IOException("DER: the element at offset " + offset + " says it is " + length
                    + " bytes long but only " + (limit - p) + " remain");
        }
        return new Element(tag, der, offset, p, (int) length);
    }

    /**
     * One element read from {@code der}: its tag byte and where its contents lie. A view of the
     * caller's array, not a copy.
     *
     * @param start  offset of the tag byte
     * @param offset offset of the contents
     * @param length length of the contents
     */
    public record Element(int tag, byte[] der, int start, int offset, int length) {

        /** The offset just past this element. */
        public int end() {
            return offset + length;
        }

        /** The whole element, tag and length included, as a new array. */
        public byte[] encoded() {
            return Arrays.copyOfRange(der, start, end());
        }

        /** The contents as a new array. */
        public byte[] contents() {
            return Arrays.copyOfRange(der, offset, end());
        }

        /** The elements inside this constructed one, in order. */
        public List<Element> children() throws IOException {
            if ((tag & 0x20) == 0) {
                throw new IOException("DER: the element with tag 0x" + Integer.toHexString(tag) + " at offset " + start
                        + " is primitive, it has no elements inside");
            }
            List<Element> children = new ArrayList<>();
            for (int p = offset; p < end(); ) {
                Element child = read(der, p, end());
                children.add(child);
                p = child.end();
            }
            return children;
        }

        /** This element, checked to have {@code expected} as its tag; {@code what} names it in the error. */
        public Element expect(int expected, String what) throws IOException {
            if (tag != expected) {
                throw new IOException("DER: expected " + what + " (tag 0x" + Integer.toHexString(expected) + ") at offset "
                        + start + ", found tag 0x" + Integer.toHexString(tag));
            }
            return this;
        }

        /** The dotted form of this OBJECT IDENTIFIER. */
        public String oid() throws IOException {
            expect(OBJECT_IDENTIFIER, "an object identifier");
            if (length == 0) {
                throw new IOException("DER: empty object identifier at offset " + start);
            }
            StringBuilder dotted = new StringBuilder();
            long arc = 0;
            for (int i = offset; i < end(); i++) {
                if (arc > Long.MAX_VALUE >>> 7) {
                    throw new IOException("DER: an arc of the object identifier at offset " + start + " is too large");
                }
                arc = arc << 7 | (der[i] & 0x7f);
                if ((der[i] & 0x80) != 0) {
                    if (i == end() - 1) {
                        throw new IOException("DER: the object identifier at offset " + start + " ends inside an arc");
                    }
                    continue;
                }
                if (dotted.isEmpty()) {
                    int top = (int) Math.min(arc / 40, 2);
                    dotted.append(top).append('.').append(arc - 40L * top);
                } else {
                    dotted.append('.').append(arc);
                }
                arc = 0;
            }
            return dotted.toString();
        }
    }
}
