package dev.uring4j.ring.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The three io_uring system calls, made through libc's variadic {@code syscall(2)}.
 *
 * <p>Every method returns what the kernel returned, negative errno on failure, as a completion's
 * {@code res} does. libc's {@code syscall()} wrapper turns the kernel's {@code -errno} into
 * {@code -1} and sets {@code errno}, so the errno must be fetched after the call:
 * <ul>
 *   <li>{@link #io_uring_setup} and {@link #io_uring_register} capture errno with
 *       {@code Linker.Option.captureCallState}, which copies it before the JVM runs any code;</li>
 *   <li>{@link #io_uring_enter} is the hot path, called once per event-loop iteration.
 *       Capturing would add work to every call, nearly all of which succeed, so it is not done:
 *       on {@code -1} the thread's errno is read through {@code __errno_location()}. Between the
 *       call's return and that read the thread runs only the downcall's return path, which can at
 *       worst block at a safepoint; the errno read there is used to classify ({@code ETIME},
 *       {@code EINTR}, {@code EBUSY}) and to name the error, and every caller treats an unexpected
 *       value as "reap, then retry", so a misread can not lose a completion.</li>
 * </ul>
 * The syscall numbers 425..427 are the same on every Linux architecture.
 */
public final class Syscalls {
    private Syscalls() {}

    public static final long SYS_io_uring_setup = 425;
    public static final long SYS_io_uring_enter = 426;
    public static final long SYS_io_uring_register = 427;

    private static final FunctionDescriptor SYSCALL_DESCRIPTOR = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** {@code long syscall(long number, ...)}, six variadic longs, no errno capture: the enter path. */
    private static final MethodHandle syscall = NativeAccess.downcall("syscall", SYSCALL_DESCRIPTOR,
            Linker.Option.firstVariadicArg(1));

    /** {@code long syscall(long number, ...)} with errno captured: setup and register. */
    private static final MethodHandle syscall_errno = NativeAccess.downcallErrno("syscall", SYSCALL_DESCRIPTOR,
            Linker.Option.firstVariadicArg(1));

    /** {@code int *__errno_location(void)}: trivial and non-blocking, so a critical downcall. */
    private static final MethodHandle __errno_location = NativeAccess.downcall("__errno_location",
            FunctionDescriptor.of(ADDRESS), Linker.Option.critical(false));

    /** io_uring_setup(2): a new ring's fd, or -errno. */
    public static int io_uring_setup(int entries, MemorySegment params) {
        return (int) capturing(SYS_io_uring_setup, entries, params.address(), 0, 0, 0, 0);
    }

    /**
     * io_uring_enter(2). Returns the number of SQEs consumed, or -errno.
     *
     * @param fd       the ring fd, or its registered index with {@code IORING_ENTER_REGISTERED_RING}
     * @param arg      address of a sigset or {@code io_uring_getevents_arg}, 0 for none
     * @param argSize  size of what {@code arg} points to
     */
    public static int io_uring_enter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        long r;
        try {
            r = (long) syscall.invokeExact(SYS_io_uring_enter, (long) fd, (long) toSubmit, (long) minComplete,
                    (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw new AssertionError("io_uring_enter downcall failed", t);
        }
        return r == -1 ? -errno() : (int) r;
    }

    /** io_uring_register(2): the opcode's result, or -errno. */
    public static int io_uring_register(int fd, int opcode, long arg, int nrArgs) {
        return (int) capturing(SYS_io_uring_register, fd, opcode, arg, nrArgs, 0, 0);
    }

    /** io_uring_register(2) with a segment argument. */
    public static int io_uring_register(int fd, int opcode, MemorySegment arg, int nrArgs) {
        return io_uring_register(fd, opcode, arg.address(), nrArgs);
    }

    private static long capturing(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment capture = NativeAccess.capture();
        long r;
        try {
            r = (long) syscall_errno.invokeExact(capture, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new AssertionError("syscall downcall failed", t);
        }
        return r == -1 ? -NativeAccess.errno(capture) : r;
    }

    /** The calling thread's current errno; see the class comment for when it can be trusted. */
    static int errno() {
        try {
            MemorySegment location = (MemorySegment) __errno_location.invokeExact();
            return location.reinterpret(Integer.BYTES).get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw new AssertionError("__errno_location downcall failed", t);
        }
    }
}
