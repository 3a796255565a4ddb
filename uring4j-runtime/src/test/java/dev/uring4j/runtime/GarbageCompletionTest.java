package dev.uring4j.runtime;

import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.uapi.IoUringH;
import dev.uring4j.runtime.internal.uring.UringConnection;
import dev.uring4j.runtime.internal.uring.UringEventLoop;
import dev.uring4j.runtime.internal.uring.UserData;

/**
 * A completion the loop cannot match (unknown user_data, a buffer id out of range, a
 * length beyond the buffer) is never used as an index: in production it is counted and dropped,
 * with strict completions it is an IllegalStateException naming the field and value. Leak
 * detection is off: it would rightly report the injected completions as operations given back
 * that were never in flight.
 */
@Tag("io_uring")
@ExtendWith(WithoutLeakDetection.class)
class GarbageCompletionTest {
    private static final String STRICT = "uring4j.strictCompletions";


    @BeforeEach
    void needsIoUring() {
        Transports.assumeIoUring("matching completions to user_data");
    }

    /** How production runs: an unmatched completion is counted and dropped (tests otherwise run strict). */
    @Test
    void unknownUserDataFromTheKernelIsCountedAndDroppedAndTheLoopServesOn() throws Exception {
        String strict = System.setProperty(STRICT, "false");
        TcpServer lenient;
        try {
            lenient = TcpServer.builder().handler(EchoHandler::new).start();
        } finally {
            System.setProperty(STRICT, strict == null ? "false" : strict);
        }
        try (TcpServer server = lenient;
             Socket s = Net.connect(server.localAddress())) {
            UringEventLoop loop = (UringEventLoop) server.group().loops().get(0);
            long garbage = 0x5A5A_5A5A_1234_5678L;
            CompletableFuture<Void> queued = new CompletableFuture<>();
            loop.execute(() -> {
                loop.sqe().prepNop().userData(garbage);
                queued.complete(null);
            });
            queued.get(5, TimeUnit.SECONDS);
            Net.write(s, "ping".getBytes());
            assertArrayEquals("ping".getBytes(), Net.read(s, 4));
            Net.await(java.time.Duration.ofSeconds(5), "the drop to be counted",
                    () -> loop.stats().droppedCompletions() == 1);
        }
    }

    @Test
    void strictModeNamesTheFieldAndValue() throws Exception {
        assumeTrue(Boolean.getBoolean(STRICT), "the suite runs with -D" + STRICT + "=true (see the pom)");
        Recorder recorder = new Recorder();
        try (TcpServer server = TcpServer.builder().handler(() -> recorder).start();
             Socket s = Net.connect(server.localAddress())) {
            UringConnection c = (UringConnection) recorder.opened.get(5, TimeUnit.SECONDS);
            UringEventLoop loop = c.loop;
            long unknown = UserData.encode(UserData.OP_RECV, 77, 4242);
            String e1 = onLoop(loop, () -> loop.handle(unknown, 10, 0));
            assertTrue(e1.contains("user_data 0x" + Long.toHexString(unknown)) && e1.contains("slot 4242"), e1);

            long recv = UserData.encode(UserData.OP_RECV, c.generation, c.slot);
            int badBid = IoUringH.IORING_CQE_F_BUFFER | IoUringH.IORING_CQE_F_MORE | (9999 << IoUringH.IORING_CQE_BUFFER_SHIFT);
            String e2 = onLoop(loop, () -> loop.handle(recv, 10, badBid));
            assertTrue(e2.contains("flags 0x" + Integer.toHexString(badBid)), e2);

            // More than one buffer holds, and more than the whole group (a bundle's limit).
            int tooLong = IoUringH.IORING_CQE_F_BUFFER | IoUringH.IORING_CQE_F_MORE;
            int length = loop.options.bufferSize() * loop.options.uring().buffersPerGroup() + 1;
            String e3 = onLoop(loop, () -> loop.handle(recv, length, tooLong));
            assertTrue(e3.contains(length + " bytes"), e3);

            assertEquals(0, recorder.received(), "no garbage reached the handler");
            Net.write(s, "still".getBytes());
            assertArrayEquals("still".getBytes(), recorder.opened.thenApply(x -> {
                Net.await(java.time.Duration.ofSeconds(5), "data", () -> recorder.received() == 5);
                return recorder.bytes();
            }).get(10, TimeUnit.SECONDS));
        }
    }

    private static String onLoop(UringEventLoop loop, Runnable r) throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                r.run();
                f.complete("no exception");
            } catch (IllegalStateException e) {
                f.complete(e.getMessage());
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }
}
