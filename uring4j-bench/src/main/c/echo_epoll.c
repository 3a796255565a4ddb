/*
 * Echo server on epoll, one thread: the classic readiness-based design every Java NIO transport
 * is built on, in C, so the benchmark shows the epoll limit beside the io_uring one.
 *
 * Level-triggered. One shared read buffer; a reply goes straight back with write(). Only when the
 * socket's send buffer is full does the rest get copied into the connection's own buffer, and the
 * connection then stops reading until it drains (backpressure: a client that never reads cannot
 * make the server buffer without bound).
 *
 *   echo_epoll [--host 127.0.0.1] --port P     prints "listening on HOST:PORT" when ready
 */
#include "bench_common.h"

#include <fcntl.h>
#include <sys/epoll.h>

#define READ_BUF_SIZE 65536
#define MAX_EVENTS 512

struct conn {
    char *pending;    /* unsent tail of a reply, READ_BUF_SIZE bytes, allocated on first need */
    uint32_t pending_off, pending_len;
};

static struct conn *conns;   /* indexed by fd */
static int max_fds;
static int epfd;

static void watch(int op, int fd, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    if (epoll_ctl(epfd, op, fd, &ev) < 0)
        die_errno("epoll_ctl", errno);
}

static void close_conn(int fd)
{
    free(conns[fd].pending);
    conns[fd] = (struct conn){ 0 };
    close(fd);   /* also removes it from the epoll set */
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            if (errno == EMFILE || errno == ENFILE) {
                fprintf(stderr, "accept4: %s; connection left in the backlog\n", strerror(errno));
                return;
            }
            die_errno("accept4", errno);
        }
        if (fd >= max_fds) {
            fprintf(stderr, "fd %d beyond the table of %d; closing it\n", fd, max_fds);
            close(fd);
            continue;
        }
        set_nodelay(fd);
        watch(EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP);
    }
}

/* Writes what is pending; returns 0 when drained, 1 while the socket is still full, -1 on error. */
static int flush_pending(int fd)
{
    struct conn *c = &conns[fd];
    while (c->pending_off < c->pending_len) {
        ssize_t n = write(fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
        if (n < 0)
            return errno == EAGAIN ? 1 : -1;
        c->pending_off += (uint32_t)n;
    }
    c->pending_off = c->pending_len = 0;
    return 0;
}

static void on_readable(int fd, char *buf)
{
    ssize_t n;
    do {
        n = read(fd, buf, READ_BUF_SIZE);
        if (n <= 0) {
            if (n < 0 && errno == EAGAIN)
                return;
            close_conn(fd);   /* EOF or error (ECONNRESET): the client is gone */
            return;
        }
        ssize_t w = write(fd, buf, (size_t)n);
        if (w < 0 && errno != EAGAIN) {
            close_conn(fd);
            return;
        }
        if (w < n) {
            struct conn *c = &conns[fd];
            if (!c->pending && !(c->pending = malloc(READ_BUF_SIZE)))
                die_errno("malloc", ENOMEM);
            size_t sent = w < 0 ? 0 : (size_t)w;
            memcpy(c->pending, buf + sent, (size_t)n - sent);
            c->pending_off = 0;
            c->pending_len = (uint32_t)((size_t)n - sent);
            watch(EPOLL_CTL_MOD, fd, EPOLLOUT | EPOLLRDHUP);
            return;
        }
        /* A full buffer means more may be waiting; a short read means the socket is drained. */
    } while (n == READ_BUF_SIZE);
}

int main(int argc, char **argv)
{
    struct server_args args = parse_server_args(argc, argv);
    install_stop_handler();

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    max_fds = rl.rlim_cur > 1048576 ? 1048576 : (int)rl.rlim_cur;
    conns = calloc((size_t)max_fds, sizeof(*conns));
    char *buf = malloc(READ_BUF_SIZE);
    if (!conns || !buf)
        die_errno("calloc", ENOMEM);

    int lfd = listen_tcp(&args, SOCK_NONBLOCK);
    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die_errno("epoll_create1", errno);
    watch(EPOLL_CTL_ADD, lfd, EPOLLIN);
    announce_listening(lfd, args.host);

    struct epoll_event events[MAX_EVENTS];
    while (!stop_requested) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die_errno("epoll_wait", errno);
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            uint32_t ev = events[i].events;
            if (fd == lfd) {
                accept_all(lfd);
            } else if (ev & EPOLLOUT) {
                int r = flush_pending(fd);
                if (r < 0)
                    close_conn(fd);
                else if (r == 0)
                    watch(EPOLL_CTL_MOD, fd, EPOLLIN | EPOLLRDHUP);
            } else if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) {
                on_readable(fd, buf);
            }
        }
    }
    for (int fd = 0; fd < max_fds; fd++)
        if (conns[fd].pending)
            free(conns[fd].pending);
    close(lfd);
    close(epfd);
    return 0;
}
