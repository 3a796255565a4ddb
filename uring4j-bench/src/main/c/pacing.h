/*
 * The load tools' pacing (loadgen, http_load with --rate): requests are due at a fixed interval
 * from the start, whatever happened before, and each due one goes to the next connection with
 * room for it, round-robin. A request is stamped with when it was due, not when it went out, so a
 * server that falls behind shows it in the latency instead of slowing the schedule down
 * (coordinated omission). How late the tool itself sent is counted apart (late_sends, max_lag_ns).
 */
#ifndef URING4J_BENCH_PACING_H
#define URING4J_BENCH_PACING_H

#include <stdint.h>
#include <stdlib.h>

struct pacer {
    double interval_ns;
    uint64_t start_ns, next_due_ns, issued;
    int *queue, cap, head, count;   /* connections with room, in the order they got it */
    unsigned char *queued;          /* per connection: already in the queue */
    uint64_t late_sends, max_lag_ns;
};

static inline int pacer_init(struct pacer *p, double rate, int conns, uint64_t start_ns)
{
    *p = (struct pacer){ .interval_ns = 1e9 / rate, .start_ns = start_ns, .next_due_ns = start_ns, .cap = conns };
    p->queue = calloc((size_t)conns, sizeof(int));
    p->queued = calloc((size_t)conns, 1);
    return p->queue && p->queued ? 0 : -1;
}

/* Connection `id` has room for another request; the caller checks that. */
static inline void pacer_offer(struct pacer *p, int id)
{
    if (p->queued[id])
        return;
    p->queued[id] = 1;
    p->queue[(p->head + p->count++) % p->cap] = id;
}

/*
 * The connection to send the next due request on, its due time in *due_ns; -1 when none is due or
 * no connection has room. Lateness counts only while `measuring`: over 1 ms is a late send.
 */
static inline int pacer_next(struct pacer *p, uint64_t now_ns, int measuring, uint64_t *due_ns)
{
    if (p->next_due_ns > now_ns || p->count == 0)
        return -1;
    int id = p->queue[p->head];
    p->head = (p->head + 1) % p->cap;
    p->count--;
    p->queued[id] = 0;
    uint64_t lag = now_ns - p->next_due_ns;
    if (measuring) {
        if (lag > p->max_lag_ns)
            p->max_lag_ns = lag;
        if (lag > 1000000)
            p->late_sends++;
    }
    *due_ns = p->next_due_ns;
    p->next_due_ns = p->start_ns + (uint64_t)((double)++p->issued * p->interval_ns);
    return id;
}

/*
 * Sends every request due by `now`, each by send(id, due); returns when to wake up next at the
 * latest, `wake` or the next due time if a connection has room for it.
 */
static inline uint64_t pacer_run(struct pacer *p, uint64_t now_ns, int measuring, uint64_t wake,
                                 void (*send)(int id, uint64_t due_ns))
{
    uint64_t due;
    for (int id; (id = pacer_next(p, now_ns, measuring, &due)) >= 0;)
        send(id, due);
    return p->count > 0 && p->next_due_ns < wake ? p->next_due_ns : wake;
}

#endif
