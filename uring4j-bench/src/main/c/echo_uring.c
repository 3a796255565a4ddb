/*
 * Echo server on liburing, one thread, written the way "io_uring and networking in 2023"
 * describes: a ring with SINGLE_ISSUER | DEFER_TASKRUN and a registered ring fd, one multishot
 * accept that installs each connection as a direct descriptor (no fd table, no fget/fput per
 * operation), one multishot receive per connection drawing from a ring-mapped provided-buffer
 * group, and replies sent straight from the receive buffer (no copy) that goes back to the group
 * once the send completes. Every loop iteration is a single io_uring_enter: submit everything,
 * wait for one completion. It is the floor the echo table measures the others against.
 *
 *   echo_uring [--host 127.0.0.1] --port P     prints "listening on HOST:PORT" when ready
 *
 * Per connection, received buffers wait in a FIFO (linked through next_buf[], so a buffer is in
 * at most one queue) and one send is in flight at a time, which keeps the bytes in order; when
 * several buffers are waiting, one sendmsg carries them all (up to SEND_BATCH). A client that does
 * not read cannot hold every buffer: past MAX_QUEUED buffers its receive is cancelled and re-armed
 * once the queue has drained.
 */
#include "uring_common.h"

#define NBUFS 4096         /* power of two, as the buffer ring requires */
#define BUF_SIZE 4096
#define MAX_CONNS 65536    /* direct descriptor slots, at most RLIMIT_NOFILE */
#define MAX_QUEUED 32      /* buffers a connection may hold before its receive is paused */
#define RESUME_QUEUED 4
#define SEND_BATCH 16      /* buffers one sendmsg may carry */

#define NO_BUF 0xffff

struct conn {
    uint16_t head, tail;     /* FIFO of received buffers awaiting send (NO_BUF when empty) */
    uint16_t queued;
    uint32_t sent;           /* bytes of the head buffer already sent */
    unsigned open : 1, recv_armed : 1, sending : 1, closing : 1, rearm_pending : 1;
    struct msghdr msg;       /* the sendmsg in flight reads these until it completes */
    struct iovec iov[SEND_BATCH];
};

static struct io_uring ring;
static struct buf_group group;
static uint16_t next_buf[NBUFS];
static uint32_t buf_len[NBUFS];
static struct conn *conns;           /* indexed by direct descriptor slot */
static int max_fds;
static int *rearm_list, rearm_count; /* connections whose receive ended on ENOBUFS */

static void arm_recv(int fd)
{
    prep_recv_multishot_fixed(ring_get_sqe(&ring), fd, &group, ud_pack(OP_RECV, fd));
    conns[fd].recv_armed = 1;
}

static void cancel_recv(int fd)
{
    struct io_uring_sqe *sqe = ring_get_sqe(&ring);
    io_uring_prep_cancel64(sqe, ud_pack(OP_RECV, fd), 0);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_CANCEL, fd));
}

/* Sends what is queued: one buffer with send, several with one sendmsg. */
static void send_queued(int fd)
{
    struct conn *c = &conns[fd];
    struct io_uring_sqe *sqe = ring_get_sqe(&ring);
    char *first = buf_group_addr(&group, c->head) + c->sent;
    if (c->queued == 1) {
        io_uring_prep_send(sqe, fd, first, buf_len[c->head] - c->sent, MSG_NOSIGNAL);
    } else {
        int n = 0;
        for (uint16_t bid = c->head; bid != NO_BUF && n < SEND_BATCH; bid = next_buf[bid], n++) {
            c->iov[n].iov_base = buf_group_addr(&group, bid);
            c->iov[n].iov_len = buf_len[bid];
        }
        c->iov[0].iov_base = first;
        c->iov[0].iov_len -= c->sent;
        c->msg = (struct msghdr){ .msg_iov = c->iov, .msg_iovlen = (size_t)n };
        io_uring_prep_sendmsg(sqe, fd, &c->msg, MSG_NOSIGNAL);
    }
    sqe->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SEND, fd));
    c->sending = 1;
}

/* Gives a buffer back to the group; the ring's tail is published once per loop iteration. */
static void recycle(uint16_t bid)
{
    buf_group_recycle(&group, bid);
}

static uint16_t dequeue(struct conn *c)
{
    uint16_t bid = c->head;
    c->head = next_buf[bid];
    if (c->head == NO_BUF)
        c->tail = NO_BUF;
    c->queued--;
    c->sent = 0;
    return bid;
}

/* Closes once the kernel holds nothing of this connection: no receive armed, no send in flight. */
static void close_when_idle(int fd)
{
    struct conn *c = &conns[fd];
    c->closing = 1;
    if (c->recv_armed) {
        cancel_recv(fd);
        return;
    }
    if (c->sending)
        return;
    while (c->head != NO_BUF)
        recycle(dequeue(c));
    c->open = 0;
    struct io_uring_sqe *sqe = ring_get_sqe(&ring);
    io_uring_prep_close_direct(sqe, (unsigned)fd);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_CLOSE, fd));
}

static void on_accept(int lfd, struct io_uring_cqe *cqe)
{
    if (!(cqe->flags & IORING_CQE_F_MORE))
        arm_accept_direct(&ring, lfd);   /* the multishot ended (error, or the kernel dropped it): start another */
    if (cqe->res < 0) {
        fprintf(stderr, "accept: %s\n", strerror(-cqe->res));
        return;
    }
    int fd = cqe->res;   /* the slot the kernel picked in the direct descriptor table */
    conns[fd] = (struct conn){ .head = NO_BUF, .tail = NO_BUF, .open = 1 };
    arm_recv(fd);
}

static void on_recv(int fd, struct io_uring_cqe *cqe)
{
    struct conn *c = &conns[fd];
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more)
        c->recv_armed = 0;
    if (cqe->res > 0) {
        uint16_t bid = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        buf_len[bid] = (uint32_t)cqe->res;
        next_buf[bid] = NO_BUF;
        if (c->tail == NO_BUF)
            c->head = bid;
        else
            next_buf[c->tail] = bid;
        c->tail = bid;
        c->queued++;
        if (c->closing) {
            close_when_idle(fd);
            return;
        }
        if (!c->sending)
            send_queued(fd);
        if (c->queued > MAX_QUEUED && c->recv_armed)
            cancel_recv(fd);
        else if (!more && c->queued <= MAX_QUEUED)
            arm_recv(fd);   /* ended for another reason (e.g. CQ overflow): keep receiving */
        return;
    }
    if (cqe->res == -ENOBUFS && !c->closing) {
        /* The group ran dry: receive again once buffers come back from completed sends. */
        if (!c->rearm_pending) {
            c->rearm_pending = 1;
            rearm_list[rearm_count++] = fd;
        }
        return;
    }
    if (cqe->res == -ECANCELED && !c->closing)
        return;   /* paused by us for backpressure; on_send re-arms */
    if (!more)
        close_when_idle(fd);   /* EOF (0) or an error such as ECONNRESET */
}

static void on_send(int fd, struct io_uring_cqe *cqe)
{
    struct conn *c = &conns[fd];
    c->sending = 0;
    if (cqe->res < 0 || c->closing) {
        close_when_idle(fd);
        return;
    }
    /* Buffers sent in full go back to the group; a short send resumes inside the head buffer. */
    uint32_t done = (uint32_t)cqe->res;
    while (done > 0) {
        uint32_t left = buf_len[c->head] - c->sent;
        if (done < left) {
            c->sent += done;
            break;
        }
        done -= left;
        recycle(dequeue(c));
    }
    if (c->head != NO_BUF)
        send_queued(fd);
    if (!c->recv_armed && !c->rearm_pending && c->queued <= RESUME_QUEUED)
        arm_recv(fd);
}

/* Buffers came back to the group: receive again on the connections whose receive ran dry. */
static void rearm_dry(void)
{
    for (int i = 0; i < rearm_count; i++) {
        int fd = rearm_list[i];
        conns[fd].rearm_pending = 0;
        if (conns[fd].open && !conns[fd].closing && !conns[fd].recv_armed)
            arm_recv(fd);
    }
    rearm_count = 0;
}

int main(int argc, char **argv)
{
    struct server_args args = parse_server_args(argc, argv);
    install_stop_handler();

    int lfd = server_start(&args, &ring, &group, NBUFS, BUF_SIZE, MAX_CONNS, &max_fds);
    /* Accepts complete only inside the loop: the tables are in place before the first. */
    conns = calloc((size_t)max_fds, sizeof(*conns));
    rearm_list = calloc((size_t)max_fds, sizeof(*rearm_list));
    if (!conns || !rearm_list)
        die_errno("calloc", ENOMEM);
    serve_until_stopped(&ring, &group, lfd, &(struct server_loop){
        .on_accept = on_accept, .on_recv = on_recv, .on_send = on_send, .on_refill = rearm_dry });
    return 0;
}
