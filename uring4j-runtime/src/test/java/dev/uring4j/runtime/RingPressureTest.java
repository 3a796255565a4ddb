package dev.uring4j.runtime;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * At the runtime level: a loop on rings far too small for its work. A full SQ
 * is submitted and refilled, an overflowing CQ is flushed, messages into a full CQ arrive: nothing
 * is lost, every completion is handled once.
 */
@Tag("io_uring")
class RingPressureTest {

    @BeforeEach
    void needsIoUring() {
        Transports.assumeIoUring("rings too small for their work");
    }

    @Test
    void tinySqAndCqServeTwoHundredConnectionsWithoutLosingACompletion() throws Exception {
        LoopOptions tiny = LoopOptions.builder().uring(UringOptions.builder().sqEntries(8).cqEntries(16).build()).build();
        int n = 200;
        try (TcpServer server = TcpServer.builder().options(tiny).backlog(n).handler(EchoHandler::new).start()) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sockets.add(Net.connect(server.localAddress()));
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < n; i++) {
                    Net.write(sockets.get(i), Net.pattern(700, i * 31 + round));
                }
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(Net.pattern(700, i * 31 + round), Net.read(sockets.get(i), 700));
                }
            }
            LoopStats stats = server.group().stats();
            assertTrue(stats.cqOverflows() > 0, "the 16-entry CQ overflowed and was flushed: " + stats);
            assertEquals(0, stats.droppedCompletions());
            sockets.forEach(Net::closeQuietly);
        }
    }

    @Test
    void connectionsHandedToLoopsWithFullCqsAllArrive() throws Exception {
        // Two loops with 4-entry CQs; the acceptor's msg_ring fd passing posts into the other's CQ
        // faster than it is reaped, so those CQEs go through the kernel's overflow list.
        LoopOptions tiny = LoopOptions.builder().uring(UringOptions.builder().sqEntries(4).cqEntries(4).build()).build();
        int n = 64;
        try (TcpServer server = TcpServer.builder().options(tiny).threads(2).backlog(n)
                .acceptMode(AcceptMode.ACCEPTOR).handler(EchoHandler::new).start()) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sockets.add(Net.connect(server.localAddress()));
            }
            for (int i = 0; i < n; i++) {
                Net.write(sockets.get(i), Net.pattern(100, i));
            }
            for (int i = 0; i < n; i++) {
                assertArrayEquals(Net.pattern(100, i), Net.read(sockets.get(i), 100), "connection " + i);
            }
            assertEquals(n / 2, server.group().loops().get(1).stats().openConnections(), "half were handed over");
            sockets.forEach(Net::closeQuietly);
        }
    }
}
