/* routes_member.c — /api/v1/members, /api/v1/join-requests, /api/v1/jobs,
 * /api/v1/me/member and /api/v1/member-activation. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/core/job.h"
#include "domain/member/joinreq.h"
#include "domain/member/member.h"
#include "http/routes.h"

static int h_list(http_req *r, gh_err *e)
{
    member_query q = {0};
    int64_t org = 0, frontline = -1;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_int(r, "frontline", -1, &frontline, e);
    if (rc) return rc;
    q.org_id = org;
    q.frontline = frontline < 0 ? -1 : frontline > 0;
    q.q = http_query(r, "q");
    q.employment_form = http_query(r, "employment_form");
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = member_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = member_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_stats(http_ctx(r), org, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field transfer_fields[] = {
    {"to_org_id", JV_INT, JV_REQUIRED, "转入工会", .min = 1, .max = INT64_MAX},
    {"reason", JV_STRING, JV_REQUIRED, "转会原因", .max = 200},
    {0},
};

static int h_transfer(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), transfer_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_transfer(http_ctx(r), id, jv_int(http_body(r), "to_org_id", 0), jv_str(http_body(r), "reason"),
                         &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_history(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_history(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static const char *const reveal_choices[] = {"id_number", "mobile", NULL};
static const jv_field reveal_fields[] = {
    {"field", JV_ENUM, JV_REQUIRED, "查看项", .choices = reveal_choices},
    {"reason", JV_STRING, 0, "事由", .max = 200},
    {0},
};

static int h_reveal(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reveal_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_reveal(http_ctx(r), id, jv_str(http_body(r), "field"), jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

typedef struct import_arg {
    int64_t org_id;
    int dry_run;
    char *data;
    size_t len;
} import_arg;

static void import_free(void *p)
{
    import_arg *a = p;
    free(a->data);
    free(a);
}

static void import_progress(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes)
{
    (void)rows;
    job_progress(*(int64_t *)ctx, done_bytes, total_bytes);
}

static int import_job(gh_ctx *x, int64_t job_id, void *p, json_t **result, gh_err *e)
{
    import_arg *a = p;
    return member_import(x, a->org_id, a->data, a->len, NULL, a->dry_run, import_progress, &job_id, result, e);
}

static int h_import(http_req *r, gh_err *e)
{
    int64_t org = 0, dry = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_int(r, "dry_run", 0, &dry, e);
    if (rc) return rc;
    if (org <= 0) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请指定导入到哪个工会（org_id）");
    size_t len;
    const char *body = http_body_raw(r, &len);
    if (len == 0) return err_set(e, ERR_INVALID, "empty_file", NULL, "上传的文件是空的");
    gh_ctx *x = http_ctx(r);
    rc = member_import_allowed(x, org, e);
    if (rc) return rc;
    import_arg *a = calloc(1, sizeof *a);
    if (!a || !(a->data = malloc(len))) {
        free(a);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    memcpy(a->data, body, len);
    a->len = len;
    a->org_id = org;
    a->dry_run = dry != 0;
    int64_t job = 0;
    rc = job_start(x, dry ? "member_import_check" : "member_import", org, import_job, a, import_free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

static int h_job(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = job_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_me(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = member_me(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field activate_fields[] = {
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_REQUIRED, "手机号", .max = 20},
    {"password", JV_STRING, JV_REQUIRED, "密码", .max = 128},
    {0},
};

static int h_activate(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, activate_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = member_activate(http_ctx(r), jv_str(b, "id_number"), jv_str(b, "mobile"), jv_str(b, "password"), &out, e);
    return reply_result(r, rc, 201, out);
}

/* ---- join requests ---- */

static int h_join_submit(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = join_submit(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static const jv_field status_fields[] = {
    {"code", JV_STRING, JV_REQUIRED, "查询码", .max = 64},
    {0},
};

/* POST rather than GET: the code is a secret and must not end up in the
 * URL, where proxies and browsers keep it. */
static int h_join_status(http_req *r, gh_err *e)
{
    int rc = jv_check(http_body(r), status_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = join_status(http_ctx(r), jv_str(http_body(r), "code"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_join_list(http_req *r, gh_err *e)
{
    join_query q = {0};
    int64_t org = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc) return rc;
    q.org_id = org;
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = join_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_join_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = join_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_join_approve(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = join_approve(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field reject_fields[] = {
    {"reason", JV_STRING, JV_REQUIRED, "原因", .max = 200},
    {0},
};

static int h_join_reject(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reject_fields, e);
    if (rc) return rc;
    json_t *out = NULL;
    rc = join_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_member[] = {
    {HTTP_GET, "/api/v1/members", h_list, 0},
    {HTTP_POST, "/api/v1/members", h_create, R_JSON},
    {HTTP_GET, "/api/v1/members/stats", h_stats, 0},
    {HTTP_POST, "/api/v1/members/import", h_import, R_UPLOAD},
    {HTTP_GET, "/api/v1/members/{id}", h_get, 0},
    {HTTP_PATCH, "/api/v1/members/{id}", h_update, R_JSON},
    {HTTP_POST, "/api/v1/members/{id}/transfer", h_transfer, R_JSON},
    {HTTP_GET, "/api/v1/members/{id}/history", h_history, 0},
    {HTTP_POST, "/api/v1/members/{id}/reveal", h_reveal, R_JSON},
    {HTTP_GET, "/api/v1/jobs/{id}", h_job, 0},
    {HTTP_GET, "/api/v1/me/member", h_me, 0},
    {HTTP_POST, "/api/v1/member-activation", h_activate, R_PUBLIC | R_JSON | R_NOCSRF},
    {HTTP_POST, "/api/v1/join-requests", h_join_submit, R_PUBLIC | R_JSON | R_NOCSRF},
    {HTTP_POST, "/api/v1/join-requests/status", h_join_status, R_PUBLIC | R_JSON | R_NOCSRF},
    {HTTP_GET, "/api/v1/join-requests", h_join_list, 0},
    {HTTP_GET, "/api/v1/join-requests/{id}", h_join_get, 0},
    {HTTP_POST, "/api/v1/join-requests/{id}/approve", h_join_approve, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/join-requests/{id}/reject", h_join_reject, R_JSON},
    {0},
};
