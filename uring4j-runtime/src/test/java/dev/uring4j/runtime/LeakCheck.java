package dev.uring4j.runtime;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test of the suite runs with leak detection on (the surefire configuration sets
 * {@code -During4j.leakDetection=true}): after each test, a loop that closed without giving back
 * a native block, a provided buffer, a descriptor or an operation in flight fails it, with the
 * stack where the resource was acquired. A loop closed after its test ended (left open, then
 * closed by a later one) reports to the next check instead, which says so.
 */
public final class LeakCheck implements AfterEachCallback, AfterAllCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        check("in " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check("after the tests of " + context.getDisplayName());
    }

    private static void check(String when) {
        List<String> leaks = LeakDetection.takeReported();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " leak(s) reported " + when + " (or by a loop of an earlier test "
                    + "closed since):\n" + String.join("\n", leaks));
        }
    }
}
