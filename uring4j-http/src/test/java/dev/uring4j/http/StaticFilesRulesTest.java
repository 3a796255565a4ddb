package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.FileStat;

/**
 * The rules {@link StaticFiles} decides by, one function at a time: request paths made relative
 * or refused, {@code Range} resolved against a size, {@code Accept-Encoding} q-values turned into
 * the order siblings are tried in, and the validators' comparisons. The network tests show the
 * same rules end to end; these cover the edge cases exhaustively and fast.
 */
class StaticFilesRulesTest {
    @Test
    void pathsAreMadeRelativeOrRefused() {
        assertEquals("a.txt", StaticPath.relative("/static/a.txt", "/static/"));
        assertEquals("sub/b c.txt", StaticPath.relative("/static/sub//b%20c.txt", "/static/"));
        assertEquals("é.txt", StaticPath.relative("/static/%C3%A9.txt", "/static/"));
        assertEquals("", StaticPath.relative("/static/", "/static/"));
        assertEquals("", StaticPath.relative("/static", "/static/"));
        assertEquals("x", StaticPath.relative("/x", "/"));
        for (String refused : new String[] {"/static/../secret", "/static/a/../../secret", "/static/%2e%2e/secret",
                "/static/%2E%2E/secret", "/static/.%2e/secret", "/static/a%2f..%2f..%2fsecret", "/static/a%2Fb",
                "/static/..%5csecret", "/static/a\\b", "/static/a%00.txt", "/static/%0a", "/static/./a",
                "/static/%", "/static/%4", "/static/%zz", "/static/%C3", "/static/%FF", "/other/a.txt", "/staticx/a"}) {
            assertNull(StaticPath.relative(refused, "/static/"), refused);
        }
    }

    @Test
    void rangesResolveAgainstTheSize() {
        long size = 1000;
        assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-9", size));
        assertEquals(new ByteRange(990, 999), ByteRange.parse("bytes=-10", size));
        assertEquals(new ByteRange(0, 999), ByteRange.parse("bytes=-5000", size), "a suffix longer than the file is all of it");
        assertEquals(new ByteRange(500, 999), ByteRange.parse("bytes=500-", size));
        assertEquals(new ByteRange(500, 999), ByteRange.parse("bytes=500-99999999999999999999999", size), "clamped to the end");
        assertEquals(new ByteRange(999, 999), ByteRange.parse("Bytes = 999-999 ,", size), "unit case, spaces, empty list element");
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-", size));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-2000", size));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", size));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-1", 0), "nothing of an empty file");
        for (String whole : new String[] {"bytes=5-2", "bytes=0-1,5-6", "bytes=-", "bytes=a-b", "bytes=1-2x", "items=0-1",
                "bytes", "bytes=", "bytes=,", "bytes=--1", "bytes=1--2"}) {
            assertEquals(ByteRange.WHOLE, ByteRange.parse(whole, size), whole);
        }
    }

    @Test
    void acceptEncodingOrdersTheSiblings() {
        int br = ContentCodings.BR;
        int gz = ContentCodings.GZIP;
        int id = ContentCodings.IDENTITY;
        assertArrayEquals(new int[] {id}, ContentCodings.order(null), "no field: identity");
        assertArrayEquals(new int[] {id}, ContentCodings.order(""), "an empty field: identity only");
        assertArrayEquals(new int[] {br, gz, id}, ContentCodings.order("gzip, br"), "ties go to br");
        assertArrayEquals(new int[] {gz, br, id}, ContentCodings.order("gzip, br;q=0.5"));
        assertArrayEquals(new int[] {gz, id}, ContentCodings.order("br;q=0, gzip"));
        assertArrayEquals(new int[] {br, gz, id}, ContentCodings.order("*"));
        assertArrayEquals(new int[] {id}, ContentCodings.order("*;q=0, identity"));
        assertArrayEquals(new int[] {gz, id}, ContentCodings.order("identity;q=0, gzip;q=0.1"), "identity refused is still the last resort");
        assertArrayEquals(new int[] {id}, ContentCodings.order("gzip;q=0, br;Q=0.000"));
        assertArrayEquals(new int[] {gz, id}, ContentCodings.order("x-gzip"));
        assertArrayEquals(new int[] {id, br}, ContentCodings.order("br;q=0.5, identity;q=1, gzip;q=0"));
        assertArrayEquals(new int[] {gz, id}, ContentCodings.order("br;q=2, gzip"), "a malformed q refuses its coding");
        assertArrayEquals(new int[] {br, id}, ContentCodings.order("compress, deflate, br;q=1.0"));
    }

    @Test
    void validatorsCompareAsRfc9110Says() {
        FileStat stat = new FileStat(1234, 1_700_000_000L, 5, 42, 0, 0100644);
        String etag = Validators.etag(stat);
        assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 2, etag);
        assertFalse(etag.equals(Validators.etag(new FileStat(1234, 1_700_000_000L, 6, 42, 0, 0100644))), "nanoseconds count");
        assertFalse(etag.equals(Validators.etag(new FileStat(1234, 1_700_000_000L, 5, 43, 0, 0100644))), "another inode");

        assertTrue(Validators.noneMatchHits(etag, etag));
        assertTrue(Validators.noneMatchHits("W/" + etag, etag), "weak comparison");
        assertTrue(Validators.noneMatchHits("\"a\", \"b,c\" ,W/" + etag, etag), "a list, a comma inside a tag");
        assertTrue(Validators.noneMatchHits(" * ", etag));
        assertFalse(Validators.noneMatchHits("\"a\", \"b\"", etag));
        assertFalse(Validators.noneMatchHits(etag.substring(1), etag), "malformed");
        assertFalse(Validators.noneMatchHits("\"x" + etag.substring(1), etag));

        String lastModified = Validators.httpDate(1_700_000_000L);
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", lastModified);
        assertEquals(1_700_000_000L, Validators.parseHttpDate(lastModified));
        assertEquals(1_700_000_000L, Validators.parseHttpDate("Tuesday, 14-Nov-23 22:13:20 GMT"), "RFC 850");
        assertEquals(1_700_000_000L, Validators.parseHttpDate("Tue Nov 14 22:13:20 2023"), "asctime");
        assertEquals(Long.MIN_VALUE, Validators.parseHttpDate("yesterday"));
        assertTrue(Validators.notModifiedSince(lastModified, 1_700_000_000L));
        assertTrue(Validators.notModifiedSince(Validators.httpDate(1_800_000_000L), 1_700_000_000L));
        assertFalse(Validators.notModifiedSince(Validators.httpDate(1_600_000_000L), 1_700_000_000L));
        assertFalse(Validators.notModifiedSince("garbage", 1_700_000_000L), "an invalid date is ignored");

        assertTrue(Validators.ifRangeHolds(etag, etag, 1_700_000_000L));
        assertFalse(Validators.ifRangeHolds("W/" + etag, etag, 1_700_000_000L), "strong comparison");
        assertFalse(Validators.ifRangeHolds("\"other\"", etag, 1_700_000_000L));
        assertTrue(Validators.ifRangeHolds(lastModified, etag, 1_700_000_000L));
        assertFalse(Validators.ifRangeHolds(Validators.httpDate(1_700_000_001L), etag, 1_700_000_000L));
    }

    @Test
    void mediaTypesByExtension() {
        MediaTypes types = MediaTypes.of(java.util.Map.of("foo", "application/x-foo"));
        assertEquals("text/html; charset=utf-8", types.typeOf("dir/index.HTML"));
        assertEquals("text/javascript; charset=utf-8", types.typeOf("app.min.js"));
        assertEquals("application/x-foo", types.typeOf("a.foo"));
        assertEquals(MediaTypes.DEFAULT, types.typeOf("README"));
        assertEquals(MediaTypes.DEFAULT, types.typeOf("v1.2/README"));
    }
}
