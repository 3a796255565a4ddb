/*
 * http_load: the HTTP cells' load tool. One thread (the caller pins it) on io_uring, built so that
 * it costs less CPU per request than the servers it drives: SINGLE_ISSUER | DEFER_TASKRUN with a
 * registered ring fd, the connections registered as fixed files, one multishot receive per
 * connection drawing from a provided-buffer group, and every send of a loop iteration submitted
 * in the same io_uring_enter that waits for the next completions.
 *
 *   http_load --port P [--host 127.0.0.1] [--conns 64] [--depth 1] [--request FILE]...
 *             [--warmup 1] [--duration 5] [--rate 0]
 *
 * Requests: a rotation of raw requests, each connection starting at a different one. By default a
 * few GET /plaintext requests with the headers real clients send; each --request FILE (repeatable)
 * is one raw request, sent as it is (it must be one whose response has a body framed by
 * Content-Length or chunked encoding: no HEAD).
 *
 * Closed loop (--rate 0): every connection writes --depth requests at once (pipelined; 1 = none)
 * and writes the next batch when all their responses are in, as wrk does; a request's latency runs
 * from when its batch was written. Paced (--rate R): R requests per second in total, handed to
 * connections with fewer than --depth in flight, in turn; latency runs from when each request was
 * due, so a server that falls behind shows it in the percentiles (coordinated omission).
 *
 * Every response is parsed: status line, headers, then the body by Content-Length or chunked
 * encoding. A status other than 2xx counts in non_2xx; a response that does not parse (or that no
 * request asked for) counts in malformed and ends its connection, whose framing is lost. Errors
 * count over the whole run, warm-up included. A connection the server closes or resets counts in
 * socket_errors.
 *
 * stdout, one flushed line each, for the orchestrator (the same contract as http_load.sh):
 *   measure-start      warm-up is over; the measured window starts now
 *   measure-end        the window is over
 *   result {...}       flat JSON: rate, latency percentiles (µs), this tool's own CPU per request
 * Exit status: 0 done, 1 setup error, 2 usage, 3 non-2xx or malformed responses, 4 socket errors.
 */
#include "uring_load.h"
#include "http_response.h"
#include "pacing.h"

static const char usage[] = "--port P [--host 127.0.0.1] [--conns 64] [--depth 1] [--request FILE]... "
                            "[--warmup 1] [--duration 5] [--rate 0]";

#define MAX_REQUESTS 64
#define MAX_REQUEST_SIZE 65536
#define SQ_ENTRIES 4096
#define CQ_ENTRIES 16384
#define NBUFS 4096
#define BUF_SIZE 16384
#define MAX_REPORTED 5           /* malformed responses described on stderr; the rest only counted */

struct conn {
    struct load_conn lc;        /* first: the shared receive state */
    uint64_t sent, received;    /* requests written, responses parsed */
    uint64_t *start_ns;         /* depth slots: when request seq % depth was written (or due) */
    char *out;                  /* requests not yet sent; the first out_sending bytes are in flight */
    uint32_t out_len, out_sending;
    uint32_t next_request;      /* position in the rotation */
    struct http_response response;
};

static struct load_args cfg = LOAD_ARGS_DEFAULT;

static const char *request_files[MAX_REQUESTS];
static int request_file_count;
static char *requests[MAX_REQUESTS];
static uint32_t request_len[MAX_REQUESTS];
static int request_count;
static uint32_t longest_request;

static struct load_net net;
static struct measure_window window;
static struct histogram hist;
static uint64_t window_responses, non_2xx, malformed, socket_errors;
static uint64_t completion_ns;   /* when the completions being handled were reaped */

static struct pacer pacer;   /* paced mode only */

static void add_request(const char *text, size_t len, const char *where)
{
    if (request_count == MAX_REQUESTS)
        die_usage("http_load", usage, "too many requests in the rotation");
    if (len == 0 || len > MAX_REQUEST_SIZE) {
        fprintf(stderr, "http_load: %s: a request must be 1 to %d bytes, not %zu\n", where, MAX_REQUEST_SIZE, len);
        exit(2);
    }
    requests[request_count] = malloc(len);
    if (!requests[request_count])
        die_errno("malloc", ENOMEM);
    memcpy(requests[request_count], text, len);
    request_len[request_count++] = (uint32_t)len;
    if (len > longest_request)
        longest_request = (uint32_t)len;
}

static void load_requests(void)
{
    for (int i = 0; i < request_file_count; i++) {
        FILE *f = fopen(request_files[i], "rb");
        if (!f) {
            fprintf(stderr, "http_load: --request %s: %s (%s)\n", request_files[i], strerror(errno), strerrorname_np(errno));
            exit(2);
        }
        static char text[MAX_REQUEST_SIZE + 1];
        size_t n = fread(text, 1, sizeof(text), f);
        fclose(f);
        add_request(text, n, request_files[i]);
    }
    if (request_count)
        return;
    /* The default rotation: GET /plaintext as a browser, a command-line client and a library send it. */
    static const char *const headers[] = {
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
        "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n",
        "User-Agent: curl/8.5.0\r\nAccept: */*\r\n",
        "User-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n"
        "Cookie: session=5f0c2e7a9b1d4c3e8f6a2b7d9e1c4f30; theme=dark\r\n",
    };
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
        char text[1024];
        int n = snprintf(text, sizeof(text), "GET /plaintext HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n", cfg.host, cfg.port, headers[i]);
        add_request(text, (size_t)n, "default request");
    }
}

static struct conn *conn_of(struct load_conn *lc)
{
    return (struct conn *)lc;
}

static void socket_error(struct conn *c, int res)
{
    if (c->lc.dead)
        return;
    socket_errors++;
    if (socket_errors <= MAX_REPORTED) {
        if (res == 0)
            fprintf(stderr, "http_load: connection %u: the server closed it\n", c->lc.id);
        else
            fprintf(stderr, "http_load: connection %u: %s (%s)\n", c->lc.id, strerror(-res), strerrorname_np(-res));
    }
    load_retire(&net, &c->lc);
}

static void send_out(struct conn *c)
{
    struct io_uring_sqe *sqe = ring_get_sqe(&net.ring);
    io_uring_prep_send(sqe, (int)c->lc.id, c->out, c->out_len, MSG_NOSIGNAL);
    sqe->flags |= IOSQE_FIXED_FILE;
    io_uring_sqe_set_data64(sqe, ud_pack(OP_SEND, (int)c->lc.id));
    c->out_sending = c->out_len;
}

/* Appends `count` requests of the rotation, all stamped `start`; sends unless a send is in flight. */
static void queue_requests(struct conn *c, int count, uint64_t start)
{
    for (int i = 0; i < count; i++) {
        uint32_t r = c->next_request;
        c->next_request = (r + 1) % (uint32_t)request_count;
        memcpy(c->out + c->out_len, requests[r], request_len[r]);
        c->out_len += request_len[r];
        c->start_ns[c->sent % (uint64_t)cfg.depth] = start;
        c->sent++;
    }
    if (!c->out_sending)
        send_out(c);
}

/* Paced mode: offers the connection for the next due request if it has room for one. */
static void idle_push(struct conn *c)
{
    if (!c->lc.dead && c->sent - c->received < (uint64_t)cfg.depth)
        pacer_offer(&pacer, (int)c->lc.id);
}

static void on_response(void *ctx, int status)
{
    struct conn *c = ctx;
    if (status / 100 != 2)
        non_2xx++;
    if (window.open) {
        hist_record(&hist, completion_ns - c->start_ns[c->received % (uint64_t)cfg.depth]);
        window_responses++;
    }
    c->received++;
}

static int response_expected(void *ctx)
{
    const struct conn *c = ctx;
    return c->received < c->sent;
}

static const struct http_response_events response_events = { .expected = response_expected, .done = on_response };

/* Parses received bytes; returns -1 once the connection's framing is lost, which retires it. */
static int parse(struct conn *c, const char *p, size_t n)
{
    if (http_response_feed(&c->response, p, n, &response_events, c) == 0)
        return 0;
    malformed++;
    if (malformed <= MAX_REPORTED)
        fprintf(stderr, "http_load: connection %u, response %llu: %s: \"%.*s\"\n", c->lc.id, (unsigned long long)c->received,
                c->response.why, (int)(c->response.bad_len > 120 ? 120 : c->response.bad_len), c->response.bad);
    load_retire(&net, &c->lc);
    return -1;
}

static void consume(struct load_conn *lc, const char *p, size_t n)
{
    struct conn *c = conn_of(lc);
    if (parse(c, p, n) < 0)
        return;
    if (cfg.rate > 0)
        idle_push(c);
    else if (c->received == c->sent && !c->out_sending)
        queue_requests(c, cfg.depth, completion_ns);
}

static void on_recv(struct load_conn *lc, const struct io_uring_cqe *cqe)
{
    int res = load_on_recv(&net, lc, cqe, consume);
    if (res <= 0)
        socket_error(conn_of(lc), res);
}

static void on_send(struct load_conn *lc, const struct io_uring_cqe *cqe)
{
    struct conn *c = conn_of(lc);
    uint32_t was = c->out_sending;
    c->out_sending = 0;
    if (cqe->res < 0) {
        socket_error(c, cqe->res);
        return;
    }
    if (c->lc.dead)
        return;
    uint32_t sent = (uint32_t)cqe->res < was ? (uint32_t)cqe->res : was;
    memmove(c->out, c->out + sent, c->out_len - sent);
    c->out_len -= sent;
    if (c->out_len) {
        send_out(c);   /* the rest of a short send, and whatever was queued meanwhile */
        return;
    }
    if (cfg.rate > 0)
        idle_push(c);
    else if (c->received == c->sent)
        queue_requests(c, cfg.depth, completion_ns);   /* the whole batch was answered before its send completed */
}

static void prepare_conns(void)
{
    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = conn_of(load_conn_at(&net, i));
        c->next_request = (uint32_t)i % (uint32_t)request_count;
        c->start_ns = calloc((size_t)cfg.depth, sizeof(uint64_t));
        /* A send may complete after the responses to its requests: room for its depth and the next. */
        c->out = malloc(2 * (size_t)cfg.depth * longest_request);
        if (!c->start_ns || !c->out)
            die_errno("malloc", ENOMEM);
    }
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (load_flag(argc, argv, &i, &cfg, usage, 60000, 1024))
            continue;
        if (!(v = flag_value(argc, argv, &i, "--request", usage)))
            die_usage(argv[0], usage, "unknown argument");
        if (request_file_count == MAX_REQUESTS)
            die_usage(argv[0], usage, "too many --request files");
        request_files[request_file_count++] = v;
    }
    load_args_check(argv[0], usage, &cfg);
}

static void send_paced(int id, uint64_t due)
{
    struct conn *c = conn_of(load_conn_at(&net, id));
    queue_requests(c, 1, due);
    idle_push(c);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    load_tool_init();
    load_requests();

    load_net_setup(&net, cfg.conns, sizeof(struct conn), SQ_ENTRIES, CQ_ENTRIES, NBUFS, BUF_SIZE);
    prepare_conns();
    load_connect_all(&net, "http_load", &cfg, NULL);

    uint64_t start = now_ns();
    window_init(&window, start, cfg.warmup_s, cfg.duration_s);
    if (cfg.rate > 0 && pacer_init(&pacer, cfg.rate, cfg.conns, start) < 0)
        die_errno("calloc", ENOMEM);

    for (int i = 0; i < cfg.conns; i++) {
        struct conn *c = conn_of(load_conn_at(&net, i));
        load_arm_recv(&net, &c->lc);
        if (cfg.rate > 0)
            idle_push(c);
        else
            queue_requests(c, cfg.depth, start);
    }

    uint64_t now = start;
    for (;;) {
        uint64_t wake = window_tick(&window, now);
        if (window_over(&window, now) || net.live == 0)
            break;
        if (cfg.rate > 0)
            wake = pacer_run(&pacer, now, window.open, wake, send_paced);
        load_wait(&net, now, wake);
        now = completion_ns = now_ns();
        load_reap(&net, on_recv, on_send);
    }

    double user_s, sys_s, window_s = window_close(&window, now, &user_s, &sys_s);
    uint64_t rts = window_responses;
    printf("result {\"tool\":\"http_load\",\"conns\":%d,\"depth\":%d,\"requests_in_rotation\":%d,\"rate_target\":%.0f,"
           "\"window_s\":%.6f,\"round_trips\":%llu,\"rt_per_s\":%.1f,",
           cfg.conns, cfg.depth, request_count, cfg.rate, window_s, (unsigned long long)rts,
           window_s > 0 ? (double)rts / window_s : 0.0);
    load_print_latency(&hist);
    printf(",\"cpu_user_s\":%.4f,\"cpu_sys_s\":%.4f,\"cpu_us_per_rt\":%.3f,\"late_sends\":%llu,\"max_lag_us\":%.1f,"
           "\"non_2xx\":%llu,\"malformed\":%llu,\"socket_errors\":%llu}\n",
           user_s, sys_s, rts ? (user_s + sys_s) * 1e6 / (double)rts : 0.0,
           (unsigned long long)pacer.late_sends, (double)pacer.max_lag_ns / 1000.0, (unsigned long long)non_2xx,
           (unsigned long long)malformed, (unsigned long long)socket_errors);
    fflush(stdout);
    io_uring_queue_exit(&net.ring);
    if (non_2xx || malformed) {
        fprintf(stderr, "http_load: %llu responses were not 2xx and %llu were malformed\n", (unsigned long long)non_2xx,
                (unsigned long long)malformed);
        return 3;
    }
    if (socket_errors) {
        fprintf(stderr, "http_load: %llu connections lost (closed or reset by the server)\n", (unsigned long long)socket_errors);
        return 4;
    }
    return 0;
}
