package dev.uring4j.runtime.internal.uring;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.uapi.Fcntl;
import dev.uring4j.ring.uapi.OpenHow;
import dev.uring4j.ring.uapi.Statx;
import dev.uring4j.runtime.FileStat;
import dev.uring4j.runtime.LoopFile;
import dev.uring4j.runtime.internal.LoopFileBase;

/**
 * The loop's file operations in flight ({@link UringFile}): each open, statx or read holds one slot
 * here until its completion, and its {@code user_data} names the slot and the slot's generation.
 * A slot owns native scratch the kernel reads or writes while the operation runs (the path, the
 * {@code open_how}, the {@code struct statx}), made from the loop's arena the first time the slot is
 * used and kept for the next operation: the arena is closed only after the loop's last completion,
 * so no operation can outlive its scratch. Loop thread only.
 *
 * <pre>
 *  scratch: | path, NUL-terminated (PATH_MAX) | open_how (24) | struct statx (256) |
 * </pre>
 */
final class UringFiles {
    private static final int OPEN = 1;
    private static final int STAT = 2;
    private static final int READ = 3;
    private static final long HOW = LoopFileBase.PATH_MAX;
    private static final long STATX = HOW + OpenHow.LAYOUT.byteSize();
    private static final long SCRATCH = STATX + Statx.LAYOUT.byteSize();
    private static final long RESOLVE = OpenHow.RESOLVE_BENEATH | OpenHow.RESOLVE_NO_MAGICLINKS;
    private static final int OPEN_FLAGS = Fcntl.O_RDONLY | Fcntl.O_CLOEXEC;

    private final UringEventLoop loop;
    private Op[] ops = new Op[8];
    private int[] free = new int[8];
    private int freeCount;
    /** Slots made so far; those not free hold an operation. */
    private int created;
    private int used;

    UringFiles(UringEventLoop loop) {
        this.loop = loop;
    }

    /** One operation's slot: what its completion needs, and the scratch the kernel works on. */
    private static final class Op {
        final int slot;
        int generation;
        MemorySegment scratch;
        int kind;
        /** The file operated on; {@code null} for an open by path. */
        UringFile file;
        /** What the operation was asked, for the result's path and errors. */
        Path path;
        long position;
        LoopFile.Callback<?> callback;
        LoopFile.ReadCallback readCallback;

        Op(int slot) {
            this.slot = slot;
        }
    }

    /** {@code openat(AT_FDCWD, path)}, for {@link LoopFile#open}. */
    void open(Path path, LoopFile.Callback<LoopFile> callback) {
        Op op = claim(OPEN, null, path);
        op.callback = callback;
        int bad = putPath(op, path.toString());
        if (bad != 0) {
            fail(op, "openat " + path, bad);
            return;
        }
        loop.sqe().prepOpenat(Fcntl.AT_FDCWD, op.scratch.address(), OPEN_FLAGS, 0).userData(userData(op));
    }

    /** {@code openat2(dir, relative)} confined beneath {@code dir}. */
    void openBeneath(UringFile dir, String relative, LoopFile.Callback<LoopFile> callback) {
        Op op = claim(OPEN, dir, dir.path().resolve(relative));
        op.callback = callback;
        putPath(op, relative);
        MemorySegment s = op.scratch;
        s.set(JAVA_LONG, HOW + OpenHow.OFFSET_flags, OPEN_FLAGS);
        s.set(JAVA_LONG, HOW + OpenHow.OFFSET_mode, 0);
        s.set(JAVA_LONG, HOW + OpenHow.OFFSET_resolve, RESOLVE);
        loop.sqe().prepOpenat2(dir.fd, s.address(), s.address() + HOW).userData(userData(op));
    }

    /** {@code statx(fd, "", AT_EMPTY_PATH)}. */
    void stat(UringFile file, LoopFile.Callback<FileStat> callback) {
        Op op = claim(STAT, file, file.path());
        op.callback = callback;
        MemorySegment s = op.scratch;
        s.set(JAVA_BYTE, 0, (byte) 0);
        loop.sqe().prepStatx(file.fd, s.address(), Fcntl.AT_EMPTY_PATH, Statx.STATX_BASIC_STATS, s.address() + STATX)
                .userData(userData(op));
    }

    /** {@code pread} into the caller's segment, which it keeps alive until the callback. */
    void read(UringFile file, MemorySegment dst, int length, long position, LoopFile.ReadCallback callback) {
        Op op = claim(READ, file, file.path());
        op.readCallback = callback;
        op.position = position;
        loop.sqe().prepRead(file.fd, dst.address(), length, position).userData(userData(op));
    }

    /** Closes {@code fd}; nothing of it is in flight. */
    void close(int fd) {
        loop.sqe().prepClose(fd).userData(UserData.encode(UserData.OP_FILE_CLOSE, 0, fd));
    }

    /** A completion of {@code OP_FILE}. */
    void dispatch(long userData, int res, int flags) {
        int slot = UserData.slot(userData);
        Op op = slot >= 0 && slot < ops.length ? ops[slot] : null;
        if (op == null || op.kind == 0 || op.generation != UserData.generation(userData)) {
            loop.unowned(userData, flags, "no file operation of that generation in slot " + slot);
            return;
        }
        complete(op, res);
    }

    /** The close of a file's descriptor completed ({@code OP_FILE_CLOSE}). */
    static void closed(long userData, int res) {
        if (res < 0) {
            UringEventLoop.LOG.log(System.Logger.Level.DEBUG, () -> "close of file descriptor " + UserData.slot(userData)
                    + ": " + dev.uring4j.ring.Errno.describe(res));
        }
    }

    /**
     * The loop is gone and every operation has had its last completion or been drained: those whose
     * callbacks did not run hear it now, so no caller waits forever.
     */
    void abandonAll(String loopName) {
        for (Op op : ops) {
            if (op != null && op.kind != 0) {
                IOException e = new IOException(describe(op) + ": event loop " + loopName + " stopped first");
                report(op, -1, e, null);
            }
        }
    }

    /** Operations holding a slot (for tests). */
    int inFlight() {
        return used;
    }

    private void complete(Op op, int res) {
        if (res < 0) {
            fail(op, describe(op), -res);
            return;
        }
        switch (op.kind) {
            case OPEN -> report(op, 0, null, new UringFile(loop, this, op.path, res));
            case STAT -> report(op, 0, null, stat(op.scratch));
            case READ -> report(op, res, null, null);
            default -> throw new IllegalStateException("file operation of kind " + op.kind);
        }
    }

    private void fail(Op op, String what, int errno) {
        report(op, -1, new ErrnoException(what, errno), null);
    }

    /** Frees the slot, then tells the file and the caller; either may start the next operation. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void report(Op op, int bytes, IOException error, Object result) {
        UringFile file = op.file;
        LoopFile.Callback callback = op.callback;
        LoopFile.ReadCallback readCallback = op.readCallback;
        boolean byPath = op.kind == OPEN && file == null;
        release(op);
        if (file != null) {
            file.operationEnded();
        } else if (byPath) {
            loop.fileOperations--;
        }
        if (readCallback != null) {
            readCallback.complete(error == null ? bytes : -1, error);
        } else {
            callback.complete(error == null ? result : null, error);
        }
    }

    private static FileStat stat(MemorySegment s) {
        return new FileStat(s.get(JAVA_LONG, STATX + Statx.OFFSET_stx_size),
                s.get(JAVA_LONG, STATX + Statx.OFFSET_stx_mtime_tv_sec),
                s.get(JAVA_INT, STATX + Statx.OFFSET_stx_mtime_tv_nsec),
                s.get(JAVA_LONG, STATX + Statx.OFFSET_stx_ino),
                ((long) s.get(JAVA_INT, STATX + Statx.OFFSET_stx_dev_major) << 32)
                        | (s.get(JAVA_INT, STATX + Statx.OFFSET_stx_dev_minor) & 0xFFFF_FFFFL),
                Short.toUnsignedInt(s.get(JAVA_SHORT, STATX + Statx.OFFSET_stx_mode)));
    }

    private static String describe(Op op) {
        return switch (op.kind) {
            case OPEN -> (op.file == null ? "openat " : "openat2 (RESOLVE_BENEATH) ") + op.path;
            case STAT -> "statx " + op.path;
            default -> "read of " + op.path + " at " + op.position;
        };
    }

    /** Writes {@code path} NUL-terminated into the slot's scratch; 0, or the errno that refuses it. */
    private static int putPath(Op op, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= LoopFileBase.PATH_MAX) {
            return dev.uring4j.ring.Errno.ENAMETOOLONG;
        }
        MemorySegment.copy(bytes, 0, op.scratch, JAVA_BYTE, 0, bytes.length);
        op.scratch.set(JAVA_BYTE, bytes.length, (byte) 0);
        return 0;
    }

    private long userData(Op op) {
        return UserData.encode(UserData.OP_FILE, op.generation, op.slot);
    }

    private Op claim(int kind, UringFile file, Path path) {
        Op op;
        if (freeCount > 0) {
            op = ops[free[--freeCount]];
            op.generation = (op.generation + 1) & UserData.GENERATION_MASK;
        } else {
            if (created == ops.length) {
                ops = Arrays.copyOf(ops, created * 2);
                free = Arrays.copyOf(free, created * 2);
            }
            op = new Op(created);
            ops[created++] = op;
        }
        if (kind != READ && op.scratch == null) {
            op.scratch = loop.arena().allocate(SCRATCH, 8);
        }
        used++;
        op.kind = kind;
        op.file = file;
        op.path = path;
        if (file == null) {
            loop.fileOperations++;
        }
        return op;
    }

    private void release(Op op) {
        op.kind = 0;
        op.file = null;
        op.path = null;
        op.callback = null;
        op.readCallback = null;
        free[freeCount++] = op.slot;
        used--;
    }
}
