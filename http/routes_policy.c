/* routes_policy.c — policy parameters over HTTP (/api/v1/policies): the
 * versions of each kind, the version in force for an org on a day, the
 * kinds an actor works with, and publishing a new version (checked first,
 * without writing, when a form asks). */
#include <stdlib.h>

#include "base/jsonv.h"
#include "domain/core/policy.h"
#include "http/routes.h"

static int h_list(http_req *r, gh_err *e)
{
    policy_query q = {0};
    int64_t org = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc) return rc;
    /* Without per_page a list answers 100 versions, as it always has. */
    if (!http_query(r, "per_page")) q.per_page = 100;
    q.org_id = org;
    q.kind = http_query(r, "kind");
    q.status = http_query(r, "status");
    q.on = http_query(r, "on");
    json_t *out = NULL;
    rc = policy_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_effective(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc) return rc;
    const char *kind = http_query(r, "kind");
    if (!kind || !*kind) return err_set(e, ERR_INVALID, "missing_field", "kind", "请指定政策类型");
    json_t *out = NULL;
    rc = policy_effective(http_ctx(r), kind, org, http_query(r, "on"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_kinds(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = policy_kinds(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field policy_fields[] = {
    {"kind", JV_STRING, JV_REQUIRED, "政策类型", .max = 40},
    {"org_id", JV_INT, JV_REQUIRED, "发布组织", .min = 1, .max = INT64_MAX},
    {"effective_from", JV_DATE, JV_REQUIRED, "生效日期"},
    {"params", JV_OBJECT, JV_REQUIRED, "政策参数"},
    {"note", JV_STRING, 0, "说明", .max = 200},
    {0},
};

static int h_set(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, policy_fields, e);
    json_t *out = NULL;
    if (rc == 0)
        rc = policy_set(http_ctx(r), jv_str(b, "kind"), jv_int(b, "org_id", 0), jv_str(b, "effective_from"),
                        json_object_get(b, "params"), jv_str(b, "note"), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_check(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, policy_fields, e);
    json_t *out = NULL;
    if (rc == 0)
        rc = policy_preview(http_ctx(r), jv_str(b, "kind"), jv_int(b, "org_id", 0), jv_str(b, "effective_from"),
                            json_object_get(b, "params"), &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_policy[] = {
    {HTTP_GET, "/api/v1/policies", h_list, 0},
    {HTTP_POST, "/api/v1/policies", h_set, R_JSON},
    {HTTP_POST, "/api/v1/policies/check", h_check, R_JSON},
    {HTTP_GET, "/api/v1/policies/effective", h_effective, 0},
    {HTTP_GET, "/api/v1/policies/kinds", h_kinds, 0},
    {0},
};
