/* routes.c — the registry of every route table, and the routes that belong
 * to no domain (health). */
#include <stdio.h>

#include "http/internal.h"
#include "http/routes.h"

static int h_health(http_req *r, gh_err *e)
{
    (void)e;
    return http_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version", GH_VERSION));
}

static const http_route routes_system[] = {
    {HTTP_GET, "/healthz", h_health, R_PUBLIC},
    {0},
};

const http_route *const http_all_routes[] = {
    routes_system,
    routes_auth,
    routes_org,
    routes_audit,
    routes_user,
    routes_member,
    routes_money,
    routes_retreat,
    routes_lottery,
    routes_hardship,
    routes_policy,
    NULL,
};

int routes_build(router **out, gh_err *e) { return router_new(http_all_routes, out, e); }
