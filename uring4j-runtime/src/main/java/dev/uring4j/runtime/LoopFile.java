package dev.uring4j.runtime;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.uring4j.runtime.internal.LoopFileBase;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * A file open for reading on an event loop, whose operations never block the loop's thread: on
 * io_uring each is one operation on the loop's ring ({@code IORING_OP_OPENAT2}, {@code STATX},
 * {@code READ}, {@code CLOSE}) whose completion calls back on the loop; where the ring lacks those
 * operations, and on the NIO transport, a small shared pool of threads makes the blocking call
 * ({@code FileChannel}, {@code Files}) and posts the result to the loop.
 *
 * <pre>{@code
 * LoopFile.open(loop, Path.of("/srv/www"), (root, error) -> {      // on the loop
 *     root.openBeneath("css/site.css", (file, e) -> {                // cannot leave /srv/www
 *         file.stat((stat, e2) -> file.read(buffer, 0, (n, e3) -> { ...; file.close(); }));
 *     });
 * });
 * }</pre>
 *
 * <p><b>Threads.</b> Methods may be called from any thread (from another thread they are handed
 * to the loop); every callback runs on the loop's thread, exactly once per call. A failure reaches
 * the callback as an {@link IOException} naming the operation, the path and the errno, as a
 * {@link dev.uring4j.ring.ErrnoException} (whose {@code errno()} tells {@code ENOENT} from
 * {@code EXDEV} and the others) wherever there is an errno to name.
 *
 * <p><b>Memory.</b> A read writes the caller's segment until its callback runs: keep the segment
 * alive until then. When the loop shuts down, file operations in flight complete (or, past the
 * shutdown deadline, are cancelled) before the loop frees anything they write. Files are closed by
 * {@link #close()}; a loop does not close the files opened on it.
 *
 * <p>The class is sealed and implemented by the runtime, one implementation per way of doing I/O.
 */
public abstract sealed class LoopFile permits LoopFileBase {

    /**
     * What an open or a stat reports, on the loop's thread.
     *
     * @param <T> the result: a {@link LoopFile} or a {@link FileStat}
     */
    @FunctionalInterface
    public interface Callback<T> {
        /**
         * The operation finished.
         *
         * @param result the result, or {@code null} when it failed
         * @param error  why it failed, or {@code null}
         */
        void complete(T result, IOException error);
    }

    /** What a read reports, on the loop's thread: made once and reused, it lets reads allocate nothing. */
    @FunctionalInterface
    public interface ReadCallback {
        /**
         * The read finished.
         *
         * @param bytes the bytes read, 0 at the end of the file, -1 when it failed
         * @param error why it failed, or {@code null}
         */
        void complete(int bytes, IOException error);
    }

    /** For the runtime's implementations only (the class is sealed). */
    protected LoopFile() {}

    /**
     * Opens {@code path} (a file or a directory) for reading on {@code loop}
     * ({@code O_RDONLY | O_CLOEXEC}); symbolic links are followed.
     *
     * @param loop     the loop whose thread runs the callback and whose ring does the work
     * @param path     the file; relative paths start at the working directory
     * @param callback gets the open file
     * @throws java.util.concurrent.RejectedExecutionException when the loop has stopped
     */
    public static void open(EventLoop loop, Path path, Callback<LoopFile> callback) {
        ((TransportLoop) loop).openFile(path, callback);
    }

    /**
     * Opens {@code relativePath} under this directory, never leaving it: a path with {@code ..}
     * above this directory, an absolute path, or a symbolic link whose target lies outside fails
     * with {@code EXDEV}, and a "magic link" ({@code /proc/self/fd/...}) with {@code ELOOP}
     * ({@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}). Without
     * {@code openat2} the path is resolved to its real path and compared with this directory's
     * instead (the same answers, but a symbolic link swapped in between the check and the open is
     * not caught).
     *
     * @param relativePath a path relative to this directory, {@code /}-separated
     * @param callback     gets the open file
     */
    public abstract void openBeneath(String relativePath, Callback<LoopFile> callback);

    /**
     * Reads the file's size, modification time, inode and type ({@code statx} of the open file).
     *
     * @param callback gets them
     */
    public abstract void stat(Callback<FileStat> callback);

    /**
     * Reads up to {@code dst.byteSize()} bytes (at most 2 GiB - 1) at {@code position} into
     * {@code dst}, a native segment the caller keeps alive until the callback runs.
     *
     * @param dst      where the bytes go
     * @param position the file offset to read from
     * @param callback gets the number of bytes read (0 at the end of the file)
     * @throws IllegalArgumentException when {@code dst} is not native or {@code position} is negative
     */
    public abstract void read(MemorySegment dst, long position, ReadCallback callback);

    /**
     * Closes the file once no read of it is in flight. Later operations fail with an
     * {@link IOException} saying the file was closed. Closing twice does nothing.
     */
    public abstract void close();

    /** {@return the path the file was opened by} */
    public abstract Path path();

    /** {@return the loop whose thread runs this file's callbacks} */
    public abstract EventLoop loop();
}
