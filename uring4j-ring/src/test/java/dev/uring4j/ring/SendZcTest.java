package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Zero-copy send ({@code IORING_OP_SEND_ZC}): two completions per request, the
 * result flagged {@code IORING_CQE_F_MORE} and then the {@code IORING_CQE_F_NOTIF} notification,
 * after which, and only after which, the buffer belongs to the application again.
 */
class SendZcTest {
    private static final long SEND = 1;

    /** The request's two completions, result first: the result carries F_MORE, the notification F_NOTIF. */
    private static Completion[] resultAndNotification(List<Completion> both) {
        Completion result = Cqe.notif(both.get(0).flags()) ? both.get(1) : both.get(0);
        Completion notif = result == both.get(0) ? both.get(1) : both.get(0);
        assertEquals(SEND, result.userData());
        assertEquals(SEND, notif.userData(), "the notification carries the request's user_data");
        assertTrue(result.more() && !Cqe.notif(result.flags()), () -> "result announces a notification: " + both);
        assertTrue(Cqe.notif(notif.flags()) && !notif.more(), () -> "the notification ends the request: " + both);
        return new Completion[] {result, notif};
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void theBufferIsReusedOnlyAfterTheNotification(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SEND_ZC);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            int len = 64 * 1024;
            MemorySegment buf = arena.allocate(len);
            for (int round = 0; round < 3; round++) {
                byte[] sent = Sockets.pattern(len, round);
                MemorySegment.copy(sent, 0, buf, JAVA_BYTE, 0, len);
                ring.getSqe().prepSendZc(pair[0], buf.address(), len, LibC.MSG_WAITALL, 0).userData(SEND);
                assertTrue(ring.submit() >= 0, "submitted before the blocking read below");
                byte[] received = Sockets.readFully(pair[1], len);
                Completion[] rn = resultAndNotification(cqes.take(2));
                assertEquals(len, rn[0].res(), () -> "all bytes sent: " + rn[0]);
                assertEquals(0, rn[1].res(), () -> "a notification's res is 0 without REPORT_USAGE: " + rn[1]);
                assertArrayEquals(sent, received, "the peer got round " + round + "'s bytes");
                // Only now may the next round overwrite buf.
            }
            cqes.assertNoneWithin(20);
        } finally {
            Sockets.close(pair);
        }
    }

    /** The peer resets while 1 MiB is still queued: the result and the notification both arrive. */
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void aPeerResetMidSendStillDeliversResultAndNotification(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SEND_ZC);
        int listener = Sockets.listener();
        Sockets.check(LibC.setsockoptInt(listener, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4096), "SO_RCVBUF");
        int client = -1;
        int server = -1;
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            client = Sockets.connect(Sockets.port(listener));
            Sockets.check(LibC.setsockoptInt(client, LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4096), "SO_SNDBUF");
            server = Sockets.withTimeouts(
                    Sockets.check(LibC.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, 0), "accept4"));
            Completions cqes = new Completions(ring);
            int len = 1 << 20;
            MemorySegment buf = arena.allocate(len);
            ring.getSqe().prepSendZc(client, buf.address(), len, LibC.MSG_WAITALL, 0).userData(SEND);
            cqes.assertNoneWithin(100);

            Sockets.abort(server);
            server = -1;
            Completion[] rn = resultAndNotification(cqes.take(2));
            int res = rn[0].res();
            assertTrue(res == -Errno.ECONNRESET || res == -Errno.EPIPE || (res > 0 && res < len),
                    () -> "the reset cut the send short: " + rn[0]);
            cqes.assertNoneWithin(50);
            assertFalse(ring.cqHasOverflow());
        } finally {
            Sockets.close(server);
            Sockets.close(client);
            Sockets.close(listener);
        }
    }
}
