package dev.uring4j.runtime;

import java.time.Duration;

/**
 * Checks of the values builders are given: a value out of range is refused where it is set,
 * before anything starts, by an {@link IllegalArgumentException} that names the setting and the
 * range it takes.
 */
final class Settings {
    private Settings() {}

    /** {@code value} if it is in {@code [min, max]}. */
    static int inRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} if it is in {@code [min, max]}. */
    static long inRange(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} if it is a power of two in {@code [1, max]}. */
    static int powerOfTwo(String setting, int value, int max) {
        if (value < 1 || value > max || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException(setting + " must be a power of two in 1.." + max + ", was " + value);
        }
        return value;
    }

    /** {@code value} if it is {@code null} (none) or positive. */
    static Duration positiveOrNone(String setting, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(setting + " must be positive (or null for none), was " + value);
        }
        return value;
    }
}
