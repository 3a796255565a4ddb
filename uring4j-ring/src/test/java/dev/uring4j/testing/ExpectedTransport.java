package dev.uring4j.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test of the default transport only where it runs on the transport its execution tests.
 *
 * <p>The runtime's and the HTTP server's default executions test the io_uring transport: their
 * poms set {@code -During4j.test.transport=io_uring} (their second executions, {@code nio}).
 * Where io_uring is blocked (a seccomp filter, {@code kernel.io_uring_disabled}) or the kernel
 * lacks what the transport requires, a server built with the defaults falls back to NIO, and the
 * default execution would pass while testing NIO a second time. Its tests are skipped instead,
 * each saying why, and the build log says it once; under {@code CI=true}, where io_uring is
 * expected, they fail, so a CI host that lost io_uring does not go unnoticed. Tests tagged
 * {@code transport-independent} or {@code transport-selection} run whatever the transport.
 *
 * <p>Each module says how to ask its API what the default transport is here.
 */
public abstract class ExpectedTransport implements ExecutionCondition {
    /** The system property naming the transport the execution tests; unset: whichever the host gives. */
    public static final String PROPERTY = "uring4j.test.transport";
    private static final Set<String> ANY_TRANSPORT = Set.of("transport-independent", "transport-selection");
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /**
     * What a server built with the defaults runs on in this JVM.
     *
     * @return the transport as {@code -During4j.transport} spells it ({@code io_uring},
     *         {@code nio}) and why it is that one, naming the cause
     */
    protected abstract String[] defaultTransportAndWhy() throws Exception;

    @Override
    public final ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String expected = System.getProperty(PROPERTY, "").trim();
        if (context.getTestMethod().isEmpty() || expected.isEmpty()
                || context.getTags().stream().anyMatch(ANY_TRANSPORT::contains)) {
            return ConditionEvaluationResult.enabled("runs on any transport");
        }
        String[] actual;
        try {
            actual = defaultTransportAndWhy();
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell which transport this host gives", e);
        }
        if (expected.equals(actual[0])) {
            return ConditionEvaluationResult.enabled("this execution tests the " + expected + " transport");
        }
        String message = "this execution tests the " + expected + " transport, but a server here runs on "
                + actual[0] + " (" + actual[1] + ")";
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String outcome = ci ? "CI=true, where the " + expected + " suite must run: its tests fail (-D" + PROPERTY
                + "= runs them on whatever the host gives)" : "its tests are skipped (with CI=true they fail)";
        if (TOLD.compareAndSet(false, true)) {
            // Once per test JVM, in the build log (the process's own stderr), not only in the reports.
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
                    .println("uring4j tests: " + message + "; " + outcome);
        }
        if (ci) {
            throw new IllegalStateException(message + "; " + outcome);
        }
        return ConditionEvaluationResult.disabled(message + "; skipped (with CI=true this fails)");
    }
}
