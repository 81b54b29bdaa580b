/* routes_audit.c — /api/v1/audit: searching the audit log (read only; there
 * is deliberately no route that changes or removes an entry). */
#include "domain/core/audit.h"
#include "http/routes.h"

static int h_search(http_req *r, gh_err *e)
{
    audit_query q = {0};
    int64_t actor_id = 0, object_id = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "actor_id", 0, &actor_id, e);
    if (rc == 0) rc = http_query_int(r, "object_id", 0, &object_id, e);
    if (rc) return rc;
    q.actor_id = actor_id;
    q.object_id = object_id;
    q.actor = http_query(r, "actor");
    q.action = http_query(r, "action");
    q.object_type = http_query(r, "object_type");
    q.from = http_query(r, "from");
    q.to = http_query(r, "to");
    q.outcome = http_query(r, "outcome");
    json_t *out = NULL;
    rc = audit_search(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_audit[] = {
    {HTTP_GET, "/api/v1/audit", h_search, 0},
    {0},
};
