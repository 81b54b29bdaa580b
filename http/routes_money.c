/* routes_money.c — money over HTTP: the ledger (/api/v1/ledger/…),
 * enterprises, fee payments and refunds. Long runs (imports, refund runs)
 * are background jobs: 202 with a job id to poll at /api/v1/jobs/{id}. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "domain/refund/refund.h"
#include "domain/core/job.h"
#include "domain/core/ledger.h"
#include "http/routes.h"

static int q_int(http_req *r, const char *k, int64_t *v, gh_err *e) { return http_query_int(r, k, 0, v, e); }

/* ---- ledger ---- */

static int ledger_q(http_req *r, ledger_query *q, gh_err *e)
{
    int rc = http_query_page(r, &q->page, &q->per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q->org_id, e);
    if (rc == 0) rc = q_int(r, "account_id", &q->account_id, e);
    if (rc == 0) rc = q_int(r, "ref_id", &q->ref_id, e);
    q->ref_type = http_query(r, "ref_type");
    q->from = http_query(r, "from");
    q->to = http_query(r, "to");
    return rc;
}

static int h_accounts(http_req *r, gh_err *e)
{
    ledger_query q = {0};
    int rc = ledger_q(r, &q, e);
    json_t *out = NULL;
    if (rc == 0) rc = ledger_accounts_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_transfers(http_req *r, gh_err *e)
{
    ledger_query q = {0};
    int rc = ledger_q(r, &q, e);
    json_t *out = NULL;
    if (rc == 0) rc = ledger_transfers_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_transfer(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = ledger_transfer_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field reason_fields[] = {
    {"reason", JV_STRING, JV_REQUIRED, "原因", .max = 200},
    {0},
};

static int h_reverse(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = ledger_reverse_api(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_manual(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = ledger_manual_post(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_trial(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = q_int(r, "org_id", &org, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "json") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 json 或 xlsx");
    if (fmt && strcmp(fmt, "xlsx") == 0) {
        char *data = NULL;
        size_t len = 0;
        rc = ledger_trial_balance_xlsx(http_ctx(r), org, http_query(r, "from"), http_query(r, "to"), &data, &len, e);
        if (rc) return rc;
        rc = http_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len,
                        "试算平衡表.xlsx");
        free(data);
        return rc;
    }
    json_t *out = NULL;
    rc = ledger_trial_balance(http_ctx(r), org, http_query(r, "from"), http_query(r, "to"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_check(http_req *r, gh_err *e)
{
    gh_ctx *x = http_ctx(r);
    if (x->actor->role != ROLE_ADMIN && x->actor->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有管理员和审计员可以运行账簿校验");
    json_t *rep = NULL;
    int rc = ledger_check(x->db, &rep, e);
    if (rc && rc != ERR_CONFLICT) return rc;
    return http_json(r, 200, json_pack("{s:b, s:o}", "ok", rc == 0, "checks", rep));
}

/* ---- enterprises ---- */

static int h_ent_list(http_req *r, gh_err *e)
{
    enterprise_query q = {0};
    int64_t org = 0, hu = -1, ss = -1;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = http_query_int(r, "has_union", -1, &hu, e);
    if (rc == 0) rc = http_query_int(r, "small_scale", -1, &ss, e);
    if (rc) return rc;
    q.org_id = org;
    q.has_union = hu < 0 ? -1 : hu > 0;
    q.small_scale = ss < 0 ? -1 : ss > 0;
    q.q = http_query(r, "q");
    json_t *out = NULL;
    rc = enterprise_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_ent_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = enterprise_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_ent_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = enterprise_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_ent_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = enterprise_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_ent_reveal(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = enterprise_reveal_account(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_me_enterprise(http_req *r, gh_err *e)
{
    gh_ctx *x = http_ctx(r);
    if (x->actor->role != ROLE_ENTERPRISE)
        return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", NULL, "当前账号不是企业账号");
    json_t *out = NULL;
    int rc = enterprise_get(x, x->actor->enterprise_id, &out, e);
    return reply_result(r, rc, 200, out);
}

/* Imports run as jobs; the upload is copied into the job. */
typedef struct upload_job {
    int64_t org_id;
    int dry_run, kind; /* 0 enterprises, 1 fees */
    char *data;
    size_t len;
} upload_job;

static void upload_free(void *p)
{
    upload_job *u = p;
    free(u->data);
    free(u);
}

static void upload_progress(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes)
{
    (void)rows;
    job_progress(*(int64_t *)ctx, done_bytes, total_bytes);
}

static int upload_run(gh_ctx *x, int64_t job_id, void *p, json_t **result, gh_err *e)
{
    upload_job *u = p;
    if (u->kind == 0)
        return enterprise_import(x, u->org_id, u->data, u->len, NULL, u->dry_run, upload_progress, &job_id, result, e);
    return fee_import(x, u->org_id, u->data, u->len, NULL, "上传文件", u->dry_run, upload_progress, &job_id, result, e);
}

static int start_upload(http_req *r, int kind, gh_err *e)
{
    int64_t org = 0, dry = 0;
    int rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = q_int(r, "dry_run", &dry, e);
    if (rc) return rc;
    gh_ctx *x = http_ctx(r);
    if (org <= 0) return err_set(e, ERR_INVALID, "missing_field", "org_id", "请指定导入到哪个组织（org_id）");
    rc = enterprise_org_allowed(x, org, e);
    if (rc) return rc;
    size_t len;
    const char *body = http_body_raw(r, &len);
    if (!len) return err_set(e, ERR_INVALID, "empty_file", NULL, "上传的文件是空的");
    upload_job *u = calloc(1, sizeof *u);
    if (!u || !(u->data = malloc(len))) {
        free(u);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    memcpy(u->data, body, len);
    u->len = len;
    u->org_id = org;
    u->dry_run = dry != 0;
    u->kind = kind;
    int64_t job = 0;
    rc = job_start(x, kind ? (dry ? "fee_import_check" : "fee_import") : (dry ? "enterprise_import_check" : "enterprise_import"),
                   org, upload_run, u, upload_free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

static int h_ent_import(http_req *r, gh_err *e) { return start_upload(r, 0, e); }
static int h_fee_import(http_req *r, gh_err *e) { return start_upload(r, 1, e); }

static int h_payments(http_req *r, gh_err *e)
{
    payment_query q = {0};
    int64_t fl = -1;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q.org_id, e);
    if (rc == 0) rc = q_int(r, "enterprise_id", &q.enterprise_id, e);
    if (rc == 0) rc = http_query_int(r, "flagged", -1, &fl, e);
    if (rc) return rc;
    q.flagged = fl < 0 ? -1 : fl > 0;
    q.from = http_query(r, "from");
    q.to = http_query(r, "to");
    json_t *out = NULL;
    rc = fee_payments_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- refunds ---- */

static const jv_field run_fields[] = {
    {"org_id", JV_INT, JV_REQUIRED, "组织", .min = 1, .max = INT64_MAX},
    {"period", JV_STRING, JV_REQUIRED, "期间", .max = 6},
    {0},
};

typedef struct run_job {
    int64_t org_id, job_id;
    char period[8];
} run_job;

static void run_progress(void *ctx, int64_t done, int64_t total)
{
    job_progress(((run_job *)ctx)->job_id, done, total);
}

static int run_job_fn(gh_ctx *x, int64_t job_id, void *p, json_t **result, gh_err *e)
{
    run_job *j = p;
    j->job_id = job_id;
    return refund_run(x, j->org_id, j->period, 0, run_progress, j, result, e);
}

static int h_run_start(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, run_fields, e);
    if (rc) return rc;
    char from[8], to[8];
    rc = refund_period_parse(jv_str(b, "period"), from, to, e);
    if (rc) return rc;
    gh_ctx *x = http_ctx(r);
    rc = enterprise_org_allowed(x, jv_int(b, "org_id", 0), e);
    if (rc) return rc;
    run_job *j = calloc(1, sizeof *j);
    if (!j) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    j->org_id = jv_int(b, "org_id", 0);
    snprintf(j->period, sizeof j->period, "%s", jv_str(b, "period"));
    int64_t job = 0;
    rc = job_start(x, "refund_run", j->org_id, run_job_fn, j, free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

static int h_runs(http_req *r, gh_err *e)
{
    int page, per;
    int64_t org = 0;
    int rc = http_query_page(r, &page, &per, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_runs_list(http_ctx(r), org, page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_run(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_run_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_lines(http_req *r, gh_err *e)
{
    int64_t id;
    int page, per;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_lines_list(http_ctx(r), id, 0, http_query(r, "status"), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_ent_refunds(http_req *r, gh_err *e)
{
    int64_t id;
    int page, per;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_lines_list(http_ctx(r), 0, id, http_query(r, "status"), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field no_fields[] = {{0}};

static int h_approve(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), no_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_approve(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_reject(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_bank_file(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), no_fields, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format");
    char *data = NULL;
    size_t len = 0;
    rc = refund_bank_file(http_ctx(r), id, fmt, &data, &len, e);
    if (rc) return rc;
    int xlsx = fmt && strcmp(fmt, "xlsx") == 0;
    rc = http_bytes(r, 200, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
                    data, len, xlsx ? "返还付款文件.xlsx" : "返还付款文件.csv");
    free(data);
    return rc;
}

static int h_bank_result(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    size_t len;
    const char *body = http_body_raw(r, &len);
    if (!len) return err_set(e, ERR_INVALID, "empty_file", NULL, "上传的文件是空的");
    json_t *out = NULL;
    rc = refund_bank_result(http_ctx(r), id, body, len, &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field apply_fields[] = {
    {"enterprise_id", JV_INT, JV_REQUIRED, "企业", .min = 1, .max = INT64_MAX},
    {"period", JV_STRING, JV_REQUIRED, "期间", .max = 6},
    {0},
};

static int h_apply(http_req *r, gh_err *e)
{
    json_t *b = http_body(r);
    int rc = jv_check(b, apply_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = refund_apply(http_ctx(r), jv_int(b, "enterprise_id", 0), jv_str(b, "period"), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = q_int(r, "org_id", &org, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format");
    if (fmt && *fmt && strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "json") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 json 或 xlsx");
    if (fmt && strcmp(fmt, "xlsx") == 0) {
        char *data = NULL;
        size_t len = 0;
        rc = refund_stats_xlsx(http_ctx(r), org, &data, &len, e);
        if (rc) return rc;
        rc = http_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len,
                        "经费返还统计.xlsx");
        free(data);
        return rc;
    }
    json_t *out = NULL;
    rc = refund_stats(http_ctx(r), org, &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_money[] = {
    {HTTP_GET, "/api/v1/ledger/accounts", h_accounts, 0},
    {HTTP_GET, "/api/v1/ledger/transfers", h_transfers, 0},
    {HTTP_POST, "/api/v1/ledger/transfers", h_manual, R_JSON},
    {HTTP_GET, "/api/v1/ledger/transfers/{id}", h_transfer, 0},
    {HTTP_POST, "/api/v1/ledger/transfers/{id}/reverse", h_reverse, R_JSON},
    {HTTP_GET, "/api/v1/ledger/trial-balance", h_trial, 0},
    {HTTP_GET, "/api/v1/ledger/check", h_check, 0},
    {HTTP_GET, "/api/v1/enterprises", h_ent_list, 0},
    {HTTP_POST, "/api/v1/enterprises", h_ent_create, R_JSON},
    {HTTP_POST, "/api/v1/enterprises/import", h_ent_import, R_UPLOAD},
    {HTTP_GET, "/api/v1/enterprises/{id}", h_ent_get, 0},
    {HTTP_PATCH, "/api/v1/enterprises/{id}", h_ent_update, R_JSON},
    {HTTP_POST, "/api/v1/enterprises/{id}/reveal", h_ent_reveal, R_JSON},
    {HTTP_GET, "/api/v1/enterprises/{id}/refunds", h_ent_refunds, 0},
    {HTTP_GET, "/api/v1/me/enterprise", h_me_enterprise, 0},
    {HTTP_GET, "/api/v1/fee-payments", h_payments, 0},
    {HTTP_POST, "/api/v1/fee-payments/import", h_fee_import, R_UPLOAD},
    {HTTP_GET, "/api/v1/refund-runs", h_runs, 0},
    {HTTP_POST, "/api/v1/refund-runs", h_run_start, R_JSON},
    {HTTP_GET, "/api/v1/refund-runs/{id}", h_run, 0},
    {HTTP_GET, "/api/v1/refund-runs/{id}/lines", h_lines, 0},
    {HTTP_POST, "/api/v1/refund-runs/{id}/approve", h_approve, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/refund-runs/{id}/reject", h_reject, R_JSON},
    {HTTP_POST, "/api/v1/refund-runs/{id}/bank-file", h_bank_file, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/refund-runs/{id}/bank-result", h_bank_result, R_UPLOAD},
    {HTTP_POST, "/api/v1/refund-applications", h_apply, R_JSON},
    {HTTP_GET, "/api/v1/refund-stats", h_stats, 0},
    {0},
};
