/*
 * Shared by the benchmark's C programs (servers and load tools): argument parsing, the listening
 * socket and its "listening on HOST:PORT" contract, SIGTERM handling, clocks and CPU time.
 * Header-only because each program is one translation unit compiled at bench time by native.sh.
 */
#ifndef URING4J_BENCH_COMMON_H
#define URING4J_BENCH_COMMON_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Fatal setup error: names the operation and errno, then exits non-zero. */
static inline void die_errno(const char *what, int err)
{
    fprintf(stderr, "%s: %s (%s)\n", what, strerror(err), strerrorname_np(err) ? strerrorname_np(err) : "?");
    exit(1);
}

static inline void die_usage(const char *prog, const char *usage, const char *why)
{
    fprintf(stderr, "%s: %s\nusage: %s %s\n", prog, why, prog, usage);
    exit(2);
}

/*
 * Flag parsing: every flag takes one value ("--port 0"). Returns the value when argv[*i] is
 * `name`, advancing *i past it; NULL otherwise.
 */
static inline const char *flag_value(int argc, char **argv, int *i, const char *name, const char *usage)
{
    if (strcmp(argv[*i], name) != 0)
        return NULL;
    if (*i + 1 >= argc)
        die_usage(argv[0], usage, "missing value after a flag");
    *i += 1;
    return argv[*i];
}

static inline long parse_long(const char *prog, const char *usage, const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < min || v > max)
        die_usage(prog, usage, "a number is malformed or out of range");
    return v;
}

static inline double parse_seconds(const char *prog, const char *usage, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || end == s || v < 0 || v > 86400)
        die_usage(prog, usage, "a duration in seconds is malformed or out of range");
    return v;
}

/* The load tools' common command line: [--host H] --port P [--conns N] [--depth D] [--warmup S]
 * [--duration S] [--rate R]. */
struct load_args {
    const char *host;
    int port, conns, depth;
    double warmup_s, duration_s, rate;
};
#define LOAD_ARGS_DEFAULT { "127.0.0.1", -1, 64, 1, 1, 5, 0 }

/* Takes argv[*i] and its value when it is one of the common flags; returns 0 when it is not. */
static inline int load_flag(int argc, char **argv, int *i, struct load_args *a, const char *usage, int max_conns, int max_depth)
{
    const char *v;
    if ((v = flag_value(argc, argv, i, "--host", usage)))
        a->host = v;
    else if ((v = flag_value(argc, argv, i, "--port", usage)))
        a->port = (int)parse_long(argv[0], usage, v, 1, 65535);
    else if ((v = flag_value(argc, argv, i, "--conns", usage)))
        a->conns = (int)parse_long(argv[0], usage, v, 1, max_conns);
    else if ((v = flag_value(argc, argv, i, "--depth", usage)))
        a->depth = (int)parse_long(argv[0], usage, v, 1, max_depth);
    else if ((v = flag_value(argc, argv, i, "--warmup", usage)))
        a->warmup_s = parse_seconds(argv[0], usage, v);
    else if ((v = flag_value(argc, argv, i, "--duration", usage)))
        a->duration_s = parse_seconds(argv[0], usage, v);
    else if ((v = flag_value(argc, argv, i, "--rate", usage)))
        a->rate = (double)parse_long(argv[0], usage, v, 0, 100000000);
    else
        return 0;
    return 1;
}

/* A write to a connection the server closed is an error to report, not a signal to die of; and
 * paced sends are due every few microseconds, which the default 50 µs timer slack would bunch. */
static inline void load_tool_init(void)
{
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL);
}

static inline void load_args_check(const char *prog, const char *usage, const struct load_args *a)
{
    if (a->port < 0)
        die_usage(prog, usage, "--port is required");
    if (a->duration_s <= 0)
        die_usage(prog, usage, "--duration must be positive");
}

/* The servers' command line: [--host H] --port P (0 = ephemeral). */
struct server_args {
    const char *host;
    int port;
};

static inline struct server_args parse_server_args(int argc, char **argv)
{
    static const char usage[] = "[--host 127.0.0.1] --port P";
    struct server_args a = { "127.0.0.1", -1 };
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "--host", usage)))
            a.host = v;
        else if ((v = flag_value(argc, argv, &i, "--port", usage)))
            a.port = (int)parse_long(argv[0], usage, v, 0, 65535);
        else
            die_usage(argv[0], usage, "unknown argument");
    }
    if (a.port < 0)
        die_usage(argv[0], usage, "--port is required");
    return a;
}

static inline struct sockaddr_in ipv4_address(const char *host, int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", host);
        exit(2);
    }
    return sa;
}

static inline void set_nodelay(int fd)
{
    int one = 1;
    /* Request/response traffic: never let Nagle hold back a reply waiting for an ACK. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
        die_errno("setsockopt(TCP_NODELAY)", errno);
}

/* A bound, listening TCP socket; `flags` may add SOCK_NONBLOCK. */
static inline int listen_tcp(const struct server_args *a, int flags)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
    if (fd < 0)
        die_errno("socket", errno);
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
        die_errno("setsockopt(SO_REUSEADDR)", errno);
    struct sockaddr_in sa = ipv4_address(a->host, a->port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        die_errno("bind", errno);
    /* 512-connection cells connect all at once: a short backlog would turn that into SYN retries. */
    if (listen(fd, 4096) < 0)
        die_errno("listen", errno);
    return fd;
}

/* The readiness contract every benchmarked server shares: exactly one line, once it can serve. */
static inline void announce_listening(int fd, const char *host)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        die_errno("getsockname", errno);
    printf("listening on %s:%d\n", host, ntohs(sa.sin_port));
    fflush(stdout);
}

static volatile sig_atomic_t stop_requested;

static inline void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/*
 * SIGTERM/SIGINT set stop_requested. No SA_RESTART: the blocking wait (epoll_wait,
 * io_uring_enter) returns EINTR so the loop sees the flag and shuts down.
 */
static inline void install_stop_handler(void)
{
    struct sigaction sa = { .sa_handler = on_stop_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* This process's user and system CPU time, in nanoseconds. */
static inline void cpu_times_ns(uint64_t *user, uint64_t *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (uint64_t)ru.ru_utime.tv_sec * 1000000000ull + (uint64_t)ru.ru_utime.tv_usec * 1000ull;
    *sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000ull + (uint64_t)ru.ru_stime.tv_usec * 1000ull;
}

/* A line of the load tools' stdout contract, flushed at once: the orchestrator samples on it. */
static inline void mark(const char *line)
{
    printf("%s\n", line);
    fflush(stdout);
}

/*
 * The load tools' measured window: it opens once the warm-up is over, printing "measure-start",
 * and lasts its full duration however late it opened; closing it prints "measure-end". The tool's
 * own CPU time is taken over exactly the window.
 */
struct measure_window {
    uint64_t start_ns, end_ns, user0_ns, sys0_ns;
    double duration_s;
    int open;
};

static inline void window_init(struct measure_window *w, uint64_t now, double warmup_s, double duration_s)
{
    *w = (struct measure_window){ .start_ns = now + (uint64_t)(warmup_s * 1e9), .duration_s = duration_s };
    w->end_ns = w->start_ns + (uint64_t)(duration_s * 1e9);
}

/* Opens the window when its time has come; returns when the caller must wake up at the latest. */
static inline uint64_t window_tick(struct measure_window *w, uint64_t now)
{
    if (!w->open && now >= w->start_ns) {
        w->open = 1;
        w->start_ns = now;
        w->end_ns = now + (uint64_t)(w->duration_s * 1e9);
        cpu_times_ns(&w->user0_ns, &w->sys0_ns);
        mark("measure-start");
    }
    return w->open ? w->end_ns : w->start_ns;
}

static inline int window_over(const struct measure_window *w, uint64_t now)
{
    return w->open && now >= w->end_ns;
}

/* Closes the window at `now` (an empty one if it never opened): its length, and the CPU seconds spent in it. */
static inline double window_close(struct measure_window *w, uint64_t now, double *user_s, double *sys_s)
{
    uint64_t user, sys;
    cpu_times_ns(&user, &sys);
    if (!w->open) {
        w->open = 1;
        w->start_ns = now;
        w->user0_ns = user;
        w->sys0_ns = sys;
        mark("measure-start");
    }
    mark("measure-end");
    *user_s = (double)(user - w->user0_ns) / 1e9;
    *sys_s = (double)(sys - w->sys0_ns) / 1e9;
    return (double)(now - w->start_ns) / 1e9;
}

#endif
