package dev.uring4j.ring;

import java.util.stream.Stream;

import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_DEFER_TASKRUN;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SINGLE_ISSUER;
import static dev.uring4j.ring.uapi.IoUringH.IORING_SETUP_SQPOLL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.Seccomp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ring that cannot be set up fails with an exception naming {@code io_uring_setup}, the errno
 * and what to do: impossible parameters ({@code EINVAL}), and io_uring refused to the process
 * ({@code EPERM}, {@code ENOSYS}). The refusals are real, not simulated: a child JVM installs a
 * seccomp filter on itself, as container runtimes do, and reports what setting up a ring told it.
 */
class SetupErrorsTest {

    static Stream<Arguments> impossibleParameters() {
        return Stream.of(
                Arguments.of(IoUring.builder().entries(0), "entries=0"),
                Arguments.of(IoUring.builder().entries(65536), "entries=65536"),
                Arguments.of(IoUring.builder().entries(8).cqEntries(4), "cqEntries=4"),
                Arguments.of(IoUring.builder().entries(8).flags(IORING_SETUP_DEFER_TASKRUN), "IORING_SETUP_DEFER_TASKRUN"),
                Arguments.of(IoUring.builder().entries(8).flags(IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER
                        | IORING_SETUP_DEFER_TASKRUN), "IORING_SETUP_SQPOLL|IORING_SETUP_SINGLE_ISSUER"),
                Arguments.of(IoUring.builder().entries(8).flags(1 << 30), "1<<30"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("impossibleParameters")
    void impossibleParametersNameTheCallTheValuesAndTheRules(IoUringBuilder builder, String culprit) {
        RingConfig.DEFAULT.assumeSupported();
        ErrnoException e = assertThrows(ErrnoException.class, builder::build);
        String m = e.getMessage();
        assertEquals(Errno.EINVAL, e.errno(), m);
        assertTrue(m.startsWith("io_uring_setup("), m);
        assertTrue(m.contains("EINVAL"), m);
        assertTrue(m.contains(culprit), () -> "names what was asked (" + culprit + "): " + m);
        assertTrue(m.contains("1..32768"), () -> "states the limits: " + m);
        assertTrue(m.contains("./uring4j probe"), () -> "points at the probe for newer flags: " + m);
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.EPERM, Errno.ENOSYS})
    void aSeccompFilterIsNamedWithTheWayOut(int errno) throws Exception {
        RingConfig.DEFAULT.assumeSupported();
        ChildJvm.Result child = ChildJvm.run(SeccompChild.class, Integer.toString(errno));
        assertEquals(0, child.exitCode(), child.output());
        String m = child.value("message");
        assertTrue(m.startsWith("io_uring_setup(") && m.contains(Errno.name(errno)), m);
        assertTrue(m.contains("seccomp filter is active (Seccomp: 2"), () -> "names the cause: " + m);
        assertTrue(m.contains("allow io_uring_setup, io_uring_enter and io_uring_register"), () -> "what to do: " + m);
        assertTrue(m.contains("-During4j.transport=nio"), () -> "and the fallback: " + m);
        assertEquals("SECCOMP", child.value("kind"), "IoUring.unavailabilityCause() agrees");
    }

    /**
     * Child JVM: installs a seccomp filter that fails {@code io_uring_setup} with the errno given
     * as argument ({@link Seccomp}), then sets up a ring.
     */
    public static final class SeccompChild {
        public static void main(String[] args) throws Exception {
            int r = Seccomp.failSyscalls(Integer.parseInt(args[0]), Seccomp.NR_IO_URING_SETUP);
            if (r < 0) {
                throw new ErrnoException("prctl (installing the seccomp filter)", r);
            }
            try (IoUring ring = IoUring.setup(8)) {
                System.out.println("message=(set up " + ring + " despite the filter)");
            } catch (ErrnoException e) {
                System.out.println("message=" + e.getMessage());
            }
            UnavailabilityCause cause = IoUring.unavailabilityCause();
            System.out.println("kind=" + (cause == null ? "none" : cause.kind()));
        }
    }
}
