package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct statx} and {@code struct statx_timestamp} of {@code include/uapi/linux/stat.h},
 * which {@code IORING_OP_STATX} fills, with the mask bits and file-type bits a reader of it needs.
 * The fields after {@code stx_subvol} (atomic-write and direct-I/O limits) are kept as the
 * header's padding: nothing here reads them, and the kernel writes at most the 256 bytes.
 */
public final class Statx {
    private Statx() {}

    /** {@code struct statx_timestamp}. */
    public static final StructLayout TIMESTAMP = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_INT.withName("tv_nsec"),
            JAVA_INT.withName("__reserved")
    ).withName("statx_timestamp");

    /** {@code struct statx}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("stx_mask"),
            JAVA_INT.withName("stx_blksize"),
            JAVA_LONG.withName("stx_attributes"),
            JAVA_INT.withName("stx_nlink"),
            JAVA_INT.withName("stx_uid"),
            JAVA_INT.withName("stx_gid"),
            JAVA_SHORT.withName("stx_mode"),
            MemoryLayout.paddingLayout(2).withName("__spare0"),
            JAVA_LONG.withName("stx_ino"),
            JAVA_LONG.withName("stx_size"),
            JAVA_LONG.withName("stx_blocks"),
            JAVA_LONG.withName("stx_attributes_mask"),
            TIMESTAMP.withName("stx_atime"),
            TIMESTAMP.withName("stx_btime"),
            TIMESTAMP.withName("stx_ctime"),
            TIMESTAMP.withName("stx_mtime"),
            JAVA_INT.withName("stx_rdev_major"),
            JAVA_INT.withName("stx_rdev_minor"),
            JAVA_INT.withName("stx_dev_major"),
            JAVA_INT.withName("stx_dev_minor"),
            JAVA_LONG.withName("stx_mnt_id"),
            JAVA_INT.withName("stx_dio_mem_align"),
            JAVA_INT.withName("stx_dio_offset_align"),
            JAVA_LONG.withName("stx_subvol"),
            MemoryLayout.paddingLayout(88).withName("__spare3")
    ).withName("statx");

    /** Byte offset of {@code stx_mask}. */
    public static final long OFFSET_stx_mask = Layouts.offset(LAYOUT, "stx_mask");
    /** Byte offset of {@code stx_mode}. */
    public static final long OFFSET_stx_mode = Layouts.offset(LAYOUT, "stx_mode");
    /** Byte offset of {@code stx_ino}. */
    public static final long OFFSET_stx_ino = Layouts.offset(LAYOUT, "stx_ino");
    /** Byte offset of {@code stx_size}. */
    public static final long OFFSET_stx_size = Layouts.offset(LAYOUT, "stx_size");
    /** Byte offset of {@code stx_mtime.tv_sec}. */
    public static final long OFFSET_stx_mtime_tv_sec = Layouts.offset(LAYOUT, "stx_mtime", "tv_sec");
    /** Byte offset of {@code stx_mtime.tv_nsec}. */
    public static final long OFFSET_stx_mtime_tv_nsec = Layouts.offset(LAYOUT, "stx_mtime", "tv_nsec");
    /** Byte offset of {@code stx_dev_major}. */
    public static final long OFFSET_stx_dev_major = Layouts.offset(LAYOUT, "stx_dev_major");
    /** Byte offset of {@code stx_dev_minor}. */
    public static final long OFFSET_stx_dev_minor = Layouts.offset(LAYOUT, "stx_dev_minor");

    // stx_mask bits: what to fill in, and (in the result) what was
    /** {@code stx_mode & S_IFMT}. */
    public static final int STATX_TYPE = 0x00000001;
    /** {@code stx_mode & ~S_IFMT}. */
    public static final int STATX_MODE = 0x00000002;
    /** {@code stx_nlink}. */
    public static final int STATX_NLINK = 0x00000004;
    /** {@code stx_uid}. */
    public static final int STATX_UID = 0x00000008;
    /** {@code stx_gid}. */
    public static final int STATX_GID = 0x00000010;
    /** {@code stx_atime}. */
    public static final int STATX_ATIME = 0x00000020;
    /** {@code stx_mtime}. */
    public static final int STATX_MTIME = 0x00000040;
    /** {@code stx_ctime}. */
    public static final int STATX_CTIME = 0x00000080;
    /** {@code stx_ino}. */
    public static final int STATX_INO = 0x00000100;
    /** {@code stx_size}. */
    public static final int STATX_SIZE = 0x00000200;
    /** {@code stx_blocks}. */
    public static final int STATX_BLOCKS = 0x00000400;
    /** What {@code stat(2)} returns. */
    public static final int STATX_BASIC_STATS = 0x000007ff;

    // the file type in stx_mode (include/uapi/linux/stat.h)
    /** The file-type bits of {@code stx_mode}. */
    public static final int S_IFMT = 0170000;
    /** A symbolic link. */
    public static final int S_IFLNK = 0120000;
    /** A regular file. */
    public static final int S_IFREG = 0100000;
    /** A directory. */
    public static final int S_IFDIR = 0040000;
}
