package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Multishot accept (reference page, "Multi-shot"): one SQE accepts connection after connection,
 * each completion flagged {@code IORING_CQE_F_MORE} while the request stays armed; with
 * {@code IORING_FILE_INDEX_ALLOC} each connection lands in a direct descriptor.
 */
class AcceptMultishotTest {
    private static final long ACCEPT = 1;
    private static final int CLIENTS = 4;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void acceptsSeveralConnectionsIntoDirectDescriptors(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.ACCEPT_DIRECT);
        int listener = Sockets.listener();
        int[] clients = new int[CLIENTS];
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(16);
            ring.getSqe().prepMultishotAcceptDirect(listener, 0, 0, 0).userData(ACCEPT);
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = Sockets.connect(Sockets.port(listener));
                String hello = "client-" + i;
                Sockets.writeAll(clients[i], hello.getBytes(StandardCharsets.US_ASCII));
                sent.add(hello);
            }

            Set<Integer> slots = new HashSet<>();
            for (Completion c : cqes.take(CLIENTS)) {
                assertEquals(ACCEPT, c.userData());
                assertTrue(c.res() >= 0 && c.res() < 16, () -> "a slot of the table: " + c);
                assertTrue(c.more(), () -> "still accepting: " + c);
                assertTrue(slots.add(c.res()), () -> "a fresh slot per connection: " + c);
            }

            // Each slot is a live connection: receiving on it yields what one client sent.
            MemorySegment buf = arena.allocate(64L * CLIENTS);
            int k = 0;
            for (int slot : slots) {
                ring.getSqe().prepRecv(slot, buf.address() + 64L * k, 64, 0).fixedFile().userData(100 + k);
                k++;
            }
            Set<String> received = new HashSet<>();
            for (Completion c : cqes.take(CLIENTS)) {
                assertTrue(c.res() > 0, () -> "receive on a direct descriptor: " + c);
                received.add(new String(Bytes.of(buf, 64L * (c.userData() - 100), c.res()), StandardCharsets.US_ASCII));
            }
            assertEquals(sent, received);

            cqes.cancel(ACCEPT);
        } finally {
            Sockets.close(clients);
            Sockets.close(listener);
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void acceptsSeveralConnectionsAsNormalFds(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.MULTISHOT_ACCEPT);
        int listener = Sockets.listener();
        int[] clients = new int[CLIENTS];
        int[] accepted = new int[CLIENTS];
        java.util.Arrays.fill(accepted, -1);
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            ring.getSqe().prepMultishotAccept(listener, 0, 0, LibC.SOCK_CLOEXEC).userData(ACCEPT);
            Set<Integer> clientPorts = new HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = Sockets.connect(Sockets.port(listener));
                clientPorts.add(Sockets.port(clients[i]));
            }
            Set<Integer> peerPorts = new HashSet<>();
            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment len = arena.allocate(JAVA_INT);
            int i = 0;
            for (Completion c : cqes.take(CLIENTS)) {
                assertTrue(c.res() >= 0 && c.more(), () -> "an fd, and still accepting: " + c);
                accepted[i++] = c.res();
                len.set(JAVA_INT, 0, SockAddr.SIZEOF_STORAGE);
                Sockets.check(LibC.getpeername(c.res(), addr, len), "getpeername of accepted fd " + c.res());
                peerPorts.add(SockAddr.port(addr));
            }
            assertEquals(clientPorts, peerPorts, "every client accepted once");

            cqes.cancel(ACCEPT);
        } finally {
            Sockets.close(accepted);
            Sockets.close(clients);
            Sockets.close(listener);
        }
    }
}
