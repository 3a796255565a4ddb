package dev.uring4j.runtime.internal.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.uring4j.ring.Errno;
import dev.uring4j.ring.sys.LibC;
import dev.uring4j.runtime.FdHandler;
import dev.uring4j.runtime.internal.LoopFdWatch;
import dev.uring4j.runtime.internal.TransportLoop;

/**
 * The descriptors an NIO loop watches for its users. A {@code Selector} takes only the JDK's
 * channels, so raw descriptors go into an epoll set of their own, edge-triggered like io_uring's
 * multishot poll, waited on by one daemon thread per loop, started with the first watch; each
 * readiness it sees is posted to the loop, which calls the handler. An eventfd in the set (data 0)
 * stops the thread when the loop frees its resources.
 */
final class NioFdWatches {
    private static final int MAX_EVENTS = 64;

    private final TransportLoop loop;
    /** The watches by id (the epoll data), read by the waiting thread to drop ended ones. */
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    private long nextId = 1;
    private int epollFd = -1;
    private int stopFd = -1;
    private Thread waiter;

    NioFdWatches(TransportLoop loop) {
        this.loop = loop;
    }

    LoopFdWatch newWatch(int fd, int events, FdHandler handler) {
        return new Watch(fd, events, handler);
    }

    /** Watches still active: the loop stops once they are gone. */
    int open() {
        return watches.size();
    }

    /** Ends every watch (the loop is stopping). */
    void closeAll() {
        failAll(null);
    }

    /** Ends every watch: the loop stopped, or died of {@code cause}. */
    void failAll(Throwable cause) {
        for (Watch w : new ArrayList<>(watches.values())) {
            w.remove();
            w.ended(new IOException("event loop " + loop.name() + (cause == null ? " stopped" : " failed"), cause));
        }
    }

    /** Stops the waiting thread and closes the epoll set (the loop's last step). */
    void free() {
        if (waiter == null) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            LibC.write(stopFd, a.allocateFrom(JAVA_LONG, 1L), 8);
        }
        try {
            waiter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LibC.close(stopFd);
        LibC.close(epollFd);
    }

    /** Creates the epoll set and its thread, with the first watch (loop thread). */
    private int startWaiter() {
        if (epollFd >= 0) {
            return 0;
        }
        int ep = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        if (ep < 0) {
            return ep;
        }
        int stop = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (stop < 0) {
            LibC.close(ep);
            return stop;
        }
        int r = control(ep, LibC.EPOLL_CTL_ADD, stop, LibC.POLLIN, 0);
        if (r < 0) {
            LibC.close(stop);
            LibC.close(ep);
            return r;
        }
        epollFd = ep;
        stopFd = stop;
        waiter = Thread.ofPlatform().daemon().name(loop.name() + "-fd-watches").start(this::waitForEvents);
        return 0;
    }

    private static int control(int epfd, int op, int fd, int events, long data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment event = a.allocate(LibC.EPOLL_EVENT_SIZE, 8);
            event.set(JAVA_INT_UNALIGNED, 0, events);
            event.set(JAVA_LONG_UNALIGNED, LibC.EPOLL_EVENT_DATA, data);
            return LibC.epollCtl(epfd, op, fd, event);
        }
    }

    /** The waiting thread: posts each readiness to the loop until the stop eventfd fires. */
    private void waitForEvents() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment events = a.allocate((long) LibC.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
            while (true) {
                int n = LibC.epollWait(epollFd, events, MAX_EVENTS, -1);
                if (n == -Errno.EINTR) {
                    continue;
                }
                if (n < 0) {
                    TransportLoop.LOG.log(System.Logger.Level.ERROR, "epoll_wait of " + loop.name()
                            + "'s descriptor watches failed: " + Errno.describe(n) + "; they report nothing more");
                    return;
                }
                for (int i = 0; i < n; i++) {
                    long at = (long) i * LibC.EPOLL_EVENT_SIZE;
                    int mask = events.get(JAVA_INT_UNALIGNED, at);
                    long id = events.get(JAVA_LONG_UNALIGNED, at + LibC.EPOLL_EVENT_DATA);
                    if (id == 0) {
                        return;
                    }
                    Watch w = watches.get(id);
                    if (w != null) {
                        try {
                            loop.execute(() -> w.ready(mask));
                        } catch (RejectedExecutionException stopped) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /** One watched descriptor: an entry of the epoll set, its data the watch's id. */
    private final class Watch extends LoopFdWatch {
        private long id;

        Watch(int fd, int events, FdHandler handler) {
            super(NioFdWatches.this.loop, fd, events, handler);
        }

        @Override
        protected void arm() {
            int r = startWaiter();
            if (r < 0) {
                ended(new IOException("epoll_create1 for the watch of fd " + fd + ": " + Errno.describe(r)));
                return;
            }
            id = nextId++;
            watches.put(id, this);
            r = control(epollFd, LibC.EPOLL_CTL_ADD, fd, events | LibC.EPOLLET, id);
            if (r < 0) {
                watches.remove(id);
                ended(new IOException("epoll_ctl(EPOLL_CTL_ADD) of fd " + fd + ": " + Errno.describe(r)));
            }
        }

        @Override
        protected void disarm() {
            remove();
            ended(null);
        }

        /** Leaves the epoll set; a descriptor already closed has left it by itself. */
        void remove() {
            watches.remove(id);
            LibC.epollCtl(epollFd, LibC.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
        }
    }
}
