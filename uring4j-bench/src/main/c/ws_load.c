/*
 * ws_load: the WebSocket cells' load tool. One thread (the caller pins it) on io_uring, built like
 * http_load so that it costs less CPU per message than the servers it drives: SINGLE_ISSUER |
 * DEFER_TASKRUN with a registered ring fd, the connections registered as fixed files, one multishot
 * receive per connection drawing from a provided-buffer group, and every send of a loop iteration
 * submitted in the same io_uring_enter that waits for the next completions.
 *
 *   ws_load --port P [--host 127.0.0.1] [--conns 64] [--mode echo|broadcast] [--path /echo]
 *           [--warmup 1] [--duration 5]
 *
 * Every connection first upgrades with the RFC 6455 opening handshake (GET with Upgrade:
 * websocket, Sec-WebSocket-Key, version 13), and the 101 response's Sec-WebSocket-Accept is
 * checked. Then:
 *
 *   echo       each connection keeps one masked 11-byte text message ("Hello world") in flight:
 *              it sends the next when the server's unmasked echo of the last has arrived whole
 *              and equal. Counts messages per second; latency runs from the send to the echo.
 *   broadcast  the connections only receive. Each frame's payload starts with the server's tick
 *              due time, 8 bytes big-endian of CLOCK_MONOTONIC nanoseconds (what System.nanoTime()
 *              reads on Linux), then the tick's sequence number, 8 bytes big-endian. The latency
 *              recorded is the lateness: arrival (when this tool reaped the completion) minus the
 *              due time. A sequence number that skips counts the frames in between as missed.
 *
 * Frames are parsed whole, whatever the receive boundaries: a masked server frame, a reserved
 * bit, a fragment, a text/binary frame of the wrong shape, or an echo that differs counts in
 * malformed and ends its connection. A close frame, the server closing or resetting counts in
 * socket_errors. Pings are answered by nothing (servers of these cells do not send them) but are
 * skipped correctly.
 *
 * stdout, one flushed line each, for the orchestrator (the same contract as http_load):
 *   measure-start      warm-up is over; the measured window starts now
 *   measure-end        the window is over
 *   result {...}       flat JSON: messages (round_trips) per second, latency or lateness
 *                      percentiles (µs), frames missed, this tool's own CPU per message
 * Exit status: 0 done, 1 setup error, 2 usage, 3 malformed frames or a failed handshake,
 * 4 socket errors.
 */
#include "uring_load.h"

static const char usage[] = "--port P [--host 127.0.0.1] [--conns 64] [--mode echo|broadcast] [--path /echo] "
                            "[--warmup 1] [--duration 5]";

#define SQ_ENTRIES 4096
#define CQ_ENTRIES 16384
#define NBUFS 4096
#define BUF_SIZE 16384
#define MAX_REPORTED 5              /* problems described on stderr; the rest only counted */
#define ECHO_TEXT "Hello world"
#define ECHO_LEN 11
#define ECHO_FRAME (2 + 4 + ECHO_LEN)   /* FIN|text, MASK|11, masking key, masked payload */
#define STAMP_LEN 16                /* broadcast payloads: due time, sequence number */

enum mode { MODE_ECHO, MODE_BROADCAST };

/* An incoming frame being parsed: its header gathered byte by byte, then its payload counted. */
struct frame {
    uint8_t hdr[14];
    uint32_t hdr_len, hdr_need;     /* hdr_need 0: reading the header */
    uint64_t len, seen;
    uint8_t head[STAMP_LEN];        /* the payload's first bytes */
    uint8_t opcode;
};

struct conn {
    struct load_conn lc;            /* first: the shared receive state */
    uint8_t out[ECHO_FRAME];        /* echo: the masked message, the same each time */
    uint64_t sent_ns;               /* echo: when the message in flight was sent */
    uint64_t last_seq;              /* broadcast: the last tick's sequence number, 0 before the first */
    unsigned in_flight : 1;
    struct frame f;
};

static struct load_args cfg = LOAD_ARGS_DEFAULT;
static enum mode mode = MODE_ECHO;
static const char *path = "/echo";

static struct load_net net;
static struct measure_window window;
static struct histogram hist;
static uint64_t window_messages, window_missed, total_missed, malformed, socket_errors, pings;
static uint64_t completion_ns;      /* when the completions being handled were reaped */

static struct conn *conn_of(struct load_conn *lc)
{
    return (struct conn *)lc;
}

static void socket_error(struct conn *c, int res, const char *why)
{
    if (c->lc.dead)
        return;
    socket_errors++;
    if (socket_errors <= MAX_REPORTED) {
        if (why)
            fprintf(stderr, "ws_load: connection %u: %s\n", c->lc.id, why);
        else if (res == 0)
            fprintf(stderr, "ws_load: connection %u: the server closed it\n", c->lc.id);
        else
            fprintf(stderr, "ws_load: connection %u: %s (%s)\n", c->lc.id, strerror(-res), strerrorname_np(-res));
    }
    load_retire(&net, &c->lc);
}

static void bad_frame(struct conn *c, const char *why)
{
    malformed++;
    if (malformed <= MAX_REPORTED)
        fprintf(stderr, "ws_load: connection %u: %s\n", c->lc.id, why);
    load_retire(&net, &c->lc);
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void send_message(struct conn *c, uint64_t now)
{
    struct io_uring_sqe *sqe = ring_get_sqe(&net.ring);
    io_uring_prep_send(sqe, (int)c->lc.id, c->out, ECHO_FRAME, MSG_NOSIGNAL);
    sqe->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SEND, (int)c->lc.id));
    c->sent_ns = now;
    c->in_flight = 1;
}

/* A whole data frame arrived: the echo of the message in flight, or a tick. */
static void on_message(struct conn *c)
{
    struct frame *f = &c->f;
    if (mode == MODE_ECHO) {
        if (f->opcode != 0x1 || f->len != ECHO_LEN || memcmp(f->head, ECHO_TEXT, ECHO_LEN) != 0) {
            bad_frame(c, "the echo is not the 11-byte text message sent");
            return;
        }
        if (!c->in_flight) {
            bad_frame(c, "an echo arrived with no message in flight");
            return;
        }
        c->in_flight = 0;
        if (window.open) {
            hist_record(&hist, completion_ns - c->sent_ns);
            window_messages++;
        }
        send_message(c, completion_ns);
        return;
    }
    if (f->len < STAMP_LEN) {
        bad_frame(c, "a broadcast frame too short to hold its due time and sequence number");
        return;
    }
    uint64_t due = be64(f->head), seq = be64(f->head + 8);
    if (c->last_seq && seq > c->last_seq + 1) {
        total_missed += seq - c->last_seq - 1;
        if (window.open)
            window_missed += seq - c->last_seq - 1;
    }
    if (seq > c->last_seq)
        c->last_seq = seq;
    if (window.open) {
        /* A frame the server sent before its due time would be a server bug; count it as on time. */
        hist_record(&hist, completion_ns > due ? completion_ns - due : 0);
        window_messages++;
    }
}

/* The frame's header is whole: checks it, and starts on the payload. Returns -1 when it is refused. */
static int header_done(struct conn *c)
{
    struct frame *f = &c->f;
    uint8_t b0 = f->hdr[0], b1 = f->hdr[1];
    if (b0 & 0x70)
        return bad_frame(c, "a frame with a reserved bit set (no extension was negotiated)"), -1;
    if (!(b0 & 0x80))
        return bad_frame(c, "a fragmented message (the cells' messages are single frames)"), -1;
    f->opcode = b0 & 0x0f;
    uint64_t len = b1 & 0x7f;
    if (len == 126)
        len = (uint64_t)f->hdr[2] << 8 | f->hdr[3];
    else if (len == 127)
        len = be64(f->hdr + 2);
    f->len = len;
    f->seen = 0;
    if (f->opcode == 0x8)
        return socket_error(c, 0, "the server sent a close frame"), -1;
    if (f->opcode != 0x1 && f->opcode != 0x2 && f->opcode != 0x9 && f->opcode != 0xA)
        return bad_frame(c, "a frame with an unexpected opcode"), -1;
    return 0;
}

/* Parses received bytes into frames, whatever the boundaries; returns -1 once the connection is retired. */
static int parse(struct conn *c, const uint8_t *p, size_t n)
{
    struct frame *f = &c->f;
    while (n > 0) {
        if (f->hdr_need == 0 || f->hdr_len < f->hdr_need) {
            if (f->hdr_need == 0)
                f->hdr_need = 2;
            f->hdr[f->hdr_len++] = *p++;
            n--;
            if (f->hdr_len == 2) {
                if (f->hdr[1] & 0x80)
                    return bad_frame(c, "a masked frame from the server (RFC 6455 5.1 forbids it)"), -1;
                uint8_t l = f->hdr[1] & 0x7f;
                f->hdr_need = 2 + (l == 126 ? 2 : l == 127 ? 8 : 0);
            }
            if (f->hdr_len < f->hdr_need)
                continue;
            if (header_done(c) < 0)
                return -1;
            if (f->len > 0)
                continue;
        } else {
            uint64_t take = f->len - f->seen < n ? f->len - f->seen : n;
            if (f->seen < STAMP_LEN)
                memcpy(f->head + f->seen, p, f->seen + take > STAMP_LEN ? STAMP_LEN - f->seen : take);
            f->seen += take;
            p += take;
            n -= take;
            if (f->seen < f->len)
                continue;
        }
        /* The frame is whole (its header, then all of its payload). */
        if (f->opcode == 0x9 || f->opcode == 0xA)
            pings++;
        else
            on_message(c);
        if (c->lc.dead)
            return -1;
        f->hdr_len = f->hdr_need = 0;
    }
    return 0;
}

static void consume(struct load_conn *lc, const char *p, size_t n)
{
    parse(conn_of(lc), (const uint8_t *)p, n);
}

static void on_recv(struct load_conn *lc, const struct io_uring_cqe *cqe)
{
    int res = load_on_recv(&net, lc, cqe, consume);
    if (res <= 0)
        socket_error(conn_of(lc), res, NULL);
}

static void on_send(struct load_conn *lc, const struct io_uring_cqe *cqe)
{
    struct conn *c = conn_of(lc);
    if (cqe->res < 0)
        socket_error(c, cqe->res, NULL);
    else if (cqe->res != ECHO_FRAME)
        /* One 17-byte message in flight cannot fill a socket: a short send means something is broken. */
        socket_error(c, 0, "a short send of one message");
}

/* The accept value RFC 6455 4.2.2 derives from the key below: base64(SHA-1(key + GUID)). */
static const char ws_key[] = "dGhlIHNhbXBsZSBub25jZQ==";
static const char ws_accept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/*
 * The opening handshake on a blocking socket: the request, then the response head read to its
 * blank line. Bytes after it (a first broadcast frame may follow at once) are parsed as frames.
 */
static void handshake(int id, int fd)
{
    struct conn *c = conn_of(load_conn_at(&net, id));
    char req[512];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, cfg.host, cfg.port, ws_key);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
        die_errno("send (WebSocket handshake)", errno);
    char resp[4096];
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have == sizeof(resp) - 1) {
            fprintf(stderr, "ws_load: connection %u: the handshake response head is over %zu bytes\n", c->lc.id, sizeof(resp));
            exit(3);
        }
        ssize_t r = recv(fd, resp + have, sizeof(resp) - 1 - have, 0);
        if (r <= 0) {
            fprintf(stderr, "ws_load: connection %u: handshake to %s:%d%s: %s\n", c->lc.id, cfg.host, cfg.port, path,
                    r == 0 ? "the server closed the connection" : strerrorname_np(errno));
            exit(4);
        }
        have += (size_t)r;
        resp[have] = 0;
        end = strstr(resp, "\r\n\r\n");
    }
    *end = 0;
    if (strncmp(resp, "HTTP/1.1 101", 12) != 0 || !strcasestr(resp, ws_accept)) {
        fprintf(stderr, "ws_load: connection %u: %s:%d%s did not upgrade to WebSocket: \"%.200s\"\n", c->lc.id, cfg.host,
                cfg.port, path, resp);
        exit(3);
    }
    size_t head = (size_t)(end - resp) + 4;
    if (have > head)
        parse(c, (const uint8_t *)resp + head, have - head);   /* a bad frame retires the connection, counted */
}

/* Every connection masks with a key of its own (RFC 6455 5.3); its message is the same each time. */
static void prepare_messages(void)
{
    srandom((unsigned)now_ns());
    for (int i = 0; i < cfg.conns; i++) {
        uint8_t *o = conn_of(load_conn_at(&net, i))->out;
        o[0] = 0x81;
        o[1] = 0x80 | ECHO_LEN;
        uint32_t key = (uint32_t)random();
        memcpy(o + 2, &key, 4);
        for (int k = 0; k < ECHO_LEN; k++)
            o[6 + k] = (uint8_t)ECHO_TEXT[k] ^ o[2 + k % 4];
    }
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (load_flag(argc, argv, &i, &cfg, usage, 60000, 1))
            continue;
        if ((v = flag_value(argc, argv, &i, "--path", usage))) {
            if (v[0] != '/' || strlen(v) > 200)
                die_usage(argv[0], usage, "--path is an absolute path of at most 200 bytes");
            path = v;
        } else if ((v = flag_value(argc, argv, &i, "--mode", usage))) {
            if (strcmp(v, "echo") == 0)
                mode = MODE_ECHO;
            else if (strcmp(v, "broadcast") == 0)
                mode = MODE_BROADCAST;
            else
                die_usage(argv[0], usage, "--mode is echo or broadcast");
        } else {
            die_usage(argv[0], usage, "unknown argument");
        }
    }
    load_args_check(argv[0], usage, &cfg);
    if (cfg.rate > 0)
        die_usage(argv[0], usage, "--rate: echo keeps one message in flight per connection, broadcast follows the server's tick");
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    load_tool_init();

    load_net_setup(&net, cfg.conns, sizeof(struct conn), SQ_ENTRIES, CQ_ENTRIES, NBUFS, BUF_SIZE);
    prepare_messages();
    load_connect_all(&net, "ws_load", &cfg, handshake);

    uint64_t start = now_ns();
    window_init(&window, start, cfg.warmup_s, cfg.duration_s);
    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = conn_of(load_conn_at(&net, i));
        if (c->lc.dead)
            continue;
        load_arm_recv(&net, &c->lc);
        if (mode == MODE_ECHO)
            send_message(c, start);
    }

    uint64_t now = start;
    for (;;) {
        uint64_t wake = window_tick(&window, now);
        if (window_over(&window, now) || net.live == 0)
            break;
        load_wait(&net, now, wake);
        now = completion_ns = now_ns();
        load_reap(&net, on_recv, on_send);
    }

    double user_s, sys_s, window_s = window_close(&window, now, &user_s, &sys_s);
    uint64_t msgs = window_messages;
    printf("result {\"tool\":\"ws_load\",\"mode\":\"%s\",\"conns\":%d,\"window_s\":%.6f,\"round_trips\":%llu,\"rt_per_s\":%.1f,",
           mode == MODE_ECHO ? "echo" : "broadcast", cfg.conns, window_s, (unsigned long long)msgs,
           window_s > 0 ? (double)msgs / window_s : 0.0);
    load_print_latency(&hist);
    printf(",\"cpu_user_s\":%.4f,\"cpu_sys_s\":%.4f,\"cpu_us_per_rt\":%.3f,\"frames_missed\":%llu,\"frames_missed_total\":%llu,"
           "\"pings\":%llu,\"malformed\":%llu,\"socket_errors\":%llu}\n",
           user_s, sys_s, msgs ? (user_s + sys_s) * 1e6 / (double)msgs : 0.0,
           (unsigned long long)window_missed, (unsigned long long)total_missed, (unsigned long long)pings,
           (unsigned long long)malformed, (unsigned long long)socket_errors);
    fflush(stdout);
    io_uring_queue_exit(&net.ring);
    if (malformed) {
        fprintf(stderr, "ws_load: %llu connections received malformed or unexpected frames\n", (unsigned long long)malformed);
        return 3;
    }
    if (socket_errors) {
        fprintf(stderr, "ws_load: %llu connections lost (closed or reset by the server)\n", (unsigned long long)socket_errors);
        return 4;
    }
    return 0;
}
