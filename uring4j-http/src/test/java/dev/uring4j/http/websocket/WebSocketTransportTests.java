package dev.uring4j.http.websocket;

import dev.uring4j.runtime.Transport;
import dev.uring4j.runtime.TransportSelection;
import dev.uring4j.testing.ExpectedTransport;

/** The WebSocket suites serve over real sockets: each runs only on the transport its execution tests ({@link ExpectedTransport}). */
final class WebSocketTransportTests extends ExpectedTransport {
    @Override
    protected String[] defaultTransportAndWhy() throws Exception {
        TransportSelection selection = TransportSelection.resolve(Transport.AUTO);
        return new String[] {selection.transport().toString(), selection.reason()};
    }
}
