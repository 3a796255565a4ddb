package dev.uring4j.runtime;

import java.util.concurrent.TimeUnit;

import static dev.uring4j.ring.uapi.IoUringH.IORING_FILE_INDEX_ALLOC;

import dev.uring4j.ring.Cqe;
import dev.uring4j.ring.Sqe;
import dev.uring4j.ring.sys.Errno;
import dev.uring4j.ring.sys.ErrnoException;
import dev.uring4j.ring.sys.LibC;

/**
 * A listening socket served by one loop: one multishot accept (into direct descriptors where the
 * kernel has them) stays armed and posts a completion per connection.
 *
 * <p>When accept fails for want of descriptors ({@code EMFILE}, {@code ENFILE}) the listener says
 * so once per episode and re-arms after a back-off that starts at 1 ms and doubles up to 1 s, or
 * at once when one of the server's connections closes; connections waiting in the backlog are
 * accepted then. At the server's connection limit the accept is cancelled until a connection
 * closes. Owned by the loop's thread.
 */
final class UringListener {
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(1);

    private final UringEventLoop loop;
    private final TcpServer server;
    private final int listenFd;
    final int generation = 1;
    private int index = -1;
    private long userData;
    private boolean armed;
    private boolean cancelling;
    private boolean stopping;
    private boolean fdClosed;
    private boolean paused;
    private long backoff = MIN_BACKOFF;
    private boolean inEpisode;
    private Timeout retry;

    UringListener(UringEventLoop loop, TcpServer server, int listenFd) {
        this.loop = loop;
        this.server = server;
        this.listenFd = listenFd;
    }

    /** Runs on the loop: registers and arms. */
    void start() {
        index = loop.addListener(this);
        userData = UserData.encode(UserData.OP_ACCEPT, generation, index);
        arm();
    }

    private void arm() {
        if (armed || stopping) {
            return;
        }
        if (server.atLimit()) {
            paused = true;
            return;
        }
        paused = false;
        Sqe s = loop.sqe();
        if (loop.direct) {
            if (loop.multishotAccept) {
                s.prepMultishotAcceptDirect(listenFd, 0, 0, 0);
            } else {
                s.prepAcceptDirect(listenFd, 0, 0, 0, IORING_FILE_INDEX_ALLOC);
            }
        } else if (loop.multishotAccept) {
            s.prepMultishotAccept(listenFd, 0, 0, LibC.SOCK_CLOEXEC);
        } else {
            s.prepAccept(listenFd, 0, 0, LibC.SOCK_CLOEXEC);
        }
        s.userData(userData);
        armed = true;
    }

    void onAccept(int res, int flags) {
        if (!Cqe.more(flags)) {
            armed = false;
            cancelling = false;
        }
        if (res >= 0) {
            if (inEpisode) {
                inEpisode = false;
                UringEventLoop.LOG.log(System.Logger.Level.INFO, "accepting again on " + server.localAddress());
            }
            backoff = MIN_BACKOFF;
            server.accepted(loop, res);
            if (server.atLimit() && armed && !cancelling) {
                // At the limit: stop the multishot accept until a connection closes. A connection
                // already being accepted when the cancel lands is still served.
                cancelling = true;
                loop.sqe().prepCancel64(userData, 0).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
                paused = true;
            }
        } else if (res == -Errno.EMFILE || res == -Errno.ENFILE) {
            if (!inEpisode) {
                inEpisode = true;
                UringEventLoop.LOG.log(System.Logger.Level.WARNING, "accept on " + server.localAddress() + ": "
                        + Errno.describe(res) + ": " + limitHint(res) + "; established connections keep working, "
                        + "accepting resumes when a descriptor frees up (retrying from 1 ms, doubling up to 1 s)");
            }
            scheduleRetry();
        } else if (res != -Errno.ECANCELED) {
            UringEventLoop.LOG.log(System.Logger.Level.WARNING, "accept on " + server.localAddress() + ": "
                    + Errno.describe(res) + "; retrying");
            scheduleRetry();
        }
        if (!armed) {
            if (stopping) {
                closeFd();
            } else if (retry == null && !paused) {
                arm();
            }
        }
    }

    private String limitHint(int res) {
        if (-res == Errno.EMFILE) {
            String limit;
            try {
                limit = String.valueOf(LibC.rlimit(LibC.RLIMIT_NOFILE)[0]);
            } catch (ErrnoException e) {
                limit = "?";
            }
            return "the process reached its descriptor limit RLIMIT_NOFILE=" + limit;
        }
        return loop.direct ? "the loop's direct-descriptor table is full (or the system file limit was reached)"
                : "the system-wide file limit (fs.file-max) was reached";
    }

    private void scheduleRetry() {
        if (retry != null || stopping) {
            return;
        }
        long delay = backoff;
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        retry = loop.schedule(delay, TimeUnit.NANOSECONDS, this::retryNow);
    }

    /** Re-arms now: a descriptor may have freed up, or the connection count dropped below the limit. */
    void retryNow() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        if (!stopping && !armed) {
            arm();
        }
    }

    boolean waiting() {
        return paused || retry != null;
    }

    /** Stops accepting; the fd is closed once the accept's final completion is in. */
    void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        if (armed) {
            if (!cancelling) {
                cancelling = true;
                loop.sqe().prepCancel64(userData, 0).userData(UserData.encode(UserData.OP_LOOP_CANCEL, 0, 0));
            }
        } else {
            closeFd();
        }
    }

    boolean isClosed() {
        return stopping && !armed;
    }

    void closeFd() {
        if (!fdClosed) {
            fdClosed = true;
            LibC.close(listenFd);
        }
    }
}
