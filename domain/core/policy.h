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

#include "base/jsonv.h"

#include "domain/core/ctx.h"

/* The policy of kind in force for org_id on date (YYYY-MM-DD). *params is a
 * new reference (caller decrefs); *policy_id may be NULL. ERR_NOT_FOUND
 * "no_policy" when none applies. */
int policy_find(store_conn *db, const char *kind, int64_t org_id, const char *date, json_t **params,
                int64_t *policy_id, gh_err *e);

/* Check params of kind with the kind's validator. The validators name the
 * key at fault; when it lies inside one item of a collection (an aid
 * project, a mutual-aid band, a refund threshold) the field becomes its path
 * from params — "kinds.illness.max_fen", "bands[1].ratio_pct",
 * "qualify.thresholds[0].max_headcount" — so a form can put the message next
 * to the right input. ERR_INVALID "invalid_choice" for an unknown kind. */
int policy_check(const char *kind, const json_t *params, gh_err *e);

/* Set a version (officer with the duty the kind needs, org in scope). *out
 * is the new version as a list item (see policy_list). */
int policy_set(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
               const char *note, json_t **out, gh_err *e);

/* Everything policy_set would check — duty, date, scope, params, a version
 * already on that day (ERR_CONFLICT "policy_exists") — without writing, for
 * a form to show errors before asking for confirmation. *out: {kind, org_id,
 * effective_from, params, replaces}, replaces being the version the org
 * would otherwise follow on that day (a list item with "inherited"; its
 * status judged on that day) or null. */
int policy_preview(gh_ctx *x, const char *kind, int64_t org_id, const char *effective_from, const json_t *params,
                   json_t **out, gh_err *e);

/* Which versions a list shows. A version's status is judged among the
 * versions the same org set for the same kind, on a day: the latest one in
 * force by then is "in_force", later ones are "scheduled", earlier ones
 * "superseded". (Whether it applies to a given org below depends on that
 * org's own versions: policy_effective answers that.) */
typedef struct policy_query {
    const char *kind;   /* NULL or "": every kind */
    int64_t org_id;     /* 0: the actor's org (an admin without one: every org) */
    const char *status; /* NULL, "" or "all"; "current" (in force or scheduled), "in_force", "scheduled",
                           "superseded" */
    const char *on;     /* the day statuses are judged on, YYYY-MM-DD; NULL or "": today in China */
    int page, per_page;
} policy_query;

/* Versions visible to staff: those the org's ancestors and the org itself
 * set (what applies to it) and those of orgs below it; {items, total}. Each
 * item carries its status and "in_scope" (the actor may publish for that
 * org, given the duty). Policies are rules, not personal data: any staff
 * member may read every kind. */
int policy_list(gh_ctx *x, const policy_query *q, json_t **out, gh_err *e);

/* The version of kind in force for org_id (0: the actor's org) on day on
 * (NULL: today) — the org's own or inherited from the nearest ancestor that
 * set one — as a list item plus "inherited" and "for_org_id". ERR_NOT_FOUND
 * "no_policy" when none applies; "org_not_found" out of scope. */
int policy_effective(gh_ctx *x, const char *kind, int64_t org_id, const char *on, json_t **out, gh_err *e);

/* The kinds the actor works with, {items: [{kind, label, duty, can_set}]}:
 * an officer those of their duties, admins and auditors every kind. */
int policy_kinds(gh_ctx *x, json_t **out, gh_err *e);

/* The same from a request: a body {kind, org_id, effective_from, params,
 * note?} (policy_request_fields) to publish or to check without writing,
 * and the query of the version in force. */
extern const jv_field policy_request_fields[];
int policy_set_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int policy_preview_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
typedef struct policy_effective_query {
    const char *kind; /* required */
    int64_t org_id;
    const char *on;
} policy_effective_query;
int policy_effective_q(gh_ctx *x, const policy_effective_query *q, json_t **out, gh_err *e);

#endif
