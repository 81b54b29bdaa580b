/* routes_user.c — /api/v1/users: staff accounts. */
#include "base/jsonv.h"
#include "domain/auth/user.h"
#include "http/routes.h"

static int h_list(http_req *r, gh_err *e)
{
    user_query q = {0};
    int64_t org = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc) return rc;
    q.org_id = org;
    q.q = http_query(r, "q");
    q.role = http_query(r, "role");
    json_t *out = NULL;
    rc = user_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = user_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = user_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = user_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field reset_fields[] = {
    {"password", JV_STRING, JV_REQUIRED, "新密码", .max = 128},
    {0},
};

static int h_reset(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reset_fields, e);
    if (rc) return rc;
    rc = user_reset_password(http_ctx(r), id, jv_str(http_body(r), "password"), e);
    if (rc) return rc;
    return http_no_content(r);
}

const http_route routes_user[] = {
    {HTTP_GET, "/api/v1/users", h_list, 0},
    {HTTP_POST, "/api/v1/users", h_create, R_JSON},
    {HTTP_GET, "/api/v1/users/{id}", h_get, 0},
    {HTTP_PATCH, "/api/v1/users/{id}", h_update, R_JSON},
    {HTTP_POST, "/api/v1/users/{id}/password", h_reset, R_JSON},
    {0},
};
