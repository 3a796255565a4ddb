/*
 * loadgen: the echo benchmark's load generator. One thread, epoll, non-blocking sockets, so that
 * on one core it costs about what a server costs per round trip and is not the bottleneck.
 *
 *   loadgen --port P [--host 127.0.0.1] [--conns 64] [--depth 1] [--size 64]
 *           [--warmup 1] [--duration 5] [--rate 0]
 *
 * Closed loop (--rate 0): every connection keeps --depth messages in flight; latency runs from the
 * moment a message is written. Paced (--rate R): R round trips per second in total, handed to
 * idle connections (fewer than --depth in flight) in turn; latency runs from the moment the
 * message was due, so a server that falls behind shows it in the percentiles instead of hiding it
 * (coordinated omission).
 *
 * Every echoed byte is checked: message `seq` of connection `c` is a window of a pseudo-random
 * pattern that starts at an offset depending on both, so a lost, repeated, reordered or
 * cross-wired message fails, not only a corrupted byte.
 *
 * stdout, one flushed line each, for the orchestrator:
 *   measure-start      warm-up is over; the measured window starts now
 *   measure-end        the window is over (nothing more is sent)
 *   result {...}       flat JSON: rate, latency percentiles (µs), own CPU time per round trip
 * Exit status: 0 done, 1 setup error, 2 usage, 3 payload mismatch, 4 connection lost.
 */
#include "bench_common.h"
#include "histogram.h"
#include "pacing.h"

#include <fcntl.h>
#include <sys/epoll.h>

static const char usage[] =
    "--port P [--host 127.0.0.1] [--conns 64] [--depth 1] [--size 64] [--warmup 1] [--duration 5] [--rate 0]";

#define PATTERN_PERIOD 65521u   /* prime, so consecutive messages start far apart */
#define READ_BUF_SIZE 65536
#define MAX_EVENTS 1024

struct conn {
    int fd;
    uint32_t id;
    uint64_t sent, received;   /* messages */
    uint32_t recv_off;         /* bytes of message `received` already checked */
    uint64_t *start_ns;        /* depth slots: when message seq % depth was written (or due) */
    char *out;                 /* unsent bytes of the last write; depth * size capacity */
    uint32_t out_off, out_len;
};

static struct load_args cfg = LOAD_ARGS_DEFAULT;
static int msg_size = 64;

static struct conn *conns;
static char *pattern;          /* PATTERN_PERIOD + size bytes: any message is one contiguous window */
static int epfd;
static struct measure_window window;
static struct histogram hist;
static uint64_t window_round_trips;

static struct pacer pacer;   /* paced mode only */

static inline const char *expected(const struct conn *c, uint64_t seq)
{
    return pattern + ((uint64_t)c->id * 7919u + seq * 104729u) % PATTERN_PERIOD;
}

static void watch(int op, struct conn *c, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    if (epoll_ctl(epfd, op, c->fd, &ev) < 0)
        die_errno("epoll_ctl", errno);
}

static void lost(const struct conn *c, const char *why)
{
    fprintf(stderr, "loadgen: connection %u lost: %s\n", c->id, why);
    exit(4);
}

/* Paced mode: offers the connection for the next due message if it has room for one. */
static void idle_push(struct conn *c)
{
    if (!c->out_len && c->sent - c->received < (uint64_t)cfg.depth)
        pacer_offer(&pacer, (int)c->id);
}

static void flush_out(struct conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0) {
            if (errno == EAGAIN) {
                watch(EPOLL_CTL_MOD, c, EPOLLIN | EPOLLOUT);
                return;
            }
            lost(c, strerror(errno));
        }
        c->out_off += (uint32_t)n;
    }
    if (c->out_len)   /* was waiting for EPOLLOUT or wrote everything at once: either way, done */
        watch(EPOLL_CTL_MOD, c, EPOLLIN);
    c->out_off = c->out_len = 0;
}

/* Appends `count` messages, all stamped `start`, and writes them in one system call. */
static void send_messages(struct conn *c, int count, uint64_t start)
{
    int was_blocked = c->out_len != 0;
    for (int i = 0; i < count; i++) {
        memcpy(c->out + c->out_len, expected(c, c->sent), (size_t)msg_size);
        c->out_len += (uint32_t)msg_size;
        c->start_ns[c->sent % (uint64_t)cfg.depth] = start;
        c->sent++;
    }
    if (was_blocked)
        return;   /* EPOLLOUT is armed; the flush there sends these too */
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0 && errno != EAGAIN)
        lost(c, strerror(errno));
    c->out_off = n < 0 ? 0 : (uint32_t)n;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    else
        watch(EPOLL_CTL_MOD, c, EPOLLIN | EPOLLOUT);
}

static void refill_closed_loop(struct conn *c, uint64_t now)
{
    int room = cfg.depth - (int)(c->sent - c->received);
    if (room > 0 && !c->out_len)
        send_messages(c, room, now);
}

static void mismatch(const struct conn *c, const char *got, uint32_t len)
{
    const char *want = expected(c, c->received) + c->recv_off;
    uint32_t i = 0;
    while (i < len && got[i] == want[i])
        i++;
    fprintf(stderr, "loadgen: payload mismatch on connection %u, message %llu, byte %u: expected 0x%02x, got 0x%02x\n",
            c->id, (unsigned long long)c->received, c->recv_off + i, (unsigned char)want[i], (unsigned char)got[i]);
    exit(3);
}

static void on_readable(struct conn *c, char *buf)
{
    ssize_t n;
    do {
        n = read(c->fd, buf, READ_BUF_SIZE);
        if (n == 0)
            lost(c, "the server closed it");
        if (n < 0) {
            if (errno == EAGAIN)
                return;
            lost(c, strerror(errno));
        }
        uint64_t now = now_ns();
        for (ssize_t p = 0; p < n;) {
            if (c->received == c->sent) {
                fprintf(stderr, "loadgen: connection %u received %zd bytes nobody sent\n", c->id, n - p);
                exit(3);
            }
            uint32_t take = (uint32_t)msg_size - c->recv_off;
            if ((ssize_t)take > n - p)
                take = (uint32_t)(n - p);
            if (memcmp(buf + p, expected(c, c->received) + c->recv_off, take) != 0)
                mismatch(c, buf + p, take);
            p += take;
            c->recv_off += take;
            if (c->recv_off == (uint32_t)msg_size) {
                if (window.open) {
                    hist_record(&hist, now - c->start_ns[c->received % (uint64_t)cfg.depth]);
                    window_round_trips++;
                }
                c->received++;
                c->recv_off = 0;
            }
        }
        if (cfg.rate > 0)
            idle_push(c);
        else
            refill_closed_loop(c, now);
    } while (n == READ_BUF_SIZE);
}

static void connect_all(void)
{
    struct sockaddr_in sa = ipv4_address(cfg.host, cfg.port);
    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = &conns[i];
        c->id = (uint32_t)i;
        c->start_ns = calloc((size_t)cfg.depth, sizeof(uint64_t));
        c->out = malloc((size_t)cfg.depth * (size_t)msg_size);
        if (!c->start_ns || !c->out)
            die_errno("malloc", ENOMEM);
        if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
            die_errno("socket", errno);
        set_nodelay(c->fd);
        if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)
            die_errno("connect", errno);
        watch(EPOLL_CTL_ADD, c, EPOLLOUT);
    }
    struct epoll_event events[MAX_EVENTS];
    uint64_t deadline = now_ns() + 10000000000ull;
    for (int pending = cfg.conns; pending > 0;) {
        if (now_ns() > deadline) {
            fprintf(stderr, "loadgen: %d of %d connections still not established after 10 s\n", pending, cfg.conns);
            exit(4);
        }
        int n = epoll_wait(epfd, events, MAX_EVENTS, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            int err = 0;
            socklen_t len = sizeof(err);
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                fprintf(stderr, "loadgen: connect to %s:%d: %s\n", cfg.host, cfg.port, strerror(err));
                exit(4);
            }
            watch(EPOLL_CTL_MOD, c, EPOLLIN);
            pending--;
        }
    }
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (load_flag(argc, argv, &i, &cfg, usage, 100000, 4096))
            continue;
        if ((v = flag_value(argc, argv, &i, "--size", usage)))
            msg_size = (int)parse_long(argv[0], usage, v, 1, 1 << 20);
        else
            die_usage(argv[0], usage, "unknown argument");
    }
    load_args_check(argv[0], usage, &cfg);
    if ((uint64_t)cfg.depth * (uint64_t)msg_size > (1u << 30))
        die_usage(argv[0], usage, "--depth times --size is over 1 GiB per connection");
}

static void send_paced(int id, uint64_t due)
{
    send_messages(&conns[id], 1, due);
    idle_push(&conns[id]);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    load_tool_init();

    pattern = malloc(PATTERN_PERIOD + (size_t)msg_size);
    conns = calloc((size_t)cfg.conns, sizeof(*conns));
    char *buf = malloc(READ_BUF_SIZE);
    if (!pattern || !conns || !buf)
        die_errno("malloc", ENOMEM);
    uint64_t x = 0x9E3779B97F4A7C15ull;   /* xorshift64: any fixed, non-repeating filler does */
    for (size_t i = 0; i < PATTERN_PERIOD; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        pattern[i] = (char)(x >> 32);
    }
    memcpy(pattern + PATTERN_PERIOD, pattern, (size_t)msg_size);

    if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        die_errno("epoll_create1", errno);
    connect_all();

    uint64_t start = now_ns();
    window_init(&window, start, cfg.warmup_s, cfg.duration_s);
    if (cfg.rate > 0 && pacer_init(&pacer, cfg.rate, cfg.conns, start) < 0)
        die_errno("calloc", ENOMEM);

    for (int i = 0; i < cfg.conns; i++) {
        if (cfg.rate > 0)
            idle_push(&conns[i]);
        else
            refill_closed_loop(&conns[i], start);
    }

    struct epoll_event events[MAX_EVENTS];
    uint64_t now = start;
    for (;;) {
        uint64_t wake = window_tick(&window, now);
        if (window_over(&window, now))
            break;
        if (cfg.rate > 0)
            wake = pacer_run(&pacer, now, window.open, wake, send_paced);
        uint64_t wait_ns = wake > now ? wake - now : 0;
        struct timespec timeout = { .tv_sec = (time_t)(wait_ns / 1000000000ull), .tv_nsec = (long)(wait_ns % 1000000000ull) };
        int n = epoll_pwait2(epfd, events, MAX_EVENTS, &timeout, NULL);
        if (n < 0 && errno != EINTR)
            die_errno("epoll_pwait2", errno);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (events[i].events & EPOLLOUT) {
                flush_out(c);
                if (!c->out_len) {
                    if (cfg.rate > 0)
                        idle_push(c);
                    else
                        refill_closed_loop(c, now_ns());
                }
            }
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(c, buf);
        }
        now = now_ns();
    }

    double user_s, sys_s, window_s = window_close(&window, now, &user_s, &sys_s);
    uint64_t rts = window_round_trips;
    printf("result {\"tool\":\"loadgen\",\"conns\":%d,\"depth\":%d,\"size\":%d,\"rate_target\":%.0f,"
           "\"window_s\":%.6f,\"round_trips\":%llu,\"rt_per_s\":%.1f,\"verified_bytes\":%llu,"
           "\"p50_us\":%.2f,\"p90_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f,\"max_us\":%.2f,\"mean_us\":%.2f,"
           "\"cpu_user_s\":%.4f,\"cpu_sys_s\":%.4f,\"cpu_us_per_rt\":%.3f,\"late_sends\":%llu,\"max_lag_us\":%.1f}\n",
           cfg.conns, cfg.depth, msg_size, cfg.rate, window_s, (unsigned long long)rts, (double)rts / window_s,
           (unsigned long long)(rts * (uint64_t)msg_size), hist_percentile_us(&hist, 0.50),
           hist_percentile_us(&hist, 0.90), hist_percentile_us(&hist, 0.99), hist_percentile_us(&hist, 0.999),
           (double)hist.max_ns / 1000.0, hist_mean_us(&hist),
           user_s, sys_s, rts ? (user_s + sys_s) * 1e6 / (double)rts : 0.0, (unsigned long long)pacer.late_sends,
           (double)pacer.max_lag_ns / 1000.0);
    fflush(stdout);
    for (int i = 0; i < cfg.conns; i++)
        close(conns[i].fd);
    return 0;
}
