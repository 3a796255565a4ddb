package dev.uring4j.ring;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Every error message names its errno through {@link Errno}; a wrong row in its table would send
 * users after the wrong cause. Names and texts are checked against the running C library's own
 * ({@code strerrorname_np}, {@code strerrordesc_np}: glibc 2.32+), the constants against the
 * names.
 */
class ErrnoTest {

    private static Optional<MethodHandle> libc(String symbol) {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find(symbol)
                .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ADDRESS, JAVA_INT)));
    }

    private static String call(MethodHandle fn, int errno) throws Throwable {
        MemorySegment s = (MemorySegment) fn.invokeExact(errno);
        return s.equals(MemorySegment.NULL) ? null : s.reinterpret(256).getString(0);
    }

    @Test
    void namesAndMessagesAreTheCLibrarys() throws Throwable {
        Optional<MethodHandle> name = libc("strerrorname_np");
        Optional<MethodHandle> desc = libc("strerrordesc_np");
        assumeTrue(name.isPresent() && desc.isPresent(), "needs glibc 2.32+ (strerrorname_np, strerrordesc_np)");
        int compared = 0;
        for (int e = 1; e <= 133; e++) {
            String cName = call(name.get(), e);
            if (cName == null) {
                continue;
            }
            if (e == Errno.byName(cName)) {
                assertEquals(cName, Errno.name(e), "name of errno " + e);
            } else {
                // glibc names an alias (EWOULDBLOCK for EAGAIN, EDEADLOCK for EDEADLK) where the table keeps the
                // kernel's primary name; the number must still be the same.
                assertEquals(e, Errno.byName(Errno.name(e)), "name of errno " + e + ", which glibc calls " + cName);
            }
            assertEquals(call(desc.get(), e), Errno.message(e), "message of " + cName);
            compared++;
        }
        assertTrue(compared > 120, "compared " + compared + " errnos");
    }

    @Test
    void eachConstantIsTheNumberOfItsName() throws Exception {
        for (Field f : Errno.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                assertEquals(f.getName(), Errno.name(f.getInt(null)));
                assertEquals(f.getInt(null), Errno.byName(f.getName()));
            }
        }
    }

    @Test
    void acceptsCompletionResultsAsTheyComeAndSurvivesUnknownNumbers() {
        assertEquals("ECONNRESET", Errno.name(-104), "a negative cqe.res names its errno");
        assertEquals("ENOBUFS (No buffer space available)", Errno.describe(-Errno.ENOBUFS));
        assertEquals("errno 4095", Errno.name(4095));
        assertEquals("Unknown error 4095", Errno.message(-4095));
        assertEquals(0, Errno.byName("ENOTANERRNO"));
    }

    @Test
    void eachMessageLeadsBackToItsErrno() {
        int checked = 0;
        for (int e = 1; e <= 133; e++) {
            if (!Errno.message(e).startsWith("Unknown error")) {
                assertEquals(e, Errno.byMessage(Errno.message(e)), "errno " + e + " from " + Errno.message(e));
                checked++;
            }
        }
        assertTrue(checked > 120, "checked " + checked + " messages");
        assertEquals(Errno.ECONNRESET, Errno.byMessage("Connection reset by peer"));
        assertEquals(0, Errno.byMessage("Connection reset"), "the JDK's own wording is not the C library's");
    }

    @Test
    void errnoExceptionNamesOperationErrnoAndHint() {
        ErrnoException e = new ErrnoException("io_uring_register(IORING_REGISTER_FILES2)", -Errno.EBUSY, "unregister first");
        assertEquals("io_uring_register(IORING_REGISTER_FILES2): EBUSY (Device or resource busy): unregister first",
                e.getMessage());
        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("EBUSY", e.errnoName());
        assertEquals("close", new ErrnoException("close", Errno.EBADF).operation());
        assertEquals("close: EBADF (Bad file descriptor)", new ErrnoException("close", Errno.EBADF).getMessage());
    }
}
