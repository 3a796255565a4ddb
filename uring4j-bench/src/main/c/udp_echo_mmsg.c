/*
 * udp_echo_mmsg: the C reference for the UDP echo cell. One thread, one socket, epoll; every
 * wakeup drains the socket with recvmmsg (64 at a time) and sends the batch back with one
 * sendmmsg, each datagram to its sender. What a careful C programmer writes without io_uring.
 *
 *   udp_echo_mmsg [--host 127.0.0.1] --port P [--rcvbuf BYTES]
 *
 * Prints "listening on HOST:PORT" when ready; SIGTERM/SIGINT stop it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void) sig;
    stop = 1;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = -1, rcvbuf = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--rcvbuf")) rcvbuf = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "udp_echo_mmsg: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (port < 0) {
        fprintf(stderr, "usage: udp_echo_mmsg [--host H] --port P [--rcvbuf BYTES]\n");
        return 2;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM, .ai_flags = AI_PASSIVE}, *ai;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &ai) != 0) {
        fprintf(stderr, "udp_echo_mmsg: cannot resolve %s\n", host);
        return 1;
    }
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0
                   && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0)
        || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        fprintf(stderr, "udp_echo_mmsg: socket/bind %s:%d: %s\n", host, port, strerror(errno));
        return 1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    getsockname(fd, (struct sockaddr *) &bound, &blen);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    printf("listening on %s:%d\n", host, ntohs(((struct sockaddr_in *) &bound)->sin_port));
    fflush(stdout);

    static char bufs[BATCH][65536];
    struct sockaddr_storage names[BATCH];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    long echoed = 0;
    while (!stop) {
        struct epoll_event got;
        if (epoll_wait(ep, &got, 1, -1) < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        for (;;) {
            for (int i = 0; i < BATCH; i++) {
                iov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
                memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                msgs[i].msg_hdr.msg_name = &names[i];
                msgs[i].msg_hdr.msg_namelen = sizeof names[i];
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
            }
            int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) {
                iov[i].iov_len = msgs[i].msg_len; /* send back what came, to whom it came from */
            }
            for (int done = 0; done < n;) {
                int s = sendmmsg(fd, msgs + done, n - done, 0);
                if (s < 0) {
                    if (errno == EINTR) continue;
                    break; /* UDP: a datagram the kernel refuses is lost, as for every peer */
                }
                done += s;
            }
            echoed += n;
            if (n < BATCH) break;
        }
    }
    printf("closed; echoed %ld datagrams\n", echoed);
    return 0;
}
