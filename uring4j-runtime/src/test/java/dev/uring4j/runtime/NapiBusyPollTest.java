package dev.uring4j.runtime;

import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import dev.uring4j.ring.Probe;

/**
 * NAPI busy polling is off unless asked for; asked for, each loop registers it with its ring
 * (Linux 6.9) and serves as before. Loopback has no device queue to poll, so what it gains can
 * only be seen through a real NIC: here it is shown to be taken and harmless.
 */
class NapiBusyPollTest {

    @Test
    void offByDefaultAndTakenWhenAskedFor() throws Exception {
        assertFalse(UringOptions.defaults().uses(UringOptions.Path.NAPI_BUSY_POLL));
        assertTrue(UringOptions.defaults().whyNot(UringOptions.Path.NAPI_BUSY_POLL).contains("off by default"));
        Transports.assumeIoUring("NAPI busy polling");
        String missing = Probe.current().whyMissing(Probe.Feature.NAPI);
        assumeTrue(missing == null, () -> "NAPI busy polling: " + missing);

        LoopOptions options = LoopOptions.builder()
                .uring(UringOptions.builder().napiBusyPoll(Duration.ofNanos(20_000), false).build()).build();
        try (EventLoopGroup group = EventLoopGroup.builder().options(options).build();
             TcpServer server = TcpServer.builder().group(group).handler(EchoHandler::new).start();
             Socket s = Net.connect(server.localAddress())) {
            assertTrue(server.pathsInUse().contains(UringOptions.Path.NAPI_BUSY_POLL), "registered: " + server.pathsInUse());
            byte[] data = Net.pattern(10_000, 7);
            Net.write(s, data);
            assertArrayEquals(data, Net.read(s, data.length));
        }
    }

    @Test
    void theTimeoutIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> UringOptions.builder().napiBusyPoll(Duration.ofNanos(500), false));
        assertThrows(IllegalArgumentException.class, () -> UringOptions.builder().napiBusyPoll(Duration.ofSeconds(2), true));
    }
}
