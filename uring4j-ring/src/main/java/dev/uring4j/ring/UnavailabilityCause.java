package dev.uring4j.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Seccomp;
import dev.uring4j.ring.sys.Syscalls;
import dev.uring4j.ring.uapi.IoUringParams;

/**
 * Why {@code io_uring_setup} failed, in words a user can act on.
 *
 * <p>The same errno has different causes: {@code EPERM} comes from the
 * {@code kernel.io_uring_disabled} sysctl, from a seccomp filter (Docker's and Kubernetes'
 * default profiles block io_uring), or from an LSM. {@link #classify} is a pure function of the
 * errno and of what the process can observe ({@code /proc/sys/kernel/io_uring_disabled},
 * {@code io_uring_group}, the {@code Seccomp:} line of {@code /proc/self/status}, the memlock
 * limit); {@link #observe} reads those and calls it.
 *
 * @param kind  the cause, for programs
 * @param errno the positive errno from io_uring_setup
 * @param hint  the cause and what to do, for people
 */
public record UnavailabilityCause(Kind kind, int errno, String hint) {

    /** {@return the whole message: {@code "io_uring_setup: EPERM (Operation not permitted): <hint>"}} */
    public String message() {
        return "io_uring_setup: " + Errno.describe(errno) + ": " + hint;
    }

    /** The causes told apart. */
    public enum Kind {
        /** {@code kernel.io_uring_disabled=2}: nobody may create rings. */
        DISABLED_BY_SYSCTL,
        /** {@code kernel.io_uring_disabled=1} and this process is not in {@code kernel.io_uring_group}. */
        RESTRICTED_TO_GROUP,
        /** A seccomp filter refused the call (containers' default profiles). */
        SECCOMP,
        /**
         * Refused with neither the sysctl nor seccomp to explain it: a security module ({@code EPERM}),
         * or a sandbox that intercepts the call ({@code ENOSYS} from a kernel that has io_uring).
         */
        NOT_PERMITTED,
        /** The kernel has no io_uring ({@code ENOSYS}: older than 5.1 or built without it). */
        NOT_IN_KERNEL,
        /** The rings do not fit under {@code RLIMIT_MEMLOCK} (kernels before 5.12 charge them to it). */
        MEMLOCK,
        /** The kernel rejected the setup flags: it predates one of them. */
        UNSUPPORTED_SETUP,
        /** Anything else; the message names the errno. */
        OTHER
    }

    private static final String FALLBACK = "uring4j can run on its NIO transport instead (-During4j.transport=nio)";

    /**
     * Classifies a setup failure.
     *
     * @param errno          positive errno returned by io_uring_setup
     * @param sysctlDisabled value of {@code kernel.io_uring_disabled}, or {@code null} where the
     *                       file does not exist (kernels before 6.6) or cannot be read
     * @param ioUringGroup   value of {@code kernel.io_uring_group}, or {@code null}
     * @param seccompMode    the {@code Seccomp:} value of /proc/self/status (0 none, 1 strict,
     *                       2 filter), or -1 if unknown
     * @param memlockSoft    soft {@code RLIMIT_MEMLOCK} in bytes, -1 for unlimited or unknown
     * @param setupFlags     the {@code IORING_SETUP_*} flags that were asked for
     * @return the cause, with a hint that names what was observed and what to do
     */
    public static UnavailabilityCause classify(int errno, Integer sysctlDisabled, Integer ioUringGroup,
                                               int seccompMode, long memlockSoft, int setupFlags) {
        String seccomp = "a seccomp filter is active (Seccomp: 2 in /proc/self/status), as container runtimes' "
                + "default profiles (Docker, containerd, Kubernetes RuntimeDefault) install, and it blocks io_uring; "
                + "allow io_uring_setup, io_uring_enter and io_uring_register in the profile, or ";
        switch (Math.abs(errno)) {
            case Errno.EPERM: {
                if (sysctlDisabled != null && sysctlDisabled == 2) {
                    return new UnavailabilityCause(Kind.DISABLED_BY_SYSCTL, Errno.EPERM,
                            "io_uring is disabled for every process by kernel.io_uring_disabled=2"
                            + (seccompMode == 2 ? " (a seccomp filter is active too: Seccomp: 2 in /proc/self/status)" : "")
                            + "; an administrator can set it to 0, or to 1 with kernel.io_uring_group; " + FALLBACK);
                }
                if (sysctlDisabled != null && sysctlDisabled == 1) {
                    return new UnavailabilityCause(Kind.RESTRICTED_TO_GROUP, Errno.EPERM,
                            "kernel.io_uring_disabled=1 allows io_uring only to members of kernel.io_uring_group="
                            + (ioUringGroup == null ? "?" : ioUringGroup) + " and to CAP_SYS_ADMIN"
                            + (seccompMode == 2 ? " (a seccomp filter is active too: Seccomp: 2 in /proc/self/status)" : "")
                            + "; add this process's user to that group, or " + FALLBACK);
                }
                if (seccompMode == 2) {
                    return new UnavailabilityCause(Kind.SECCOMP, Errno.EPERM, seccomp + FALLBACK);
                }
                return new UnavailabilityCause(Kind.NOT_PERMITTED, Errno.EPERM,
                        "io_uring is not permitted here, though kernel.io_uring_disabled="
                        + (sysctlDisabled == null ? "(absent)" : sysctlDisabled)
                        + " and no seccomp filter is active: a security module (SELinux, AppArmor) may deny it; "
                        + FALLBACK);
            }
            case Errno.ENOSYS:
                if (seccompMode == 2) {
                    return new UnavailabilityCause(Kind.SECCOMP, Errno.ENOSYS, seccomp + FALLBACK);
                }
                if (sysctlDisabled != null) {
                    // The sysctl exists only in kernels built with io_uring, so something between this
                    // process and the kernel answers for it.
                    return new UnavailabilityCause(Kind.NOT_PERMITTED, Errno.ENOSYS,
                            "this kernel has io_uring (kernel.io_uring_disabled=" + sysctlDisabled + " exists), yet "
                            + "io_uring_setup is not implemented for this process: a sandbox or a system call filter "
                            + "not shown in /proc/self/status intercepts it; allow io_uring there, or " + FALLBACK);
                }
                return new UnavailabilityCause(Kind.NOT_IN_KERNEL, Errno.ENOSYS,
                        "this kernel has no io_uring (it needs Linux 5.1 or newer built with CONFIG_IO_URING; "
                        + "uring4j's networking needs 6.1 for all of its features); " + FALLBACK);
            case Errno.ENOMEM:
                return new UnavailabilityCause(Kind.MEMLOCK, Errno.ENOMEM,
                        "the rings do not fit under the locked-memory limit RLIMIT_MEMLOCK="
                        + (memlockSoft < 0 ? "unlimited" : memlockSoft + " bytes")
                        + " (kernels before 5.12 charge ring memory to it); raise it with 'ulimit -l', "
                        + "LimitMEMLOCK= in a systemd unit or --ulimit memlock= in Docker, or use smaller rings");
            case Errno.EINVAL:
                return new UnavailabilityCause(Kind.UNSUPPORTED_SETUP, Errno.EINVAL,
                        "the kernel rejected the ring size or the setup flags " + FlagNames.setup(setupFlags)
                        + ": the SQ takes 1..32768 entries and the CQ (IORING_SETUP_CQSIZE) at least as many, at "
                        + "most 65536 (IORING_SETUP_CLAMP caps both instead); IORING_SETUP_DEFER_TASKRUN needs "
                        + "IORING_SETUP_SINGLE_ISSUER, and SQPOLL excludes COOP_TASKRUN, TASKRUN_FLAG and "
                        + "DEFER_TASKRUN; otherwise a flag is newer than this kernel (see './uring4j probe')");
            default:
                return new UnavailabilityCause(Kind.OTHER, Math.abs(errno), "io_uring cannot be set up here; " + FALLBACK);
        }
    }

    /**
     * Classifies a setup failure with what this process can observe of its environment now.
     *
     * @param errno      positive errno returned by io_uring_setup
     * @param setupFlags the {@code IORING_SETUP_*} flags that were asked for
     * @return as {@link #classify}
     */
    public static UnavailabilityCause observe(int errno, int setupFlags) {
        long[] memlock = LibC.rlimit(LibC.RLIMIT_MEMLOCK);
        return classify(errno, readInt("/proc/sys/kernel/io_uring_disabled"),
                readInt("/proc/sys/kernel/io_uring_group"), Seccomp.mode(), memlock == null ? -1 : memlock[0], setupFlags);
    }

    /** {@link #ofThisProcess()}'s answer once known: {@code Boolean.TRUE} when a ring could be set up. */
    private static volatile Object availability;

    /**
     * Why io_uring cannot be used in this process, or {@code null} when a ring can be set up: a
     * ring of two entries is set up and closed on the first call, and the answer cached.
     */
    static UnavailabilityCause ofThisProcess() {
        Object a = availability;
        if (a == null) {
            a = Boolean.TRUE;
            int r;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment params = arena.allocate(IoUringParams.LAYOUT);
                r = Syscalls.io_uring_setup(2, params);
            }
            if (r >= 0) {
                LibC.close(r);
            } else {
                a = observe(-r, 0);
            }
            availability = a;
        }
        return a instanceof UnavailabilityCause cause ? cause : null;
    }

    private static Integer readInt(String file) {
        try {
            return Integer.valueOf(Files.readString(Path.of(file)).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
