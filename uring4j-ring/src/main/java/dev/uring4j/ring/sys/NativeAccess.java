package dev.uring4j.ring.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Shared Linker plumbing for {@link Syscalls} and {@link LibC}: symbol lookup, the errno
 * capture segment, and the check that native access was granted.
 *
 * <p>The capture segment is per thread (a {@link ThreadLocal} initialised once per thread from
 * an automatic arena), so error paths never allocate after the first call on a thread.
 */
final class NativeAccess {
    private NativeAccess() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    static {
        Module module = NativeAccess.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            System.getLogger("dev.uring4j").log(System.Logger.Level.WARNING,
                    "uring4j calls io_uring through the FFM API and needs native access: start the JVM with "
                            + "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED")
                            + " (executable jars: manifest attribute Enable-Native-Access: ALL-UNNAMED)");
        }
    }

    static MethodHandle downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LIBC.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /** A downcall whose first parameter is the errno capture segment. */
    static MethodHandle downcallErrno(String symbol, FunctionDescriptor descriptor) {
        return downcall(symbol, descriptor, CAPTURE_ERRNO);
    }

    static MethodHandle downcallErrno(String symbol, FunctionDescriptor descriptor, Linker.Option extra) {
        return downcall(symbol, descriptor, CAPTURE_ERRNO, extra);
    }

    /** This thread's errno capture segment. */
    static MemorySegment capture() {
        return CAPTURE.get();
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }
}
