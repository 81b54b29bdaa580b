/* routes_org.c — /api/v1/orgs: the organisation tree, and the public
 * directory used by forms such as the join application. */
#include "base/jsonv.h"
#include "domain/org/org.h"
#include "http/routes.h"

static int read_query(http_req *r, org_query *q, gh_err *e)
{
    int64_t parent = 0, under = 0;
    int rc = http_query_page(r, &q->page, &q->per_page, e);
    if (rc == 0) rc = http_query_int(r, "parent_id", 0, &parent, e);
    if (rc == 0) rc = http_query_int(r, "under_id", 0, &under, e);
    if (rc) return rc;
    q->parent_id = parent;
    q->under_id = under;
    q->q = http_query(r, "q");
    q->level = http_query(r, "level");
    q->kind = http_query(r, "kind");
    q->region_code = http_query(r, "region_code");
    return 0;
}

static int h_list(http_req *r, gh_err *e)
{
    org_query q = {0};
    int rc = read_query(r, &q, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = org_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_directory(http_req *r, gh_err *e)
{
    org_query q = {0};
    int rc = read_query(r, &q, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = org_directory(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = org_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_children(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    org_query q = {0};
    rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc) return rc;
    q.parent_id = id;
    json_t *out = NULL;
    rc = org_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = org_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = org_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field move_fields[] = {
    {"parent_id", JV_INT, JV_REQUIRED, "目标上级组织", .min = 1, .max = INT64_MAX},
    {0},
};

static int h_move(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    rc = jv_check(http_body(r), move_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = org_move(http_ctx(r), id, jv_int(http_body(r), "parent_id", 0), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_delete(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    rc = org_delete(http_ctx(r), id, e);
    if (rc) return rc;
    return http_no_content(r);
}

const http_route routes_org[] = {
    {HTTP_GET, "/api/v1/orgs", h_list, 0},
    {HTTP_POST, "/api/v1/orgs", h_create, R_JSON},
    {HTTP_GET, "/api/v1/orgs/{id}", h_get, 0},
    {HTTP_PATCH, "/api/v1/orgs/{id}", h_update, R_JSON},
    {HTTP_DELETE, "/api/v1/orgs/{id}", h_delete, 0},
    {HTTP_GET, "/api/v1/orgs/{id}/children", h_children, 0},
    {HTTP_POST, "/api/v1/orgs/{id}/move", h_move, R_JSON},
    {HTTP_GET, "/api/v1/directory/orgs", h_directory, R_PUBLIC},
    {0},
};
