package dev.uring4j.http;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.uring4j.runtime.FileStat;

/**
 * A file's validators and the conditional request fields that test them (RFC 9110 section 13):
 * the strong {@code ETag} made of size, modification time and inode, so that any change of the
 * file (or its replacement by another) changes it; {@code Last-Modified}; {@code If-None-Match}
 * with its list and weak comparison; {@code If-Modified-Since}; {@code If-Range}. Stateless.
 */
final class Validators {
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(java.time.ZoneOffset.UTC);

    private Validators() {}

    /** The strong entity tag of {@code stat}, quoted: {@code "size-mtime-inode"} in hex. */
    static String etag(FileStat stat) {
        long mtimeNanos = stat.modifiedSeconds() * 1_000_000_000L + stat.modifiedNanos();
        return '"' + Long.toHexString(stat.size()) + '-' + Long.toHexString(mtimeNanos) + '-' + Long.toHexString(stat.inode()) + '"';
    }

    /** {@code Last-Modified}'s value, an IMF-fixdate. */
    static String httpDate(long epochSecond) {
        byte[] line = DateCache.render(epochSecond); // "Date: <IMF-fixdate>\r\n"
        return new String(line, 6, line.length - 8, StandardCharsets.US_ASCII);
    }

    /**
     * Parses an HTTP-date in any of the three forms a recipient must accept (RFC 9110 section
     * 5.6.7), or returns {@link Long#MIN_VALUE} when it is none of them: such a field is ignored.
     */
    static long parseHttpDate(String value) {
        String v = value.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME}) {
            try {
                return ZonedDateTime.parse(v, f).toEpochSecond();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * Whether {@code If-None-Match} (all its field lines joined by commas) matches {@code etag}:
     * {@code *}, or any listed tag equal to it by weak comparison (the {@code W/} prefix ignored).
     * A malformed list matches nothing from the malformed element on.
     */
    static boolean noneMatchHits(String ifNoneMatch, String etag) {
        String s = ifNoneMatch.trim();
        if (s.equals("*")) {
            return true;
        }
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (s.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || s.charAt(i) != '"') {
                return false;
            }
            int close = s.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (s.regionMatches(i, etag, 0, etag.length()) && close + 1 - i == etag.length()) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /** Whether {@code If-Modified-Since} says the client's copy is current: not modified since. */
    static boolean notModifiedSince(String ifModifiedSince, long modifiedSecond) {
        long since = parseHttpDate(ifModifiedSince);
        return since != Long.MIN_VALUE && modifiedSecond <= since;
    }

    /**
     * Whether {@code If-Range} lets a {@code Range} apply: an entity tag that equals {@code etag} by
     * strong comparison (a weak tag never does), or a date equal to the last modification.
     */
    static boolean ifRangeHolds(String ifRange, String etag, long modifiedSecond) {
        String v = ifRange.trim();
        if (v.startsWith("W/")) {
            return false;
        }
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        return parseHttpDate(v) == modifiedSecond;
    }
}
