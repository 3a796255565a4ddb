/*
 * udp_load: a paced UDP load generator for echo servers.
 *
 * N peers (one connected socket each, so the server sees N addresses) send SIZE-byte datagrams
 * round-robin at a fixed total RATE; each datagram carries its sequence number and send time, so
 * every echo gives a round-trip time. Phases: warm-up (sent, not counted), measurement, and a
 * drain (no sending, 500 ms of receiving late echoes). Datagrams sent during the measurement are
 * the ones counted: echoed, lost (never came back), and their round-trip percentiles.
 *
 * The server's CPU time over exactly the measurement window is read here, at its edges, from
 * /proc/PID/task/STAR/schedstat (nanoseconds on CPU, all threads, user and system) and
 * /proc/PID/stat; the busy time of the server's CPU from /proc/stat (tick-sampled, and counting
 * anything else that ran there). How disturbed the window was: the time the server's threads, and
 * ours, spent runnable but waiting for a CPU (schedstat's second field), as a percentage of the
 * window. Kernel drops at the server's socket and ours, during the window, come from /proc/net/udp.
 *
 * Pacing: between sends we wait in epoll_pwait2 with a nanosecond timeout (1 us timer slack),
 * receiving whatever arrives with recvmmsg; a sender more than 10 ms behind its schedule counts
 * the shortfall ("behind") instead of bursting, so an overloaded generator says so.
 *
 *   udp_load --port P [--host 127.0.0.1] [--peers 64] [--size 64] [--rate 50000] [--warmup 5]
 *            [--seconds 10] [--rcvbuf 4194304] [--server-pid PID] [--server-cpu 0]
 *
 * Prints one line: "result key=value ..." (see the end of main).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#define BATCH 64
#define HIST_US 200000 /* 1 us buckets up to 200 ms, then one overflow bucket */

struct payload {
    uint64_t seq;
    uint64_t sent_ns;
};

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "udp_load: %s: %s\n", what, strerror(errno));
    exit(1);
}

/*
 * Field `field` (0: nanoseconds on CPU, 1: nanoseconds runnable but waiting for a CPU) of
 * /proc/PID/task/STAR/schedstat, summed over every thread of pid, or -1. The wait is the direct
 * measure of interference: time the process wanted a CPU that something else had.
 */
static long proc_schedstat_ns(long pid, int field) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/task", pid);
    DIR *d = opendir(path);
    if (d == NULL) {
        return -1;
    }
    long total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char p[320];
        snprintf(p, sizeof p, "/proc/%ld/task/%s/schedstat", pid, e->d_name);
        FILE *f = fopen(p, "r");
        if (f == NULL) {
            continue; /* a thread that just ended */
        }
        long run = 0, wait = 0;
        if (fscanf(f, "%ld %ld", &run, &wait) == 2) {
            total += field == 0 ? run : wait;
        }
        fclose(f);
    }
    closedir(d);
    return total;
}

/* utime + stime of pid in nanoseconds (/proc/PID/stat, clock-tick resolution), or -1. */
static long proc_stat_ns(long pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (p == NULL) {
        return -1;
    }
    long utime = 0, stime = 0;
    /* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &utime, &stime) != 2) {
        return -1;
    }
    return (utime + stime) * (1000000000L / sysconf(_SC_CLK_TCK));
}

/* Busy nanoseconds of one CPU (everything but idle and iowait) from /proc/stat, or -1. */
static long cpu_busy_ns(int cpu) {
    FILE *f = fopen("/proc/stat", "r");
    if (f == NULL) {
        return -1;
    }
    char line[512], name[16];
    snprintf(name, sizeof name, "cpu%d ", cpu);
    long busy = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, strlen(name)) == 0) {
            long v[10] = {0};
            sscanf(line + strlen(name), "%ld %ld %ld %ld %ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7], &v[8], &v[9]);
            busy = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * (1000000000L / sysconf(_SC_CLK_TCK));
            break;
        }
    }
    fclose(f);
    return busy;
}

/* Kernel drops (the last column of /proc/net/udp{,6}) of sockets bound to local port `port`. */
static long udp_drops(int port) {
    const char *tables[] = {"/proc/net/udp", "/proc/net/udp6"};
    long drops = 0;
    for (int t = 0; t < 2; t++) {
        FILE *f = fopen(tables[t], "r");
        if (f == NULL) {
            continue;
        }
        char line[512];
        while (fgets(line, sizeof line, f) != NULL) {
            char local[128];
            long d;
            if (sscanf(line, "%*s %127s", local) != 1) {
                continue;
            }
            char *colon = strrchr(local, ':');
            if (colon == NULL || (int) strtol(colon + 1, NULL, 16) != port) {
                continue;
            }
            char *last = strrchr(line, ' ');
            if (last != NULL && sscanf(last, "%ld", &d) == 1) {
                drops += d;
            }
        }
        fclose(f);
    }
    return drops;
}

static long hist[HIST_US + 1];
static long hist_n, hist_max;

static void record(long rtt_ns) {
    long us = rtt_ns < 0 ? 0 : rtt_ns / 1000;
    hist[us > HIST_US ? HIST_US : us]++;
    hist_n++;
    if (rtt_ns > hist_max) {
        hist_max = rtt_ns;
    }
}

static long percentile_us(double p) {
    if (hist_n == 0) {
        return 0;
    }
    long rank = (long) ((double) hist_n * p / 100.0 + 0.999999), seen = 0;
    for (long i = 0; i <= HIST_US; i++) {
        seen += hist[i];
        if (seen >= rank) {
            return i;
        }
    }
    return HIST_US;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0, peers = 64, size = 64, server_cpu = 0, rcvbuf = 4 << 20;
    long rate = 50000, server_pid = 0;
    double warmup = 5, seconds = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--host")) host = v;
        else if (!strcmp(k, "--port")) port = atoi(v);
        else if (!strcmp(k, "--peers")) peers = atoi(v);
        else if (!strcmp(k, "--size")) size = atoi(v);
        else if (!strcmp(k, "--rate")) rate = atol(v);
        else if (!strcmp(k, "--warmup")) warmup = atof(v);
        else if (!strcmp(k, "--seconds")) seconds = atof(v);
        else if (!strcmp(k, "--rcvbuf")) rcvbuf = atoi(v);
        else if (!strcmp(k, "--server-pid")) server_pid = atol(v);
        else if (!strcmp(k, "--server-cpu")) server_cpu = atoi(v);
        else {
            fprintf(stderr, "udp_load: unknown option %s\n", k);
            return 2;
        }
    }
    if (port <= 0 || peers <= 0 || rate <= 0 || size < (int) sizeof(struct payload) || size > 65507) {
        fprintf(stderr, "usage: udp_load --port P [--host H] [--peers N] [--size 16..65507] [--rate PER_S] "
                        "[--warmup S] [--seconds S] [--rcvbuf B] [--server-pid PID] [--server-cpu N]\n");
        return 2;
    }
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    if (getaddrinfo(host, service, &hints, &ai) != 0) {
        fprintf(stderr, "udp_load: cannot resolve %s\n", host);
        return 1;
    }
    int *fds = calloc(peers, sizeof(int));
    int *ports = calloc(peers, sizeof(int));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    for (int i = 0; i < peers; i++) {
        fds[i] = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fds[i] < 0) die("socket");
        setsockopt(fds[i], SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
        if (connect(fds[i], ai->ai_addr, ai->ai_addrlen) < 0) die("connect");
        struct sockaddr_storage me;
        socklen_t len = sizeof me;
        getsockname(fds[i], (struct sockaddr *) &me, &len);
        ports[i] = ntohs(((struct sockaddr_in *) &me)->sin_port); /* same offset in sockaddr_in6 */
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0) die("epoll_ctl");
    }
    freeaddrinfo(ai);

    char *out = calloc(1, size);
    static char in[BATCH][2048];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    for (int i = 0; i < BATCH; i++) {
        iov[i] = (struct iovec){in[i], sizeof in[i]};
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    struct epoll_event events[256];

    long interval = 1000000000L / rate;
    long start = now_ns();
    long measure_from = start + (long) (warmup * 1e9);
    long measure_to = measure_from + (long) (seconds * 1e9);
    long drain_to = measure_to + 500000000L;
    long next = start, seq = 0, first_measured = -1, last_measured = -1;
    long sent_measured = 0, received_measured = 0, received_other = 0, behind = 0, send_errors = 0;
    long srv_run0 = -1, srv_stat0 = -1, cpu_busy0 = -1, srv_run = -1, srv_stat = -1, cpu_busy = -1;
    long srv_wait0 = -1, srv_wait = -1, own_wait0 = -1, own_wait = -1;
    long self = getpid();
    long srv_drops0 = 0, own_drops0 = 0, srv_drops = -1, own_drops = 0;
    struct rusage ru0, ru1;
    int measuring = 0, peer = 0;

    for (;;) {
        long now = now_ns();
        if (!measuring && now >= measure_from) {
            measuring = 1;
            first_measured = seq;
            getrusage(RUSAGE_SELF, &ru0);
            if (server_pid) {
                srv_run0 = proc_schedstat_ns(server_pid, 0);
                srv_wait0 = proc_schedstat_ns(server_pid, 1);
                srv_stat0 = proc_stat_ns(server_pid);
            }
            own_wait0 = proc_schedstat_ns(self, 1);
            cpu_busy0 = cpu_busy_ns(server_cpu);
            /* Drops inside the window only: a JVM peer compiling during warm-up may drop some. */
            srv_drops0 = server_pid ? udp_drops(port) : 0;
            for (int i = 0; i < peers; i++) own_drops0 += udp_drops(ports[i]);
        }
        if (measuring == 1 && now >= measure_to) {
            measuring = 2;
            last_measured = seq - 1;
            getrusage(RUSAGE_SELF, &ru1);
            if (server_pid) {
                srv_run = proc_schedstat_ns(server_pid, 0);
                srv_wait = proc_schedstat_ns(server_pid, 1);
                srv_stat = proc_stat_ns(server_pid);
            }
            own_wait = proc_schedstat_ns(self, 1);
            cpu_busy = cpu_busy_ns(server_cpu);
            srv_drops = server_pid ? udp_drops(port) - srv_drops0 : -1;
            for (int i = 0; i < peers; i++) own_drops += udp_drops(ports[i]);
            own_drops -= own_drops0;
        }
        if (now >= drain_to) {
            break;
        }
        if (now < measure_to) {
            if (now - next > 10000000L) {
                /* More than 10 ms behind: we cannot keep the rate; count what we skip. */
                long skipped = (now - next) / interval;
                behind += skipped;
                next += skipped * interval;
            }
            while (next <= now) {
                struct payload p = {(uint64_t) seq, (uint64_t) now_ns()};
                memcpy(out, &p, sizeof p);
                if (send(fds[peer], out, size, 0) == size) {
                    if (measuring == 1) sent_measured++;
                } else {
                    send_errors++;
                }
                seq++;
                peer = peer + 1 == peers ? 0 : peer + 1;
                next += interval;
            }
        }
        long wait = (now < measure_to ? next : drain_to) - now_ns();
        if (wait < 0) wait = 0;
        struct timespec ts = {wait / 1000000000L, wait % 1000000000L};
        int n = epoll_pwait2(ep, events, 256, &ts, NULL);
        if (n < 0 && errno != EINTR) die("epoll_pwait2");
        for (int e = 0; e < n; e++) {
            int fd = fds[events[e].data.u32];
            for (;;) {
                int got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
                if (got <= 0) break;
                long t = now_ns();
                for (int k = 0; k < got; k++) {
                    if (msgs[k].msg_len < sizeof(struct payload)) continue;
                    struct payload p;
                    memcpy(&p, in[k], sizeof p);
                    if ((long) p.seq >= first_measured && first_measured >= 0
                        && (last_measured < 0 || (long) p.seq <= last_measured)) {
                        received_measured++;
                        record(t - (long) p.sent_ns);
                    } else {
                        received_other++;
                    }
                }
                if (got < BATCH) break;
            }
        }
    }
    double load_cpu = ((ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)
                       + ((ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec)) / 1e6)
                      / seconds;
    double echoed = (double) received_measured;
    printf("result offered_rate=%ld sent=%ld echoed=%ld lost=%ld echo_rate=%.0f behind=%ld send_errors=%ld "
           "p50_us=%ld p99_us=%ld p999_us=%ld max_us=%ld server_cpu_us_per_dgram=%.3f server_stat_us_per_dgram=%.3f "
           "cpu_busy_us_per_dgram=%.3f server_cpu_pct=%.1f load_cpu_pct=%.1f server_drops=%ld load_drops=%ld "
           "server_wait_pct=%.2f load_wait_pct=%.2f\n",
           rate, sent_measured, received_measured, sent_measured - received_measured, echoed / seconds, behind,
           send_errors, percentile_us(50), percentile_us(99), percentile_us(99.9), hist_max / 1000,
           srv_run0 >= 0 && srv_run >= 0 && echoed > 0 ? (srv_run - srv_run0) / 1e3 / echoed : -1.0,
           srv_stat0 >= 0 && srv_stat >= 0 && echoed > 0 ? (srv_stat - srv_stat0) / 1e3 / echoed : -1.0,
           cpu_busy0 >= 0 && cpu_busy >= 0 && echoed > 0 ? (cpu_busy - cpu_busy0) / 1e3 / echoed : -1.0,
           srv_run0 >= 0 && srv_run >= 0 ? (srv_run - srv_run0) / 1e7 / seconds : -1.0, 100 * load_cpu, srv_drops,
           own_drops, srv_wait0 >= 0 && srv_wait >= 0 ? (srv_wait - srv_wait0) / 1e7 / seconds : -1.0,
           own_wait0 >= 0 && own_wait >= 0 ? (own_wait - own_wait0) / 1e7 / seconds : -1.0);
    return 0;
}
