package dev.uring4j.runtime;

/**
 * A descriptor watched by an event loop ({@link EventLoop#watch}): pipes, eventfds, timerfds,
 * signalfds, character devices, sockets the loop does not own. On io_uring it is one multishot
 * poll ({@code IORING_OP_POLL_ADD} with {@code IORING_POLL_ADD_MULTI}, Linux 5.13), armed once and
 * completing each time the descriptor becomes ready; on the NIO transport an epoll set of the
 * loop's, edge-triggered, does the same.
 *
 * <p>Readiness is reported as an edge: {@link FdHandler#onReady} runs when the descriptor becomes
 * ready, not for as long as it stays ready, so a handler reads (or writes) until the call would
 * block ({@code EAGAIN}); the descriptor should be non-blocking. Watch a descriptor once per
 * loop: io_uring would take a second poll, but epoll refuses a second entry ({@code EEXIST}).
 */
public interface FdWatch {
    /** {@code POLLIN}: there is data to read. */
    int READABLE = 0x1;
    /** {@code POLLPRI}: there is urgent data or an exceptional condition. */
    int PRIORITY = 0x2;
    /** {@code POLLOUT}: a write would not block. */
    int WRITABLE = 0x4;
    /** {@code POLLERR}: an error is pending; always reported. */
    int ERROR = 0x8;
    /** {@code POLLHUP}: the other end hung up; always reported. */
    int HANGUP = 0x10;

    /**
     * The descriptor watched.
     *
     * @return the descriptor given to {@link EventLoop#watch}
     */
    int fd();

    /**
     * The loop whose thread runs the handler.
     *
     * @return the loop
     */
    EventLoop loop();

    /**
     * Stops watching, from any thread. The handler's {@link FdHandler#onEnded} follows on the
     * loop's thread with no cause; no {@link FdHandler#onReady} runs after it. The descriptor stays
     * open: it is the caller's. Cancelling an ended watch does nothing.
     */
    void cancel();

    /**
     * Whether the watch still reports readiness (not cancelled, not ended by an error, loop running).
     *
     * @return {@code true} until it ends
     */
    boolean isActive();
}
