/* server.c — libmicrohttpd glue: request lifecycle, body limits, routing,
 * session resolution, CSRF, replies, access log and graceful shutdown.
 *
 * Lifecycle of one request (libmicrohttpd calls the access handler several
 * times per request):
 *   URI log    (MHD_OPTION_URI_LOG_CALLBACK, before the headers are read)
 *              allocate the per-request state and keep the raw target;
 *   1st call   check the framing (edge.c: ambiguous lengths, malformed
 *              headers, NUL in the path → 400), match the route, decide the
 *              body limit; a declared Content-Length over it → 413. These
 *              refusals are queued at once, which makes libmicrohttpd 0.9.75
 *              close the connection without reading another byte of it;
 *              otherwise queue nothing (answering on the first call closes
 *              keep-alive connections);
 *   next calls append body chunks; over the limit → 413 at once;
 *   last call  (*upload_data_size == 0) run the handler and queue the reply;
 *   completed  (MHD_OPTION_NOTIFY_COMPLETED) write the access-log line and
 *              free the state. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/jsonw.h"
#include "base/log.h"
#include "base/valid.h"
#include "domain/auth/auth.h"
#include "domain/core/job.h"
#include "http/http.h"
#include "http/internal.h"

#define MAX_HEADERS 12
#define DISCARD_MAX ((size_t)64 << 20)

struct http_req {
    struct MHD_Connection *mc; /* NULL until the access handler's first call */
    edge_target target;        /* the target before percent-decoding */
    edge_conn *conn;
    http_server *srv;
    int method;
    const char *method_str;
    const char *path;
    const router_match *m; /* NULL when no route */
    router_match match;
    int allowed;           /* methods allowed on the path (405) */
    int flags;
    size_t limit;
    buf body;
    int too_large;
    size_t discarded;
    json_t *json;
    gh_actor actor;
    gh_ctx ctx;
    char csrf[64];
    int cookie_auth;
    struct timespec t0;
    int status;
    int replied;
    int uploading;         /* counted in the server's uploads */
    char err_code[48];
    char *hdr_name[MAX_HEADERS], *hdr_value[MAX_HEADERS];
    int nhdr;
    struct MHD_Response *resp;
};

struct http_server {
    struct MHD_Daemon *d;
    http_options o;
    store *db;
    const gh_config *cfg;
    atomic_int inflight;
    atomic_int uploads; /* import uploads whose bodies are being received */
    router *rt;
    edge *edge;
};

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int method_id(const char *m)
{
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0) return HTTP_GET;
    if (strcmp(m, "POST") == 0) return HTTP_POST;
    if (strcmp(m, "PUT") == 0) return HTTP_PUT;
    if (strcmp(m, "PATCH") == 0) return HTTP_PATCH;
    if (strcmp(m, "DELETE") == 0) return HTTP_DELETE;
    return 0;
}

/* ---- accessors ---- */

gh_ctx *http_ctx(http_req *r) { return &r->ctx; }
int http_method(const http_req *r) { return r->method; }
const char *http_path(const http_req *r) { return r->path; }

const char *http_param(const http_req *r, const char *name)
{
    return r->m ? router_param(r->m, name) : NULL;
}

int http_param_id(const http_req *r, const char *name, int64_t *out, gh_err *e)
{
    const char *s = http_param(r, name);
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0 || s[0] == '+' || s[0] == '0')
        return err_set(e, ERR_INVALID, "invalid_id", name, "编号“%s”无效", s ? s : "");
    *out = v;
    return 0;
}

const char *http_query(const http_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->mc, MHD_GET_ARGUMENT_KIND, key);
}

int http_query_int(const http_req *r, const char *key, int64_t def, int64_t *out, gh_err *e)
{
    const char *s = http_query(r, key);
    if (!s || !*s) {
        *out = def;
        return 0;
    }
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (*end || (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
        return err_set(e, ERR_INVALID, "invalid_query", key, "查询参数“%s”应为整数", key);
    *out = v;
    return 0;
}

int http_query_page(const http_req *r, int *page, int *per_page, gh_err *e)
{
    int64_t p, pp;
    int rc = http_query_int(r, "page", 1, &p, e);
    if (rc == 0) rc = http_query_int(r, "per_page", 20, &pp, e);
    if (rc) return rc;
    if (p < 1 || p > 10000000)
        return err_set(e, ERR_INVALID, "invalid_query", "page", "页码应为 1 到 10000000 之间的整数");
    if (pp < 1 || pp > 100)
        return err_set(e, ERR_INVALID, "invalid_query", "per_page", "每页条数应为 1 到 100 之间的整数");
    *page = (int)p;
    *per_page = (int)pp;
    return 0;
}

const char *http_header(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND, name);
}

json_t *http_body(const http_req *r) { return r->json; }

const char *http_session_csrf(const http_req *r) { return r->csrf; }

const char *http_body_raw(const http_req *r, size_t *len)
{
    *len = r->body.len;
    return buf_str(&r->body);
}

char *http_body_take(http_req *r, size_t *len)
{
    *len = r->body.len;
    char *d = buf_take(&r->body);
    return d ? d : calloc(1, 1);
}

/* ---- replies ---- */

void http_add_header(http_req *r, const char *name, const char *value)
{
    if (r->nhdr >= MAX_HEADERS) return;
    r->hdr_name[r->nhdr] = strdup(name);
    r->hdr_value[r->nhdr] = strdup(value);
    if (!r->hdr_name[r->nhdr] || !r->hdr_value[r->nhdr]) {
        free(r->hdr_name[r->nhdr]);
        free(r->hdr_value[r->nhdr]);
        return;
    }
    r->nhdr++;
}

static void set_common_headers(http_req *r, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    for (int i = 0; i < r->nhdr; i++) MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
}

/* API answers are not cached unless the handler says otherwise (the public
 * retreat catalogue allows a short shared cache). */
static const char *cache_control(const http_req *r)
{
    for (int i = 0; i < r->nhdr; i++)
        if (strcasecmp(r->hdr_name[i], "Cache-Control") == 0) return NULL;
    return "no-store";
}

static int reply(http_req *r, int status, struct MHD_Response *resp)
{
    if (!resp) return ERR_NOMEM;
    set_common_headers(r, resp);
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    r->replied = 1;
    return 0;
}

int http_bytes(http_req *r, int status, const char *content_type, const void *data, size_t len,
               const char *filename)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp) return ERR_NOMEM;
    MHD_add_response_header(resp, "Content-Type", content_type);
    if (cache_control(r)) MHD_add_response_header(resp, "Cache-Control", cache_control(r));
    if (filename) {
        /* RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name. */
        buf cd = {0};
        buf_puts(&cd, "attachment; filename=\"download\"; filename*=UTF-8''");
        for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
            if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                strchr("-._~", *p))
                buf_putc(&cd, (char)*p);
            else
                buf_printf(&cd, "%%%02X", *p);
        }
        MHD_add_response_header(resp, "Content-Disposition", buf_str(&cd));
        buf_free(&cd);
    }
    return reply(r, status, resp);
}

int http_json(http_req *r, int status, json_t *body)
{
    size_t len = 0;
    char *s = body ? jsonw_dump(body, &len) : NULL;
    json_decref(body);
    if (!s) return ERR_NOMEM;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, s, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(s);
        return ERR_NOMEM;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    if (cache_control(r)) MHD_add_response_header(resp, "Cache-Control", cache_control(r));
    return reply(r, status, resp);
}

int http_no_content(http_req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (resp) MHD_add_response_header(resp, "Cache-Control", "no-store");
    return reply(r, 204, resp);
}

static void reply_error(http_req *r, const gh_err *e)
{
    int status = err_http_status(e->rc);
    json_t *err = json_object();
    json_object_set_new(err, "code", json_string(e->code[0] ? e->code : err_default_code(e->rc)));
    json_object_set_new(err, "message",
                        json_string(e->message[0] ? e->message : err_default_message(e->rc)));
    if (e->field[0]) json_object_set_new(err, "field", json_string(e->field));
    snprintf(r->err_code, sizeof r->err_code, "%s", e->code[0] ? e->code : err_default_code(e->rc));
    if (http_json(r, status, json_pack("{s:o}", "error", err)) != 0) {
        static const char oom[] = "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"系统内存不足\"}}";
        reply(r, 500, MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom,
                                                      MHD_RESPMEM_PERSISTENT));
    }
}

void http_set_session_cookie(http_req *r, const char *token)
{
    char v[256];
    /* A browser-session cookie (no Max-Age): it ends with the browser, and the
     * server alone judges idle expiry from the session row. */
    snprintf(v, sizeof v, "gh_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
             r->srv->cfg->secure_cookies ? "; Secure" : "");
    http_add_header(r, "Set-Cookie", v);
}

void http_clear_session_cookie(http_req *r)
{
    char v[160];
    snprintf(v, sizeof v, "gh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             r->srv->cfg->secure_cookies ? "; Secure" : "");
    http_add_header(r, "Set-Cookie", v);
}

/* ---- the pipeline ---- */

static void client_address(http_req *r)
{
    const char *fwd = r->srv->o.trust_proxy ? http_header(r, "X-Forwarded-For") : NULL;
    if (fwd && *fwd) {
        /* The last hop is the address our proxy saw. */
        const char *last = strrchr(fwd, ',');
        last = last ? last + 1 : fwd;
        while (*last == ' ') last++;
        snprintf(r->actor.client, sizeof r->actor.client, "%s", last);
        return;
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->actor.client,
                  sizeof r->actor.client);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->actor.client,
                  sizeof r->actor.client);
}

static const char *cookie_token(http_req *r)
{
    return MHD_lookup_connection_value(r->mc, MHD_COOKIE_KIND, "gh_session");
}

static const char *bearer_token(http_req *r)
{
    const char *h = http_header(r, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return NULL;
    h += 7;
    while (*h == ' ') h++;
    return *h ? h : NULL;
}

static int content_type_is(http_req *r, const char *want)
{
    const char *ct = http_header(r, "Content-Type");
    if (!ct) return 0;
    size_t n = strlen(want);
    return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int authenticate(http_req *r, gh_err *e)
{
    const char *tok = bearer_token(r);
    int from_cookie = 0;
    if (!tok) {
        tok = cookie_token(r);
        from_cookie = tok != NULL;
    }
    if (tok && *tok) {
        int rc = auth_resolve(&r->ctx, tok, &r->actor, r->csrf, e);
        if (rc == 0) {
            r->cookie_auth = from_cookie;
        } else if (rc == ERR_UNAUTH) {
            /* An expired cookie on a public page is just a visitor; clear it. */
            if (from_cookie) http_clear_session_cookie(r);
            if (!(r->flags & R_PUBLIC)) return rc;
            err_clear(e);
        } else {
            return rc;
        }
    }
    if (r->actor.must_enrol && !(r->flags & R_ENROL)) {
        if (!(r->flags & R_PUBLIC)) return auth_enrol_refuse(e);
        gh_actor visitor = {0};
        memcpy(visitor.client, r->actor.client, sizeof visitor.client);
        r->actor = visitor;
        r->csrf[0] = '\0';
        r->cookie_auth = 0;
    }
    if (r->actor.role == ROLE_ANON && !(r->flags & R_PUBLIC))
        return err_set(e, ERR_UNAUTH, "unauthenticated", NULL, "请先登录");
    if (r->cookie_auth && r->method != HTTP_GET && !(r->flags & R_NOCSRF)) {
        const char *sent = http_header(r, "X-CSRF-Token");
        if (!sent || !r->csrf[0] || strcmp(sent, r->csrf) != 0)
            return err_set(e, ERR_FORBIDDEN, "csrf_failed", NULL, "页面已过期，请刷新后重试（CSRF 校验失败）");
    }
    return 0;
}

/* Query keys and values reach the database as text parameters; PostgreSQL
 * refuses bytes that are not UTF-8 (%FF, a cut %E4%B8) with an error that
 * would surface as a 500, SQLite would store or compare them as they are.
 * They are the client's mistake, so they are refused here for every route. */
static enum MHD_Result query_arg_ok(void *cls, enum MHD_ValueKind kind, const char *key, size_t kl, const char *value,
                                   size_t vl)
{
    (void)kind;
    int *bad = cls;
    /* a %00 would cut the text short: refused too */
    if ((key && (strlen(key) != kl || !valid_utf8(key, kl))) ||
        (value && (strlen(value) != vl || !valid_utf8(value, vl)))) {
        *bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static int dispatch(http_req *r, gh_err *e)
{
    if (!r->m) {
        if (r->allowed) {
            char allow[64] = "";
            static const char *names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
            for (int i = 0; i < 5; i++) {
                if (!(r->allowed & (1 << i))) continue;
                if (allow[0]) strncat(allow, ", ", sizeof allow - strlen(allow) - 1);
                strncat(allow, names[i], sizeof allow - strlen(allow) - 1);
            }
            http_add_header(r, "Allow", allow);
            return err_set(e, ERR_INVALID, "method_not_allowed", NULL, "不支持该请求方法");
        }
        return err_set(e, ERR_NOT_FOUND, "route_not_found", NULL, "请求的接口不存在");
    }
    if (r->too_large)
        return err_set(e, ERR_TOO_LARGE, "body_too_large", NULL, "请求内容过大（上限 %zu 字节）", r->limit);
    r->ctx.db = store_conn_get(r->srv->db, e);
    if (!r->ctx.db) return e->rc ? e->rc : ERR_UNAVAILABLE;
    /* Who is asking comes first: an anonymous caller learns "log in", not
     * how its body would have been judged. */
    int rc = authenticate(r, e);
    if (rc) return rc;
    int bad_query = 0;
    MHD_get_connection_values_n(r->mc, MHD_GET_ARGUMENT_KIND, query_arg_ok, &bad_query);
    if (bad_query)
        return err_set(e, ERR_INVALID, "invalid_query", NULL, "查询参数不是有效的 UTF-8 文本（或含有空字符）");
    if ((r->flags & R_JSON) && (r->flags & R_JSON_OPT) && r->body.len == 0) {
        r->json = json_object();
    } else if (r->flags & R_JSON) {
        if (!content_type_is(r, "application/json"))
            return err_set(e, ERR_UNSUPPORTED, "unsupported_media_type", NULL,
                           "请求内容类型应为 application/json");
        json_error_t je;
        r->json = json_loadb(buf_str(&r->body), r->body.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
        if (!r->json)
            return err_set(e, ERR_INVALID, "malformed_json", NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s",
                           je.line, je.column, je.text);
        if (!json_is_object(r->json))
            return err_set(e, ERR_INVALID, "invalid_body", NULL, "请求内容应为 JSON 对象");
    } else if (r->body.len > 0 && !(r->flags & R_UPLOAD)) {
        return err_set(e, ERR_INVALID, "unexpected_body", NULL, "该接口不接受请求内容");
    }
    const http_route *rt = r->m->route;
    return rt->fn ? rt->fn(r, e) : http_declared(r, rt, e);
}

static void finish(http_req *r)
{
    gh_err e;
    err_clear(&e);
    int rc = dispatch(r, &e);
    if (rc < 0 || !r->replied) {
        if (rc >= 0) err_set(&e, ERR_INTERNAL, "no_reply", NULL, NULL);
        if (err_http_status(e.rc) >= 500)
            log_error("%s %s failed: %s %s", r->method_str, r->path, e.code, e.message);
        /* A method mismatch is a 405, not the 400 of ERR_INVALID. */
        reply_error(r, &e);
        if (strcmp(e.code, "method_not_allowed") == 0) r->status = 405;
    }
}

/* Called by libmicrohttpd with the request target before it is decoded and
 * before the headers are read; what it returns is the request's state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
    (void)cls;
    (void)mc;
    http_req *r = calloc(1, sizeof *r);
    if (r) edge_target_init(&r->target, uri);
    return r;
}

/* Refuse on the first call, before any body is read: the answer goes out
 * with Connection: close, and nothing after this request's headers is read
 * from the connection. */
static enum MHD_Result refuse_now(http_req *r, const gh_err *e)
{
    edge_linger(r->srv->edge, r->conn);
    http_add_header(r, "Connection", "close");
    reply_error(r, e);
    return MHD_queue_response(r->mc, (unsigned)r->status, r->resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    http_server *s = cls;
    http_req *r = *state;
    if (!r || !r->mc) {
        if (!r && !(r = calloc(1, sizeof *r))) return MHD_NO;
        *state = r;
        atomic_fetch_add(&s->inflight, 1);
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        r->mc = mc;
        r->srv = s;
        r->method_str = method;
        r->path = url;
        r->method = method_id(method);
        r->ctx.actor = &r->actor;
        r->ctx.cfg = s->cfg;
        r->conn = edge_conn_of(mc);
        edge_phase(s->edge, r->conn, E_BODY);
        client_address(r);
        gh_err e;
        err_clear(&e);
        if (edge_check_request(mc, method, r->target.uri ? &r->target : NULL, version, &e) != 0) return refuse_now(r, &e);
        if (static_wants(url)) {
            r->flags = R_PUBLIC;
            r->limit = 0;
            return MHD_YES;
        }
        if (router_match_path(s->rt, r->method, url, &r->match, &r->allowed) == 0) {
            r->m = &r->match;
            r->flags = r->match.route->flags;
        }
        r->limit = (r->flags & R_UPLOAD) ? s->o.max_upload : s->o.max_body;
        if (r->m && r->m->route->import) {
            /* Every job slot taken: say so before the file is sent. And no
             * more bodies are held in memory at once than jobs may run: a
             * burst of large uploads waits its turn with a 429 too. */
            if (!job_has_room()) {
                err_set(&e, ERR_RATE, "too_many_jobs", NULL, "服务器上同时运行的后台任务已达上限，请稍后再试");
                return refuse_now(r, &e);
            }
            if (atomic_fetch_add(&s->uploads, 1) >= job_max()) {
                atomic_fetch_sub(&s->uploads, 1);
                err_set(&e, ERR_RATE, "too_many_uploads", NULL, "服务器正在接收的上传文件过多，请稍后再试");
                return refuse_now(r, &e);
            }
            r->uploading = 1;
        }
        const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->limit) {
            /* Declared too large: answered now, whether or not a body follows
             * (a client that sends none would otherwise wait for the idle
             * timeout). */
            r->too_large = 1;
            err_set(&e, ERR_TOO_LARGE, "body_too_large", NULL, "请求内容过大（上限 %zu 字节）", r->limit);
            return refuse_now(r, &e);
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        edge_body(s->edge, r->conn, *upload_size);
        if (!r->too_large && r->body.len + *upload_size > r->limit) r->too_large = 1;
        if (!r->too_large && buf_append(&r->body, upload, *upload_size) != 0) r->too_large = 1;
        if (r->too_large) r->discarded += *upload_size;
        *upload_size = 0;
        /* A chunked body that grows past the limit is read and thrown away
         * so that ordinary clients, which send the whole body before
         * reading, still get their 413; past a bound we answer at once and
         * the connection closes. */
        if (!r->too_large || r->discarded < DISCARD_MAX) return MHD_YES;
        edge_linger(s->edge, r->conn); /* answered before the body's end */
    }
    if (r->replied) return MHD_YES;
    edge_phase(s->edge, r->conn, E_BUSY);
    if (!r->m && static_wants(url) && r->method == HTTP_GET) {
        struct MHD_Response *resp = NULL;
        int status = static_serve(s->o.ui_dir, url, r->mc, &resp);
        /* An unknown page asked for by a browser gets a page that says so
         * in Chinese; other clients (and every /api/ path) get JSON. */
        const char *accept = MHD_lookup_connection_value(r->mc, MHD_HEADER_KIND, "Accept");
        if (!resp && accept && strstr(accept, "text/html")) {
            struct MHD_Response *page = NULL;
            int st = static_serve(s->o.ui_dir, "/404.html", r->mc, &page);
            if (st == 200 && page) {
                resp = page;
                status = 404;
            } else if (page) {
                MHD_destroy_response(page);
            }
        }
        if (resp) {
            reply(r, status, resp);
        } else {
            gh_err e;
            err_set(&e, ERR_NOT_FOUND, "not_found", NULL, "页面不存在");
            reply_error(r, &e);
        }
    } else {
        finish(r);
    }
    return MHD_queue_response(mc, (unsigned)r->status, r->resp);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *s = cls;
    http_req *r = *state;
    if (!r) return;
    *state = NULL;
    if (!r->mc) { /* refused by libmicrohttpd before the access handler ran */
        free(r);
        return;
    }
    edge_phase(s->edge, edge_conn_of(mc), E_WAIT);
    if (r->uploading) atomic_fetch_sub(&s->uploads, 1);
    log_access(r->method_str, r->path, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? r->status : 499,
               elapsed_ms(&r->t0), r->actor.client, r->actor.user_id, r->err_code);
    if (r->resp) MHD_destroy_response(r->resp);
    json_decref(r->json);
    buf_free(&r->body);
    for (int i = 0; i < r->nhdr; i++) {
        free(r->hdr_name[i]);
        free(r->hdr_value[i]);
    }
    free(r);
    atomic_fetch_sub(&s->inflight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, gh_err *e)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return err_set(e, ERR_INVALID, "invalid_listen", "listen", "监听地址应为 主机:端口，例如 127.0.0.1:8080");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0')
        return err_set(e, ERR_INVALID, "invalid_listen", "listen", "端口号无效：%s", colon + 1);
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    if (host[0] == '\0' || strcmp(host, "*") == 0) snprintf(host, sizeof host, "0.0.0.0");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return err_set(e, ERR_INVALID, "invalid_listen", "listen", "主机地址无效：%s（请使用 IPv4 地址）", host);
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

/* libmicrohttpd's messages. Under attack it says the same thing for every
 * refused or cut-off connection ("Server reached connection limit"), so a
 * message that repeats within ten seconds is counted, not written, and the
 * count goes out with the next message (or the same one ten seconds on). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static char last[512];
    static struct timespec last_at;
    static long repeats;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n') msg[--n] = '\0';
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&mu);
    if (strcmp(msg, last) == 0 && now.tv_sec - last_at.tv_sec < 10) {
        repeats++;
        pthread_mutex_unlock(&mu);
        return;
    }
    if (repeats) log_warn("microhttpd: %s (%ld more times)", last, repeats);
    snprintf(last, sizeof last, "%s", msg);
    last_at = now;
    repeats = 0;
    pthread_mutex_unlock(&mu);
    log_warn("microhttpd: %s", msg);
}

int http_start(const http_options *o, store *db, const gh_config *cfg, http_server **out,
               int *port, gh_err *e)
{
    struct sockaddr_in sa;
    int rc = parse_listen(o->listen, &sa, e);
    if (rc) return rc;
    http_server *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    s->o = *o;
    s->db = db;
    s->cfg = cfg;
    rc = routes_build(&s->rt, e);
    if (rc) {
        free(s);
        return rc;
    }
    int threads = o->threads;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n * 2 : 4;
    }
    int max_conns = o->max_conns > 0 ? o->max_conns : 4000;
    edge_opts eo = {.header_timeout_s = o->header_timeout_s > 0 ? o->header_timeout_s : 10,
                    .min_rate = o->min_rate, .max_conns = max_conns};
    if (edge_new(&eo, &s->edge) != 0) {
        router_free(s->rt);
        free(s);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    /* Behind a proxy every connection comes from the proxy: the per-IP cap
     * is then the proxy's business (nginx limit_conn) unless asked for. */
    int per_ip = o->max_conns_per_ip >= 0 ? o->max_conns_per_ip : (o->trust_proxy ? 0 : 64);
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s > 0 ? o->timeout_s : 30),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_CONNECTION, edge_notify, s->edge,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->d) {
        edge_free(s->edge);
        router_free(s->rt);
        free(s);
        return err_set(e, ERR_UNAVAILABLE, "listen_failed", "listen",
                       "无法在 %s 上启动服务（端口被占用或地址无效）", o->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : ntohs(sa.sin_port);
    *out = s;
    return 0;
}

void http_stop(http_server *s, int grace_s)
{
    if (!s) return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    /* Requests already being handled run to their end. */
    for (int i = 0; i < grace_s * 100 && atomic_load(&s->inflight) > 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&s->inflight) > 0)
        log_warn("shutdown: %d requests still running after %d s", atomic_load(&s->inflight), grace_s);
    edge_stop(s->edge);
    MHD_stop_daemon(s->d);
    edge_free(s->edge);
    router_free(s->rt);
    free(s);
}
