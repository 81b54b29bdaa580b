/* router.c — match "METHOD /path" against route patterns with {name}
 * segments. Patterns are split into segments once at start; a request is
 * split once and compared segment by segment. A path that matches some
 * pattern under another method is reported so the server answers 405 with
 * an Allow header instead of 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

typedef struct croute {
    const http_route *r;
    int nseg;
    const char *seg[ROUTER_MAX_SEGS]; /* literal, or the param name */
    size_t seglen[ROUTER_MAX_SEGS];
    int is_param[ROUTER_MAX_SEGS];
} croute;

struct router {
    croute *routes;
    int n;
};

static int split_pattern(const http_route *r, croute *c, gh_err *e)
{
    c->r = r;
    c->nseg = 0;
    const char *p = r->pattern;
    if (*p != '/') return err_set(e, ERR_INTERNAL, "bad_route", NULL, "路由格式错误：%s", r->pattern);
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (c->nseg >= ROUTER_MAX_SEGS)
            return err_set(e, ERR_INTERNAL, "bad_route", NULL, "路由段过多：%s", r->pattern);
        if (p[0] == '{' && len > 2 && p[len - 1] == '}') {
            c->is_param[c->nseg] = 1;
            c->seg[c->nseg] = p + 1;
            c->seglen[c->nseg] = len - 2;
        } else {
            c->is_param[c->nseg] = 0;
            c->seg[c->nseg] = p;
            c->seglen[c->nseg] = len;
        }
        c->nseg++;
        p += len;
    }
    return 0;
}

int router_new(const http_route *const *tables, router **out, gh_err *e)
{
    int n = 0;
    for (int t = 0; tables[t]; t++)
        for (const http_route *r = tables[t]; r->pattern; r++) n++;
    router *rt = calloc(1, sizeof *rt);
    if (!rt || !(rt->routes = calloc((size_t)n + 1, sizeof *rt->routes))) {
        free(rt);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    for (int t = 0; tables[t]; t++) {
        for (const http_route *r = tables[t]; r->pattern; r++) {
            int rc = split_pattern(r, &rt->routes[rt->n], e);
            if (rc) {
                router_free(rt);
                return rc;
            }
            rt->n++;
        }
    }
    *out = rt;
    return 0;
}

void router_free(router *rt)
{
    if (!rt) return;
    free(rt->routes);
    free(rt);
}

int router_match_path(const router *rt, int method, const char *path, router_match *m, int *allowed)
{
    const char *seg[ROUTER_MAX_SEGS + 1];
    size_t len[ROUTER_MAX_SEGS + 1];
    int n = 0;
    const char *p = path;
    *allowed = 0;
    if (!p || *p != '/') return ERR_NOT_FOUND;
    while (*p) {
        p++; /* the '/' */
        const char *end = strchr(p, '/');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == 0) {
            if (!end) break; /* a trailing slash */
            return ERR_NOT_FOUND; /* "//" */
        }
        if (n > ROUTER_MAX_SEGS) return ERR_NOT_FOUND;
        seg[n] = p;
        len[n] = l;
        n++;
        p += l;
    }
    for (int i = 0; i < rt->n; i++) {
        const croute *c = &rt->routes[i];
        if (c->nseg != n) continue;
        int ok = 1;
        for (int k = 0; k < n && ok; k++) {
            if (c->is_param[k]) ok = len[k] < sizeof m->values[0];
            else ok = c->seglen[k] == len[k] && memcmp(c->seg[k], seg[k], len[k]) == 0;
        }
        if (!ok) continue;
        if (!(c->r->method & method)) {
            *allowed |= c->r->method;
            continue;
        }
        m->route = c->r;
        m->nparams = 0;
        for (int k = 0; k < n; k++) {
            if (!c->is_param[k] || m->nparams >= ROUTER_MAX_PARAMS) continue;
            m->names[m->nparams] = c->seg[k];
            memcpy(m->values[m->nparams], seg[k], len[k]);
            m->values[m->nparams][len[k]] = '\0';
            m->nparams++;
        }
        return 0;
    }
    return ERR_NOT_FOUND;
}

const char *router_param(const router_match *m, const char *name)
{
    size_t nl = strlen(name);
    for (int i = 0; i < m->nparams; i++) {
        /* names[i] points at "id}/..." inside the pattern: compare up to '}'. */
        const char *pn = m->names[i];
        if (strncmp(pn, name, nl) == 0 && pn[nl] == '}') return m->values[i];
    }
    return NULL;
}
