/*
 * tick_noise: the machine's noise floor for a fixed tick. Sleeps to absolute 60 Hz deadlines
 * (clock_nanosleep TIMER_ABSTIME, 1 us timer slack) and prints how late each wake-up was: what
 * any program, doing no work at all, gets from this CPU at this moment. Run beside a tick-driven
 * server on the same CPU to tell the server's lateness from its neighbours'.
 *
 *   tick_noise SECONDS [HZ]     prints: tick_noise hz=60 ticks=N p50_us=.. p99_us=.. max_us=..
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: tick_noise SECONDS [HZ]\n");
        return 2;
    }
    int seconds = atoi(argv[1]);
    int hz = argc > 2 ? atoi(argv[2]) : 60;
    if (seconds <= 0 || hz <= 0) {
        fprintf(stderr, "tick_noise: SECONDS and HZ must be positive\n");
        return 2;
    }
    /* The default 50 us slack would be our own lateness, not the machine's. */
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    long period = 1000000000L / hz;
    int n = seconds * hz;
    long *late = malloc(sizeof(long) * n);
    if (late == NULL) {
        perror("malloc");
        return 1;
    }
    long deadline = now_ns() + period;
    for (int i = 0; i < n; i++) {
        struct timespec d = {deadline / 1000000000L, deadline % 1000000000L};
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL) != 0) {
        }
        late[i] = now_ns() - deadline;
        deadline += period;
    }
    qsort(late, n, sizeof(long), by_value);
    printf("tick_noise hz=%d ticks=%d p50_us=%ld p99_us=%ld max_us=%ld\n", hz, n, late[n / 2] / 1000,
           late[(long) n * 99 / 100] / 1000, late[n - 1] / 1000);
    return 0;
}
