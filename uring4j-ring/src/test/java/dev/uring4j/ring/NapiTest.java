package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_IOPOLL;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NAPI busy polling ({@code IORING_REGISTER_NAPI}, 6.9): registering and unregistering change the
 * ring's settings and report the ones in force before, as the kernel copies them back; a ring
 * that polls still completes its receives. Loopback has no NAPI instance, so what polling gains
 * on a real device does not show here.
 */
class NapiTest {

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void eachCallReportsTheSettingsItReplaced(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.NAPI);
        int[] pair = Sockets.tcpPair();
        try (IoUring ring = config.builder().entries(4).build(); Arena arena = Arena.ofConfined()) {
            // A new ring starts from the system-wide busy-poll timeout, polling not preferred.
            assertEquals(new NapiSettings(systemBusyPollUsec(), false), ring.registerNapi(50, true));
            assertEquals(new NapiSettings(50, true), ring.registerNapi(100, false));

            byte[] data = Sockets.pattern(64, 7);
            MemorySegment buf = arena.allocate(data.length);
            ring.getSqe().prepRecv(pair[1], buf.address(), data.length, 0).userData(1);
            Sockets.writeAll(pair[0], data);
            Completions cqes = new Completions(ring);
            assertEquals(data.length, cqes.expect(1).res(), "a receive completes while the ring busy-polls");
            assertArrayEquals(data, buf.toArray(JAVA_BYTE));

            assertEquals(new NapiSettings(100, false), ring.unregisterNapi());
            assertEquals(new NapiSettings(0, false), ring.unregisterNapi(), "unregistering zeroed the timeout");
        } finally {
            Sockets.close(pair);
        }
    }

    @Test
    void aPolledIoRingIsRefusedWithTheReason() throws Exception {
        RingConfig.DEFAULT.assumeSupported(Probe.Feature.NAPI);
        try (IoUring ring = IoUring.builder().entries(4).flags(IORING_SETUP_IOPOLL).build()) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.registerNapi(50, false));
            assertEquals(Errno.EINVAL, e.errno(), e::getMessage);
            assertTrue(e.getMessage().contains("io_uring_register(IORING_REGISTER_NAPI)")
                    && e.getMessage().contains("IORING_SETUP_IOPOLL") && e.getMessage().contains("6.9"), e::getMessage);
        }
    }

    @Test
    void aNegativeTimeoutNeverReachesTheKernel() throws Exception {
        RingConfig.DEFAULT.assumeSupported();
        try (IoUring ring = IoUring.setup(4)) {
            assertThrows(IllegalArgumentException.class, () -> ring.registerNapi(-1, false));
        }
    }

    /** {@code net.core.busy_poll}, which the kernel copies into each new ring. */
    private static int systemBusyPollUsec() throws Exception {
        return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/busy_poll")).trim());
    }
}
