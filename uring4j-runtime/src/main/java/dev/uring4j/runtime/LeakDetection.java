package dev.uring4j.runtime;

import java.util.List;

import dev.uring4j.runtime.internal.Leaks;

/**
 * Leak detection: with {@code -During4j.leakDetection=true}, every loop records each native block,
 * provided buffer, descriptor and io_uring operation it acquires, with the stack where it did, and
 * when it has freed its resources reports each one not given back, and each given back twice.
 * Unlike a sampling detector this is exact, since every acquisition is the runtime's own; it costs
 * a stack trace per acquisition, so it is for tests and investigations, not production.
 *
 * <p>Each problem is logged at {@code ERROR} on the {@code dev.uring4j.runtime} logger and kept
 * for {@link #takeReported()}, which a test harness reads after each test (the runtime's own test
 * suite fails a test whose loops leaked). The property is read as each loop starts.
 */
public final class LeakDetection {
    /** The system property that turns leak detection on: {@code uring4j.leakDetection=true}. */
    public static final String PROPERTY = "uring4j.leakDetection";

    private LeakDetection() {}

    /**
     * Whether loops started now record what they hold.
     *
     * @return {@code true} when {@code -During4j.leakDetection=true}
     */
    public static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * The problems reported since the last call, and forgets them.
     *
     * @return each leak or double release, naming the loop, the resource and the stack where it
     *         was acquired (or released); empty when there were none
     */
    public static List<String> takeReported() {
        return Leaks.takeReported();
    }
}
