package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.uring4j.ring.uapi.IoUringH.IORING_RECVSEND_POLL_FIRST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code IORING_RECVSEND_POLL_FIRST} (reference page, "Socket state"): the kernel skips the
 * initial transfer attempt and arms its internal poll straight away.
 */
class PollFirstTest {
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void recvOnAnEmptySocketWaitsForDataThenCompletesWithIt(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.POLL_FIRST);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment buf = arena.allocate(64);
            ring.getSqe().prepRecv(pair[1], buf.address(), 64, 0).addIoprio(IORING_RECVSEND_POLL_FIRST).userData(1);
            cqes.assertNoneWithin(50);

            byte[] sent = Sockets.pattern(20, 3);
            Sockets.writeAll(pair[0], sent);
            Completion c = cqes.expect(1);
            assertEquals(sent.length, c.res(), () -> "woken by the data: " + c);
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));
        } finally {
            Sockets.close(pair);
        }
    }

    /**
     * The flag's effect made visible: with {@code MSG_DONTWAIT} a request may not wait in poll,
     * so skipping the first attempt leaves it nothing but {@code -EAGAIN}, although data is there.
     * Set in the wrong SQE field, the receive would return the data instead.
     */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void skipsTheFirstReceiveAttempt(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.POLL_FIRST);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment buf = arena.allocate(64);
            byte[] sent = Sockets.pattern(20, 4);
            Sockets.writeAll(pair[0], sent);

            ring.getSqe().prepRecv(pair[1], buf.address(), 64, LibC.MSG_DONTWAIT)
                    .addIoprio(IORING_RECVSEND_POLL_FIRST).userData(1);
            Completion skipped = cqes.expect(1);
            assertEquals(-Errno.EAGAIN, skipped.res(), () -> "no attempt was made: " + skipped);

            ring.getSqe().prepRecv(pair[1], buf.address(), 64, LibC.MSG_DONTWAIT).userData(2);
            Completion attempted = cqes.expect(2);
            assertEquals(sent.length, attempted.res(), () -> "without the flag the data is read: " + attempted);
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));
        } finally {
            Sockets.close(pair);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void sendWithRoomCompletesAfterThePoll(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.POLL_FIRST);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            byte[] sent = Sockets.pattern(100, 5);
            MemorySegment buf = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, sent);
            ring.getSqe().prepSend(pair[0], buf.address(), sent.length, 0)
                    .addIoprio(IORING_RECVSEND_POLL_FIRST).userData(1);
            Completion c = cqes.expect(1);
            assertEquals(sent.length, c.res(), () -> "the socket had room: " + c);
            assertArrayEquals(sent, Sockets.readFully(pair[1], sent.length));
        } finally {
            Sockets.close(pair);
        }
    }
}
