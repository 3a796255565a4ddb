package dev.uring4j.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uring4j.ring.sys.LibC;
import org.junit.jupiter.api.Test;

/**
 * {@code ENOMEM} from the locked-memory limit, provoked for real: a child JVM lowers its own
 * {@code RLIMIT_MEMLOCK} to 64 KiB (and, when it runs as root, drops {@code CAP_IPC_LOCK}, which
 * exempts a process from the limit), then registers a 1 MiB buffer and a 128 KiB buffer ring,
 * whose pinned pages the kernel charges against that limit. The exception must name the call, the
 * errno, the limit's value and how to raise it. (Rings themselves stopped counting in 5.12, so
 * {@code ENOMEM} at setup is covered by {@link UnavailabilityCauseTest} only.)
 */
class MemlockTest {
    static final long LIMIT = 64 * 1024;

    @Test
    void registeringMoreThanTheLimitNamesTheLimitAndHowToRaiseIt() throws Exception {
        RingConfig.DEFAULT.assumeSupported();
        ChildJvm.Result child = ChildJvm.run(Child.class);
        assertEquals(0, child.exitCode(), child.output());
        String m = child.value("registerBuffers");
        assertTrue(m.startsWith("io_uring_register(IORING_REGISTER_BUFFERS): ENOMEM"), m);
        assertTrue(m.contains("RLIMIT_MEMLOCK is " + LIMIT + " bytes"), () -> "the limit's value: " + m);
        assertTrue(m.contains("ulimit -l") && m.contains("LimitMEMLOCK="), () -> "how to raise it: " + m);

        // Kernels charge a buffer ring's pinned pages to the limit too (6.18 does; older ones may not).
        String ring = child.value("bufferRing");
        if (!ring.equals("(succeeded)")) {
            assertTrue(ring.startsWith("io_uring_register(IORING_REGISTER_PBUF_RING): ENOMEM"), ring);
            assertTrue(ring.contains("RLIMIT_MEMLOCK is " + LIMIT + " bytes") && ring.contains("ulimit -l"), ring);
        }
    }

    /** Child JVM: lowers the limit, gives up CAP_IPC_LOCK, registers, prints what happened. */
    public static final class Child {
        private static final int CAP_IPC_LOCK = 14;
        private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

        public static void main(String[] args) throws Throwable {
            dropIpcLock();
            long hard = LibC.rlimit(LibC.RLIMIT_MEMLOCK)[1];
            int r = LibC.setRlimit(LibC.RLIMIT_MEMLOCK, LIMIT, hard);
            if (r < 0) {
                throw new ErrnoException("setrlimit(RLIMIT_MEMLOCK)", r);
            }
            try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.setup(8)) {
                System.out.println("ring=" + ring);
                System.out.println("registerBuffers=" + outcome(() -> ring.registerBuffers(arena.allocate(1 << 20, 4096))));
                System.out.println("bufferRing=" + outcome(() -> BufferRing.register(ring, 1, 8192, 64, 0).close()));
            } catch (ErrnoException e) {
                System.out.println("setup=" + e.getMessage());
            }
        }

        interface Call {
            void run() throws ErrnoException;
        }

        private static String outcome(Call call) {
            try {
                call.run();
                return "(succeeded)";
            } catch (ErrnoException e) {
                return e.getMessage();
            }
        }

        /** capget/capset (glibc): clears CAP_IPC_LOCK from the effective set, if it is there. */
        private static void dropIpcLock() throws Throwable {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor fd = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
            MethodHandle capget = linker.downcallHandle(linker.defaultLookup().find("capget").orElseThrow(), fd);
            MethodHandle capset = linker.downcallHandle(linker.defaultLookup().find("capset").orElseThrow(), fd);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment header = arena.allocate(8);
                header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3);
                MemorySegment data = arena.allocate(24); // two {effective, permitted, inheritable}
                if ((int) capget.invokeExact(header, data) != 0) {
                    throw new IllegalStateException("capget failed");
                }
                int effective = data.get(JAVA_INT, 0);
                if ((effective & 1 << CAP_IPC_LOCK) != 0) {
                    data.set(JAVA_INT, 0, effective & ~(1 << CAP_IPC_LOCK));
                    if ((int) capset.invokeExact(header, data) != 0) {
                        throw new IllegalStateException("capset failed");
                    }
                }
            }
        }
    }
}
