/*
 * Latency histogram of the load tools (loadgen, http_load), HdrHistogram-style: 64 linear
 * sub-buckets per power of two, so a reported percentile is within 1.6% of the recorded value,
 * in a fixed array: recording is an increment, never an allocation.
 */
#ifndef URING4J_BENCH_HISTOGRAM_H
#define URING4J_BENCH_HISTOGRAM_H

#include <math.h>
#include <stdint.h>

#define HIST_SUB_BITS 6
#define HIST_SUB_COUNT (1 << HIST_SUB_BITS)
#define HIST_BUCKETS ((64 - HIST_SUB_BITS + 1) * HIST_SUB_COUNT)

struct histogram {
    uint64_t counts[HIST_BUCKETS];
    uint64_t total, sum_ns, max_ns;
};

static inline int hist_bucket_of(uint64_t v)
{
    if (v < HIST_SUB_COUNT)
        return (int)v;
    int shift = 63 - __builtin_clzll(v) - HIST_SUB_BITS;
    return ((shift + 1) << HIST_SUB_BITS) + (int)((v >> shift) - HIST_SUB_COUNT);
}

/* The middle of a bucket's range: the value a percentile falling in it is reported as. */
static inline uint64_t hist_bucket_mid(int idx)
{
    if (idx < HIST_SUB_COUNT)
        return (uint64_t)idx;
    int shift = (idx >> HIST_SUB_BITS) - 1;
    uint64_t low = (uint64_t)(HIST_SUB_COUNT + (idx & (HIST_SUB_COUNT - 1))) << shift;
    return low + ((1ull << shift) >> 1);
}

static inline void hist_record(struct histogram *h, uint64_t ns)
{
    h->counts[hist_bucket_of(ns)]++;
    h->total++;
    h->sum_ns += ns;
    if (ns > h->max_ns)
        h->max_ns = ns;
}

static inline double hist_percentile_us(const struct histogram *h, double q)
{
    if (h->total == 0)
        return 0;
    uint64_t rank = (uint64_t)ceil(q * (double)h->total), seen = 0;
    if (rank == 0)
        rank = 1;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank)
            return (double)hist_bucket_mid(i) / 1000.0;
    }
    return (double)h->max_ns / 1000.0;
}

static inline double hist_mean_us(const struct histogram *h)
{
    return h->total ? (double)h->sum_ns / (double)h->total / 1000.0 : 0.0;
}

#endif
