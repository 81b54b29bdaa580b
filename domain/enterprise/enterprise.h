/* enterprise.h — the enterprise directory (企业名录). Enterprises are keyed by
 * 统一社会信用代码 and belong to the regional union responsible for them;
 * their bank accounts are sealed and revealed only with a reason. Fees and
 * refunds (fees.h, refund.h) build on it. */
#ifndef GH_ENTERPRISE_H
#define GH_ENTERPRISE_H

#include <jansson.h>

#include "domain/core/ctx.h"
#include "domain/core/importer.h"

int enterprise_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int enterprise_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int enterprise_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* The enterprise of an enterprise account (ERR_NOT_FOUND for other accounts). */
int enterprise_me(gh_ctx *x, json_t **out, gh_err *e);
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
int enterprise_org_allowed(gh_ctx *x, int64_t org_id, gh_err *e);

/* Enterprise and fee data is for officers with the finance duty, auditors
 * and admins (in scope). */
int enterprise_fin_reader(const gh_actor *a);

/* An enterprise the actor may see (finance staff in scope, an enterprise
 * account its own); *out (may be NULL) receives its row, path (may be NULL)
 * its org path. ERR_NOT_FOUND otherwise. */
int enterprise_scoped(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e);

#endif
