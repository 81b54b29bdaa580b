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

#endif
