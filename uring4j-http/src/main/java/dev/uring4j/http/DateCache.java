package dev.uring4j.http;

/**
 * The {@code Date: <IMF-fixdate>\r\n} header line (RFC 9110 section 6.6.1), rendered at most once
 * per second of the clock it is asked with and shared by every connection of a server.
 *
 * <p><b>Threads.</b> Any thread may ask. The current line is an immutable snapshot behind a volatile
 * reference: a reader sees either the old second's line or the new one, never a half-written one.
 * Rendering allocates one small array per second, never per response.
 */
final class DateCache {
    /** {@code "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"}. */
    static final int LINE_LENGTH = 37;

    private static final byte[] DAYS = Ascii.bytes("ThuFriSatSunMonTueWed");
    private static final byte[] MONTHS = Ascii.bytes("JanFebMarAprMayJunJulAugSepOctNovDec");

    private record Snapshot(long epochSecond, byte[] line) {
    }

    private volatile Snapshot current = new Snapshot(Long.MIN_VALUE, new byte[0]);

    /** The header line for the second containing {@code epochMillis}. */
    byte[] line(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        Snapshot snapshot = current;
        if (snapshot.epochSecond != second) {
            snapshot = new Snapshot(second, render(second));
            current = snapshot;
        }
        return snapshot.line;
    }

    static byte[] render(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = Math.floorMod(epochSecond, 86_400);
        int weekday = Math.floorMod(days, 7); // day 0, 1970-01-01, was a Thursday

        // Civil date from days since the epoch (Howard Hinnant's days_from_civil, inverted).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153; // March = 0
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        byte[] line = new byte[LINE_LENGTH];
        int i = 0;
        for (byte b : Ascii.bytes("Date: ")) {
            line[i++] = b;
        }
        System.arraycopy(DAYS, weekday * 3, line, i, 3);
        i += 3;
        line[i++] = ',';
        line[i++] = ' ';
        i = twoDigits(line, i, day);
        line[i++] = ' ';
        System.arraycopy(MONTHS, (month - 1) * 3, line, i, 3);
        i += 3;
        line[i++] = ' ';
        i = twoDigits(line, i, (int) (year / 100 % 100));
        i = twoDigits(line, i, (int) (year % 100));
        line[i++] = ' ';
        i = twoDigits(line, i, secondOfDay / 3600);
        line[i++] = ':';
        i = twoDigits(line, i, secondOfDay / 60 % 60);
        line[i++] = ':';
        i = twoDigits(line, i, secondOfDay % 60);
        for (byte b : Ascii.bytes(" GMT\r\n")) {
            line[i++] = b;
        }
        return line;
    }

    private static int twoDigits(byte[] line, int at, int value) {
        line[at] = (byte) ('0' + value / 10);
        line[at + 1] = (byte) ('0' + value % 10);
        return at + 2;
    }
}
