/* refund.h — refunds of union fees to small and micro enterprises
 * (小微企业工会经费返还).
 *
 * Refunds: the refund policy says which enterprises qualify (the tax
 * authority's small-scale flag, or headcount and revenue thresholds per
 * industry), which share comes back (all, or the upper unions' share), the
 * months covered, whether refunds are automatic or by application, and
 * whether preparatory fees come back once the enterprise founds its union.
 * A refund run for an org and a half-year computes for each eligible
 * enterprise what is due up to the end of the period minus what it was ever
 * refunded, in batches that commit with their ledger postings, so a run
 * killed at any moment resumes and refunds everyone exactly once. Another
 * officer approves it (maker/checker); the bank file and the bank's result
 * file pay each line exactly once. */
#ifndef GH_REFUND_H
#define GH_REFUND_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"
#include "domain/fees/fees.h"

/* Policy validator of the refund policy kind. */
int refund_policy_validate(const json_t *params, gh_err *e);

/* ---- refunds ---- */
/* Start or resume the run of org_id for period ("2022H2"). Returns the
 * run's state; *out->status "computed" when done. Refused (ERR_LOCKED) when
 * the same run is computing elsewhere right now — or, after its process was
 * killed, until its lock expires (two minutes) unless take_over is set. */
int refund_run(gh_ctx *x, int64_t org_id, const char *period, int take_over, fees_progress_fn progress, void *pctx,
               json_t **out, gh_err *e);
int refund_run_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
typedef struct refund_run_query {
    int64_t org_id;
    int page, per_page;
} refund_run_query;
int refund_runs_list(gh_ctx *x, const refund_run_query *q, json_t **out, gh_err *e);
typedef struct refund_line_query {
    const char *status; /* or NULL */
    int page, per_page;
} refund_line_query;
/* The lines of a run, or every refund line of one enterprise. */
int refund_run_lines(gh_ctx *x, int64_t run_id, const refund_line_query *q, json_t **out, gh_err *e);
int refund_enterprise_lines(gh_ctx *x, int64_t enterprise_id, const refund_line_query *q, json_t **out, gh_err *e);
int refund_approve(gh_ctx *x, int64_t run_id, json_t **out, gh_err *e);
int refund_reject(gh_ctx *x, int64_t run_id, const char *reason, json_t **out, gh_err *e);
/* The bank payment file of a run's approved (and failed, for retry) lines:
 * CSV or xlsx (format "csv" | "xlsx"). Marks them exported. Audited (the
 * file holds full account numbers). */
int refund_bank_file(gh_ctx *x, int64_t run_id, const char *format, char **data, size_t *len, gh_err *e);
/* The bank's result file (CSV: 参考号, 结果 成功|失败, 原因, 日期): paid lines
 * post the payment once; failed lines wait for a corrected account. */
int refund_bank_result(gh_ctx *x, int64_t run_id, const char *data, size_t len, json_t **out, gh_err *e);
/* Apply for a refund for a period (application-mode policies). */
int refund_apply(gh_ctx *x, int64_t enterprise_id, const char *period, json_t **out, gh_err *e);
/* The same from a request body {enterprise_id, period}. */
extern const jv_field refund_apply_fields[];
int refund_apply_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* A refund run request {org_id, period}: checked (fields, period, finance
 * duty and scope) before a job is queued; *org_id and period receive it. */
extern const jv_field refund_run_fields[];
int refund_run_request(gh_ctx *x, const json_t *body, int64_t *org_id, char period[8], gh_err *e);

/* Figures: enterprises (户) and amounts refunded (paid) by year and region
 * (city), cumulative, with the sentence the federation reports. */
int refund_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e);
int refund_stats_xlsx(gh_ctx *x, int64_t org_id, char **data, size_t *len, gh_err *e);

/* Parse "2022H2" into its first and last month ("2022-07", "2022-12"). */
int refund_period_parse(const char *period, char from[8], char to[8], gh_err *e);


#endif
