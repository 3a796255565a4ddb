package dev.uring4j.ring.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls the binding, the runtime and the tests need besides io_uring itself:
 * sockets, memory mapping, resource limits, eventfd, epoll (the NIO transport's descriptor watches), prctl.
 *
 * <p>Every method returns the call's result, or {@code -errno} on failure, never {@code -1}
 * (errno is captured with {@code captureCallState}). Constants are named as in the C headers.
 * None of these are on the per-operation hot path: the runtime does its I/O through the ring.
 */
public final class LibC {
    private LibC() {}

    // <sys/socket.h>, <netinet/in.h>, <netinet/tcp.h>, <linux/udp.h>
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_ZEROCOPY = 60;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int SOL_UDP = 17;
    public static final int TCP_NODELAY = 1;
    public static final int UDP_SEGMENT = 103;
    public static final int IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_ZEROCOPY = 0x4000000;
    public static final int SOMAXCONN = 4096;

    // <poll.h>
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLRDHUP = 0x2000;

    // <sys/epoll.h>
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLET = 1 << 31;
    /**
     * {@code sizeof(struct epoll_event)}: {@code events} (u32) then {@code data} (u64), packed on
     * x86-64 (12 bytes), naturally aligned elsewhere (16).
     */
    public static final int EPOLL_EVENT_SIZE = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch")) ? 12 : 16;
    /** Offset of {@code data} in {@code struct epoll_event}. */
    public static final int EPOLL_EVENT_DATA = EPOLL_EVENT_SIZE - 8;

    // <sys/mman.h>
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    public static final int MAP_PRIVATE = 0x2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;

    // <sys/resource.h>
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final long RLIM_INFINITY = -1L;

    // <fcntl.h>, <sys/eventfd.h>
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    // <sys/prctl.h>, <linux/seccomp.h>
    public static final int PR_SET_SECCOMP = 22;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int SECCOMP_MODE_FILTER = 2;

    // <unistd.h>
    public static final int _SC_PAGESIZE = 30;

    private static final MethodHandle socket = NativeAccess.downcallErrno("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle socketpair = NativeAccess.downcallErrno("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle bind = NativeAccess.downcallErrno("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle listen = NativeAccess.downcallErrno("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle accept4 = NativeAccess.downcallErrno("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle connect = NativeAccess.downcallErrno("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle setsockopt = NativeAccess.downcallErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle getsockopt = NativeAccess.downcallErrno("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle getsockname = NativeAccess.downcallErrno("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle getpeername = NativeAccess.downcallErrno("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle shutdown = NativeAccess.downcallErrno("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle close = NativeAccess.downcallErrno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle read = NativeAccess.downcallErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle write = NativeAccess.downcallErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle send = NativeAccess.downcallErrno("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle recv = NativeAccess.downcallErrno("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle sendto = NativeAccess.downcallErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle recvfrom = NativeAccess.downcallErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle pipe2 = NativeAccess.downcallErrno("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle eventfd = NativeAccess.downcallErrno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle epoll_create1 = NativeAccess.downcallErrno("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle epoll_ctl = NativeAccess.downcallErrno("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle epoll_wait = NativeAccess.downcallErrno("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle fcntl = NativeAccess.downcallErrno("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final MethodHandle mmap = NativeAccess.downcallErrno("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle munmap = NativeAccess.downcallErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle getrlimit = NativeAccess.downcallErrno("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle setrlimit = NativeAccess.downcallErrno("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle prctl = NativeAccess.downcallErrno("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            java.lang.foreign.Linker.Option.firstVariadicArg(1));
    private static final MethodHandle sysconf = NativeAccess.downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle getpid = NativeAccess.downcall("getpid",
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle gettid = NativeAccess.downcall("gettid",
            FunctionDescriptor.of(JAVA_INT));

    private static int check(int r) {
        return r == -1 ? -NativeAccess.errno(NativeAccess.capture()) : r;
    }

    private static long check(long r) {
        return r == -1 ? -NativeAccess.errno(NativeAccess.capture()) : r;
    }

    private static AssertionError failed(String call, Throwable t) {
        return new AssertionError(call + " downcall failed", t);
    }

    public static int socket(int domain, int type, int protocol) {
        try {
            return check((int) socket.invokeExact(NativeAccess.capture(), domain, type, protocol));
        } catch (Throwable t) {
            throw failed("socket", t);
        }
    }

    /** socketpair(2); the two fds are written to {@code sv} (two ints). */
    public static int socketpair(int domain, int type, int protocol, MemorySegment sv) {
        try {
            return check((int) socketpair.invokeExact(NativeAccess.capture(), domain, type, protocol, sv));
        } catch (Throwable t) {
            throw failed("socketpair", t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int addrLen) {
        try {
            return check((int) bind.invokeExact(NativeAccess.capture(), fd, addr, addrLen));
        } catch (Throwable t) {
            throw failed("bind", t);
        }
    }

    public static int listen(int fd, int backlog) {
        try {
            return check((int) listen.invokeExact(NativeAccess.capture(), fd, backlog));
        } catch (Throwable t) {
            throw failed("listen", t);
        }
    }

    /** accept4(2); {@code addr}/{@code addrLen} may be {@link MemorySegment#NULL}. */
    public static int accept4(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        try {
            return check((int) accept4.invokeExact(NativeAccess.capture(), fd, addr, addrLen, flags));
        } catch (Throwable t) {
            throw failed("accept4", t);
        }
    }

    public static int connect(int fd, MemorySegment addr, int addrLen) {
        try {
            return check((int) connect.invokeExact(NativeAccess.capture(), fd, addr, addrLen));
        } catch (Throwable t) {
            throw failed("connect", t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int valueLen) {
        try {
            return check((int) setsockopt.invokeExact(NativeAccess.capture(), fd, level, name, value, valueLen));
        } catch (Throwable t) {
            throw failed("setsockopt", t);
        }
    }

    /** setsockopt(2) for the common int-valued option. */
    public static int setsockoptInt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return setsockopt(fd, level, name, v, Integer.BYTES);
        }
    }

    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLen) {
        try {
            return check((int) getsockopt.invokeExact(NativeAccess.capture(), fd, level, name, value, valueLen));
        } catch (Throwable t) {
            throw failed("getsockopt", t);
        }
    }

    /** getsockopt(2) for an int-valued option: the value, or -errno. */
    public static int getsockoptInt(int fd, int level, int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocateFrom(JAVA_INT, Integer.BYTES);
            int r = getsockopt(fd, level, name, v, len);
            return r < 0 ? r : v.get(JAVA_INT, 0);
        }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            return check((int) getsockname.invokeExact(NativeAccess.capture(), fd, addr, addrLen));
        } catch (Throwable t) {
            throw failed("getsockname", t);
        }
    }

    public static int getpeername(int fd, MemorySegment addr, MemorySegment addrLen) {
        try {
            return check((int) getpeername.invokeExact(NativeAccess.capture(), fd, addr, addrLen));
        } catch (Throwable t) {
            throw failed("getpeername", t);
        }
    }

    public static int shutdown(int fd, int how) {
        try {
            return check((int) shutdown.invokeExact(NativeAccess.capture(), fd, how));
        } catch (Throwable t) {
            throw failed("shutdown", t);
        }
    }

    public static int close(int fd) {
        try {
            return check((int) close.invokeExact(NativeAccess.capture(), fd));
        } catch (Throwable t) {
            throw failed("close", t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) {
        try {
            return check((long) read.invokeExact(NativeAccess.capture(), fd, buf, count));
        } catch (Throwable t) {
            throw failed("read", t);
        }
    }

    public static long write(int fd, MemorySegment buf, long count) {
        try {
            return check((long) write.invokeExact(NativeAccess.capture(), fd, buf, count));
        } catch (Throwable t) {
            throw failed("write", t);
        }
    }

    public static long send(int fd, MemorySegment buf, long count, int flags) {
        try {
            return check((long) send.invokeExact(NativeAccess.capture(), fd, buf, count, flags));
        } catch (Throwable t) {
            throw failed("send", t);
        }
    }

    public static long recv(int fd, MemorySegment buf, long count, int flags) {
        try {
            return check((long) recv.invokeExact(NativeAccess.capture(), fd, buf, count, flags));
        } catch (Throwable t) {
            throw failed("recv", t);
        }
    }

    public static long sendto(int fd, MemorySegment buf, long count, int flags, MemorySegment addr, int addrLen) {
        try {
            return check((long) sendto.invokeExact(NativeAccess.capture(), fd, buf, count, flags, addr, addrLen));
        } catch (Throwable t) {
            throw failed("sendto", t);
        }
    }

    public static long recvfrom(int fd, MemorySegment buf, long count, int flags, MemorySegment addr,
                                MemorySegment addrLen) {
        try {
            return check((long) recvfrom.invokeExact(NativeAccess.capture(), fd, buf, count, flags, addr, addrLen));
        } catch (Throwable t) {
            throw failed("recvfrom", t);
        }
    }

    /** pipe2(2): the read end goes to {@code fds[0]}, the write end to {@code fds[1]} (two ints). */
    public static int pipe2(MemorySegment fds, int flags) {
        try {
            return check((int) pipe2.invokeExact(NativeAccess.capture(), fds, flags));
        } catch (Throwable t) {
            throw failed("pipe2", t);
        }
    }

    public static int eventfd(int initval, int flags) {
        try {
            return check((int) eventfd.invokeExact(NativeAccess.capture(), initval, flags));
        } catch (Throwable t) {
            throw failed("eventfd", t);
        }
    }

    public static int epollCreate1(int flags) {
        try {
            return check((int) epoll_create1.invokeExact(NativeAccess.capture(), flags));
        } catch (Throwable t) {
            throw failed("epoll_create1", t);
        }
    }

    /** epoll_ctl(2); {@code event} is one {@code struct epoll_event} ({@link #EPOLL_EVENT_SIZE} bytes), or NULL for DEL. */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return check((int) epoll_ctl.invokeExact(NativeAccess.capture(), epfd, op, fd, event));
        } catch (Throwable t) {
            throw failed("epoll_ctl", t);
        }
    }

    /** epoll_wait(2): the number of events written to {@code events}, or -errno. */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            return check((int) epoll_wait.invokeExact(NativeAccess.capture(), epfd, events, maxEvents, timeoutMs));
        } catch (Throwable t) {
            throw failed("epoll_wait", t);
        }
    }

    public static int fcntl(int fd, int cmd, int arg) {
        try {
            return check((int) fcntl.invokeExact(NativeAccess.capture(), fd, cmd, arg));
        } catch (Throwable t) {
            throw failed("fcntl", t);
        }
    }

    /** mmap(2): the mapping's address, or -errno. */
    public static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return check((long) mmap.invokeExact(NativeAccess.capture(), addr, length, prot, flags, fd, offset));
        } catch (Throwable t) {
            throw failed("mmap", t);
        }
    }

    public static int munmap(long addr, long length) {
        try {
            return check((int) munmap.invokeExact(NativeAccess.capture(), addr, length));
        } catch (Throwable t) {
            throw failed("munmap", t);
        }
    }

    /** getrlimit(2) into {@code rlim} (two longs: soft, hard). */
    public static int getrlimit(int resource, MemorySegment rlim) {
        try {
            return check((int) getrlimit.invokeExact(NativeAccess.capture(), resource, rlim));
        } catch (Throwable t) {
            throw failed("getrlimit", t);
        }
    }

    public static int setrlimit(int resource, MemorySegment rlim) {
        try {
            return check((int) setrlimit.invokeExact(NativeAccess.capture(), resource, rlim));
        } catch (Throwable t) {
            throw failed("setrlimit", t);
        }
    }

    /**
     * The soft and hard limits of a resource: {@code [soft, hard]}, {@code -1} meaning unlimited;
     * {@code null} when getrlimit(2) fails, which it does only for an unknown resource.
     */
    public static long[] rlimit(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlim = arena.allocate(JAVA_LONG, 2);
            if (getrlimit(resource, rlim) < 0) {
                return null;
            }
            return new long[] {rlim.getAtIndex(JAVA_LONG, 0), rlim.getAtIndex(JAVA_LONG, 1)};
        }
    }

    /** Sets the soft and hard limits of a resource (this process only): 0, or -errno as setrlimit(2) fails. */
    public static int setRlimit(int resource, long soft, long hard) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlim = arena.allocate(JAVA_LONG, 2);
            rlim.setAtIndex(JAVA_LONG, 0, soft);
            rlim.setAtIndex(JAVA_LONG, 1, hard);
            return setrlimit(resource, rlim);
        }
    }

    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        try {
            return check((int) prctl.invokeExact(NativeAccess.capture(), option, arg2, arg3, arg4, arg5));
        } catch (Throwable t) {
            throw failed("prctl", t);
        }
    }

    public static long sysconf(int name) {
        try {
            return (long) sysconf.invokeExact(name);
        } catch (Throwable t) {
            throw failed("sysconf", t);
        }
    }

    public static int getpid() {
        try {
            return (int) getpid.invokeExact();
        } catch (Throwable t) {
            throw failed("getpid", t);
        }
    }

    public static int gettid() {
        try {
            return (int) gettid.invokeExact();
        } catch (Throwable t) {
            throw failed("gettid", t);
        }
    }

    private static final long PAGE_SIZE = sysconf(_SC_PAGESIZE);

    /** The system page size ({@code sysconf(_SC_PAGESIZE)}). */
    public static long pageSize() {
        return PAGE_SIZE;
    }
}
