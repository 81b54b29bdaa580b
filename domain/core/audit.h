/* audit.h — the append-only, hash-chained audit log.
 *
 * Every write, every log-in (success or failure) and every reveal of a
 * sensitive field is recorded with who, what, which object, which org, when,
 * from where and with what outcome. Rows are never updated or deleted; each
 * carries a keyed hash of its own content and the previous hash within its
 * partition (the province of its org, see chain.h), so `gonghui audit
 * verify` finds any row altered, removed, reordered or inserted outside the
 * platform, and signed checkpoints (checkpoint.h) any rollback. */
#ifndef GH_AUDIT_H
#define GH_AUDIT_H

#include <jansson.h>

#include "domain/core/chain.h"
#include "domain/core/ctx.h"

/* Append one entry. Joins the caller's transaction when there is one (the
 * entry then commits or rolls back with the change it describes); otherwise
 * commits on its own, which is what a refused or failed action needs.
 * org_id 0 = no org. detail (borrowed, may be NULL) is stored as JSON. */
int audit_record(gh_ctx *x, const char *action, const char *object_type, int64_t object_id,
                 int64_t org_id, const char *outcome, const json_t *detail, gh_err *e);

/* Search (auditors and admins; an auditor sees entries of orgs in scope and
 * entries about their own org's people). Filters (all optional, in q): actor
 * (login), actor_id, action (prefix), object_type, object_id, from, to
 * (timestamps or dates), outcome; page, per_page. *out = {items, total}. */
typedef struct audit_query {
    const char *actor;
    int64_t actor_id;
    const char *action;
    const char *object_type;
    int64_t object_id;
    const char *from, *to;
    const char *outcome;
    int page, per_page;
} audit_query;
int audit_search(gh_ctx *x, const audit_query *q, json_t **out, gh_err *e);

/* Recompute every partition's chain in one snapshot and the root over the
 * partitions, and compare it with the checkpoint entries in targets (may be
 * NULL). key: the chain key (NULL: check without it, see chain_check). rep (freed by the caller with chain_report_free, also after an
 * error) receives the rows checked, each partition with its head and any
 * breach, and the root. A breach in any partition: ERR_CONFLICT, e names the
 * first broken partition and row. */
int audit_verify(store_conn *db, const unsigned char *key, const chain_targets *targets, chain_report *rep, gh_err *e);

#endif
