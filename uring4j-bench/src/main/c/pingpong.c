/*
 * pingpong: a second, deliberately different load tool that cross-checks loadgen. One blocking
 * thread per connection: write a message, read its echo, compare, repeat. No epoll, no batching,
 * no histogram, a different payload scheme: if both tools agree on rate and on the server's CPU
 * per round trip, neither is measuring an artefact of its own design.
 *
 *   pingpong --port P [--host 127.0.0.1] [--conns 1] [--size 64] [--warmup 1] [--duration 5] [--rate 0]
 *
 * Paced (--rate R): each thread sends R / conns messages per second on an absolute schedule and
 * latency runs from the moment a message was due. Same stdout protocol as loadgen
 * (measure-start, measure-end, result {...}); exit 3 on a payload mismatch, 4 on a lost connection.
 */
#include "bench_common.h"

#include <pthread.h>
#include <stdatomic.h>

static const char usage[] = "--port P [--host 127.0.0.1] [--conns 1] [--size 64] [--warmup 1] [--duration 5] [--rate 0]";

enum phase { WARMUP, MEASURE, DONE };
static _Atomic int phase = WARMUP;

static struct {
    const char *host;
    int port, conns, size;
    double warmup_s, duration_s, rate;
} cfg = { "127.0.0.1", -1, 1, 64, 1, 5, 0 };

struct worker {
    pthread_t thread;
    int id;
    uint64_t round_trips, latency_sum_ns;   /* inside the measured window only */
};

static void fill(unsigned char *msg, int id, uint64_t seq)
{
    for (int i = 0; i < cfg.size; i++)
        msg[i] = (unsigned char)(seq * 31u + (unsigned)i * 7u + (unsigned)id);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    unsigned char *msg = malloc((size_t)cfg.size), *echo = malloc((size_t)cfg.size);
    struct sockaddr_in sa = ipv4_address(cfg.host, cfg.port);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!msg || !echo || fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "pingpong: connection %d: %s\n", w->id, strerror(errno));
        exit(4);
    }
    set_nodelay(fd);
    uint64_t period_ns = cfg.rate > 0 ? (uint64_t)(1e9 * cfg.conns / cfg.rate) : 0;
    /* Spread the paced threads over one period instead of firing them all at once. */
    uint64_t due = now_ns() + period_ns * (uint64_t)w->id / (uint64_t)cfg.conns;
    for (uint64_t seq = 0; atomic_load_explicit(&phase, memory_order_relaxed) != DONE; seq++) {
        if (period_ns) {
            struct timespec ts = { .tv_sec = (time_t)(due / 1000000000ull), .tv_nsec = (long)(due % 1000000000ull) };
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
                ;
        }
        fill(msg, w->id, seq);
        uint64_t start = period_ns ? due : now_ns();
        if (write(fd, msg, (size_t)cfg.size) != cfg.size) {
            fprintf(stderr, "pingpong: connection %d: short or failed write\n", w->id);
            exit(4);
        }
        for (int got = 0; got < cfg.size;) {
            ssize_t n = read(fd, echo + got, (size_t)(cfg.size - got));
            if (n <= 0) {
                fprintf(stderr, "pingpong: connection %d lost: %s\n", w->id, n == 0 ? "closed by the server" : strerror(errno));
                exit(4);
            }
            got += (int)n;
        }
        uint64_t end = now_ns();
        if (memcmp(msg, echo, (size_t)cfg.size) != 0) {
            fprintf(stderr, "pingpong: payload mismatch on connection %d, message %llu\n", w->id, (unsigned long long)seq);
            exit(3);
        }
        if (atomic_load_explicit(&phase, memory_order_relaxed) == MEASURE) {
            w->round_trips++;
            w->latency_sum_ns += end - start;
        }
        due += period_ns;
    }
    close(fd);
    free(msg);
    free(echo);
    return NULL;
}

static void sleep_s(double s)
{
    struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = flag_value(argc, argv, &i, "--host", usage)))
            cfg.host = v;
        else if ((v = flag_value(argc, argv, &i, "--port", usage)))
            cfg.port = (int)parse_long(argv[0], usage, v, 1, 65535);
        else if ((v = flag_value(argc, argv, &i, "--conns", usage)))
            cfg.conns = (int)parse_long(argv[0], usage, v, 1, 4096);
        else if ((v = flag_value(argc, argv, &i, "--size", usage)))
            cfg.size = (int)parse_long(argv[0], usage, v, 1, 1 << 20);
        else if ((v = flag_value(argc, argv, &i, "--warmup", usage)))
            cfg.warmup_s = parse_seconds(argv[0], usage, v);
        else if ((v = flag_value(argc, argv, &i, "--duration", usage)))
            cfg.duration_s = parse_seconds(argv[0], usage, v);
        else if ((v = flag_value(argc, argv, &i, "--rate", usage)))
            cfg.rate = (double)parse_long(argv[0], usage, v, 0, 100000000);
        else
            die_usage(argv[0], usage, "unknown argument");
    }
    if (cfg.port < 0 || cfg.duration_s <= 0)
        die_usage(argv[0], usage, "--port and a positive --duration are required");
    signal(SIGPIPE, SIG_IGN);

    struct worker *workers = calloc((size_t)cfg.conns, sizeof(*workers));
    if (!workers)
        die_errno("calloc", ENOMEM);
    for (int i = 0; i < cfg.conns; i++) {
        workers[i].id = i;
        int err = pthread_create(&workers[i].thread, NULL, run, &workers[i]);
        if (err)
            die_errno("pthread_create", err);
    }
    sleep_s(cfg.warmup_s);
    uint64_t user0, sys0, user1, sys1;
    cpu_times_ns(&user0, &sys0);
    uint64_t t0 = now_ns();
    atomic_store(&phase, MEASURE);
    printf("measure-start\n");
    fflush(stdout);
    sleep_s(cfg.duration_s);
    atomic_store(&phase, DONE);
    uint64_t t1 = now_ns();
    cpu_times_ns(&user1, &sys1);
    printf("measure-end\n");
    fflush(stdout);

    uint64_t rts = 0, lat = 0;
    for (int i = 0; i < cfg.conns; i++) {
        pthread_join(workers[i].thread, NULL);
        rts += workers[i].round_trips;
        lat += workers[i].latency_sum_ns;
    }
    double window_s = (double)(t1 - t0) / 1e9, cpu_s = (double)(user1 - user0 + sys1 - sys0) / 1e9;
    printf("result {\"tool\":\"pingpong\",\"conns\":%d,\"depth\":1,\"size\":%d,\"rate_target\":%.0f,\"window_s\":%.6f,"
           "\"round_trips\":%llu,\"rt_per_s\":%.1f,\"mean_us\":%.2f,\"cpu_user_s\":%.4f,\"cpu_sys_s\":%.4f,"
           "\"cpu_us_per_rt\":%.3f}\n",
           cfg.conns, cfg.size, cfg.rate, window_s, (unsigned long long)rts, (double)rts / window_s,
           rts ? (double)lat / (double)rts / 1000.0 : 0.0, (double)(user1 - user0) / 1e9, (double)(sys1 - sys0) / 1e9,
           rts ? cpu_s * 1e6 / (double)rts : 0.0);
    return 0;
}
