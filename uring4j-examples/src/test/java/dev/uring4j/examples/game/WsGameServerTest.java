package dev.uring4j.examples.game;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The WebSocket game tick against real players: each receives the broadcast state frame of (nearly)
 * every tick, stamped so that its lateness can be measured.
 */
class WsGameServerTest {

    @Test
    void everyPlayerReceivesTheTickBroadcast() throws Exception {
        int players = 200;
        int seconds = 2;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (WsGameServer server = WsGameServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 60, 1,
                new PrintStream(log, true))) {
            URI uri = URI.create("ws://127.0.0.1:" + server.localAddress().getPort() + "/game");
            long[] result = WsGameClients.run(uri, players, 1, seconds, new PrintStream(log, true));
            System.out.print(log);
            long expected = (long) players * 60 * seconds;
            // A shared two-core machine may stall a tick or a player for a while: half is a floor
            // far from what a broken broadcast (nothing, or one player's share) would give.
            assertTrue(result[0] > expected / 2, result[0] + " state frames, " + expected + " ticks' worth expected");
            assertTrue(result[3] > 0, "delivery lateness was measured");
        }
    }
}
