package dev.uring4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Date line: IMF-fixdate as java.time formats it, rendered once per second. */
class DateCacheTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void rendersImfFixdateForAnySecondOfFourCenturies() {
        Random random = new Random(11);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2300-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = from + (long) (random.nextDouble() * (to - from));
            String expected = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n";
            assertEquals(expected, new String(DateCache.render(second), StandardCharsets.US_ASCII), "second " + second);
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2100-03-01T00:00:00Z", "1969-12-31T23:59:59Z"}) {
            long second = Instant.parse(edge).getEpochSecond();
            assertEquals("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n",
                    new String(DateCache.render(second), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theLineIsRenderedOncePerSecond() {
        DateCache cache = new DateCache();
        byte[] first = cache.line(1_700_000_000_000L);
        assertSame(first, cache.line(1_700_000_000_999L), "same second, same array");
        byte[] next = cache.line(1_700_000_001_000L);
        assertEquals("Date: Tue, 14 Nov 2023 22:13:21 GMT\r\n", new String(next, StandardCharsets.US_ASCII));
        assertSame(next, cache.line(1_700_000_001_500L));
    }
}
