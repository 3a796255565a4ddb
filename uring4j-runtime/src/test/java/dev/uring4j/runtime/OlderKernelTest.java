package dev.uring4j.runtime;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.IoUring;
import dev.uring4j.ring.Probe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kernel features are checked one by one, and each is fallen back from on its own: a child JVM
 * whose probe hides features this kernel has ({@code -During4j.probe.hide}) behaves as on the
 * older kernel that lacks them. Without multishot {@code recvmsg} (6.0) UDP runs on NIO while TCP
 * stays on io_uring; without {@code sendto} in the SQE (6.1) UDP on io_uring sends with
 * {@code sendmsg}.
 */
@Tag("transport-selection")
class OlderKernelTest {

    @BeforeEach
    void needsIoUringWithTheFeatures() {
        assumeTrue(IoUring.unavailabilityCause() == null, "io_uring is unavailable here");
        assumeTrue(Probe.current().supports(Probe.Feature.RECVMSG_MULTISHOT)
                && Probe.current().supports(Probe.Feature.SENDTO), "this kernel lacks them for real");
    }

    @Test
    void withoutMultishotRecvmsgUdpRunsOnNioAndTcpStaysOnIoUring() throws Exception {
        try (ChildJvm child = new ChildJvm(OlderKernelMain.class,
                List.of("-D" + Transport.PROPERTY + "=auto", "-D" + Probe.HIDE_PROPERTY + "=RECVMSG_MULTISHOT"))) {
            InetSocketAddress udp = child.awaitListening();
            assertEquals("nio", child.value("udp"), "the UDP endpoint's own group falls back");
            assertEquals("io_uring", child.value("tcp"), "TCP needs nothing of 6.0");
            String given = child.value("given");
            assertTrue(given.startsWith("UDP on the io_uring transport needs what this kernel lacks: multishot recvmsg")
                    && given.contains("Linux 6.0") && given.contains("Transport.NIO"),
                    () -> "a given io_uring group is refused, naming the feature, its kernel and the fix: " + given);
            assertEquals(1, child.count("WARNING: uring4j runs on the NIO transport (epoll): this kernel lacks what "
                    + "UDP on the io_uring transport requires: multishot recvmsg"), () -> "one WARN says why: " + child.stderr);
            echoes(udp);
        }
    }

    @Test
    void withoutSendtoUdpOnIoUringSendsWithSendmsg() throws Exception {
        try (ChildJvm child = new ChildJvm(OlderKernelMain.class,
                List.of("-D" + Transport.PROPERTY + "=auto", "-D" + Probe.HIDE_PROPERTY + "=SENDTO"))) {
            InetSocketAddress udp = child.awaitListening();
            assertEquals("io_uring", child.value("udp"));
            assertEquals("io_uring", child.value("given"));
            echoes(udp);
        }
    }

    /** Single datagrams, then a burst of equal ones (sent back as GSO runs where the kernel has them), all echoed. */
    private static void echoes(InetSocketAddress server) {
        try (DatagramChannel c = Udp.client(server)) {
            for (int size : new int[] {1, 100, 1400, 2048}) {
                byte[] msg = Net.pattern(size, size);
                Udp.send(c, msg, server);
                assertArrayEquals(msg, Udp.receive(c).data(), size + " bytes echoed");
            }
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 32; i++) {
                byte[] msg = Net.pattern(1000, i);
                msg[0] = (byte) i;
                Udp.send(c, msg, server);
            }
            for (int i = 0; i < 32; i++) {
                byte[] back = Udp.receive(c).data();
                assertEquals(1000, back.length);
                seen.add((int) back[0]);
            }
            assertEquals(32, seen.size(), "every datagram of the burst came back");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
