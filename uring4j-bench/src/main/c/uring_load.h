/*
 * What the io_uring load tools (http_load, ws_load) share: their connections, made with blocking
 * connects and then registered as fixed files; one multishot receive per connection drawing from
 * one provided-buffer group, re-armed once the group is refilled after running dry; the loop's
 * reaping of completions; and the one io_uring_enter per iteration that submits and waits.
 *
 * A tool's connection struct begins with a struct load_conn, so these helpers can reach any
 * connection by its index (which is also its fixed-file index) through struct load_net.
 */
#ifndef URING4J_BENCH_URING_LOAD_H
#define URING4J_BENCH_URING_LOAD_H

/* First: bench_common.h defines _GNU_SOURCE before any system header. */
#include "uring_common.h"
#include "histogram.h"

/* The first member of every load tool's connection. */
struct load_conn {
    uint32_t id;                /* also its index among the registered files */
    unsigned dead : 1, recv_armed : 1, rearm_pending : 1;
};

struct load_net {
    struct io_uring ring;
    struct buf_group group;
    char *conns;                /* the tool's connections, conn_size bytes apart */
    size_t conn_size;
    int conn_count, live;
    int *rearm_list, rearm_count;
};

static inline struct load_conn *load_conn_at(const struct load_net *n, int id)
{
    return (struct load_conn *)(n->conns + (size_t)id * n->conn_size);
}

/* The ring, the buffer group and `count` zeroed connections of `conn_size` bytes, ids set. */
static inline void load_net_setup(struct load_net *n, int count, size_t conn_size, unsigned sq, unsigned cq,
                                  unsigned nbufs, unsigned buf_size)
{
    n->conns = calloc((size_t)count, conn_size);
    n->rearm_list = calloc((size_t)count, sizeof(int));
    if (!n->conns || !n->rearm_list)
        die_errno("calloc", ENOMEM);
    n->conn_size = conn_size;
    n->conn_count = n->live = count;
    for (int i = 0; i < count; i++)
        load_conn_at(n, i)->id = (uint32_t)i;
    ring_setup(&n->ring, sq, cq);
    buf_group_setup(&n->ring, &n->group, 0, nbufs, buf_size);
}

/* Stops using a connection; what the kernel still delivers for it is ignored. */
static inline void load_retire(struct load_net *n, struct load_conn *c)
{
    if (!c->dead) {
        c->dead = 1;
        n->live--;
    }
}

/*
 * Connects every connection to a->host:a->port with a blocking connect and TCP_NODELAY, hands each
 * to setup(id, fd) while it is still a plain descriptor (a handshake, say), then registers them
 * all as fixed files and closes the plain descriptors. A failed connect exits with status 4.
 */
static inline void load_connect_all(struct load_net *n, const char *prog, const struct load_args *a, void (*setup)(int id, int fd))
{
    struct sockaddr_in sa = ipv4_address(a->host, a->port);
    int *fds = calloc((size_t)n->conn_count, sizeof(int));
    if (!fds)
        die_errno("calloc", ENOMEM);
    for (int i = 0; i < n->conn_count; i++) {
        if ((fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
            die_errno("socket", errno);
        set_nodelay(fds[i]);
        /* Blocking: on loopback the handshake completes within connect(), before any load runs. */
        if (connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            fprintf(stderr, "%s: connect to %s:%d (connection %d): %s (%s)\n", prog, a->host, a->port, i,
                    strerror(errno), strerrorname_np(errno));
            exit(4);
        }
        if (setup)
            setup(i, fds[i]);
    }
    int ret = io_uring_register_files(&n->ring, fds, (unsigned)n->conn_count);
    if (ret < 0)
        die_errno("io_uring_register_files", -ret);
    /* The registered table holds its own references: the plain descriptors are no longer needed. */
    for (int i = 0; i < n->conn_count; i++)
        close(fds[i]);
    free(fds);
}

static inline void load_arm_recv(struct load_net *n, struct load_conn *c)
{
    prep_recv_multishot_fixed(ring_get_sqe(&n->ring), (int)c->id, &n->group, ud_pack(OP_RECV, (int)c->id));
    c->recv_armed = 1;
}

/*
 * A receive completion of `c`: its bytes go to consume(c, bytes, length) unless the connection is
 * retired, the buffer back to the group, and a receive that ended is armed again; one that ended
 * with ENOBUFS only once the group has been refilled. Returns the completion's error for the
 * caller to report (0: the peer closed, or -errno), or 1 when there is none.
 */
static inline int load_on_recv(struct load_net *n, struct load_conn *c, const struct io_uring_cqe *cqe,
                               void (*consume)(struct load_conn *c, const char *p, size_t len))
{
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more)
        c->recv_armed = 0;
    if (cqe->res > 0) {
        uint16_t bid = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        if (!c->dead)
            consume(c, buf_group_addr(&n->group, bid), (size_t)cqe->res);
        buf_group_recycle(&n->group, bid);
        if (!more && !c->dead)
            load_arm_recv(n, c);   /* ended for another reason (e.g. CQ overflow): keep receiving */
        return 1;
    }
    if (cqe->res == -ENOBUFS) {
        /* The group ran dry within this batch of completions: receive again once it is refilled. */
        if (!c->dead && !c->rearm_pending) {
            c->rearm_pending = 1;
            n->rearm_list[n->rearm_count++] = (int)c->id;
        }
        return 1;
    }
    return cqe->res;
}

/*
 * Hands every completion waiting in the CQ to on_recv or on_send (by the op in its user_data),
 * then publishes the buffers they gave back and re-arms the receives that waited for them.
 */
static inline void load_reap(struct load_net *n, void (*on_recv)(struct load_conn *c, const struct io_uring_cqe *cqe),
                             void (*on_send)(struct load_conn *c, const struct io_uring_cqe *cqe))
{
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&n->ring, head, cqe) {
        uint64_t ud = io_uring_cqe_get_data64(cqe);
        struct load_conn *c = load_conn_at(n, ud_index(ud));
        if (ud_op(ud) == OP_RECV)
            on_recv(c, cqe);
        else
            on_send(c, cqe);
        seen++;
    }
    io_uring_cq_advance(&n->ring, seen);
    if (buf_group_publish(&n->group)) {
        for (int i = 0; i < n->rearm_count; i++) {
            struct load_conn *c = load_conn_at(n, n->rearm_list[i]);
            c->rearm_pending = 0;
            if (!c->dead && !c->recv_armed)
                load_arm_recv(n, c);
        }
        n->rearm_count = 0;
    }
}

/* Submits what the iteration queued and waits for a completion, or until `wake` (now_ns() time). */
static inline void load_wait(struct load_net *n, uint64_t now, uint64_t wake)
{
    uint64_t wait_ns = wake > now ? wake - now : 0;
    struct __kernel_timespec timeout = { .tv_sec = (long long)(wait_ns / 1000000000ull), .tv_nsec = (long long)(wait_ns % 1000000000ull) };
    struct io_uring_cqe *cqe;
    int ret = io_uring_submit_and_wait_timeout(&n->ring, &cqe, 1, &timeout, NULL);
    if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
        die_errno("io_uring_submit_and_wait_timeout", -ret);
}

/* The latency histogram's figures as JSON members: "p50_us":...,"mean_us":... (no braces). */
static inline void load_print_latency(const struct histogram *h)
{
    printf("\"p50_us\":%.2f,\"p90_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f,\"max_us\":%.2f,\"mean_us\":%.2f",
           hist_percentile_us(h, 0.50), hist_percentile_us(h, 0.90), hist_percentile_us(h, 0.99),
           hist_percentile_us(h, 0.999), (double)h->max_ns / 1000.0, hist_mean_us(h));
}

#endif
