package dev.uring4j.runtime.internal.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.uring4j.ring.ErrnoException;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.ring.sys.SockAddr;

/**
 * The plain system calls that set a socket up before a loop takes it over (TCP listeners, UDP
 * endpoints): setup, not the hot path, so they may allocate, and they throw naming the call.
 */
public final class SocketSetup {
    private SocketSetup() {}

    /** {@code setsockopt(fd, level, name, value)}; {@code what} names the option in the error. */
    static void setOption(int fd, int level, int name, int value, String what) throws ErrnoException {
        int r = LibC.setsockoptInt(fd, level, name, value);
        if (r < 0) {
            throw new ErrnoException("setsockopt(" + what + ", " + value + ")", r);
        }
    }

    /** The address {@code fd} is bound to ({@code getsockname}), with the real port when 0 was asked for. */
    static InetSocketAddress boundAddress(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.SIZEOF_STORAGE);
            MemorySegment len = a.allocateFrom(JAVA_INT, SockAddr.SIZEOF_STORAGE);
            int r = LibC.getsockname(fd, addr, len);
            if (r < 0) {
                throw new ErrnoException("getsockname", r);
            }
            return SockAddr.read(addr);
        }
    }
}
