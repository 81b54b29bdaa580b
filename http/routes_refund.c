/* routes_refund.c — refunds to small and micro enterprises over HTTP:
 * refund runs (computed by a background job: 202 and a job id to poll at
 * /api/v1/jobs/{id}), approval, the bank files, applications and figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/core/fields.h"
#include "domain/core/job.h"
#include "domain/refund/refund.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(refund_runs_list, refund_run_query)
HTTP_ID_QUERY_THUNK(refund_run_lines, refund_line_query)

static const http_qparam runs_q[] = {
    Q_PAGE(refund_run_query),
    Q_INT(refund_run_query, org_id, "org_id", 0, "组织"),
    {0},
};

static const http_qparam lines_q[] = {
    Q_PAGE(refund_line_query),
    Q_STR(refund_line_query, status, "status", "状态"),
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
    gh_ctx *x = http_ctx(r);
    run_job *j = calloc(1, sizeof *j);
    if (!j) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    int rc = refund_run_request(x, http_body(r), &j->org_id, j->period, e);
    if (rc) {
        free(j);
        return rc;
    }
    int64_t job = 0;
    rc = job_start(x, "refund_run", j->org_id, run_job_fn, j, free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

static int h_bank_file(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), core_no_fields, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format");
    char *data = NULL;
    size_t len = 0;
    rc = refund_bank_file(http_ctx(r), id, fmt, &data, &len, e);
    if (rc) return rc;
    if (fmt && strcmp(fmt, "xlsx") == 0) return http_xlsx(r, data, len, "返还付款文件.xlsx");
    rc = http_bytes(r, 200, "text/csv; charset=utf-8", data, len, "返还付款文件.csv");
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

/* The figures as JSON or, with format=xlsx, as a workbook. */
static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int xlsx = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_format(r, &xlsx, e);
    if (rc) return rc;
    if (xlsx) {
        char *data = NULL;
        size_t len = 0;
        rc = refund_stats_xlsx(http_ctx(r), org, &data, &len, e);
        return rc ? rc : http_xlsx(r, data, len, "经费返还统计.xlsx");
    }
    json_t *out = NULL;
    rc = refund_stats(http_ctx(r), org, &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_refund[] = {
    {HTTP_GET, "/api/v1/refund-runs", .flags = R_XLSX, ON_QUERY(refund_runs_list, refund_run_query), .query = runs_q},
    {HTTP_POST, "/api/v1/refund-runs", h_run_start, R_JSON, .body = refund_run_fields},
    {HTTP_GET, "/api/v1/refund-runs/{id}", ON_ID(refund_run_get)},
    {HTTP_GET, "/api/v1/refund-runs/{id}/lines", .flags = R_XLSX, ON_ID_QUERY(refund_run_lines, refund_line_query), .query = lines_q},
    {HTTP_POST, "/api/v1/refund-runs/{id}/approve", .flags = R_JSON | R_JSON_OPT, ON_ID(refund_approve),
     .body = core_no_fields},
    {HTTP_POST, "/api/v1/refund-runs/{id}/reject", .flags = R_JSON, ON_ID_STR(refund_reject, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/refund-runs/{id}/bank-file", h_bank_file, R_JSON | R_JSON_OPT, .body = core_no_fields},
    {HTTP_POST, "/api/v1/refund-runs/{id}/bank-result", h_bank_result, R_UPLOAD},
    {HTTP_POST, "/api/v1/refund-applications", .flags = R_JSON, ON_BODY(refund_apply_body), .body = refund_apply_fields,
     .status = 201},
    {HTTP_GET, "/api/v1/refund-stats", h_stats},
    {0},
};
