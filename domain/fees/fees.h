/* fees.h — union fees (工会经费).
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
 * Refunds of these fees to small enterprises are in refund.h. */
#ifndef GH_FEES_H
#define GH_FEES_H

#include <jansson.h>

#include "domain/core/ctx.h"
#include "domain/core/module.h"
#include "domain/core/importer.h"

/* Policy validator of fee_split (the policy kind is declared by the module). */
int fee_split_validate(const json_t *params, gh_err *e);

/* The amount due for a payroll: 2%, rounded half up to the fen. */
int64_t fee_expected(int64_t payroll_fen);

typedef void (*fees_progress_fn)(void *ctx, int64_t done, int64_t total);

/* The ids of an org's ancestors (and itself) by level: [national, province,
 * city, county, grassroots]; 0 where the path has no org of that level. */
typedef struct fees_ancestry {
    int64_t org_id;
    int64_t by_level[5];
} fees_ancestry;
int fees_ancestry_load(store_conn *db, int64_t org_id, fees_ancestry *a, gh_err *e);

/* ---- payments ---- */
/* Import a collection file (CSV): 统一社会信用代码, 所属期 (YYYY-MM), 工资总额,
 * 缴纳金额, 缴款日期, 类型 (工会经费 / 建会筹备金). Every bad row reported; none
 * written unless all are good; flagged rows are imported and listed. */
int fee_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, const char *file_name,
               int dry_run, import_progress_fn progress, void *pctx, json_t **out, gh_err *e);
/* fee_import of an uploaded file (named "上传文件" in the import record). */
int fee_import_upload(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                      import_progress_fn progress, void *pctx, json_t **out, gh_err *e);
typedef struct payment_query {
    int64_t enterprise_id, org_id;
    const char *from, *to; /* months YYYY-MM */
    int flagged;           /* -1 any */
    int page, per_page;
} payment_query;
int fee_payments_list(gh_ctx *x, const payment_query *q, json_t **out, gh_err *e);

/* The demo data set's fees records (the module's demo loader). */
int fees_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

#endif
