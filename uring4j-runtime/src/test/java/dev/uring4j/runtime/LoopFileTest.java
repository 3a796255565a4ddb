package dev.uring4j.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files read on a loop ({@link LoopFile}), through the ring and through the blocking pool that
 * stands in where the ring lacks the file operations ({@code ring} false disables
 * {@link UringOptions.Path#FILE_IO}; on NIO both are the pool): what is read is the file's bytes,
 * what stat says is what the JDK says, callbacks run on the loop, opening beneath a directory never
 * leaves it (each refusal naming its errno), a closed file refuses work, and a loop that shuts down
 * with reads in flight reports every one of them before it ends.
 */
class LoopFileTest {
    @TempDir
    Path tmp;
    private EventLoopGroup group;

    private EventLoop loop(boolean ring) throws IOException {
        UringOptions uring = ring ? UringOptions.defaults()
                : UringOptions.builder().disable(UringOptions.Path.FILE_IO).build();
        group = EventLoopGroup.builder().threads(1).options(LoopOptions.builder().uring(uring).build()).build();
        return group.loops().get(0);
    }

    @AfterEach
    void tearDown() {
        if (group != null) {
            group.close();
        }
    }

    /** Starts {@code op} on {@code loop} and waits for its callback, which must run on the loop. */
    private static <T> T await(EventLoop loop, Consumer<LoopFile.Callback<T>> op) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> op.accept((result, error) -> {
            if (!loop.inEventLoop()) {
                f.completeExceptionally(new AssertionError("callback off the loop, on " + Thread.currentThread()));
            } else if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(result);
            }
        }));
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static int read(EventLoop loop, LoopFile file, MemorySegment dst, long position) throws Exception {
        return LoopFileTest.<Integer>await(loop, cb -> file.read(dst, position, (n, e) -> cb.complete(n, e)));
    }

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {true, false})
    void readsWhatTheFileHolds(boolean ring) throws Exception {
        EventLoop loop = loop(ring);
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >> 9));
        }
        Path path = Files.write(tmp.resolve("data.bin"), content);
        LoopFile file = LoopFileTest.<LoopFile>await(loop, cb -> LoopFile.open(loop, path, cb));
        FileStat stat = LoopFileTest.<FileStat>await(loop, file::stat);
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        assertEquals(content.length, stat.size());
        assertTrue(stat.isRegularFile() && !stat.isDirectory(), "a regular file: mode " + Integer.toOctalString(stat.mode()));
        assertEquals(attrs.lastModifiedTime().toInstant().getEpochSecond(), stat.modifiedSeconds());
        assertEquals(attrs.lastModifiedTime().toInstant().getNano(), stat.modifiedNanos());
        assertEquals(Files.getAttribute(path, "unix:ino"), stat.inode());

        // A segment confined to the loop's thread is how a loop's own pooled memory comes.
        byte[] got = new byte[content.length];
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            Arena arena = Arena.ofConfined();
            MemorySegment buf = arena.allocate(64 * 1024);
            new LoopFile.ReadCallback() {
                long position;

                void next() {
                    file.read(buf, position, this);
                }

                @Override
                public void complete(int n, IOException error) {
                    if (error != null || n == 0) {
                        arena.close();
                        if (error != null) {
                            done.completeExceptionally(error);
                        } else {
                            done.complete(null);
                        }
                        return;
                    }
                    MemorySegment.copy(buf, JAVA_BYTE, 0, got, (int) position, n);
                    position += n;
                    next();
                }
            }.next();
        });
        done.get(10, TimeUnit.SECONDS);
        assertArrayEquals(content, got);
        loop.execute(file::close);
    }

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {true, false})
    void openBeneathNeverLeavesTheDirectory(boolean ring) throws Exception {
        EventLoop loop = loop(ring);
        Path root = Files.createDirectories(tmp.resolve("root/sub"));
        root = root.getParent();
        Files.writeString(root.resolve("sub/in.txt"), "inside");
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(root.resolve("out-link"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("in-link"), Path.of("sub/in.txt"));
        Path r = root;
        LoopFile dir = LoopFileTest.<LoopFile>await(loop, cb -> LoopFile.open(loop, r, cb));
        assertTrue(LoopFileTest.<FileStat>await(loop, dir::stat).isDirectory());

        for (String inside : new String[] {"sub/in.txt", "in-link", "sub/../sub/in.txt"}) {
            LoopFile f = LoopFileTest.<LoopFile>await(loop, cb -> dir.openBeneath(inside, cb));
            assertEquals(6, LoopFileTest.<FileStat>await(loop, f::stat).size(), inside);
            loop.execute(f::close);
        }
        String[][] refused = {
                {"../secret.txt", "EXDEV"}, {"sub/../../secret.txt", "EXDEV"}, {secret.toString(), "EXDEV"},
                {"out-link", "EXDEV"}, {"absent.txt", "ENOENT"}, {"sub/in.txt/x", "ENOTDIR"}, {"a\0b", "EINVAL"},
        };
        for (String[] c : refused) {
            Exception e = assertThrows(Exception.class, () -> LoopFileTest.<LoopFile>await(loop, cb -> dir.openBeneath(c[0], cb)));
            ErrnoException errno = assertInstanceOf(ErrnoException.class, e, () -> c[0] + ": " + e);
            assertEquals(c[1], errno.errnoName(), () -> c[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c[0].replace("\0", "")) || c[1].equals("EINVAL"), e::getMessage);
        }
        loop.execute(dir::close);
    }

    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {true, false})
    void aClosedFileRefusesWork(boolean ring) throws Exception {
        EventLoop loop = loop(ring);
        Path path = Files.writeString(tmp.resolve("f"), "x");
        LoopFile file = LoopFileTest.<LoopFile>await(loop, cb -> LoopFile.open(loop, path, cb));
        loop.execute(file::close);
        IOException e = assertThrows(IOException.class, () -> LoopFileTest.<FileStat>await(loop, file::stat));
        assertTrue(e.getMessage().contains("closed"), e::getMessage);
    }

    /**
     * A loop asked to shut down while reads are in flight reports each of them (read or failed)
     * before it ends: none is dropped and none outlives the loop.
     */
    @ParameterizedTest(name = "ring {0}")
    @ValueSource(booleans = {true, false})
    void shutdownReportsEveryReadInFlight(boolean ring) throws Exception {
        EventLoop loop = loop(ring);
        Path path = tmp.resolve("sparse");
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        LoopFile file = LoopFileTest.<LoopFile>await(loop, cb -> LoopFile.open(loop, path, cb));
        int reads = 200;
        AtomicInteger reported = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        Arena arena = Arena.ofShared();
        MemorySegment buf = arena.allocate(256 * 1024);
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.execute(() -> {
            for (int i = 0; i < reads; i++) {
                file.read(buf, (long) i * buf.byteSize() % (64L << 20), (n, e) -> {
                    if (!loop.inEventLoop()) {
                        offLoop.incrementAndGet();
                    }
                    reported.incrementAndGet();
                });
            }
            file.close();
            started.complete(null);
        });
        started.get(10, TimeUnit.SECONDS);
        group.close();
        group = null;
        assertEquals(reads, reported.get(), "every read reported before the loop ended");
        assertEquals(0, offLoop.get(), "reports on the loop's thread");
        arena.close();
    }
}
