/* internal.h — pieces of http/ that handlers never see: the router, static
 * files and the route registry. */
#ifndef GH_HTTP_INTERNAL_H
#define GH_HTTP_INTERNAL_H

#include <microhttpd.h>

#include "http/http.h"

#define ROUTER_MAX_SEGS 12
#define ROUTER_MAX_PARAMS 4

typedef struct router router;

typedef struct router_match {
    const http_route *route;
    int nparams;
    const char *names[ROUTER_MAX_PARAMS];
    char values[ROUTER_MAX_PARAMS][128];
} router_match;

/* Compile a NULL-terminated list of route tables. */
int router_new(const http_route *const *tables, router **out, gh_err *e);
void router_free(router *rt);
/* 0 and *m filled when a route matches method and path; otherwise
 * ERR_NOT_FOUND with *allowed set to the methods that would match the path
 * (non-zero means 405 rather than 404). */
int router_match_path(const router *rt, int method, const char *path, router_match *m, int *allowed);
const char *router_param(const router_match *m, const char *name);

/* The raw body, handed over (the caller frees it; the request has none
 * left); *len its length. */
char *http_body_take(http_req *r, size_t *len);

/* The generic handler of a declared route (endpoint.c). */
int http_declared(http_req *r, const http_route *rt, gh_err *e);

/* Every route of the application (routes.c). */
int routes_build(router **out, gh_err *e);

/* 1 for paths served from ui/ rather than the API. */
int static_wants(const char *path);
/* Build the response for a static file (or 304/404); returns the status and
 * sets *resp (NULL when not found). */
int static_serve(const char *ui_dir, const char *path, struct MHD_Connection *mc,
                 struct MHD_Response **resp);

/* ---- the edge (edge.c) ---- */

/* The request target as the URI-log callback received it, before
 * libmicrohttpd decodes it in place: where it is, its length, and whether
 * its path holds a %00. */
typedef struct edge_target {
    const char *uri;
    size_t len;
    int nul;
} edge_target;
void edge_target_init(edge_target *t, const char *uri);

/* 0, or ERR_INVALID with a stable code when the request's framing is
 * ambiguous or malformed (Content-Length with Transfer-Encoding, two of
 * either, a Transfer-Encoding other than chunked, whitespace before a colon,
 * obs-fold, NUL or bare CR in the headers, NUL in the path). t may be NULL
 * (the URI-log callback did not run). */
int edge_check_request(struct MHD_Connection *mc, const char *method, const edge_target *t, const char *version,
                       gh_err *e);

typedef struct edge_opts {
    int header_timeout_s; /* a request's headers must be complete this soon (10) */
    size_t min_rate;      /* bytes a second a body must average (0: no floor) */
    int max_conns;        /* the daemon's connection limit: room is kept near it */
} edge_opts;

/* Where a connection is: waiting for a request's headers, receiving its
 * body, or being answered. */
enum { E_WAIT = 0, E_BODY, E_BUSY };

typedef struct edge edge;
typedef struct edge_conn edge_conn;
int edge_new(const edge_opts *o, edge **out);
/* The MHD_OPTION_NOTIFY_CONNECTION callback (cls: the edge). */
void edge_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
                 enum MHD_ConnectionNotificationCode toe);
edge_conn *edge_conn_of(struct MHD_Connection *mc);
void edge_phase(edge *g, edge_conn *c, int phase);
void edge_body(edge *g, edge_conn *c, size_t n);
/* The request was answered before its body was read: once the connection
 * closes, drain what the client still sends for a while before the socket
 * closes, so the client reads the answer rather than a reset. */
void edge_linger(edge *g, edge_conn *c);
/* Connections shut down so far for being slow. */
long long edge_closed(const edge *g);
/* Stop the watchdog (before the daemon stops); edge_free after it. */
void edge_stop(edge *g);
void edge_free(edge *g);

#endif
