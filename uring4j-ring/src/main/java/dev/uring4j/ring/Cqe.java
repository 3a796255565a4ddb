package dev.uring4j.ring;

import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_BUFFER_SHIFT;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_BUFFER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_BUF_MORE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_MORE;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_NOTIF;
import static dev.uring4j.ring.uapi.IoUringH.IORING_CQE_F_SOCK_NONEMPTY;

/**
 * Decoders for the {@code flags} of a completion, as handed to a {@link CqeHandler}. Completions
 * are never objects: the CQ is read in place and these decode the int.
 */
public final class Cqe {
    private Cqe() {}

    /**
     * {@code IORING_CQE_F_MORE}: the multishot request stays armed; more completions will follow.
     *
     * @param flags a completion's {@code flags}
     * @return whether the flag is set
     */
    public static boolean more(int flags) {
        return (flags & IORING_CQE_F_MORE) != 0;
    }

    /**
     * {@code IORING_CQE_F_BUFFER}: a provided buffer was picked; see {@link #bufferId}.
     *
     * @param flags a completion's {@code flags}
     * @return whether the flag is set
     */
    public static boolean hasBuffer(int flags) {
        return (flags & IORING_CQE_F_BUFFER) != 0;
    }

    /**
     * The provided buffer's id, in the upper 16 bits.
     *
     * @param flags a completion's {@code flags}, with {@link #hasBuffer}
     * @return the buffer id
     */
    public static int bufferId(int flags) {
        return flags >>> IORING_CQE_BUFFER_SHIFT;
    }

    /**
     * {@code IORING_CQE_F_SOCK_NONEMPTY}: the socket still had data after this receive.
     *
     * @param flags a completion's {@code flags}
     * @return whether the flag is set
     */
    public static boolean sockNonEmpty(int flags) {
        return (flags & IORING_CQE_F_SOCK_NONEMPTY) != 0;
    }

    /**
     * {@code IORING_CQE_F_NOTIF}: a zero-copy send's notification: its buffer may be reused now.
     *
     * @param flags a completion's {@code flags}
     * @return whether the flag is set
     */
    public static boolean notif(int flags) {
        return (flags & IORING_CQE_F_NOTIF) != 0;
    }

    /**
     * {@code IORING_CQE_F_BUF_MORE}: with incremental buffers, the kernel keeps using this buffer.
     *
     * @param flags a completion's {@code flags}
     * @return whether the flag is set
     */
    public static boolean bufMore(int flags) {
        return (flags & IORING_CQE_F_BUF_MORE) != 0;
    }
}
