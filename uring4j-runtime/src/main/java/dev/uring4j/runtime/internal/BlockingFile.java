package dev.uring4j.runtime.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.FileStat;
import dev.uring4j.runtime.LoopFile;

/**
 * A {@link LoopFile} whose calls block, on a small pool of threads shared by every loop, and post
 * their results to the file's loop: the way files are read on the NIO transport and where the ring
 * lacks the file operations. The pool is bounded both ways (a few threads, a queue): when it is
 * full an operation fails at once instead of queuing without limit. JDK exceptions with a known
 * errno become {@link ErrnoException}s, so callers tell the cases apart as on io_uring.
 *
 * <p>A read goes straight into the caller's segment when the pool's threads may access it (a
 * shared or global arena); into a heap array copied on the loop when it is confined to the loop's
 * thread.
 */
public final class BlockingFile extends LoopFileBase {
    private static final int QUEUE = 4096;
    private static final ThreadPoolExecutor POOL;

    static {
        int threads = Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));
        AtomicInteger count = new AtomicInteger();
        POOL = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "uring4j-file-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    /** The real path: {@link #openBeneath} compares against it. */
    private final Path real;
    /** Null for a directory, which is never read. */
    private final FileChannel channel;

    private BlockingFile(TransportLoop loop, Path path, Path real, FileChannel channel) {
        super(loop, path);
        this.real = real;
        this.channel = channel;
    }

    /** Opens {@code path} on the pool; the callback runs on {@code loop}. */
    static void open(TransportLoop loop, Path path, Callback<LoopFile> callback) {
        loop.runOrPost(() -> {
            loop.fileOperations++;
            offload(loop, () -> openReal(loop, path, path.toRealPath()), "open " + path, callback, () -> loop.fileOperations--);
        }, () -> callback.complete(null, new IOException("open " + path + ": event loop " + loop.name() + " has stopped")));
    }

    private static BlockingFile openReal(TransportLoop loop, Path path, Path real) throws IOException {
        FileChannel ch = Files.isDirectory(real) ? null : FileChannel.open(real, StandardOpenOption.READ);
        return new BlockingFile(loop, path, real, ch);
    }

    @Override
    protected void doOpenBeneath(String relative, Callback<LoopFile> callback) {
        Path asked = path.resolve(relative);
        offload(loop, () -> {
            if (relative.startsWith("/")) {
                throw new ErrnoException("open " + relative + " beneath " + path, Errno.EXDEV, "an absolute path");
            }
            Path target = real.resolve(relative).toRealPath();
            if (!target.startsWith(real)) {
                throw new ErrnoException("open " + relative + " beneath " + path, Errno.EXDEV, "it resolves to " + target
                        + ", outside the directory");
            }
            return openReal(loop, asked, target);
        }, "open " + asked, callback, this::finished);
    }

    @Override
    protected void doStat(Callback<FileStat> callback) {
        offload(loop, () -> {
            Map<String, Object> a = Files.readAttributes(real, "unix:size,lastModifiedTime,ino,dev,mode");
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            java.time.Instant t = mtime.toInstant();
            return new FileStat((Long) a.get("size"), t.getEpochSecond(), t.getNano(), (Long) a.get("ino"), (Long) a.get("dev"),
                    (Integer) a.get("mode"));
        }, "statx " + path, callback, this::finished);
    }

    /** The open file's channel, for {@code FileChannel.transferTo}; {@code null} for a directory. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    protected void doRead(MemorySegment dst, int length, long position, ReadCallback callback) {
        if (channel == null) {
            finished();
            callback.complete(-1, new ErrnoException("read of " + path, Errno.EISDIR));
            return;
        }
        MemorySegment target = dst.asSlice(0, length);
        offload(loop, () -> {
            // A segment confined to the loop's thread is read into a copy the loop moves over.
            boolean direct = target.isAccessibleBy(Thread.currentThread());
            ByteBuffer buffer = direct ? target.asByteBuffer() : ByteBuffer.allocate(length);
            int n = Math.max(0, channel.read(buffer, position));
            return new Read(n, direct ? null : buffer.array());
        }, "read of " + path + " at " + position, (Read r, IOException e) -> {
            if (e != null) {
                callback.complete(-1, e);
                return;
            }
            if (r.copy != null) {
                MemorySegment.copy(MemorySegment.ofArray(r.copy), 0, target, 0, r.bytes);
            }
            callback.complete(r.bytes, null);
        }, this::finished);
    }

    /** What a read on the pool got, and the copy to move into a segment only the loop may touch. */
    private record Read(int bytes, byte[] copy) {}

    @Override
    protected void doClose() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                TransportLoop.LOG.log(System.Logger.Level.DEBUG, () -> "closing " + path + ": " + e);
            }
        }
    }

    /** Work for the pool, which may throw. */
    private interface Blocking<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code work} on the pool and reports its result to {@code callback} on {@code loop},
     * after {@code ended}; a full pool fails the operation at once, on the loop.
     */
    private static <T> void offload(TransportLoop loop, Blocking<T> work, String what, Callback<? super T> callback,
                                    Runnable ended) {
        try {
            POOL.execute(() -> {
                T result = null;
                IOException error = null;
                try {
                    result = work.call();
                } catch (IOException e) {
                    error = translate(what, e);
                } catch (RuntimeException e) {
                    error = new IOException(what + ": " + e, e);
                }
                T r = result;
                IOException err = error;
                loop.post(() -> {
                    ended.run();
                    callback.complete(r, err);
                }, () -> callback.complete(null, new IOException(what + ": event loop " + loop.name() + " stopped")));
            });
        } catch (RejectedExecutionException e) {
            ended.run();
            callback.complete(null, new IOException(what + ": the file I/O pool's queue is full (" + QUEUE
                    + " operations waiting); try again later"));
        }
    }

    /** A JDK exception as the errno it stands for, where there is one. */
    private static IOException translate(String what, IOException e) {
        if (e instanceof ErrnoException) {
            return e;
        }
        int errno = e instanceof NoSuchFileException ? Errno.ENOENT
                : e instanceof AccessDeniedException ? Errno.EACCES
                : e instanceof NotDirectoryException ? Errno.ENOTDIR
                : e instanceof FileSystemLoopException ? Errno.ELOOP
                // Other failures of a system call carry its strerror text as the reason.
                : e instanceof FileSystemException f && f.getReason() != null ? Errno.byMessage(f.getReason()) : 0;
        if (errno == 0) {
            return new IOException(what + ": " + e.getMessage(), e);
        }
        ErrnoException x = new ErrnoException(what, errno);
        x.initCause(e);
        return x;
    }
}
