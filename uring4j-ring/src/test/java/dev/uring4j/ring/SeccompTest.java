package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.Seccomp;
import dev.uring4j.ring.sys.Syscalls;
import dev.uring4j.ring.uapi.IoUringParams;
import org.junit.jupiter.api.Test;

/**
 * {@link Seccomp} (a {@code ring.sys} class tested here, beside {@link ChildJvm}): the named calls
 * fail with the errno in the installing thread and the threads it starts afterwards, every other
 * call runs, and threads that existed before are untouched. The filter is irreversible, so it is
 * installed in a child JVM; bad arguments are refused before anything is installed.
 */
class SeccompTest {

    @Test
    void namedCallsFailInTheThreadAndItsChildrenOnly() throws Exception {
        assumeTrue(Seccomp.mode() == 0, "this process already runs under a seccomp filter (Seccomp: "
                + Seccomp.mode() + ")");
        ChildJvm.Result child = ChildJvm.run(FilteredChild.class);
        assertEquals(0, child.exitCode(), child.output());
        assertEquals("EACCES", child.value("installer.io_uring_setup"), child.output());
        assertEquals("EACCES", child.value("installer.io_uring_register"), "every listed call: " + child.output());
        assertEquals("2", child.value("installer.mode"), "Seccomp: 2 in /proc/thread-self/status");
        assertEquals("ok", child.value("installer.eventfd"), "other calls run");
        assertEquals("EACCES", child.value("child.io_uring_setup"), "a thread started afterwards inherits it");
        assertEquals("2", child.value("child.mode"));
        assertEquals("ok", child.value("older.io_uring_setup"), "a thread that existed before is untouched");
        assertEquals("0", child.value("older.mode"));
    }

    @Test
    void badArgumentsAreRefusedNamingTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seccomp.failSyscalls(0, Seccomp.NR_IO_URING_SETUP));
        assertTrue(e.getMessage().contains("1..4095"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Seccomp.failSyscalls(4096, Seccomp.NR_IO_URING_SETUP));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Seccomp.failSyscalls(Errno.EPERM))
                .getMessage().contains("was 0"));
        assertThrows(IllegalArgumentException.class, () -> Seccomp.failSyscalls(Errno.EPERM, -1));
        assertThrows(IllegalArgumentException.class, () -> Seccomp.failSyscalls(Errno.EPERM, new int[255]));
        assertEquals(0, Seccomp.mode(), "nothing was installed");
    }

    /** Child JVM: a thread started before the filter, the filter on main, a thread started after. */
    public static final class FilteredChild {
        public static void main(String[] args) throws Exception {
            CountDownLatch installed = new CountDownLatch(1);
            Thread older = Thread.ofPlatform().start(() -> {
                try {
                    installed.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                report("older");
            });
            int r = Seccomp.failSyscalls(Errno.EACCES, Seccomp.NR_IO_URING_SETUP, Seccomp.NR_IO_URING_REGISTER);
            if (r < 0) {
                throw new ErrnoException("prctl (installing the seccomp filter)", r);
            }
            report("installer");
            System.out.println("installer.io_uring_register="
                    + outcome(Syscalls.io_uring_register(-1, 0, MemorySegment.NULL, 0)));
            int efd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
            System.out.println("installer.eventfd=" + outcome(efd));
            LibC.close(efd);
            Thread child = Thread.ofPlatform().start(() -> report("child"));
            child.join();
            installed.countDown();
            older.join();
        }

        private static void report(String who) {
            try (Arena a = Arena.ofConfined()) {
                int fd = Syscalls.io_uring_setup(2, a.allocate(IoUringParams.LAYOUT));
                if (fd >= 0) {
                    LibC.close(fd);
                }
                System.out.println(who + ".io_uring_setup=" + outcome(fd));
            }
            System.out.println(who + ".mode=" + Seccomp.mode());
        }

        private static String outcome(int r) {
            return r >= 0 ? "ok" : Errno.name(r);
        }
    }
}
