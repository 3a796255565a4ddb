package dev.uring4j.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.uring4j.ring.uapi.IoUringH.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.uapi.Fcntl;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code splice} from a file at an offset into a pipe, then from the pipe into a socket, linked so
 * the second runs after the first (the way a file server would move a file to a client without
 * copying it through user memory): the peer receives exactly the file's bytes of that range.
 */
class SpliceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void fileToPipeToSocket(RingConfig config) throws IOException {
        config.assumeSupported(Probe.Feature.SPLICE, Probe.Feature.FILE_IO);
        byte[] content = new byte[50_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i ^ (i >> 8));
        }
        Path file = Files.write(dir.resolve("f"), content);
        int[] pair = Sockets.tcpPair();
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Sockets.check(LibC.pipe2(fds, Fcntl.O_CLOEXEC), "pipe2");
            int pipeRead = fds.getAtIndex(JAVA_INT, 0);
            int pipeWrite = fds.getAtIndex(JAVA_INT, 1);
            MemorySegment path = arena.allocateFrom(file.toString(), StandardCharsets.UTF_8);
            ring.getSqe().prepOpenat(Fcntl.AT_FDCWD, path.address(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0).userData(1);
            int fd = cqes.expect(1).res();
            assertTrue(fd >= 0, () -> "openat: " + Errno.describe(fd));

            int offset = 1_000;
            int length = 30_000; // within the pipe's default 64 KiB
            ring.getSqe().prepSplice(fd, offset, pipeWrite, -1, length, 0).userData(2)
                    .addFlags(IOSQE_IO_LINK);
            ring.getSqe().prepSplice(pipeRead, -1, pair[0], -1, length, 0).userData(3);
            assertEquals(length, cqes.expect(2).res(), "file to pipe");
            assertEquals(length, cqes.expect(3).res(), "pipe to socket");

            byte[] got = Sockets.readFully(pair[1], length);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, offset, offset + length), got);
            ring.getSqe().prepClose(fd).userData(4);
            assertEquals(0, cqes.expect(4).res());
            Sockets.close(pipeRead, pipeWrite);
        } finally {
            Sockets.close(pair[0], pair[1]);
        }
    }
}
