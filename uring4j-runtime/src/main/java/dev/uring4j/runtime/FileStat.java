package dev.uring4j.runtime;

/**
 * What {@link LoopFile#stat} reports of an open file: the fields of {@code struct statx} a file
 * server needs (size, modification time, identity, type).
 *
 * @param size             the length in bytes
 * @param modifiedSeconds  the last modification, seconds since the epoch
 * @param modifiedNanos    the nanoseconds within that second
 * @param inode            the inode number
 * @param device           the device the file lives on ({@code major << 32 | minor})
 * @param mode             the type and permission bits ({@code stx_mode}: {@code S_IFREG}, {@code S_IFDIR}, ...)
 */
public record FileStat(long size, long modifiedSeconds, int modifiedNanos, long inode, long device, int mode) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    /** {@return whether the file is a regular file} */
    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** {@return whether the file is a directory} */
    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /** {@return the last modification in milliseconds since the epoch} */
    public long modifiedMillis() {
        return modifiedSeconds * 1000 + modifiedNanos / 1_000_000;
    }
}
