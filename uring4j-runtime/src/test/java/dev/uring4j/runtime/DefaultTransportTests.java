package dev.uring4j.runtime;

import dev.uring4j.testing.ExpectedTransport;

/**
 * Every runtime test of the default transport runs only on the transport its execution tests
 * ({@link ExpectedTransport}). Registered for every test class through {@code META-INF/services}.
 */
public final class DefaultTransportTests extends ExpectedTransport {
    @Override
    protected String[] defaultTransportAndWhy() throws Exception {
        TransportSelection selection = TransportSelection.resolve(Transport.AUTO);
        return new String[] {selection.transport().toString(), selection.reason()};
    }
}
