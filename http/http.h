/* http.h — the HTTP server and what a route handler may do with a request.
 *
 * Routes are data (an array of http_route per domain, listed in routes.c).
 * By the time a handler runs, the server has already: matched the route
 * (404 / 405 otherwise), enforced the body limit (413), checked the media
 * type and parsed a JSON body into an object (415 / 400), resolved the
 * session into an actor (401 when the route is not public), and checked the
 * CSRF token of cookie-authenticated writes (403). A handler reads its
 * inputs, calls exactly one domain function with http_ctx(r), and replies.
 * Returning a negative ERR_* with e filled sends the error JSON of
 * DESIGN.md §5; there is no SQL and no business rule in http/. */
#ifndef GH_HTTP_H
#define GH_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/core/ctx.h"

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
};

typedef struct http_req http_req;
typedef int (*http_handler)(http_req *r, gh_err *e);

typedef struct http_route {
    int method;
    const char *pattern; /* "/api/v1/orgs/{id}" */
    http_handler fn;
    int flags;
} http_route;

typedef struct http_options {
    const char *listen;       /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *ui_dir;       /* static files */
    int threads;              /* worker threads (0: 2 × cores) */
    size_t max_body;          /* JSON bodies */
    size_t max_upload;        /* R_UPLOAD bodies */
    int timeout_s;            /* idle connection timeout */
    int trust_proxy;          /* take the client address from X-Forwarded-For */
} http_options;

typedef struct http_server http_server;

/* Start serving. The server uses db (per-thread connections) and cfg; both
 * must outlive it. *port receives the bound port. */
int http_start(const http_options *o, store *db, const gh_config *cfg, http_server **out,
               int *port, gh_err *e);
/* Stop accepting, let in-flight requests finish (up to grace_s seconds),
 * close everything, free s. */
void http_stop(http_server *s, int grace_s);

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
/* Add a response header (copied). */
void http_add_header(http_req *r, const char *name, const char *value);

/* The CSRF token of the request's session ("" without one). */
const char *http_session_csrf(const http_req *r);

/* Session cookie and CSRF support for the auth routes. */
void http_set_session_cookie(http_req *r, const char *token);
void http_clear_session_cookie(http_req *r);

#endif
