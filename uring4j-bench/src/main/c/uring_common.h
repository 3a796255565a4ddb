/*
 * Shared by the benchmark's io_uring programs (echo_uring, http_uring, http_load): the ring set up
 * the way "io_uring and networking in 2023" recommends for one thread that owns it, and the
 * ring-mapped provided-buffer group their multishot receives draw from.
 */
#ifndef URING4J_BENCH_URING_COMMON_H
#define URING4J_BENCH_URING_COMMON_H

#include "bench_common.h"

#include <liburing.h>
#include <sys/mman.h>

/*
 * SINGLE_ISSUER | DEFER_TASKRUN: completions are run only when this thread enters the ring to wait,
 * so it is never interrupted to run task work. The ring's fd is registered, so every
 * io_uring_enter skips the fd table lookup (liburing passes IORING_ENTER_REGISTERED_RING itself).
 */
static inline void ring_setup(struct io_uring *ring, unsigned sq_entries, unsigned cq_entries)
{
    struct io_uring_params p = {
        .flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE,
        .cq_entries = cq_entries,
    };
    int ret = io_uring_queue_init_params(sq_entries, ring, &p);
    if (ret < 0)
        die_errno("io_uring_queue_init_params (SINGLE_ISSUER|DEFER_TASKRUN need Linux 6.1+)", -ret);
    ret = io_uring_register_ring_fd(ring);
    if (ret != 1)
        die_errno("io_uring_register_ring_fd (IORING_REGISTER_RING_FDS, Linux 5.18+)", ret < 0 ? -ret : EINVAL);
}

/* user_data of every operation: | op (8 bits) | 24 unused | index (32 bits) |, index naming the
 * connection (its direct descriptor slot or fixed-file index) or the listening socket. */
static inline uint64_t ud_pack(int op, int index) { return (uint64_t)op << 56 | (uint32_t)index; }
static inline int ud_op(uint64_t ud) { return (int)(ud >> 56); }
static inline int ud_index(uint64_t ud) { return (int)(uint32_t)ud; }

/* An SQE, submitting what is queued first when the SQ is full. */
static inline struct io_uring_sqe *ring_get_sqe(struct io_uring *ring)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe) {
        int ret = io_uring_submit(ring);
        if (ret < 0)
            die_errno("io_uring_submit", -ret);
        sqe = io_uring_get_sqe(ring);
    }
    return sqe;
}

/* A provided-buffer group: `count` buffers (a power of two) of `size` bytes each. */
struct buf_group {
    struct io_uring_buf_ring *br;
    char *base;
    unsigned count, size;
    unsigned returned;   /* buffers added since the ring's tail was last published */
    int bgid;
};

static inline char *buf_group_addr(const struct buf_group *g, uint16_t bid)
{
    return g->base + (size_t)bid * g->size;
}

/* Gives a buffer back to the group; the kernel sees it at the next buf_group_publish. */
static inline void buf_group_recycle(struct buf_group *g, uint16_t bid)
{
    io_uring_buf_ring_add(g->br, buf_group_addr(g, bid), g->size, bid, io_uring_buf_ring_mask(g->count), (int)g->returned++);
}

/* Publishes the recycled buffers with one tail store; returns how many there were. */
static inline unsigned buf_group_publish(struct buf_group *g)
{
    unsigned n = g->returned;
    if (n) {
        io_uring_buf_ring_advance(g->br, (int)n);
        g->returned = 0;
    }
    return n;
}

static inline void buf_group_setup(struct io_uring *ring, struct buf_group *g, int bgid, unsigned count, unsigned size)
{
    /* liburing 2.3 (Debian 12) predates io_uring_setup_buf_ring(): map and register by hand. */
    *g = (struct buf_group){ .count = count, .size = size, .bgid = bgid };
    g->br = mmap(NULL, count * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    g->base = mmap(NULL, (size_t)count * size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (g->br == MAP_FAILED || g->base == MAP_FAILED)
        die_errno("mmap", errno);
    struct io_uring_buf_reg reg = { .ring_addr = (uint64_t)(uintptr_t)g->br, .ring_entries = count, .bgid = (uint16_t)bgid };
    int ret = io_uring_register_buf_ring(ring, &reg, 0);
    if (ret < 0)
        die_errno("io_uring_register_buf_ring (IORING_REGISTER_PBUF_RING, Linux 5.19+)", -ret);
    io_uring_buf_ring_init(g->br);
    for (unsigned i = 0; i < count; i++)
        buf_group_recycle(g, (uint16_t)i);
    buf_group_publish(g);
}

/* A multishot receive on a registered (fixed) file, drawing buffers from group `g`. */
static inline void prep_recv_multishot_fixed(struct io_uring_sqe *sqe, int index, const struct buf_group *g, uint64_t user_data)
{
    io_uring_prep_recv_multishot(sqe, index, NULL, 0, 0);
    sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
    sqe->buf_group = (uint16_t)g->bgid;
    io_uring_sqe_set_data64(sqe, user_data);
}

/* The C servers' operations, the op field of their user_data. */
enum server_op { OP_ACCEPT = 1, OP_RECV, OP_SEND, OP_CANCEL, OP_CLOSE };

/* One multishot accept installing every connection as a direct descriptor in a free slot. */
static inline void arm_accept_direct(struct io_uring *ring, int lfd)
{
    struct io_uring_sqe *sqe = ring_get_sqe(ring);
    io_uring_prep_multishot_accept_direct(sqe, lfd, NULL, NULL, 0);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_ACCEPT, lfd));
}

/* What a server does with its completions, for serve_until_stopped. */
struct server_loop {
    void (*on_accept)(int listen_fd, struct io_uring_cqe *cqe);
    void (*on_recv)(int index, struct io_uring_cqe *cqe);
    void (*on_send)(int index, struct io_uring_cqe *cqe);
    void (*on_refill)(void);              /* buffers went back to the group: re-arm receives that ran dry */
    void (*each_iteration)(void);         /* optional: before each batch of completions */
};

/*
 * The C servers' loop until SIGTERM: one io_uring_enter per iteration (submit everything queued,
 * wait for one completion), every completion handed on, then the buffers recycled meanwhile
 * published with one tail store. Then the ring's exit cancels every operation still in flight
 * before the buffers go away, and the listening socket closes.
 */
static inline void serve_until_stopped(struct io_uring *ring, struct buf_group *g, int lfd, const struct server_loop *loop)
{
    while (!stop_requested) {
        int ret = io_uring_submit_and_wait(ring, 1);
        if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY)
            die_errno("io_uring_submit_and_wait", -ret);
        if (loop->each_iteration)
            loop->each_iteration();
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(ring, head, cqe) {
            uint64_t ud = io_uring_cqe_get_data64(cqe);
            switch (ud_op(ud)) {
            case OP_ACCEPT: loop->on_accept(ud_index(ud), cqe); break;
            case OP_RECV: loop->on_recv(ud_index(ud), cqe); break;
            case OP_SEND: loop->on_send(ud_index(ud), cqe); break;
            case OP_CANCEL: break;   /* the cancelled receive reports through its own completion */
            case OP_CLOSE: break;    /* the slot is free again for the accept to reuse */
            }
            seen++;
        }
        io_uring_cq_advance(ring, seen);
        if (buf_group_publish(g))
            loop->on_refill();
    }
    io_uring_queue_exit(ring);
    close(lfd);
}

/* The descriptor table for direct descriptors: as many slots as RLIMIT_NOFILE allows, at most `cap`. */
static inline int register_direct_table(struct io_uring *ring, int cap)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    int slots = rl.rlim_cur > (rlim_t)cap ? cap : (int)rl.rlim_cur;
    int ret = io_uring_register_files_sparse(ring, (unsigned)slots);
    if (ret < 0)
        die_errno("io_uring_register_files_sparse (sparse file table, Linux 5.19+)", -ret);
    return slots;
}

/*
 * Accepted sockets are direct descriptors, which setsockopt cannot reach: TCP_NODELAY is set on
 * the listening socket instead, and Linux copies it to every socket accepted from it.
 */
static inline int listen_tcp_nodelay(const struct server_args *a)
{
    int fd = listen_tcp(a, 0);
    set_nodelay(fd);
    return fd;
}

/*
 * A C server's start: the ring, the direct descriptor table (its size in *slots), the buffer
 * group, the listening socket with one multishot accept armed, then the "listening on" line.
 * Returns the listening socket.
 */
static inline int server_start(const struct server_args *a, struct io_uring *ring, struct buf_group *g,
                               unsigned nbufs, unsigned buf_size, int max_slots, int *slots)
{
    ring_setup(ring, 4096, 16384);   /* multishot: many completions per submission; keep the CQ well ahead */
    *slots = register_direct_table(ring, max_slots);
    buf_group_setup(ring, g, 0, nbufs, buf_size);
    int lfd = listen_tcp_nodelay(a);
    arm_accept_direct(ring, lfd);
    announce_listening(lfd, a->host);
    return lfd;
}

#endif
