package dev.uring4j.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.uring4j.ring.UnavailabilityCause.Kind.DISABLED_BY_SYSCTL;
import static dev.uring4j.ring.UnavailabilityCause.Kind.MEMLOCK;
import static dev.uring4j.ring.UnavailabilityCause.Kind.NOT_IN_KERNEL;
import static dev.uring4j.ring.UnavailabilityCause.Kind.NOT_PERMITTED;
import static dev.uring4j.ring.UnavailabilityCause.Kind.OTHER;
import static dev.uring4j.ring.UnavailabilityCause.Kind.RESTRICTED_TO_GROUP;
import static dev.uring4j.ring.UnavailabilityCause.Kind.SECCOMP;
import static dev.uring4j.ring.UnavailabilityCause.Kind.UNSUPPORTED_SETUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.UnavailabilityCause.Kind;
import dev.uring4j.ring.uapi.IoUringH;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UnavailabilityCause#classify} is a pure function of what a process can observe; every
 * combination of errno (EPERM, ENOSYS, ENOMEM, EINVAL, other) x {@code kernel.io_uring_disabled}
 * (0, 1, 2, absent) x {@code Seccomp:} (0, 2, unknown) must name the call, the errno, the cause
 * and what to do about it.
 */
class UnavailabilityCauseTest {
    private static final int[] ERRNOS = {Errno.EPERM, Errno.ENOSYS, Errno.ENOMEM, Errno.EINVAL, Errno.EFAULT};
    private static final Integer[] SYSCTL = {0, 1, 2, null};
    private static final int[] SECCOMP_MODES = {0, 2, -1};
    private static final long MEMLOCK_LIMIT = 65536;
    private static final int GROUP = 1234;
    private static final int FLAGS = IoUringH.IORING_SETUP_SINGLE_ISSUER | IoUringH.IORING_SETUP_DEFER_TASKRUN;
    private static final String FALLBACK = "-During4j.transport=nio";

    static Stream<Arguments> everyCombination() {
        List<Arguments> all = new ArrayList<>();
        for (int errno : ERRNOS) {
            for (Integer sysctl : SYSCTL) {
                for (int seccomp : SECCOMP_MODES) {
                    all.add(Arguments.of(errno, sysctl, seccomp));
                }
            }
        }
        return all.stream();
    }

    /**
     * The specification, one rule per line: which cause each observation means, and the words
     * that tell the user what to do.
     */
    private static Object[] expected(int errno, Integer sysctl, int seccomp) {
        boolean filtered = seccomp == 2;
        return switch (errno) {
            case Errno.EPERM -> sysctl != null && sysctl == 2 ? new Object[] {DISABLED_BY_SYSCTL, "kernel.io_uring_disabled=2", "set it to 0"}
                    : sysctl != null && sysctl == 1 ? new Object[] {RESTRICTED_TO_GROUP, "kernel.io_uring_group=" + GROUP, "add this process's user to that group"}
                    : filtered ? new Object[] {SECCOMP, "Seccomp: 2", "allow io_uring_setup"}
                    : new Object[] {NOT_PERMITTED, "kernel.io_uring_disabled=" + (sysctl == null ? "(absent)" : sysctl), "security module"};
            // The sysctl exists only in kernels built with io_uring: then ENOSYS cannot mean "no io_uring".
            case Errno.ENOSYS -> filtered ? new Object[] {SECCOMP, "Seccomp: 2", "allow io_uring_setup"}
                    : sysctl != null ? new Object[] {NOT_PERMITTED, "kernel.io_uring_disabled=" + sysctl, "sandbox"}
                    : new Object[] {NOT_IN_KERNEL, "no io_uring", "Linux 5.1 or newer"};
            case Errno.ENOMEM -> new Object[] {MEMLOCK, "RLIMIT_MEMLOCK=" + MEMLOCK_LIMIT + " bytes", "ulimit -l"};
            case Errno.EINVAL -> new Object[] {UNSUPPORTED_SETUP, "IORING_SETUP_SINGLE_ISSUER|IORING_SETUP_DEFER_TASKRUN", "./uring4j probe"};
            default -> new Object[] {OTHER, "cannot be set up", FALLBACK};
        };
    }

    @ParameterizedTest(name = "{index}: errno {0}, io_uring_disabled={1}, Seccomp: {2}")
    @MethodSource("everyCombination")
    void namesTheCallTheErrnoTheCauseAndWhatToDo(int errno, Integer sysctl, int seccomp) {
        UnavailabilityCause cause = UnavailabilityCause.classify(errno, sysctl, GROUP, seccomp, MEMLOCK_LIMIT, FLAGS);
        Object[] want = expected(errno, sysctl, seccomp);
        String message = cause.message();
        assertEquals(want[0], cause.kind(), message);
        assertEquals(errno, cause.errno());
        assertTrue(message.startsWith("io_uring_setup: " + Errno.name(errno) + " ("), message);
        assertTrue(message.contains((String) want[1]), () -> "names the cause (" + want[1] + "): " + message);
        assertTrue(message.contains((String) want[2]), () -> "says what to do (" + want[2] + "): " + message);
        Kind kind = cause.kind();
        if (kind != MEMLOCK && kind != UNSUPPORTED_SETUP && kind != NOT_IN_KERNEL) {
            assertTrue(message.contains(FALLBACK), () -> "offers the fallback: " + message);
        }
        if (seccomp == 2 && kind != SECCOMP && errno == Errno.EPERM) {
            assertTrue(message.contains("Seccomp: 2"), () -> "mentions the filter too: " + message);
        }
    }

    @Test
    void acceptsTheErrnoWithEitherSignAndAnUnlimitedMemlock() {
        UnavailabilityCause cause = UnavailabilityCause.classify(-Errno.ENOMEM, null, null, 0, -1, 0);
        assertEquals(MEMLOCK, cause.kind());
        assertEquals(Errno.ENOMEM, cause.errno());
        assertTrue(cause.message().contains("RLIMIT_MEMLOCK=unlimited"), cause::message);
    }

    @Test
    void aGroupThatCannotBeReadIsShownAsUnknown() {
        UnavailabilityCause cause = UnavailabilityCause.classify(Errno.EPERM, 1, null, 0, 0, 0);
        assertTrue(cause.message().contains("kernel.io_uring_group=?"), cause::message);
    }

    /** What this process observes right now classifies the same way. */
    @Test
    void observeReadsThisProcess() {
        UnavailabilityCause cause = UnavailabilityCause.observe(Errno.EPERM, 0);
        assertEquals(Errno.EPERM, cause.errno());
        assertTrue(cause.message().startsWith("io_uring_setup: EPERM"), cause::message);
    }
}
