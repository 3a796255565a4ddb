package dev.uring4j.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.uapi.Fcntl;
import dev.uring4j.ring.uapi.OpenHow;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS} relative to a directory
 * descriptor, as a file server opens what a request names: paths inside the directory open, also
 * through a symbolic link that stays inside; {@code ..}, absolute paths and links leading out fail
 * with {@code EXDEV}, whatever exists outside.
 */
class Openat2Test {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(RingConfig.class)
    void resolveBeneathConfinesToTheDirectory(RingConfig config) throws IOException {
        config.assumeSupported(Probe.Feature.OPENAT2, Probe.Feature.FILE_IO);
        Path root = Files.createDirectories(tmp.resolve("root/sub"));
        root = root.getParent();
        Files.writeString(root.resolve("sub/inside.txt"), "in");
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "out");
        Files.createSymbolicLink(root.resolve("out-link"), secret);
        Files.createSymbolicLink(root.resolve("rel-out-link"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("in-link"), Path.of("sub/inside.txt"));
        try (Arena arena = Arena.ofConfined(); IoUring ring = config.builder().entries(8).build()) {
            Completions cqes = new Completions(ring);
            MemorySegment how = arena.allocate(OpenHow.LAYOUT);
            how.set(JAVA_LONG, OpenHow.OFFSET_flags, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
            how.set(JAVA_LONG, OpenHow.OFFSET_resolve, OpenHow.RESOLVE_BENEATH | OpenHow.RESOLVE_NO_MAGICLINKS);

            MemorySegment rootPath = arena.allocateFrom(root.toString(), StandardCharsets.UTF_8);
            // The directory itself opens without confinement: an absolute path is what RESOLVE_BENEATH refuses.
            ring.getSqe().prepOpenat2(Fcntl.AT_FDCWD, rootPath.address(), how.address()).userData(1);
            assertEquals(-Errno.EXDEV, cqes.expect(1).res(), "an absolute path under RESOLVE_BENEATH");
            ring.getSqe().prepOpenat(Fcntl.AT_FDCWD, rootPath.address(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0).userData(1);
            int dirFd = cqes.expect(1).res();
            assertTrue(dirFd >= 0, () -> "openat of the directory: " + Errno.describe(dirFd));

            String[][] cases = {
                    {"sub/inside.txt", "ok"}, {"in-link", "ok"}, {"sub/../sub/inside.txt", "ok"},
                    {"../secret.txt", "EXDEV"}, {"sub/../../secret.txt", "EXDEV"}, {secret.toString(), "EXDEV"},
                    {"out-link", "EXDEV"}, {"rel-out-link", "EXDEV"}, {"absent", "ENOENT"},
            };
            long ud = 10;
            for (String[] c : cases) {
                MemorySegment p = arena.allocateFrom(c[0], StandardCharsets.UTF_8);
                ring.getSqe().prepOpenat2(dirFd, p.address(), how.address()).userData(ud);
                int r = cqes.expect(ud++).res();
                if (c[1].equals("ok")) {
                    assertTrue(r >= 0, () -> c[0] + ": " + Errno.describe(r));
                    ring.getSqe().prepClose(r).userData(ud);
                    assertEquals(0, cqes.expect(ud++).res());
                } else {
                    assertEquals(c[1], Errno.name(-r), () -> c[0] + " gave " + Errno.describe(r));
                }
            }
            ring.getSqe().prepClose(dirFd).userData(2);
            assertEquals(0, cqes.expect(2).res());
        }
    }
}
