package dev.uring4j.ring.uapi;

/**
 * The {@code O_*} and {@code AT_*} constants of {@code include/uapi/asm-generic/fcntl.h} and
 * {@code include/uapi/linux/fcntl.h} that opening and {@code statx} through the ring take (the
 * values shared by x86-64 and arm64; {@code O_DIRECTORY} and {@code O_NOFOLLOW} differ between
 * them and are left out).
 */
public final class Fcntl {
    private Fcntl() {}

    /** Open for reading only. */
    public static final int O_RDONLY = 00000000;
    /** Close on {@code exec}. */
    public static final int O_CLOEXEC = 02000000;

    /** The {@code dfd} meaning the current working directory. */
    public static final int AT_FDCWD = -100;
    /** Do not follow a symbolic link in the last component. */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** An empty path names {@code dfd} itself ({@code statx} of an open file). */
    public static final int AT_EMPTY_PATH = 0x1000;
}
