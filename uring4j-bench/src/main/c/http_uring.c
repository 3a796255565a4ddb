/*
 * HTTP/1.1 plaintext server on liburing, one thread: the physical-limit row of the HTTP cells,
 * what a server costs when it does nothing but frame requests and copy a precomputed response.
 * Built like echo_uring: SINGLE_ISSUER | DEFER_TASKRUN with a registered ring fd, one multishot
 * accept installing direct descriptors, one multishot receive per connection drawing from a
 * provided-buffer group. The responses to every complete request of one receive go out in ONE
 * send; while a send is in flight, further responses wait behind it and leave in the next one.
 *
 *   http_uring [--host 127.0.0.1] --port P     prints "listening on HOST:PORT" when ready
 *
 * GET /plaintext answers "Hello, World!" with the headers uring4j's server sends (Date,
 * Content-Type, Content-Length); any other GET target 404, any other method 405. Framing is
 * minimal but correct: a request ends at its blank line, a partial request waits for the rest
 * across receives, a request line or header that does not parse gets 400 and the connection
 * closes, and so does a request with a body (Content-Length above 0, Transfer-Encoding), which
 * this server does not read. "Connection: close" and HTTP/1.0 close after the response.
 */
#include "uring_common.h"
#include "http_response.h"

#define NBUFS 4096
#define BUF_SIZE 4096
#define MAX_CONNS 65536
#define IN_MAX 8192         /* a request head longer than this gets 400 */
#define OUT_MAX 65536       /* responses a client may leave unread before it is dropped */

struct conn {
    unsigned recv_armed : 1, rearm_pending : 1, closing : 1, close_after_send : 1;
    uint32_t in_len;          /* a partial request head carried over from earlier receives */
    uint32_t out_len;         /* responses queued; the first out_sending bytes are in flight */
    uint32_t out_sending;
    char in[IN_MAX];
    char out[OUT_MAX];
};

static struct io_uring ring;
static struct buf_group group;
static struct conn **conns;      /* indexed by direct descriptor slot; NULL when free */
static int max_conns;
static int *rearm_list, rearm_count;

/* The precomputed responses; Date is rewritten in place when the second changes. */
struct response {
    char text[256];
    size_t len, date_at;
};
static struct response ok_response, not_found, not_allowed, bad_request;
static time_t date_second = -1;

static void response_init(struct response *r, const char *status, const char *type, const char *body, const char *extra)
{
    int n = snprintf(r->text, sizeof(r->text), "HTTP/1.1 %s\r\nDate: ", status);
    r->date_at = (size_t)n;
    n += snprintf(r->text + n, sizeof(r->text) - (size_t)n, "Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Type: %s\r\n"
                  "Content-Length: %zu\r\n%s\r\n%s", type, strlen(body), extra, body);
    r->len = (size_t)n;
}

static void refresh_date(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    if (ts.tv_sec == date_second)
        return;
    date_second = ts.tv_sec;
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char date[32];
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);   /* IMF-fixdate: always 29 characters */
    struct response *all[] = { &ok_response, &not_found, &not_allowed, &bad_request };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        memcpy(all[i]->text + all[i]->date_at, date, 29);
}

static void arm_recv(int slot)
{
    prep_recv_multishot_fixed(ring_get_sqe(&ring), slot, &group, ud_pack(OP_RECV, slot));
    conns[slot]->recv_armed = 1;
}

static void send_queued(int slot)
{
    struct conn *c = conns[slot];
    struct io_uring_sqe *sqe = ring_get_sqe(&ring);
    io_uring_prep_send(sqe, slot, c->out, c->out_len, MSG_NOSIGNAL);
    sqe->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SEND, slot));
    c->out_sending = c->out_len;
}

/* Closes once the kernel holds nothing of this connection: no receive armed, no send in flight. */
static void close_when_idle(int slot)
{
    struct conn *c = conns[slot];
    c->closing = 1;
    if (c->recv_armed) {
        struct io_uring_sqe *sqe = ring_get_sqe(&ring);
        io_uring_prep_cancel64(sqe, ud_pack(OP_RECV, slot), 0);
        io_uring_sqe_set_data64(sqe, ud_pack(OP_CANCEL, slot));
        return;
    }
    if (c->out_sending)
        return;
    free(c);
    conns[slot] = NULL;
    struct io_uring_sqe *sqe = ring_get_sqe(&ring);
    io_uring_prep_close_direct(sqe, (unsigned)slot);
    io_uring_sqe_set_data64(sqe, ud_pack(OP_CLOSE, slot));
}

static int token_char(char ch)
{
    return ch > ' ' && ch < 127 && !strchr("\"(),/:;<=>?@[\\]{}", ch);
}

/*
 * One complete request head, without its final CRLF CRLF: the response it gets, and whether the
 * connection closes after it (set in *close).
 */
static const struct response *answer(const char *head, size_t len, int *close)
{
    const char *end = head + len, *eol = memchr(head, '\r', len);
    if (!eol)
        eol = end;
    /* Request line: method SP target SP HTTP/1.x */
    const char *sp1 = memchr(head, ' ', (size_t)(eol - head));
    if (!sp1 || sp1 == head)
        return *close = 1, &bad_request;
    for (const char *p = head; p < sp1; p++)
        if (!token_char(*p))
            return *close = 1, &bad_request;
    const char *target = sp1 + 1, *sp2 = memchr(target, ' ', (size_t)(eol - target));
    if (!sp2 || *target != '/' || eol - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '1' && sp2[8] != '0'))
        return *close = 1, &bad_request;
    for (const char *p = target; p < sp2; p++)
        if (*p <= ' ' || *p == 127)
            return *close = 1, &bad_request;
    if (sp2[8] == '0')
        *close = 1;
    /* Header lines: name ":" value, each ending in CRLF. */
    for (const char *l = eol; l < end;) {
        if (end - l < 2 || l[0] != '\r' || l[1] != '\n')
            return *close = 1, &bad_request;
        l += 2;
        const char *le = memchr(l, '\r', (size_t)(end - l));
        if (!le)
            le = end;
        const char *colon = memchr(l, ':', (size_t)(le - l)), *v, *e;
        if (!colon || colon == l)
            return *close = 1, &bad_request;
        for (const char *p = l; p < colon; p++)
            if (!token_char(*p))
                return *close = 1, &bad_request;
        size_t n = (size_t)(le - l);
        if (http_header_is(l, n, "content-length", &v, &e) && !(e - v == 1 && *v == '0'))
            return *close = 1, &bad_request;
        if (http_header_is(l, n, "transfer-encoding", &v, &e))
            return *close = 1, &bad_request;
        if (http_header_is(l, n, "connection", &v, &e) && e - v == 5 && strncasecmp(v, "close", 5) == 0)
            *close = 1;
        l = le;
    }
    if (sp1 - head != 3 || memcmp(head, "GET", 3) != 0)
        return &not_allowed;
    return sp2 - target == 10 && memcmp(target, "/plaintext", 10) == 0 ? &ok_response : &not_found;
}

/*
 * Answers every complete request in [data, data+len); returns how many bytes it consumed (the
 * rest is a partial request), or stops early once a response asked to close the connection.
 */
static size_t serve(int slot, const char *data, size_t len)
{
    struct conn *c = conns[slot];
    size_t done = 0;
    while (!c->close_after_send) {
        const char *head = data + done, *blank = memmem(head, len - done, "\r\n\r\n", 4);
        if (!blank)
            break;
        int close = 0;
        const struct response *r = answer(head, (size_t)(blank - head), &close);
        if (c->out_len + r->len > OUT_MAX) {
            c->close_after_send = 1;   /* pipelined past what we hold without reading: drop it */
            break;
        }
        memcpy(c->out + c->out_len, r->text, r->len);
        c->out_len += (uint32_t)r->len;
        c->close_after_send = (unsigned)close;
        done = (size_t)(blank - data) + 4;
    }
    return done;
}

static void on_data(int slot, const char *data, size_t len)
{
    struct conn *c = conns[slot];
    if (c->in_len) {
        /* A request continues: join it to what came before, then serve from the joined copy. */
        if (c->in_len + len > IN_MAX) {
            c->in_len = 0;
            const struct response *r = &bad_request;
            if (c->out_len + r->len <= OUT_MAX) {
                memcpy(c->out + c->out_len, r->text, r->len);
                c->out_len += (uint32_t)r->len;
            }
            c->close_after_send = 1;
        } else {
            memcpy(c->in + c->in_len, data, len);
            c->in_len += (uint32_t)len;
            size_t used = serve(slot, c->in, c->in_len);
            memmove(c->in, c->in + used, c->in_len - used);
            c->in_len -= (uint32_t)used;
        }
    } else {
        size_t used = serve(slot, data, len);
        if (len - used > IN_MAX) {
            c->close_after_send = 1;
        } else {
            memcpy(c->in, data + used, len - used);
            c->in_len = (uint32_t)(len - used);
        }
    }
    if (c->close_after_send)
        c->in_len = 0;
    if (!c->out_sending) {
        if (c->out_len)
            send_queued(slot);
        else if (c->close_after_send)
            close_when_idle(slot);
    }
}

static void on_accept(int lfd, struct io_uring_cqe *cqe)
{
    if (!(cqe->flags & IORING_CQE_F_MORE))
        arm_accept_direct(&ring, lfd);
    if (cqe->res < 0) {
        fprintf(stderr, "accept: %s (%s)\n", strerror(-cqe->res), strerrorname_np(-cqe->res));
        return;
    }
    int slot = cqe->res;
    conns[slot] = calloc(1, sizeof(struct conn));
    if (!conns[slot])
        die_errno("calloc", ENOMEM);
    arm_recv(slot);
}

static void on_recv(int slot, struct io_uring_cqe *cqe)
{
    struct conn *c = conns[slot];
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more)
        c->recv_armed = 0;
    if (cqe->res > 0) {
        uint16_t bid = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        if (!c->closing && !c->close_after_send)
            on_data(slot, buf_group_addr(&group, bid), (size_t)cqe->res);
        buf_group_recycle(&group, bid);
        c = conns[slot];   /* on_data may have closed and freed it */
        if (c && !more) {
            if (c->closing)
                close_when_idle(slot);   /* the cancel that closing sent has done its work */
            else
                arm_recv(slot);   /* ended for another reason (e.g. CQ overflow): keep receiving */
        }
        return;
    }
    if (cqe->res == -ENOBUFS && !c->closing) {
        if (!c->rearm_pending) {
            c->rearm_pending = 1;
            rearm_list[rearm_count++] = slot;
        }
        return;
    }
    if (!more)
        close_when_idle(slot);   /* EOF, an error such as ECONNRESET, or our own cancel */
}

static void on_send(int slot, struct io_uring_cqe *cqe)
{
    struct conn *c = conns[slot];
    uint32_t sent = cqe->res > 0 ? (uint32_t)cqe->res : 0;
    c->out_sending = 0;
    if (cqe->res < 0 || c->closing) {
        close_when_idle(slot);
        return;
    }
    memmove(c->out, c->out + sent, c->out_len - sent);
    c->out_len -= sent;
    if (c->out_len)
        send_queued(slot);   /* a short send's rest and every response queued meanwhile, together */
    else if (c->close_after_send)
        close_when_idle(slot);
}

/* Buffers came back to the group: receive again on the connections whose receive ran dry. */
static void rearm_dry(void)
{
    for (int i = 0; i < rearm_count; i++) {
        struct conn *c = conns[rearm_list[i]];
        if (c) {
            c->rearm_pending = 0;
            if (!c->closing && !c->recv_armed)
                arm_recv(rearm_list[i]);
        }
    }
    rearm_count = 0;
}

int main(int argc, char **argv)
{
    struct server_args args = parse_server_args(argc, argv);
    install_stop_handler();
    response_init(&ok_response, "200 OK", "text/plain", "Hello, World!", "");
    response_init(&not_found, "404 Not Found", "text/plain; charset=us-ascii", "404 Not Found\n", "");
    response_init(&not_allowed, "405 Method Not Allowed", "text/plain; charset=us-ascii", "405 Method Not Allowed\n",
                  "Allow: GET\r\n");
    response_init(&bad_request, "400 Bad Request", "text/plain; charset=us-ascii", "400 Bad Request\n",
                  "Connection: close\r\n");
    refresh_date();

    int lfd = server_start(&args, &ring, &group, NBUFS, BUF_SIZE, MAX_CONNS, &max_conns);
    /* Accepts complete only inside the loop: the tables are in place before the first. */
    conns = calloc((size_t)max_conns, sizeof(*conns));
    rearm_list = calloc((size_t)max_conns, sizeof(*rearm_list));
    if (!conns || !rearm_list)
        die_errno("calloc", ENOMEM);
    serve_until_stopped(&ring, &group, lfd, &(struct server_loop){
        .on_accept = on_accept, .on_recv = on_recv, .on_send = on_send, .on_refill = rearm_dry, .each_iteration = refresh_date });
    return 0;
}
