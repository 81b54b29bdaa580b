/* fees.h — union fees (工会经费) and refunds to small and micro enterprises
 * (小微企业工会经费返还).
 *
 * Enterprises are keyed by 统一社会信用代码 and belong to the regional union
 * responsible for them. Each month an enterprise with a union pays 2% of its
 * payroll as union fee (工会法第43条); one without pays the same as a
 * preparatory fee (建会筹备金). The tax department's collection files are
 * imported: every row is checked, rows whose amount is not 2% of the payroll
 * (rounded half up to the fen) are flagged, and re-importing a file changes
 * nothing. On receipt the money is split by the fee_split policy among the
 * grassroots union and the county, city, province and national unions,
 * one ledger transfer per receiving org and import, without losing a fen.
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
#ifndef GH_FEES_H
#define GH_FEES_H

#include <jansson.h>

#include "domain/ctx.h"
#include "domain/importer.h"

/* Policy validators (policy.c calls them). */
int fee_split_validate(const json_t *params, gh_err *e);
int refund_policy_validate(const json_t *params, gh_err *e);

/* The amount due for a payroll: 2%, rounded half up to the fen. */
int64_t fee_expected(int64_t payroll_fen);

/* ---- enterprises ---- */
int enterprise_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int enterprise_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int enterprise_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
typedef struct enterprise_query {
    const char *q; /* name prefix or full credit code */
    int64_t org_id;
    int has_union; /* -1 any */
    int small_scale; /* -1 any */
    int page, per_page;
} enterprise_query;
int enterprise_list(gh_ctx *x, const enterprise_query *q, json_t **out, gh_err *e);
/* Reveal the bank account (finance duty, audited with the reason). */
int enterprise_reveal_account(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

typedef void (*fees_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Import enterprises from CSV (UTF-8 or GBK): 统一社会信用代码, 企业名称,
 * 行政区划代码, 行业, 从业人数, 营业收入, 小规模纳税人, 工会组织编号, 建会日期,
 * 开户银行, 户名, 银行账号, 联系人, 联系电话. All or none; dry run reports. */
int enterprise_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                      import_progress_fn progress, void *pctx, json_t **out, gh_err *e);

/* May the actor import into, or run refunds for, org_id? (finance duty and
 * scope; checked before a job is queued, and again inside it.) */
int fees_org_allowed(gh_ctx *x, int64_t org_id, gh_err *e);

/* ---- payments ---- */
/* Import a collection file (CSV): 统一社会信用代码, 所属期 (YYYY-MM), 工资总额,
 * 缴纳金额, 缴款日期, 类型 (工会经费 / 建会筹备金). Every bad row reported; none
 * written unless all are good; flagged rows are imported and listed. */
int fee_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, const char *file_name,
               int dry_run, import_progress_fn progress, void *pctx, json_t **out, gh_err *e);
typedef struct payment_query {
    int64_t enterprise_id, org_id;
    const char *from, *to; /* months YYYY-MM */
    int flagged;           /* -1 any */
    int page, per_page;
} payment_query;
int fee_payments_list(gh_ctx *x, const payment_query *q, json_t **out, gh_err *e);

/* ---- refunds ---- */
/* Start or resume the run of org_id for period ("2022H2"). Returns the
 * run's state; *out->status "computed" when done. Refused (ERR_LOCKED) when
 * the same run is computing elsewhere right now — or, after its process was
 * killed, until its lock expires (two minutes) unless take_over is set. */
int refund_run(gh_ctx *x, int64_t org_id, const char *period, int take_over, fees_progress_fn progress, void *pctx,
               json_t **out, gh_err *e);
int refund_run_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
int refund_runs_list(gh_ctx *x, int64_t org_id, int page, int per_page, json_t **out, gh_err *e);
int refund_lines_list(gh_ctx *x, int64_t run_id, int64_t enterprise_id, const char *status, int page, int per_page,
                      json_t **out, gh_err *e);
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

/* Figures: enterprises (户) and amounts refunded (paid) by year and region
 * (city), cumulative, with the sentence the federation reports. */
int refund_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e);
int refund_stats_xlsx(gh_ctx *x, int64_t org_id, char **data, size_t *len, gh_err *e);

/* Parse "2022H2" into its first and last month ("2022-07", "2022-12"). */
int refund_period_parse(const char *period, char from[8], char to[8], gh_err *e);

#endif
