package dev.uring4j.http.websocket;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DynamicTest;

/**
 * Runs the {@link Cases} against one endpoint under test: the raw peer sends each case's frames,
 * reads the frames the RFC requires back, then the close: a clean one it starts itself, or the
 * endpoint's failure with the case's code. It checks the close code on the wire and the one the
 * endpoint's handler reports, and that the endpoint ends the connection afterwards.
 */
final class ConformanceRunner {
    /** Opens a connection to (or from) the endpoint under test, handshake done. */
    interface Endpoint {
        Session open() throws Exception;
    }

    /** One connection: the raw peer, and the close code the endpoint's handler reports for it. */
    record Session(RawPeer peer, CompletableFuture<Integer> endpointClose, boolean endpointIsServer) {
    }

    private ConformanceRunner() {
    }

    static Stream<DynamicTest> tests(Endpoint endpoint) {
        return Cases.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(endpoint, c)));
    }

    static void run(Endpoint endpoint, Cases.Case c) throws Exception {
        Session s = endpoint.open();
        try (RawPeer peer = s.peer()) {
            boolean sentClose = false;
            try {
                for (Cases.Step step : c.steps()) {
                    byte[] wire = RawPeer.encode(step.fin(), step.rsv(), step.opcode(), step.payload(), s.endpointIsServer(),
                            step.declaredLength());
                    if (step.chunk() > 0) {
                        peer.send(wire, step.chunk());
                    } else {
                        peer.send(wire);
                    }
                    sentClose |= step.opcode() == Cases.CLOSE;
                }
            } catch (java.io.IOException e) {
                // The endpoint may fail the connection before the case has sent everything.
            }
            for (Cases.Expect e : c.expected()) {
                RawPeer.Frame f = peer.read();
                assertEquals(e.opcode(), f.opcode(), "opcode of the frame expected back");
                assertTrue(f.fin(), "the frame expected back ends its message");
                assertEquals(0, f.rsv(), "no reserved bits without an extension");
                assertArrayEquals(e.payload(), f.payload(), "payload of the frame expected back");
            }
            int code = c.closeCode();
            if (code == 1000 || code == 1005 || code < 0) {
                int sent = code < 0 ? -code : code;
                if (!sentClose) {
                    if (code == 1005) {
                        peer.sendFrame(true, Cases.CLOSE, new byte[0]);
                    } else {
                        peer.sendClose(sent);
                    }
                }
                RawPeer.Frame f = peer.read();
                assertEquals(Cases.CLOSE, f.opcode(), "a close frame answers the close");
                if (code == 1005) {
                    assertEquals(0, f.payload().length, "an empty close is answered with an empty close");
                } else {
                    assertEquals(sent, f.closeCode(), "the close answer echoes the code");
                }
                if (s.endpointIsServer()) {
                    assertTrue(peer.readsEof(), "the server ends the connection after the close handshake");
                }
                peer.close(); // a client endpoint waits for the server to end the connection first
                assertEquals(sent, s.endpointClose().get(10, TimeUnit.SECONDS), "the code the endpoint's handler reports");
            } else {
                RawPeer.Frame f = peer.read();
                assertEquals(Cases.CLOSE, f.opcode(), "the endpoint fails the connection with a close frame, not "
                        + f.opcode() + " " + Arrays.toString(Arrays.copyOf(f.payload(), Math.min(16, f.payload().length))));
                assertEquals(code, f.closeCode(), "the close code the RFC requires");
                assertTrue(peer.readsEof(), "the endpoint ends the connection after failing it");
                peer.close();
                assertEquals(code, s.endpointClose().get(10, TimeUnit.SECONDS), "the code the endpoint's handler reports");
            }
        }
    }
}
