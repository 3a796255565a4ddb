package dev.uring4j.ring.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Makes system calls fail with an errno in the calling thread and in every thread it creates from
 * then on, the way container runtimes' seccomp profiles do (Docker's default profile answers
 * {@code io_uring_setup} with {@code EPERM}). For testing what a program does where a call is
 * refused, for instance that it falls back from io_uring to NIO:
 *
 * <pre>{@code
 * Seccomp.failSyscalls(Errno.EPERM, Seccomp.NR_IO_URING_SETUP);   // this thread and its children
 * EventLoopGroup group = EventLoopGroup.create(1);                 // now runs on NIO
 * }</pre>
 *
 * <p><b>Irreversible.</b> The filter (a classic BPF program installed with
 * {@code prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER)}) and the {@code no_new_privs} bit it needs
 * ({@code prctl(PR_SET_NO_NEW_PRIVS)}) stay with the thread and its descendants for their whole
 * life; they cannot be removed, only added to. Install it in a child process or a thread made for
 * the purpose, never in a JVM that must go on normally. Threads that already exist (the JVM's own,
 * other application threads) are not affected: filters are per thread, and this one is not
 * synchronised across the process ({@code SECCOMP_FILTER_FLAG_TSYNC} is not used). Changes nothing
 * machine-wide.
 *
 * <p>The filter checks the architecture first ({@code seccomp_data.arch}) and lets calls of any
 * other ABI through, so a number is only ever matched against the native table. The
 * {@code io_uring} numbers are the same on every architecture (they were added after the tables
 * were unified).
 */
public final class Seccomp {
    private Seccomp() {}

    /** {@code __NR_io_uring_setup}, the same on every architecture. */
    public static final int NR_IO_URING_SETUP = (int) Syscalls.SYS_io_uring_setup;
    /** {@code __NR_io_uring_enter}. */
    public static final int NR_IO_URING_ENTER = (int) Syscalls.SYS_io_uring_enter;
    /** {@code __NR_io_uring_register}. */
    public static final int NR_IO_URING_REGISTER = (int) Syscalls.SYS_io_uring_register;

    // <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h>
    private static final int SECCOMP_RET_ERRNO = 0x0005_0000;
    private static final int SECCOMP_RET_ALLOW = 0x7fff_0000;
    private static final int BPF_LD_W_ABS = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private static final int BPF_JEQ_K = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    private static final int BPF_RET_K = 0x06;      // BPF_RET | BPF_K
    private static final int OFFSET_NR = 0;         // struct seccomp_data { int nr; __u32 arch; ... }
    private static final int OFFSET_ARCH = 4;
    private static final int MAX_ERRNO = 4095;
    /** Jump offsets are one byte: the last number's jump over the others must fit. */
    private static final int MAX_SYSCALLS = 254;

    /**
     * Makes the system calls numbered {@code syscalls} fail with {@code errno} (positive, 1..4095)
     * in the calling thread and the threads it creates from now on; every other call runs as
     * before. Irreversible (see the class comment).
     *
     * @throws IllegalArgumentException      for an errno out of range, no or negative numbers, or more than 254
     * @throws UnsupportedOperationException on an architecture whose {@code AUDIT_ARCH_*} is not known here
     * @return 0, or the -errno of the {@code prctl} the kernel refused: {@code PR_SET_NO_NEW_PRIVS},
     *         or {@code PR_SET_SECCOMP} ({@code -EINVAL} without {@code CONFIG_SECCOMP_FILTER})
     */
    public static int failSyscalls(int errno, int... syscalls) {
        if (errno < 1 || errno > MAX_ERRNO) {
            throw new IllegalArgumentException("errno must be 1.." + MAX_ERRNO + ", was " + errno);
        }
        if (syscalls.length == 0 || syscalls.length > MAX_SYSCALLS) {
            throw new IllegalArgumentException("1.." + MAX_SYSCALLS + " system call numbers, was " + syscalls.length);
        }
        for (int nr : syscalls) {
            if (nr < 0) {
                throw new IllegalArgumentException("system call numbers are not negative, was " + nr);
            }
        }
        int n = syscalls.length;
        int allow = n + 3;
        int deny = n + 4;
        int[][] program = new int[n + 5][];
        program[0] = new int[] {BPF_LD_W_ABS, 0, 0, OFFSET_ARCH};
        program[1] = new int[] {BPF_JEQ_K, 0, allow - 2, auditArch()};      // another ABI: not ours to judge
        program[2] = new int[] {BPF_LD_W_ABS, 0, 0, OFFSET_NR};
        for (int k = 0; k < n; k++) {
            int at = 3 + k;
            program[at] = new int[] {BPF_JEQ_K, deny - at - 1, 0, syscalls[k]};
        }
        program[allow] = new int[] {BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW};
        program[deny] = new int[] {BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno};
        try (Arena arena = Arena.ofConfined()) {
            // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }
            MemorySegment filter = arena.allocate(8L * program.length, 8);
            for (int i = 0; i < program.length; i++) {
                filter.set(JAVA_SHORT, 8L * i, (short) program[i][0]);
                filter.set(JAVA_BYTE, 8L * i + 2, (byte) program[i][1]);
                filter.set(JAVA_BYTE, 8L * i + 3, (byte) program[i][2]);
                filter.set(JAVA_INT, 8L * i + 4, program[i][3]);
            }
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) program.length);
            fprog.set(JAVA_LONG, 8, filter.address());
            int r = LibC.prctl(LibC.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            return r < 0 ? r : LibC.prctl(LibC.PR_SET_SECCOMP, LibC.SECCOMP_MODE_FILTER, fprog.address(), 0, 0);
        }
    }

    /**
     * The calling thread's seccomp mode, the {@code Seccomp:} field of
     * {@code /proc/thread-self/status}: 0 none, 1 strict, 2 filter; -1 if unknown. A filter belongs
     * to the thread that installed it and its descendants, so the thread's own status is read, not
     * {@code /proc/self/status} (which describes the process's first thread).
     */
    public static int mode() {
        Path status = Path.of("/proc/thread-self/status");
        if (!Files.exists(status)) {
            status = Path.of("/proc/self/status"); // before Linux 3.17
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Seccomp:")) {
                    return Integer.parseInt(line.substring("Seccomp:".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** {@code AUDIT_ARCH_*} of this JVM's architecture: what {@code seccomp_data.arch} holds for its native calls. */
    static int auditArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> 0xC000_003E;   // EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE
            case "aarch64" -> 0xC000_00B7;           // EM_AARCH64
            case "riscv64" -> 0xC000_00F3;           // EM_RISCV
            case "ppc64le" -> 0xC000_0015;           // EM_PPC64, little-endian
            case "s390x" -> 0x8000_0016;             // EM_S390, 64-bit big-endian
            case "loongarch64" -> 0xC000_0102;       // EM_LOONGARCH
            default -> throw new UnsupportedOperationException("seccomp filters: AUDIT_ARCH of '" + arch
                    + "' is not known to uring4j");
        };
    }
}
