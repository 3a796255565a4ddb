package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.FileStat;
import dev.uring4j.runtime.LoopFile;
import dev.uring4j.runtime.internal.LoopFileBase;

/**
 * A {@link LoopFile} whose every operation is an SQE on its loop's ring ({@link UringFiles}); it
 * holds a normal descriptor, not a direct one, because {@code statx} and {@code openat2} relative
 * to it take a descriptor the kernel looks up by number.
 */
public final class UringFile extends LoopFileBase {
    private final UringFiles files;
    final int fd;

    UringFile(UringEventLoop loop, UringFiles files, Path path, int fd) {
        super(loop, path);
        this.files = files;
        this.fd = fd;
    }

    @Override
    protected void doOpenBeneath(String relative, Callback<LoopFile> callback) {
        files.openBeneath(this, relative, callback);
    }

    @Override
    protected void doStat(Callback<FileStat> callback) {
        files.stat(this, callback);
    }

    @Override
    protected void doRead(MemorySegment dst, int length, long position, ReadCallback callback) {
        files.read(this, dst, length, position, callback);
    }

    @Override
    protected void doClose() {
        if (loop.isStopped()) {
            // No ring to close it through any more (a close from another thread after the loop ended).
            LibC.close(fd);
        } else {
            files.close(fd);
        }
    }

    /** An operation of this file had its completion. */
    void operationEnded() {
        finished();
    }
}
