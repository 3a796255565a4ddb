package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FILE_INDEX_ALLOC;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.Completions.Completion;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server socket made entirely through the ring (6.11): {@code socket} into a direct
 * descriptor, {@code bind}, {@code listen}, then accept, with no normal fd on the way.
 */
class SocketDirectTest {
    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void socketBindListenAcceptAllOnDirectDescriptors(RingConfig config) throws Exception {
        config.assumeSupported(Probe.Feature.SOCKET, Probe.Feature.BIND_LISTEN, Probe.Feature.FIXED_FD_INSTALL);
        int client = -1;
        int probeFd = -1;
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            ring.registerFilesSparse(8);
            ring.getSqe().prepSocketDirectAlloc(LibC.AF_INET, LibC.SOCK_STREAM, 0, 0).userData(1);
            int listener = cqes.expect(1).res();
            assertTrue(listener >= 0, "socket in slot " + listener);

            MemorySegment addr = arena.allocate(SockAddr.SIZEOF_STORAGE);
            int len = SockAddr.write(addr, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ring.getSqe().prepBind(listener, addr.address(), len).fixedFile().userData(2);
            assertEquals(0, cqes.expect(2).res(), "bound");
            ring.getSqe().prepListen(listener, 16).fixedFile().userData(3);
            assertEquals(0, cqes.expect(3).res(), "listening");

            // Only to learn the ephemeral port: getsockname needs a normal fd.
            ring.getSqe().prepFixedFdInstall(listener, 0).userData(4);
            probeFd = cqes.expect(4).res();
            assertTrue(probeFd >= 0);
            MemorySegment addrLen = arena.allocateFrom(JAVA_INT, SockAddr.SIZEOF_STORAGE);
            Sockets.check(LibC.getsockname(probeFd, addr, addrLen), "getsockname");
            client = Sockets.connect(SockAddr.port(addr));

            ring.getSqe().prepAcceptDirect(listener, 0, 0, 0, IORING_FILE_INDEX_ALLOC).fixedFile().userData(5);
            Completion accepted = cqes.expect(5);
            assertTrue(accepted.res() >= 0 && accepted.res() != listener, () -> "accepted into a slot: " + accepted);

            byte[] sent = Sockets.pattern(13, 3);
            Sockets.writeAll(client, sent);
            MemorySegment buf = arena.allocate(64);
            ring.getSqe().prepRecv(accepted.res(), buf.address(), 64, 0).fixedFile().userData(6);
            assertEquals(sent.length, cqes.expect(6).res());
            assertArrayEquals(sent, Bytes.of(buf, 0, sent.length));
        } finally {
            Sockets.close(client);
            Sockets.close(probeFd);
        }
    }
}
