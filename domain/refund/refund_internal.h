/* refund_internal.h — what refund.c shares with refund_bank.c and
 * refund_stats.c; not for other capabilities. */
#ifndef GH_REFUND_INTERNAL_H
#define GH_REFUND_INTERNAL_H

#include "domain/core/ctx.h"

/* A run the actor may see (finance staff in scope); *out (may be NULL) its
 * row, path (may be NULL) the run's org path. ERR_NOT_FOUND otherwise. */
int refund_run_load(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e);

/* Whose books a refund of org_id's enterprises goes through: the province
 * above (the collector of the fees), or the org itself at the top. */
int refund_payer(store_conn *db, int64_t org_id, int64_t *payer, gh_err *e);

#endif
