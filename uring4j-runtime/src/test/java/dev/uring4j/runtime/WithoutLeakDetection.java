package dev.uring4j.runtime;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For the tests that count the bytes allocated per operation: leak detection records a stack
 * trace for each acquisition, which is exactly what those tests must not see. Loops started by
 * the class's tests run without it (the property is read as each loop starts).
 */
public final class WithoutLeakDetection implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(WithoutLeakDetection.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        String before = System.getProperty(LeakDetection.PROPERTY);
        context.getStore(NS).put("before", before == null ? "" : before);
        System.setProperty(LeakDetection.PROPERTY, "false");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String before = context.getStore(NS).get("before", String.class);
        if (before == null || before.isEmpty()) {
            System.clearProperty(LeakDetection.PROPERTY);
        } else {
            System.setProperty(LeakDetection.PROPERTY, before);
        }
    }
}
