package dev.uring4j.bench.peers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header's value for the HTTP peers, formatted at most once a second. */
final class HttpDate {
    /** RFC 9110's IMF-fixdate: a two-digit day, as uring4j writes it (RFC_1123_DATE_TIME drops the zero). */
    static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private record Stamp(long second, byte[] value) {}

    private static volatile Stamp stamp = new Stamp(-1, new byte[0]);

    private HttpDate() {}

    /** The current date as US-ASCII bytes; callers must not change the array. */
    static byte[] current() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = stamp;
        if (s.second != second) {
            s = new Stamp(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)).getBytes(StandardCharsets.US_ASCII));
            stamp = s;
        }
        return s.value;
    }
}
