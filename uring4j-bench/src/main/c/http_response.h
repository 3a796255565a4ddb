/*
 * The load tool's HTTP/1.1 response parser, incremental: fed whatever bytes each receive brings,
 * it reads the status line and headers, then skips the body as Content-Length or chunked
 * encoding frames it (trailers included). Lines must end in CRLF; across receives it keeps only a
 * split line, at most HTTP_LINE_MAX bytes. A response it cannot frame loses the connection's
 * framing for good: the parser says why and stops.
 */
#ifndef URING4J_BENCH_HTTP_RESPONSE_H
#define URING4J_BENCH_HTTP_RESPONSE_H

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define HTTP_LINE_MAX 8192

enum http_response_state { P_STATUS, P_HEADER, P_BODY, P_CHUNK_SIZE, P_CHUNK_DATA, P_CHUNK_END, P_TRAILER };

struct http_response {
    enum http_response_state state;
    int status, chunked;
    int64_t content_length;     /* -1: none seen */
    uint64_t remaining;         /* body or chunk bytes still to come */
    uint32_t line_len;          /* bytes of a line split across receives, kept in line */
    char line[HTTP_LINE_MAX];
    const char *why;            /* once framing is lost: why, and the line it was lost on */
    const char *bad;
    size_t bad_len;
};

/* What the parser tells its owner. */
struct http_response_events {
    int (*expected)(void *ctx);              /* is a request awaiting a response? */
    void (*done)(void *ctx, int status);     /* a whole response arrived */
};

static inline int http_response_bad(struct http_response *r, const char *why, const char *line, size_t len)
{
    r->why = why;
    r->bad = line;
    r->bad_len = len;
    return -1;
}

static inline int http_response_done(struct http_response *r, const struct http_response_events *ev, void *ctx)
{
    ev->done(ctx, r->status);
    r->state = P_STATUS;
    return 0;
}

/* Is header line [l, l+len) the header `name` (case-insensitively)? Then [*value, *end) is its trimmed value. */
static inline int http_header_is(const char *l, size_t len, const char *name, const char **value, const char **end)
{
    size_t n = strlen(name);
    if (len <= n || l[n] != ':' || strncasecmp(l, name, n) != 0)
        return 0;
    const char *v = l + n + 1, *e = l + len;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *value = v;
    *end = e;
    return 1;
}

static inline int http_end_of_headers(struct http_response *r, const struct http_response_events *ev, void *ctx)
{
    if (r->status / 100 == 1 || r->status == 204 || r->status == 304)
        return http_response_done(r, ev, ctx);   /* never a body */
    if (r->chunked) {
        if (r->content_length >= 0)
            return http_response_bad(r, "both Content-Length and chunked encoding", "", 0);
        r->state = P_CHUNK_SIZE;
        return 0;
    }
    if (r->content_length < 0)
        return http_response_bad(r, "neither Content-Length nor chunked encoding, so the body cannot be framed", "", 0);
    if (r->content_length == 0)
        return http_response_done(r, ev, ctx);
    r->remaining = (uint64_t)r->content_length;
    r->state = P_BODY;
    return 0;
}

/* One complete line, without its CRLF. */
static inline int http_on_line(struct http_response *r, const char *l, size_t len, const struct http_response_events *ev, void *ctx)
{
    switch (r->state) {
    case P_STATUS:
        if (!ev->expected(ctx))
            return http_response_bad(r, "a response no request asked for", l, len);
        /* HTTP/1.x SP 3DIGIT [SP reason] */
        if (len < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[7] < '0' || l[7] > '9' || l[8] != ' '
            || l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9'
            || (len > 12 && l[12] != ' '))
            return http_response_bad(r, "not a status line", l, len);
        r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
        r->content_length = -1;
        r->chunked = 0;
        r->state = P_HEADER;
        return 0;
    case P_HEADER: {
        if (len == 0)
            return http_end_of_headers(r, ev, ctx);
        const char *colon = memchr(l, ':', len), *v, *e;
        if (!colon || colon == l)
            return http_response_bad(r, "a header line without a name and colon", l, len);
        for (const char *p = l; p < colon; p++)
            if (*p <= ' ' || *p >= 127)
                return http_response_bad(r, "a header name with a space or control character", l, len);
        if (http_header_is(l, len, "content-length", &v, &e)) {
            int64_t n = 0;
            if (v == e || e - v > 15)
                return http_response_bad(r, "a Content-Length that is not a number", l, len);
            for (const char *p = v; p < e; p++) {
                if (*p < '0' || *p > '9')
                    return http_response_bad(r, "a Content-Length that is not a number", l, len);
                n = n * 10 + (*p - '0');
            }
            if (r->content_length >= 0 && r->content_length != n)
                return http_response_bad(r, "two different Content-Length headers", l, len);
            r->content_length = n;
        } else if (http_header_is(l, len, "transfer-encoding", &v, &e)) {
            if (e - v < 7 || strncasecmp(e - 7, "chunked", 7) != 0)
                return http_response_bad(r, "a Transfer-Encoding whose last coding is not chunked", l, len);
            r->chunked = 1;
        }
        return 0;
    }
    case P_CHUNK_SIZE: {
        uint64_t size = 0;
        size_t i = 0;
        for (; i < len && i < 15; i++) {
            char ch = l[i];
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0)
                break;
            size = size * 16 + (uint64_t)d;
        }
        if (i == 0 || (i < len && l[i] != ';' && l[i] != ' ' && l[i] != '\t'))
            return http_response_bad(r, "not a chunk size", l, len);
        if (size == 0) {
            r->state = P_TRAILER;
        } else {
            r->remaining = size;
            r->state = P_CHUNK_DATA;
        }
        return 0;
    }
    case P_CHUNK_END:
        if (len != 0)
            return http_response_bad(r, "chunk data longer than its size", l, len);
        r->state = P_CHUNK_SIZE;
        return 0;
    case P_TRAILER:
        if (len == 0)
            return http_response_done(r, ev, ctx);
        if (!memchr(l, ':', len))
            return http_response_bad(r, "a trailer line without a colon", l, len);
        return 0;
    default:
        return http_response_bad(r, "parser in a body state on a line", l, len);
    }
}

/* Parses received bytes; returns -1 once the framing is lost (r->why says why). */
static inline int http_response_feed(struct http_response *r, const char *p, size_t n, const struct http_response_events *ev, void *ctx)
{
    while (n > 0) {
        if (r->state == P_BODY || r->state == P_CHUNK_DATA) {
            size_t take = r->remaining < n ? (size_t)r->remaining : n;
            p += take;
            n -= take;
            r->remaining -= take;
            if (r->remaining == 0) {
                if (r->state == P_CHUNK_DATA)
                    r->state = P_CHUNK_END;
                else if (http_response_done(r, ev, ctx) < 0)
                    return -1;
            }
            continue;
        }
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) + 1 : n;
        const char *line;
        size_t len;
        if (!nl || r->line_len) {
            /* A line split across receives: gather it, bounded. */
            if (r->line_len + take > HTTP_LINE_MAX)
                return http_response_bad(r, "a line longer than 8 KiB", r->line, r->line_len);
            memcpy(r->line + r->line_len, p, take);
            r->line_len += (uint32_t)take;
            p += take;
            n -= take;
            if (!nl)
                break;
            line = r->line;
            len = r->line_len;
            r->line_len = 0;
        } else {
            line = p;
            len = take;
            p += take;
            n -= take;
        }
        if (len < 2 || line[len - 2] != '\r')
            return http_response_bad(r, "a line ending in a bare LF", line, len);
        if (http_on_line(r, line, len - 2, ev, ctx) < 0)
            return -1;
    }
    return 0;
}

#endif
