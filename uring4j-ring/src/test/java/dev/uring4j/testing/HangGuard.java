package dev.uring4j.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;

/**
 * Ends the test JVM when a test goes on after its timeout. JUnit's timeout
 * ({@code junit.jupiter.execution.timeout.default} in each module's junit-platform.properties)
 * interrupts the method and waits for it to return; most waits end there, but not all: a native
 * call ({@code io_uring_enter} waiting for a completion that never comes),
 * {@code CompletableFuture.join} (how closing a group waits for its loops), a busy loop. Such a
 * test would hold the run until CI gives up, and surefire's fork timeout does not end it either
 * (its kill command reaches the fork as a request for a thread dump).
 *
 * <p>So when JUnit's timeout interrupts a thread, this waits {@link #GRACE_SECONDS} for the
 * interrupted method to return, which any later callback of the test's lifecycle shows. If none
 * comes, it prints why and every thread's stack to the process's stderr and halts the JVM:
 * surefire reports the fork as crashed, naming the test class. Registered for every test through
 * {@code META-INF/services} (each module's junit-platform.properties enables that).
 */
public final class HangGuard implements PreInterruptCallback, AfterTestExecutionCallback, AfterEachCallback,
        AfterAllCallback {
    /** How long an interrupted method may take to return; closing a group drains output for up to 5 s. */
    static final long GRACE_SECONDS = 30;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "uring4j-hang-guard");
        t.setDaemon(true);
        return t;
    });
    /** What was interrupted last and has not returned yet, or {@code null}. */
    private static final AtomicReference<String> INTERRUPTED = new AtomicReference<>();

    @Override
    public void beforeThreadInterrupt(PreInterruptContext pre, ExtensionContext context) {
        String what = context.getDisplayName() + " (" + context.getUniqueId() + ") on thread "
                + pre.getThreadToInterrupt().getName();
        INTERRUPTED.set(what);
        TIMER.schedule(() -> {
            if (INTERRUPTED.get() == what) {
                halt(what);
            }
        }, GRACE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        INTERRUPTED.set(null);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        INTERRUPTED.set(null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        INTERRUPTED.set(null);
    }

    private static void halt(String what) {
        // The process's own stderr: surefire shows it in the build log; what goes through System.err
        // in the fork is encoded for surefire and may not be sent before the halt.
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println("uring4j tests: " + what + " timed out and did not return within " + GRACE_SECONDS
                + " s of being interrupted (it waits for something an interrupt does not end: a native call, "
                + "CompletableFuture.join, a busy loop); halting the test JVM. Its threads:");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            err.println("\"" + t.getName() + "\"" + (t.isDaemon() ? " daemon" : "") + " " + t.getState());
            for (StackTraceElement frame : e.getValue()) {
                err.println("    at " + frame);
            }
        }
        err.flush();
        Runtime.getRuntime().halt(1);
    }
}
