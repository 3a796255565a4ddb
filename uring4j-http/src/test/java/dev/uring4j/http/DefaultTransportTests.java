package dev.uring4j.http;

import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.TransportSelection;
import dev.uring4j.testing.ExpectedTransport;

/**
 * A test class that serves over real sockets runs only on the transport its execution tests
 * ({@link ExpectedTransport}); the engine's tests on the in-memory transport do not need it.
 */
final class DefaultTransportTests extends ExpectedTransport {
    @Override
    protected String[] defaultTransportAndWhy() throws Exception {
        TransportSelection selection = TransportSelection.resolve(Transport.AUTO);
        return new String[] {selection.transport().toString(), selection.reason()};
    }
}
