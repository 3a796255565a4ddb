package dev.uring4j.ring;

import java.io.IOException;

/**
 * A system call or io_uring operation failed with an errno.
 *
 * <p>The message always names the operation, the errno name and its text, and, where the
 * failure has a usual cause, what to do about it: {@code "io_uring_setup: EPERM (Operation not
 * permitted): io_uring is disabled by kernel.io_uring_disabled=2"}.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call or io_uring operation that failed. */
    private final String operation;
    /** The positive errno. */
    private final int errno;

    /**
     * An exception whose message names the operation, the errno and, given a hint, what to do.
     *
     * @param operation the call or io_uring operation that failed ({@code "io_uring_register(IORING_REGISTER_PBUF_RING)"})
     * @param errno     the errno, either sign
     * @param hint      what the failure means here and what to do, or {@code null}
     */
    public ErrnoException(String operation, int errno, String hint) {
        super(format(operation, errno, hint));
        this.operation = operation;
        this.errno = Math.abs(errno);
    }

    /**
     * An exception whose message names the operation and the errno.
     *
     * @param operation the call or io_uring operation that failed
     * @param errno     the errno, either sign
     */
    public ErrnoException(String operation, int errno) {
        this(operation, errno, null);
    }

    private static String format(String operation, int errno, String hint) {
        String base = operation + ": " + Errno.describe(errno);
        return hint == null || hint.isEmpty() ? base : base + ": " + hint;
    }

    /** {@return the operation that failed} */
    public String operation() {
        return operation;
    }

    /** {@return the positive errno number} */
    public int errno() {
        return errno;
    }

    /** {@return the errno's symbolic name, e.g. {@code "ECONNRESET"}} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
