package dev.uring4j.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.uapi.Fcntl;
import dev.uring4j.ring.uapi.Statx;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A file read through the ring alone: {@code openat}, {@code statx} of the open file
 * ({@code AT_EMPTY_PATH}), {@code read} at an offset, {@code close}; and the errors a caller sees
 * for a missing file. The results are checked against what the JDK reads of the same file.
 */
class FileIoTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void openStatReadClose(RingConfig config) throws IOException {
        config.assumeSupported(Probe.Feature.FILE_IO);
        byte[] content = new byte[10_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("data.bin"), content);
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment path = arena.allocateFrom(file.toString(), StandardCharsets.UTF_8);
            ring.getSqe().prepOpenat(Fcntl.AT_FDCWD, path.address(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0).userData(1);
            int fd = cqes.expect(1).res();
            assertTrue(fd >= 0, () -> "openat: " + Errno.describe(fd));

            MemorySegment stx = arena.allocate(Statx.LAYOUT);
            MemorySegment empty = arena.allocateFrom("");
            ring.getSqe().prepStatx(fd, empty.address(), Fcntl.AT_EMPTY_PATH, Statx.STATX_BASIC_STATS, stx.address())
                    .userData(2);
            assertEquals(0, cqes.expect(2).res(), "statx");
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            assertEquals(content.length, stx.get(JAVA_LONG, Statx.OFFSET_stx_size));
            assertEquals(Statx.S_IFREG, stx.get(JAVA_SHORT, Statx.OFFSET_stx_mode) & Statx.S_IFMT);
            assertEquals(attrs.lastModifiedTime().toInstant().getEpochSecond(), stx.get(JAVA_LONG, Statx.OFFSET_stx_mtime_tv_sec));
            assertEquals(attrs.lastModifiedTime().toInstant().getNano(), stx.get(JAVA_INT, Statx.OFFSET_stx_mtime_tv_nsec));
            assertEquals(attrs.fileKey().toString().replaceAll(".*ino=(\\d+).*", "$1"),
                    Long.toString(stx.get(JAVA_LONG, Statx.OFFSET_stx_ino)), "stx_ino against the JDK's file key " + attrs.fileKey());

            MemorySegment buf = arena.allocate(4096);
            ring.getSqe().prepRead(fd, buf.address(), 4096, 8_000).userData(3);
            assertEquals(2_000, cqes.expect(3).res(), "a read past the middle returns what is left");
            byte[] tail = new byte[2_000];
            MemorySegment.copy(buf, JAVA_BYTE, 0, tail, 0, tail.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 8_000, 10_000), tail);
            ring.getSqe().prepRead(fd, buf.address(), 4096, content.length).userData(4);
            assertEquals(0, cqes.expect(4).res(), "at the end, 0");

            ring.getSqe().prepClose(fd).userData(5);
            assertEquals(0, cqes.expect(5).res(), "close");
            ring.getSqe().prepRead(fd, buf.address(), 16, 0).userData(6);
            assertEquals(-Errno.EBADF, cqes.expect(6).res(), "the descriptor is gone after the close");
        }
    }

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void missingFile(RingConfig config) throws ErrnoException {
        config.assumeSupported(Probe.Feature.FILE_IO);
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(4).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment path = arena.allocateFrom(dir.resolve("absent").toString(), StandardCharsets.UTF_8);
            ring.getSqe().prepOpenat(Fcntl.AT_FDCWD, path.address(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0).userData(1);
            assertEquals(-Errno.ENOENT, cqes.expect(1).res());
            MemorySegment stx = arena.allocate(Statx.LAYOUT);
            ring.getSqe().prepStatx(Fcntl.AT_FDCWD, path.address(), 0, Statx.STATX_BASIC_STATS, stx.address()).userData(2);
            assertEquals(-Errno.ENOENT, cqes.expect(2).res());
        }
    }
}
