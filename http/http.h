/* http.h — the HTTP server and what a route handler may do with a request.
 *
 * Routes are data: an array of http_route per module (http/routes_<module>.c),
 * listed through domain/modules.def; most are declared and served by one
 * generic handler (endpoint.c).
 * By the time a handler runs, the server has already: matched the route
 * (404 / 405 otherwise), enforced the body limit (413), checked the media
 * type and parsed a JSON body into an object (415 / 400), resolved the
 * session into an actor (401 when the route is not public), and checked the
 * CSRF token of cookie-authenticated writes (403). A handler reads its
 * inputs, calls exactly one domain function with http_ctx(r), and replies.
 * Returning a negative ERR_* with e filled sends the error JSON of
 * docs/architecture.md; there is no SQL and no business rule in http/. */
#ifndef GH_HTTP_H
#define GH_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jsonv.h"

#include "domain/core/ctx.h"
#include "domain/core/importer.h"

enum {
    HTTP_GET = 1,
    HTTP_POST = 2,
    HTTP_PUT = 4,
    HTTP_PATCH = 8,
    HTTP_DELETE = 16,
};

enum {
    R_PUBLIC = 1,  /* no log-in needed; a valid session is still used */
    R_JSON = 2,    /* body must be a JSON object */
    R_UPLOAD = 4,  /* raw body up to the upload limit (CSV, xlsx) */
    R_NOCSRF = 8,  /* no CSRF token needed (log-in, public forms) */
    R_JSON_OPT = 16, /* with R_JSON: an empty body counts as {} */
    R_XLSX = 32,   /* a declared list that also answers ?format=xlsx with every
                    * matching row as a workbook (the list's spec, list.h) */
    R_ENROL = 64,  /* open to a session that must enrol a second factor first (auth.h);
                    * such a session is refused every other route, and public
                    * routes see it as a visitor */
};

typedef struct http_req http_req;
typedef int (*http_handler)(http_req *r, gh_err *e);

/* ---- declared endpoints ----
 * Most routes need no handler of their own: the entry names a domain
 * function of one of the shapes below, and one generic handler reads the
 * path id, checks the body against the domain's jv_field table and the query
 * string against the route's parameter table, checks the duty, calls, and
 * replies with the route's status. A route with fn set is hand-written
 * (cookies, uploads, downloads, background jobs). */
enum {
    CALL_NONE = 0,
    CALL_PLAIN,    /* f(x, &out, e) */
    CALL_ID,       /* f(x, id, &out, e) */
    CALL_BODY,     /* f(x, body, &out, e) */
    CALL_ID_BODY,  /* f(x, id, body, &out, e) */
    CALL_ID_STR,   /* f(x, id, body[arg] as a string or NULL, &out, e) */
    CALL_QUERY,    /* f(x, &query_struct, &out, e), through a thunk */
    CALL_ID_QUERY, /* f(x, id, &query_struct, &out, e), through a thunk */
};

typedef struct http_call {
    int shape;
    union {
        int (*plain)(gh_ctx *x, json_t **out, gh_err *e);
        int (*id)(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
        int (*body)(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
        int (*id_body)(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
        int (*id_str)(gh_ctx *x, int64_t id, const char *s, json_t **out, gh_err *e);
        int (*query)(gh_ctx *x, const void *q, json_t **out, gh_err *e);
        int (*id_query)(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e);
    };
    const char *arg; /* CALL_ID_STR: the body field passed as the string */
    size_t qsize;    /* CALL_*QUERY: sizeof the query struct */
} http_call;

/* Typed query-string parameters, filled into the call's query struct. */
enum {
    QP_INT = 1, /* int64_t field; def when absent */
    QP_FLAG,    /* int field: def when absent, else -1 (negative: any), 0 or 1 */
    QP_STR,     /* const char * field: the text, or NULL */
    QP_PAGE,    /* int page, int per_page: "page", "per_page" (1–100; def, or 20, when absent) */
};
typedef struct http_qparam {
    const char *name;
    int type;
    size_t off, off2; /* offsets of the field(s) in the query struct */
    int64_t def;
    const char *label; /* for the API reference: "所属组织" */
} http_qparam;

/* Query-parameter declarations, checked against the field's type at compile
 * time (a _Generic with no match does not compile). */
#define HQ_CHECK(T, f, type) (0 * sizeof(_Generic(((T *)0)->f, type: 1)))
#define Q_INT(T, f, key, d, lbl) {key, QP_INT, offsetof(T, f) + HQ_CHECK(T, f, int64_t), 0, d, lbl}
#define Q_FLAG(T, f, key, d, lbl) {key, QP_FLAG, offsetof(T, f) + HQ_CHECK(T, f, int), 0, d, lbl}
#define Q_STR(T, f, key, lbl) {key, QP_STR, offsetof(T, f) + HQ_CHECK(T, f, const char *), 0, 0, lbl}
#define Q_PAGE_DEF(T, d) {"page", QP_PAGE, offsetof(T, page) + HQ_CHECK(T, page, int), offsetof(T, per_page) + HQ_CHECK(T, per_page, int), d, "页码"}
#define Q_PAGE(T) Q_PAGE_DEF(T, 0)

/* A list function f(gh_ctx *, const T *, json_t **, gh_err *) as the
 * untyped CALL_QUERY shape: HTTP_QUERY_THUNK(hardship_list, hardship_query)
 * at file scope, then ON_QUERY(hardship_list, hardship_query) in the route. */
#define HTTP_QUERY_THUNK(f, T)                                                                                    \
    static int f##__q(gh_ctx *x, const void *q, json_t **out, gh_err *e) { return f(x, (const T *)q, out, e); }
#define HTTP_ID_QUERY_THUNK(f, T)                                                                                 \
    static int f##__iq(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e)                          \
    {                                                                                                             \
        return f(x, id, (const T *)q, out, e);                                                                    \
    }

#define ON_PLAIN(f) .call = {.shape = CALL_PLAIN, .plain = (f)}
#define ON_ID(f) .call = {.shape = CALL_ID, .id = (f)}
#define ON_BODY(f) .call = {.shape = CALL_BODY, .body = (f)}
#define ON_ID_BODY(f) .call = {.shape = CALL_ID_BODY, .id_body = (f)}
#define ON_ID_STR(f, field) .call = {.shape = CALL_ID_STR, .id_str = (f), .arg = (field)}
#define ON_QUERY(f, T) .call = {.shape = CALL_QUERY, .query = f##__q, .qsize = sizeof(T)}
#define ON_ID_QUERY(f, T) .call = {.shape = CALL_ID_QUERY, .id_query = f##__iq, .qsize = sizeof(T)}

/* A CSV/xlsx upload imported by a background job: ?org_id=&dry_run=1, the
 * actor's right checked before anything is queued, 202 with the job id. */
typedef struct http_import {
    int (*run)(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
               import_progress_fn progress, void *pctx, json_t **out, gh_err *e);
    int (*allowed)(gh_ctx *x, int64_t org_id, gh_err *e);
    const char *job, *check_job; /* job kinds of an import and of a dry run */
} http_import;

typedef struct http_route {
    int method;
    const char *pattern; /* "/api/v1/orgs/{id}" */
    http_handler fn;     /* hand-written; NULL for a declared call */
    int flags;
    http_call call;             /* the domain function (fn == NULL) */
    int status;                 /* success status; 0 means 200 */
    const jv_field *body;       /* body schema checked before the call, or NULL */
    const http_qparam *query;   /* query parameters, {0}-ended, or NULL */
    unsigned duty;              /* officers need all these duties (0: none) */
    const http_import *import;  /* an upload imported by a job (R_UPLOAD) */
} http_route;

typedef struct http_options {
    const char *listen;       /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *ui_dir;       /* static files */
    int threads;              /* worker threads (0: 2 × cores) */
    size_t max_body;          /* JSON bodies */
    size_t max_upload;        /* R_UPLOAD bodies */
    int timeout_s;            /* idle connection timeout */
    int trust_proxy;          /* take the client address from X-Forwarded-For */
    int max_conns;            /* connections at once (0: 4000) */
    int max_conns_per_ip;     /* from one address (-1: 64, or none behind a proxy; 0: none) */
    int header_timeout_s;     /* a request's headers must be in this soon (0: 10) */
    size_t min_rate;          /* bytes a second a request body must average (0: no floor) */
} http_options;

typedef struct http_server http_server;

/* Start serving. The server uses db (per-thread connections) and cfg; both
 * must outlive it. *port receives the bound port. */
int http_start(const http_options *o, store *db, const gh_config *cfg, http_server **out,
               int *port, gh_err *e);
/* Stop accepting, let in-flight requests finish (up to grace_s seconds),
 * close everything, free s. */
void http_stop(http_server *s, int grace_s);

/* Every route of the application, NULL-ended list of {0}-ended tables. */
extern const http_route *const http_all_routes[];

/* ---- for handlers ---- */

gh_ctx *http_ctx(http_req *r);
int http_method(const http_req *r);
const char *http_path(const http_req *r);
/* A path parameter by name ({id} → "id"). */
const char *http_param(const http_req *r, const char *name);
/* A path parameter as a positive id; ERR_INVALID otherwise. */
int http_param_id(const http_req *r, const char *name, int64_t *out, gh_err *e);
/* A query-string argument, or NULL. */
const char *http_query(const http_req *r, const char *key);
/* An integer query argument (def when absent); ERR_INVALID when malformed. */
int http_query_int(const http_req *r, const char *key, int64_t def, int64_t *out, gh_err *e);
/* page and per_page from the query string. */
int http_query_page(const http_req *r, int *page, int *per_page, gh_err *e);
const char *http_header(const http_req *r, const char *name);
/* The parsed JSON object body (R_JSON routes), borrowed. */
json_t *http_body(const http_req *r);
/* The raw body (R_UPLOAD routes). */
const char *http_body_raw(const http_req *r, size_t *len);

/* Replies. Each returns 0 so a handler can `return http_json(r, 200, o);`. */
int http_json(http_req *r, int status, json_t *body_stolen);
int http_no_content(http_req *r);
/* Bytes with a content type; filename (may be NULL) makes it a download. */
int http_bytes(http_req *r, int status, const char *content_type, const void *data, size_t len,
               const char *filename);
/* A workbook download (takes data, freed here). */
int http_xlsx(http_req *r, char *data, size_t len, const char *filename);
/* ?format=json|xlsx (absent: json); *xlsx set when a workbook is asked for. */
int http_query_format(const http_req *r, int *xlsx, gh_err *e);

/* Add a response header (copied). */
void http_add_header(http_req *r, const char *name, const char *value);

/* The CSRF token of the request's session ("" without one). */
const char *http_session_csrf(const http_req *r);

/* Session cookie and CSRF support for the auth routes. */
void http_set_session_cookie(http_req *r, const char *token);
void http_clear_session_cookie(http_req *r);

#endif
