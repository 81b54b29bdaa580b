/* edge.c — what the embedded server refuses before any route sees a request,
 * and the connection watchdog that keeps slow clients from holding it.
 *
 * Request framing (edge_check_request). A request whose length or headers
 * two HTTP parsers could read differently is refused with 400 and the
 * connection closed, so no byte after it is ever read as another request:
 *   - both Content-Length and Transfer-Encoding, two Content-Length headers
 *     (equal or not), two Transfer-Encoding headers, a Transfer-Encoding
 *     other than exactly "chunked" (letter case aside), Transfer-Encoding on
 *     HTTP/1.0;
 *   - a header name that is not a token (whitespace before the colon, a
 *     first header line that starts with whitespace), a control character in
 *     a value (a bare CR shows here: libmicrohttpd 0.9.75 keeps it in the
 *     value);
 *   - obs-fold and NUL bytes, which libmicrohttpd 0.9.75 hides: it glues a
 *     folded line onto the previous header's name in a new place in memory,
 *     and cuts a value (or the request target) at a NUL. Both are found from
 *     where the parsed pieces lie in the connection's read buffer: the
 *     library parses the header block in place, turning each line end into
 *     NULs, so every header name must start one or two NULs after the end of
 *     the previous line's value, and the request line's version one byte
 *     after the target (raw_uri, as the URI-log callback saw it). Anything
 *     else in between is a NUL-cut tail or a fold. When the request line is
 *     not laid out that way (another libmicrohttpd), these two checks are
 *     skipped, and the others still apply;
 *   - a NUL in the path (%00, or a raw one): "/index.html%00.js" would be
 *     served as /index.html.
 * Content-Length values that are not plain digits ("+5", "5, 5") never get
 * here: libmicrohttpd answers those 400 itself and closes.
 *
 * Slow clients (the watchdog). A thread looks at every connection five times
 * a second:
 *   - a new connection must deliver its first request's headers within
 *     header_timeout_s of connecting;
 *   - on a kept-alive connection, the next request's headers must be
 *     complete within header_timeout_s of their first byte (TCP_INFO tells
 *     when bytes last arrived); an idle kept-alive connection is the
 *     library's idle timeout's business (30 s);
 *   - a request body must keep arriving at min_rate bytes a second on
 *     average, once header_timeout_s has passed since its headers.
 * A connection that fails is shut down (shutdown(2)); libmicrohttpd sees the
 * end of the stream and closes it. When the server is within 5% of its
 * connection limit (many addresses, each under the per-IP cap), the
 * connections that have waited longest for a request's headers — more than a
 * second: a real client sends its headers in milliseconds — are shut down,
 * oldest first, until a tenth of the slots is free again: a newcomer always
 * finds a slot, and an attacker's connections live a second, not ten.
 *
 * A request refused before its body was read (edge_linger) leaves its
 * socket open for up to two more seconds after the connection closes,
 * reading and dropping what the client still sends, so that the client
 * reads the answer instead of a reset (a "lingering close", as nginx does).
 *
 * The per-IP cap is libmicrohttpd's own MHD_OPTION_PER_IP_CONNECTION_LIMIT. The connection list is kept with
 * MHD_OPTION_NOTIFY_CONNECTION; libmicrohttpd 0.9.75 reports a connection
 * closed before it closes the socket, and the entry leaves the list under
 * the same lock the watchdog holds while it shuts sockets down, so the
 * watchdog never touches a descriptor that has been closed (and perhaps
 * reused). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "http/internal.h"

/* ---- request framing ---- */

/* RFC 9110 tchar */
static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

typedef struct walk {
    const char *end; /* where the previous piece (version, value) ended */
    int layout;      /* the in-place layout checks apply */
    int n_cl, n_te;
    const char *te;
    const char *bad_code, *bad_msg;
} walk;

static enum MHD_Result bad(walk *w, const char *code, const char *msg)
{
    w->bad_code = code;
    w->bad_msg = msg;
    return MHD_NO;
}

/* Only NULs between a line's end and the next header name: one for a bare
 * LF, two for CRLF. */
static int only_line_end(const char *from, const char *to)
{
    if (to <= from || to - from > 2) return 0;
    for (const char *p = from; p < to; p++)
        if (*p) return 0;
    return 1;
}

static enum MHD_Result header_ok(void *cls, enum MHD_ValueKind kind, const char *key, size_t kl, const char *value,
                                 size_t vl)
{
    (void)kind;
    walk *w = cls;
    if (!key || kl == 0) return bad(w, "malformed_header", "请求头格式错误（缺少名称）");
    for (size_t i = 0; i < kl; i++)
        if (!is_tchar((unsigned char)key[i]))
            return bad(w, "malformed_header", "请求头名称含有不允许的字符（如冒号前的空格或续行）");
    if (!value) value = key + kl; /* treated as empty below */
    for (size_t i = 0; i < vl; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return bad(w, "malformed_header", "请求头的值含有控制字符（如单独的回车符）");
    }
    if (w->layout) {
        if (!only_line_end(w->end, key))
            return bad(w, "malformed_header", "请求头含有空字符或续行（obs-fold）");
        /* name, the colon (now a NUL), optional whitespace, the value */
        const char *colon = key + kl;
        if (vl) {
            if (value <= colon || value - colon > 4096 || *colon) return bad(w, "malformed_header", "请求头格式错误");
            for (const char *p = colon + 1; p < value; p++)
                if (*p != ' ' && *p != '\t') return bad(w, "malformed_header", "请求头格式错误");
        }
        if (vl) {
            w->end = value + vl;
        } else { /* an empty value: the line ends after the colon and any whitespace */
            w->end = colon + 1;
            while (*w->end == ' ' || *w->end == '\t') w->end++;
        }
    }
    if (strcasecmp(key, "Content-Length") == 0) w->n_cl++;
    if (strcasecmp(key, "Transfer-Encoding") == 0) {
        w->n_te++;
        w->te = value;
    }
    return MHD_YES;
}

void edge_target_init(edge_target *t, const char *uri)
{
    t->uri = uri;
    t->len = strlen(uri);
    t->nul = 0;
    size_t plen = strcspn(uri, "?");
    for (size_t i = 0; i + 2 < plen && !t->nul; i++)
        t->nul = uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0';
}

int edge_check_request(struct MHD_Connection *mc, const char *method, const edge_target *t, const char *version,
                       gh_err *e)
{
    walk w = {0};
    /* The request line: method NUL target NUL version, in place (the target
     * has been percent-decoded in place since; t->len is its length before). */
    if (t && t->uri && method && version && t->uri == method + strlen(method) + 1 && version > t->uri) {
        if (version != t->uri + t->len + 1)
            return err_set(e, ERR_INVALID, "malformed_request_line", NULL, "请求行含有空字符");
        w.layout = 1;
        w.end = version + strlen(version);
    }
    if (t && t->nul) return err_set(e, ERR_INVALID, "invalid_path", NULL, "请求路径含有空字符（%%00）");
    MHD_get_connection_values_n(mc, MHD_HEADER_KIND, header_ok, &w);
    if (w.bad_code) return err_set(e, ERR_INVALID, w.bad_code, NULL, "%s", w.bad_msg);
    /* The last header's line and the blank line after it: NULs only (a
     * value cut at a NUL leaves its tail here). */
    if (w.layout && (w.end[0] != '\0' || w.end[1] != '\0'))
        return err_set(e, ERR_INVALID, "malformed_header", NULL, "请求头含有空字符");
    if (w.n_cl > 1)
        return err_set(e, ERR_INVALID, "ambiguous_length", NULL, "请求含有多个 Content-Length 头");
    if (w.n_te && w.n_cl)
        return err_set(e, ERR_INVALID, "ambiguous_length", NULL, "请求同时含有 Content-Length 与 Transfer-Encoding 头");
    if (w.n_te > 1)
        return err_set(e, ERR_INVALID, "unsupported_transfer_encoding", NULL, "请求含有多个 Transfer-Encoding 头");
    if (w.n_te && strcasecmp(w.te, "chunked") != 0)
        return err_set(e, ERR_INVALID, "unsupported_transfer_encoding", NULL,
                       "Transfer-Encoding 只接受 chunked");
    if (w.n_te && version && strcmp(version, "HTTP/1.0") == 0)
        return err_set(e, ERR_INVALID, "unsupported_transfer_encoding", NULL,
                       "HTTP/1.0 请求不能使用 Transfer-Encoding");
    return 0;
}

/* ---- the connection watchdog ---- */

struct edge_conn {
    edge_conn *prev, *next;
    int fd;
    int phase;
    int requests;    /* requests begun on this connection */
    int64_t since;   /* start of the phase, monotonic ms */
    int64_t data_at; /* E_WAIT after a request: when the next one's bytes were first seen */
    size_t body;     /* body bytes of the request in E_BODY */
    int closing;
    int linger;      /* refused before its body: drain what the client still sends */
};

/* A socket kept open (a dup of libmicrohttpd's) after the connection
 * closed, to read and drop what the client is still sending: closing a
 * socket with unread bytes makes the kernel send a reset, and a client
 * still sending its body then loses the answer (the 400 or 413) before it
 * reads it. Read for up to two seconds or 64 MiB, then closed. */
typedef struct lingering {
    struct lingering *next;
    int fd;
    int64_t until;
    size_t left;
} lingering;

struct edge {
    edge_opts o;
    pthread_mutex_t mu;
    edge_conn *head;
    int count; /* connections in the list */
    lingering *linger;
    int nlinger; /* at most MAX_LINGER: each holds a descriptor */
    pthread_t thread;
    int started;
    atomic_int stop;
    atomic_llong closed; /* connections shut down, for the log and the tests */
};

#define MAX_LINGER 1024

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Milliseconds since the socket last received data, or -1. */
static int64_t since_last_data(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0) return -1;
    return (int64_t)ti.tcpi_last_data_recv;
}

static const char *judge(edge *g, edge_conn *c, int64_t now)
{
    int64_t limit = (int64_t)g->o.header_timeout_s * 1000;
    if (c->phase == E_WAIT && c->requests == 0)
        return now - c->since > limit ? "headers not complete in time" : NULL;
    if (c->phase == E_WAIT) {
        if (!c->data_at) {
            int64_t quiet = since_last_data(c->fd);
            if (quiet >= 0 && quiet < now - c->since) c->data_at = now - quiet;
            return NULL;
        }
        return now - c->data_at > limit ? "headers not complete in time" : NULL;
    }
    if (c->phase == E_BODY && g->o.min_rate > 0) {
        int64_t t = now - c->since;
        if (t > limit && (double)c->body < (double)g->o.min_rate * (double)t / 1000.0) return "body too slow";
    }
    return NULL;
}

/* How long a connection has been waiting for the headers of a request. */
static int64_t waiting(const edge_conn *c, int64_t now)
{
    if (c->phase != E_WAIT) return -1;
    return now - (c->requests && c->data_at ? c->data_at : c->since);
}

typedef struct aged {
    edge_conn *c;
    int64_t age;
} aged;

static int older_first(const void *a, const void *b)
{
    int64_t x = ((const aged *)a)->age, y = ((const aged *)b)->age;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Near the connection limit: shut down the longest-waiting connections
 * (over a second) until a tenth of the slots is free. Returns how many. */
static int make_room(edge *g, int64_t now)
{
    int max = g->o.max_conns, reserve = max / 20 > 8 ? max / 20 : 8;
    if (max <= 0 || g->count <= max - reserve) return 0;
    int need = g->count - (max - 2 * reserve), n = 0;
    aged *v = malloc((size_t)g->count * sizeof *v);
    if (!v) return 0;
    for (edge_conn *c = g->head; c; c = c->next) {
        int64_t age = c->closing ? -1 : waiting(c, now);
        if (age > 1000) v[n++] = (aged){c, age};
    }
    qsort(v, (size_t)n, sizeof *v, older_first);
    int done = 0;
    for (int i = 0; i < n && done < need; i++, done++) {
        v[i].c->closing = 1;
        shutdown(v[i].c->fd, SHUT_RDWR);
    }
    free(v);
    return done;
}

/* Drain the lingering sockets; close those done. Under g->mu. */
static void drain(edge *g, int64_t now)
{
    static char scratch[64 * 1024];
    for (lingering **pp = &g->linger; *pp;) {
        lingering *l = *pp;
        int done = now > l->until;
        while (!done) {
            ssize_t n = recv(l->fd, scratch, sizeof scratch, MSG_DONTWAIT);
            if (n > 0 && (size_t)n < l->left) {
                l->left -= (size_t)n;
                continue;
            }
            done = n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
            break;
        }
        if (done) {
            close(l->fd);
            *pp = l->next;
            free(l);
            g->nlinger--;
        } else {
            pp = &l->next;
        }
    }
}

static void *watchdog(void *arg)
{
    edge *g = arg;
    while (!atomic_load(&g->stop)) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        int64_t now = now_ms();
        int n = 0, evicted;
        const char *why = NULL;
        pthread_mutex_lock(&g->mu);
        for (edge_conn *c = g->head; c; c = c->next) {
            if (c->closing) continue;
            const char *w = judge(g, c, now);
            if (!w) continue;
            c->closing = 1;
            shutdown(c->fd, SHUT_RDWR);
            why = w;
            n++;
        }
        evicted = make_room(g, now);
        drain(g, now);
        pthread_mutex_unlock(&g->mu);
        if (n) log_warn("closed %d slow connection%s (%s)", n, n > 1 ? "s" : "", why);
        if (evicted)
            log_warn("near the connection limit: closed the %d connection%s waiting longest for headers", evicted,
                     evicted > 1 ? "s" : "");
        if (n + evicted) atomic_fetch_add(&g->closed, n + evicted);
    }
    return NULL;
}

int edge_new(const edge_opts *o, edge **out)
{
    edge *g = calloc(1, sizeof *g);
    if (!g) return -1;
    g->o = *o;
    if (g->o.header_timeout_s <= 0) g->o.header_timeout_s = 10;
    pthread_mutex_init(&g->mu, NULL);
    if (pthread_create(&g->thread, NULL, watchdog, g) != 0) {
        pthread_mutex_destroy(&g->mu);
        free(g);
        return -1;
    }
    g->started = 1;
    *out = g;
    return 0;
}

void edge_stop(edge *g)
{
    if (!g || !g->started) return;
    atomic_store(&g->stop, 1);
    pthread_join(g->thread, NULL);
    g->started = 0;
}

void edge_free(edge *g)
{
    if (!g) return;
    edge_stop(g);
    while (g->linger) {
        lingering *l = g->linger;
        g->linger = l->next;
        close(l->fd);
        free(l);
    }
    /* every connection has been reported closed by now (MHD_stop_daemon) */
    pthread_mutex_destroy(&g->mu);
    free(g);
}

void edge_notify(void *cls, struct MHD_Connection *mc, void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
    edge *g = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
        edge_conn *c = ci ? calloc(1, sizeof *c) : NULL;
        if (!c) return;
        c->fd = ci->connect_fd;
        c->phase = E_WAIT;
        c->since = now_ms();
        pthread_mutex_lock(&g->mu);
        c->next = g->head;
        if (g->head) g->head->prev = c;
        g->head = c;
        g->count++;
        pthread_mutex_unlock(&g->mu);
        *socket_context = c;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        edge_conn *c = *socket_context;
        if (!c) return;
        /* The socket is still open here: libmicrohttpd removes it from its
         * epoll set and closes it after this call, so a dup made now keeps
         * the socket (not the connection) alive, in no epoll set. */
        lingering *l = NULL;
        if (c->linger && (l = calloc(1, sizeof *l)) && (l->fd = dup(c->fd)) >= 0) {
            shutdown(l->fd, SHUT_WR); /* the answer has gone out: FIN after it */
            l->until = now_ms() + 2000;
            l->left = (size_t)64 << 20;
        } else if (l) {
            free(l);
            l = NULL;
        }
        pthread_mutex_lock(&g->mu);
        if (c->prev) c->prev->next = c->next;
        else g->head = c->next;
        if (c->next) c->next->prev = c->prev;
        g->count--;
        if (l && g->nlinger >= MAX_LINGER) { /* a flood of refusals: close at once */
            close(l->fd);
            free(l);
            l = NULL;
        }
        if (l) {
            l->next = g->linger;
            g->linger = l;
            g->nlinger++;
        }
        pthread_mutex_unlock(&g->mu);
        free(c);
        *socket_context = NULL;
    }
}

edge_conn *edge_conn_of(struct MHD_Connection *mc)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void edge_phase(edge *g, edge_conn *c, int phase)
{
    if (!g || !c) return;
    pthread_mutex_lock(&g->mu);
    if (phase == E_BODY) c->requests++;
    c->phase = phase;
    c->since = now_ms();
    c->data_at = 0;
    c->body = 0;
    pthread_mutex_unlock(&g->mu);
}

void edge_linger(edge *g, edge_conn *c)
{
    if (!g || !c) return;
    pthread_mutex_lock(&g->mu);
    c->linger = 1;
    pthread_mutex_unlock(&g->mu);
}

void edge_body(edge *g, edge_conn *c, size_t n)
{
    if (!g || !c) return;
    pthread_mutex_lock(&g->mu);
    c->body += n;
    pthread_mutex_unlock(&g->mu);
}

long long edge_closed(const edge *g) { return g ? (long long)atomic_load(&g->closed) : 0; }
