/* routes.h — the route table of each module (http/routes_<module>.c, one
 * per line of domain/modules.def), and what hand-written handlers share. */
#ifndef GH_ROUTES_H
#define GH_ROUTES_H

#include "http/http.h"

#define GH_MODULE(name) extern const http_route routes_##name[];
#include "domain/modules.def"
#undef GH_MODULE

/* Reply with a domain result, or pass the error on. */
static inline int reply_result(http_req *r, int rc, int status, json_t *out)
{
    if (rc) return rc;
    return http_json(r, status, out);
}

#endif
