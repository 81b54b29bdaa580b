/* routes.h — the route table of each domain (one routes_<domain>.c each). */
#ifndef GH_ROUTES_H
#define GH_ROUTES_H

#include "http/http.h"

extern const http_route routes_auth[];
extern const http_route routes_org[];
extern const http_route routes_audit[];
extern const http_route routes_user[];
extern const http_route routes_member[];
extern const http_route routes_money[];
extern const http_route routes_retreat[];
extern const http_route routes_lottery[];
extern const http_route routes_hardship[];
extern const http_route routes_policy[];

/* Shared by handlers: reply with a domain result, or pass the error on. */
static inline int reply_result(http_req *r, int rc, int status, json_t *out)
{
    if (rc) return rc;
    return http_json(r, status, out);
}

#endif
