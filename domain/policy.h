/* policy.h — versioned policy parameters (政策参数).
 *
 * Rules that change over time — how a union fee is split, which enterprises
 * get a refund, the local minimum-living standard, mutual-aid deductibles —
 * are data: JSON parameters of a kind, set by an org for its subtree, in
 * force from a date. For an org and a date the policy in force is the latest
 * version (effective_from <= date) set by the nearest org on the path from
 * the root to that org: a city may override its province.
 * Each kind has a validator, so a policy with impossible numbers is refused
 * when it is set, not when it is used. */
#ifndef GH_POLICY_H
#define GH_POLICY_H

#include <jansson.h>

#include "domain/ctx.h"

/* The policy of kind in force for org_id on date (YYYY-MM-DD). *params is a
 * new reference (caller decrefs); *policy_id may be NULL. ERR_NOT_FOUND
 * "no_policy" when none applies. */
int policy_find(store_conn *db, const char *kind, int64_t org_id, const char *date, json_t **params,
                int64_t *policy_id, gh_err *e);

/* Set a version (officer with the duty the kind needs, org in scope). */
int policy_set(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
               const char *note, json_t **out, gh_err *e);

/* Versions visible to the actor: of orgs in scope and of their ancestors. */
int policy_list(gh_ctx *x, const char *kind, int64_t org_id, json_t **out, gh_err *e);

#endif
