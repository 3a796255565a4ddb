package dev.uring4j.ring.uapi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct open_how} of {@code include/uapi/linux/openat2.h}, the argument of
 * {@code openat2(2)} and {@code IORING_OP_OPENAT2}, with the {@code RESOLVE_*} flags that confine
 * path resolution.
 */
public final class OpenHow {
    private OpenHow() {}

    /** {@code struct open_how}, its fields named as in the header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("mode"),
            JAVA_LONG.withName("resolve")
    ).withName("open_how");

    /** Byte offset of {@code flags}: the {@code O_*} flags. */
    public static final long OFFSET_flags = Layouts.offset(LAYOUT, "flags");
    /** Byte offset of {@code mode}: the mode of a created file (0 otherwise, or the kernel refuses). */
    public static final long OFFSET_mode = Layouts.offset(LAYOUT, "mode");
    /** Byte offset of {@code resolve}: the {@code RESOLVE_*} flags. */
    public static final long OFFSET_resolve = Layouts.offset(LAYOUT, "resolve");

    /** Block mount-point crossings. */
    public static final long RESOLVE_NO_XDEV = 0x01;
    /** Block traversal through procfs-style "magic links". */
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    /** Block traversal through every symlink (implies {@code RESOLVE_NO_MAGICLINKS}). */
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    /** Block "lexical" trickery like "..", symlinks and absolute paths which escape the dirfd ({@code EXDEV}). */
    public static final long RESOLVE_BENEATH = 0x08;
    /** Make all jumps to "/" and ".." be scoped inside the dirfd (like {@code chroot(2)}). */
    public static final long RESOLVE_IN_ROOT = 0x10;
    /** Only complete if resolution can be done without I/O ({@code EAGAIN} otherwise). */
    public static final long RESOLVE_CACHED = 0x20;
}
