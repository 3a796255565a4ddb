package dev.uring4j.examples.game;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.runtime.DatagramHandler;
import dev.uring4j.runtime.EventLoopGroup;
import dev.uring4j.runtime.LoopOptions;
import dev.uring4j.runtime.UdpEndpoint;

/**
 * The game server against real clients: joining sends the baseline in chunks, every tick sends
 * each client a snapshot acknowledging its latest input, with the state moved by that input and
 * its neighbours, and the report line appears.
 */
class GameServerTest {

    /** What a test client keeps of each datagram: its type and its bytes. */
    record Received(byte type, byte[] data) {
        int i32(int at) {
            return MemorySegment.ofArray(data).get(GameProtocol.INT, at);
        }

        long i64(int at) {
            return MemorySegment.ofArray(data).get(GameProtocol.LONG, at);
        }
    }

    @Test
    void clientsJoinGetTheWorldAndEveryTickASnapshotOfTheirInput() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int n = 120;
        try (GameServer server = GameServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 60,
                LoopOptions.defaults(), new PrintStream(log, true));
             EventLoopGroup clients = EventLoopGroup.create(1)) {
            List<UdpEndpoint> endpoints = new ArrayList<>();
            List<ConcurrentLinkedQueue<Received>> inboxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ConcurrentLinkedQueue<Received> inbox = new ConcurrentLinkedQueue<>();
                inboxes.add(inbox);
                DatagramHandler h = (s, d, sender) -> inbox.add(new Received(d.get(0), d.toByteArray()));
                endpoints.add(UdpEndpoint.builder().group(clients).connect(server.localAddress()).handler(h).start());
            }
            // Each joins, one after the other: client i sees a world of i + 1 players.
            MemorySegment input = MemorySegment.ofArray(new byte[GameProtocol.INPUT_SIZE]);
            for (int i = 0; i < n; i++) {
                GameProtocol.writeInput(input, 1, 1000 + i, 0, 0);
                endpoints.get(i).socket().send(input, 0, GameProtocol.INPUT_SIZE);
                int expectedChunks = (i + 1 + GameProtocol.BASELINE_ENTITIES - 1) / GameProtocol.BASELINE_ENTITIES;
                ConcurrentLinkedQueue<Received> inbox = inboxes.get(i);
                await(() -> inbox.stream().filter(r -> r.type() == GameProtocol.BASELINE).count() == expectedChunks,
                        "client " + i + "'s baseline of " + expectedChunks + " chunk(s)");
                int entities = inbox.stream().filter(r -> r.type() == GameProtocol.BASELINE).mapToInt(r -> r.i32(12)).sum();
                assertEquals(i + 1, entities, "the baseline holds every player, client " + i + " included");
            }
            // Client 0 moves right at full speed; its snapshots acknowledge the input and move it.
            GameProtocol.writeInput(input, 7, 123_456_789L, 1000, 0);
            endpoints.get(0).socket().send(input, 0, GameProtocol.INPUT_SIZE);
            ConcurrentLinkedQueue<Received> inbox0 = inboxes.get(0);
            await(() -> inbox0.stream().anyMatch(r -> r.type() == GameProtocol.SNAPSHOT && r.i32(8) == 7),
                    "a snapshot acknowledging input 7");
            Received first = inbox0.stream().filter(r -> r.type() == GameProtocol.SNAPSHOT && r.i32(8) == 7)
                    .findFirst().orElseThrow();
            assertEquals(123_456_789L, first.i64(16), "the snapshot echoes the input's client time");
            assertEquals(16, first.i32(12), "16 neighbours out of " + n + " players");
            assertEquals(GameProtocol.SNAPSHOT_HEADER + 16 * GameProtocol.ENTITY, first.data().length);
            int tick = first.i32(4);
            int x = first.i32(24);
            await(() -> inbox0.stream().anyMatch(r -> r.type() == GameProtocol.SNAPSHOT && r.i32(4) == tick + 3),
                    "three more ticks");
            Received later = inbox0.stream().filter(r -> r.type() == GameProtocol.SNAPSHOT && r.i32(4) == tick + 3)
                    .findFirst().orElseThrow();
            assertEquals((x + 3 * (1000 / 16)) & ((1 << 20) - 1), later.i32(24), "moved right by its input each tick");
            // Every client gets the ticks too.
            for (int i = 0; i < n; i++) {
                ConcurrentLinkedQueue<Received> inbox = inboxes.get(i);
                await(() -> inbox.stream().anyMatch(r -> r.type() == GameProtocol.SNAPSHOT && r.i32(8) == 1),
                        "client's snapshots");
            }
            await(() -> log.toString().contains("tick lateness"), "the 5-second report");
            assertTrue(log.toString().contains("clients " + n), log.toString());
            assertEquals(0, server.stats().sendRefused(), server.stats().toString());
            assertTrue(server.stats().gsoSends() > 0, "baselines of several chunks went out as GSO runs: " + server.stats());
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
