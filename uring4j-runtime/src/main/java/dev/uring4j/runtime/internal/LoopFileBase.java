package dev.uring4j.runtime.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.ErrnoException;
import dev.uring4j.runtime.EventLoop;
import dev.uring4j.runtime.FileStat;
import dev.uring4j.runtime.LoopFile;

/**
 * What every {@link LoopFile} does the same way, whichever does its I/O: calls from other threads
 * handed to the loop, arguments checked, operations refused once the file is closed, and the
 * close itself put off until no operation of the file is in flight (a blocking read must not have
 * its channel closed under it; on io_uring it would be safe, but the rule is kept the same). A
 * subclass does one operation at a time per call, on the loop's thread, and reports its end
 * through {@link #finished()}.
 */
public abstract non-sealed class LoopFileBase extends LoopFile {
    /** The longest path the kernel takes ({@code PATH_MAX}, with its NUL). */
    public static final int PATH_MAX = 4096;

    protected final TransportLoop loop;
    protected final Path path;
    private int inFlight;
    /** Regions of the file that connections have queued to send: each keeps it open. */
    private int holds;
    private boolean closing;
    private boolean closed;

    protected LoopFileBase(TransportLoop loop, Path path) {
        this.loop = loop;
        this.path = path;
    }

    @Override
    public final void openBeneath(String relativePath, Callback<LoopFile> callback) {
        if (!loop.inEventLoop()) {
            loop.post(() -> openBeneath(relativePath, callback), () -> callback.complete(null, stopped("open " + relativePath)));
            return;
        }
        String what = "open " + relativePath + " beneath " + path;
        int bad = checkRelative(relativePath);
        if (bad != 0) {
            callback.complete(null, new ErrnoException(what, bad, bad == Errno.ENAMETOOLONG ? "PATH_MAX is " + PATH_MAX
                    : "the path holds a NUL, which would end it early"));
        } else if (accepts(what, callback)) {
            started();
            doOpenBeneath(relativePath, callback);
        }
    }

    @Override
    public final void stat(Callback<FileStat> callback) {
        if (!loop.inEventLoop()) {
            loop.post(() -> stat(callback), () -> callback.complete(null, stopped("statx")));
            return;
        }
        if (accepts("statx", callback)) {
            started();
            doStat(callback);
        }
    }

    @Override
    public final void read(MemorySegment dst, long position, ReadCallback callback) {
        if (!dst.isNative()) {
            throw new IllegalArgumentException("reads go into native memory; this segment is on the heap");
        }
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
        if (!loop.inEventLoop()) {
            loop.post(() -> read(dst, position, callback), () -> callback.complete(-1, stopped("read")));
            return;
        }
        if (closing) {
            callback.complete(-1, closedError("read"));
            return;
        }
        started();
        doRead(dst, (int) Math.min(dst.byteSize(), Integer.MAX_VALUE), position, callback);
    }

    @Override
    public final void close() {
        if (!loop.inEventLoop()) {
            // A stopped loop runs no more operations of the file: close it here.
            loop.post(this::closeNow, this::closeNow);
            return;
        }
        closeNow();
    }

    private void closeNow() {
        if (!closing) {
            closing = true;
            closeIfIdle();
        }
    }

    /**
     * A connection queued a region of the file to send: the file stays open until {@link #letGo()},
     * even if it is closed meanwhile. Loop thread.
     *
     * @throws IllegalStateException if the file was closed
     */
    public final void hold() {
        if (closing) {
            throw new IllegalStateException(closedError("send").getMessage());
        }
        holds++;
    }

    /**
     * Reads a piece of a region a connection holds ({@link #hold()}) into {@code dst}: allowed
     * after the file was closed, since the close waits for the region. Loop thread.
     */
    public final void readHeld(MemorySegment dst, long position, ReadCallback callback) {
        started();
        doRead(dst, (int) Math.min(dst.byteSize(), Integer.MAX_VALUE), position, callback);
    }

    /** A region queued by {@link #hold()} was sent or discarded. Loop thread. */
    public final void letGo() {
        holds--;
        closeIfIdle();
    }

    private void started() {
        inFlight++;
        loop.fileOperations++;
    }

    /** An operation started by a {@code doX} ended (before its callback runs). Loop thread. */
    protected final void finished() {
        inFlight--;
        loop.fileOperations--;
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (closing && inFlight == 0 && holds == 0 && !closed) {
            closed = true;
            doClose();
        }
    }

    /** Whether the file may take an operation; if not, the callback has heard why. */
    private boolean accepts(String what, Callback<?> callback) {
        if (closing) {
            callback.complete(null, closedError(what));
            return false;
        }
        return true;
    }

    private IOException closedError(String what) {
        return new IOException(what + " of " + path + ": the file was closed");
    }

    private IOException stopped(String what) {
        return new IOException(what + " of " + path + ": event loop " + loop.name() + " has stopped");
    }

    /** 0 when {@code relative} can be handed to the kernel, else the errno that says why not. */
    private static int checkRelative(String relative) {
        if (relative.indexOf('\0') >= 0) {
            return Errno.EINVAL;
        }
        // UTF-8 takes at most three bytes per UTF-16 unit.
        if (relative.length() * 3 >= PATH_MAX && relative.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PATH_MAX) {
            return Errno.ENAMETOOLONG;
        }
        return 0;
    }

    /** Opens {@code relative} beneath this directory, then calls {@link #finished()} and the callback. */
    protected abstract void doOpenBeneath(String relative, Callback<LoopFile> callback);

    /** Stats the file, then calls {@link #finished()} and the callback. */
    protected abstract void doStat(Callback<FileStat> callback);

    /** Reads up to {@code length} bytes, then calls {@link #finished()} and the callback. */
    protected abstract void doRead(MemorySegment dst, int length, long position, ReadCallback callback);

    /** Closes the descriptor or channel; nothing of the file is in flight. */
    protected abstract void doClose();

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "LoopFile[" + path + "]";
    }
}
