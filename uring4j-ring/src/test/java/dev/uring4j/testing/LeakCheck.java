package dev.uring4j.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test whose event loops leaked. The modules that serve over real loops run their tests
 * with {@code -During4j.leakDetection=true} (their surefire configuration): after each test, a
 * loop that closed without giving back a native block, a provided buffer, a descriptor or an
 * operation in flight fails it, with the stack where the resource was acquired. A loop closed
 * after its test ended (left open, then closed by a later one) reports to the next check instead,
 * which says so. Registered for every module's tests; where the runtime is not on the class path
 * (the binding's own tests) it does nothing.
 */
public final class LeakCheck implements AfterEachCallback, AfterAllCallback {
    /** {@code dev.uring4j.runtime.LeakDetection.takeReported()}, or {@code null} without the runtime. */
    private static final MethodHandle TAKE_REPORTED = takeReported();

    @Override
    public void afterEach(ExtensionContext context) {
        check("in " + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check("after the tests of " + context.getDisplayName());
    }

    private static void check(String when) {
        if (TAKE_REPORTED == null) {
            return;
        }
        List<String> leaks;
        try {
            @SuppressWarnings("unchecked")
            List<String> reported = (List<String>) TAKE_REPORTED.invoke();
            leaks = reported;
        } catch (Throwable t) {
            throw new AssertionError("reading the runtime's leak reports failed", t);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " leak(s) reported " + when + " (or by a loop of an earlier test "
                    + "closed since):\n" + String.join("\n", leaks));
        }
    }

    private static MethodHandle takeReported() {
        try {
            Class<?> c = Class.forName("dev.uring4j.runtime.LeakDetection");
            return MethodHandles.publicLookup().findStatic(c, "takeReported", MethodType.methodType(List.class));
        } catch (ClassNotFoundException absent) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
