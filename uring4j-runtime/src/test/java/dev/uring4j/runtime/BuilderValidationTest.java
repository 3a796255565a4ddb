package dev.uring4j.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A setting out of range is refused where it is set, before anything starts, by an
 * {@link IllegalArgumentException} that names the setting and the range it takes; a write's
 * offset and length are checked before anything is queued, on the loop's thread as on any other.
 */
class BuilderValidationTest {

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                bad("bufferSize", () -> LoopOptions.builder().bufferSize(0)),
                bad("bufferSize", () -> LoopOptions.builder().bufferSize(1 << 30)),
                bad("watermarks", () -> LoopOptions.builder().watermarks(-1, 10)),
                bad("watermarks", () -> LoopOptions.builder().watermarks(10, 5)),
                bad("maxPendingOutput", () -> LoopOptions.builder().maxPendingOutput(0)),
                bad("maxUnconsumedInput", () -> LoopOptions.builder().maxUnconsumedInput(-1)),
                // Kept input lives in one pooled block; a limit past the largest block could never be held.
                bad("maxUnconsumedInput", () -> LoopOptions.builder().maxUnconsumedInput(Integer.MAX_VALUE)),
                bad("sqEntries", () -> UringOptions.builder().sqEntries(0)),
                bad("sqEntries", () -> UringOptions.builder().sqEntries(65536)),
                bad("cqEntries", () -> UringOptions.builder().cqEntries(-4)),
                bad("cqEntries", () -> UringOptions.builder().sqEntries(4096).cqEntries(1024).build()),
                bad("buffersPerGroup", () -> UringOptions.builder().buffersPerGroup(0)),
                bad("buffersPerGroup", () -> UringOptions.builder().buffersPerGroup(48)),
                bad("buffersPerGroup", () -> UringOptions.builder().buffersPerGroup(65536)),
                bad("bufferGroups", () -> UringOptions.builder().bufferGroups(0)),
                bad("bufferGroups", () -> UringOptions.builder().bufferGroups(100_000)),
                bad("registeredFiles", () -> UringOptions.builder().registeredFiles(0)),
                bad("sendZcThreshold", () -> UringOptions.builder().sendZcThreshold(-1)),
                bad("threads", () -> TcpServer.builder().threads(0)),
                bad("sendBufferSize", () -> TcpServer.builder().sendBufferSize(-1)),
                bad("receiveBufferSize", () -> TcpClient.builder().receiveBufferSize(-1)),
                bad("idleTimeout", () -> TcpServer.builder().idleTimeout(Duration.ofSeconds(-1))),
                bad("idleTimeout", () -> TcpServer.builder().idleTimeout(Duration.ZERO)),
                bad("connectTimeout", () -> TcpClient.builder().connectTimeout(Duration.ofMillis(-5))),
                bad("backlog", () -> TcpServer.builder().backlog(0)),
                bad("backlog", () -> TcpServer.builder().backlog(1 << 20)),
                bad("maxConnections", () -> TcpServer.builder().maxConnections(0)),
                bad("maxDatagramSize", () -> UdpEndpoint.builder().maxDatagramSize(0)),
                bad("controlRoom", () -> UdpEndpoint.builder().controlRoom(-8)),
                bad("receiveBuffers", () -> UdpEndpoint.builder().receiveBuffers(3)),
                bad("receiveBuffers", () -> UdpEndpoint.builder().receiveBuffers(1 << 16)),
                bad("sendQueue", () -> UdpEndpoint.builder().sendQueue(1024, 0)),
                bad("sendQueue", () -> UdpEndpoint.builder().sendQueue(1000, 1 << 20)));
    }

    private static Arguments bad(String setting, Executable set) {
        return Arguments.of(setting, set);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void aSettingOutOfRangeIsRefusedNamingItAndItsRange(String setting, Executable set) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, set, setting);
        assertTrue(e.getMessage().startsWith(setting), "the message names the setting: " + e.getMessage());
        assertTrue(e.getMessage().contains("must be"), "the message says what is allowed: " + e.getMessage());
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        LoopOptions.builder().bufferSize(1 << 24).maxUnconsumedInput(1 << 24).watermarks(0, 0).maxPendingOutput(1).build();
        UringOptions.builder().sqEntries(32768).cqEntries(65536).buffersPerGroup(32768).bufferGroups(256)
                .registeredFiles(1 << 20).sendZcThreshold(1).build();
        TcpServer.builder().backlog(65535).maxConnections(1).idleTimeout(null);
        TcpClient.builder().connectTimeout(null);
        UdpEndpoint.builder().controlRoom(0).receiveBuffers(32768).sendQueue(32768, 1);
    }

    /**
     * On the loop's thread, during {@code onData}, writes with offsets or lengths outside their
     * source are refused by an {@link IndexOutOfBoundsException} and queue nothing: the valid write
     * after them is all the peer receives.
     */
    @Test
    void aWriteOutsideItsSourceIsRefusedOnTheLoopAndQueuesNothing() throws Exception {
        byte[] source = "abcd".getBytes();
        CompletableFuture<List<String>> refusals = new CompletableFuture<>();
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public int onData(Connection c, MemorySegment buffer, long offset, int length) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment native4 = arena.allocate(4);
                    List<Function<Connection, Boolean>> writes = List.of(
                            x -> x.write(source, -1, 2),
                            x -> x.write(source, 0, -1),
                            x -> x.write(source, 3, 2),
                            x -> x.write(native4, 2, 3),
                            x -> x.write(native4, 0, -2));
                    refusals.complete(writes.stream().map(w -> refusal(() -> w.apply(c))).toList());
                }
                c.writeAndFlush(source);
                return length;
            }

            @Override
            public void onInputClosed(Connection c) {
                c.close();
            }
        };
        try (TcpServer server = TcpServer.builder().handler(() -> handler).start();
             Socket client = Net.connect(server.localAddress())) {
            Net.write(client, new byte[] {1});
            assertEquals(List.of("IndexOutOfBoundsException", "IndexOutOfBoundsException",
                    "IndexOutOfBoundsException", "IndexOutOfBoundsException", "IndexOutOfBoundsException"),
                    refusals.get(10, TimeUnit.SECONDS));
            assertArrayEquals(source, Net.read(client, source.length), "only the valid write was queued");
            client.shutdownOutput();
            assertEquals(0, Net.readToEnd(client).length, "nothing else was sent");
        }
    }

    /** A write from another thread is checked the same way. */
    @Test
    void aWriteOutsideItsSourceFromAnotherThreadIsRefused() throws Exception {
        Recorder recorder = new Recorder();
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start();
             Socket client = Net.connect(server.localAddress())) {
            Connection c = recorder.opened.get(5, TimeUnit.SECONDS);
            assertThrows(IndexOutOfBoundsException.class, () -> c.write(new byte[4], 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> c.write(new byte[4], -1, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> c.write(MemorySegment.ofArray(new byte[4]), 1, -1));
        }
    }

    private static String refusal(Executable write) {
        try {
            write.execute();
            return "accepted";
        } catch (Throwable t) {
            return t.getClass().getSimpleName();
        }
    }
}
