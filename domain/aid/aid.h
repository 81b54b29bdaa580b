/* aid.h — aid to workers in hardship (帮扶救助): grants and pairing.
 *
 * Kinds of grant: education aid for children (金秋助学, an amount by school
 * level and category), critical-illness aid (大病救助), living aid (生活救助),
 * holiday visits (送温暖) and skills training (技能培训). Their rules are one
 * versioned policy parameter of the region (kind "aid_rules"), as in force
 * on the day of the application:
 *   {"kinds": {
 *     "education": {"eligible": ["deep", "relative"], "yearly_cap_fen": 750000,
 *                   "amounts_fen": {"college": {"deep": 750000, "relative": 600000},
 *                                   "high_school": {...}, "compulsory": {...}}},
 *     "illness":   {"eligible": [...], "max_fen": 2000000, "yearly_cap_fen": 3000000},
 *     "living" / "holiday" / "training": {"eligible": [...], "standard_fen": …, "max_fen": …,
 *                   "yearly_cap_fen": …}}}
 * A kind absent from the rules is not offered there.
 *
 * A grant goes applied (by the member for their own open file, or by an
 * officer with the hardship duty) → reviewed (an officer) → approved
 * (another officer; posted to the ledger: aid expense / aid payable in the
 * approving union's books; the person's yearly cap per kind is held by one
 * conditional UPDATE) → paid (finance duty: aid payable → bank), or
 * rejected before approval. A grant over a cap, outside the eligible
 * categories, over the standard, or to a file that is not open is refused
 * with the reason.
 *
 * Pairing (结对帮扶): an officer or a unit paired with a household, with a
 * log of visits (notes sealed). */
#ifndef GH_AID_H
#define GH_AID_H

#include <jansson.h>

#include "domain/core/ctx.h"

extern const char *const aid_kinds[]; /* education, illness, living, holiday, training */

/* Policy validator for kind "aid_rules" (policy.c calls it). */
int aid_rules_validate(const json_t *params, gh_err *e);

/* body: file_id, kind, amount_fen (optional where a standard applies),
 * school_level and child_index (education), reason. */
int aid_apply(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int aid_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
typedef struct aid_query {
    int64_t org_id, file_id;
    const char *kind, *status;
    int page, per_page;
} aid_query;
/* Staff with the hardship duty: grants in scope; members: their own. */
int aid_list(gh_ctx *x, const aid_query *q, json_t **out, gh_err *e);
int aid_review(gh_ctx *x, int64_t id, const char *note, json_t **out, gh_err *e);
int aid_approve(gh_ctx *x, int64_t id, const char *note, json_t **out, gh_err *e);
int aid_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);
int aid_pay(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* Approved (and paid) grants in the subtree of org_id whose approval date
 * lies in from..to: by kind, by child org, totals, people helped, and the
 * sentence a report would print. */
typedef struct aid_stats_query {
    int64_t org_id;
    const char *from, *to; /* approval dates YYYY-MM-DD, or NULL */
} aid_stats_query;
int aid_stats(gh_ctx *x, const aid_stats_query *q, json_t **out, gh_err *e);

/* Pairing: body file_id, partner_kind (officer | unit), partner_name,
 * started_on. Visits: visited_on, note. */
int aid_pairing_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
typedef struct aid_pairing_query {
    int64_t file_id; /* required */
} aid_pairing_query;
int aid_pairings_list(gh_ctx *x, const aid_pairing_query *q, json_t **out, gh_err *e);
int aid_visit_add(gh_ctx *x, int64_t pairing_id, const json_t *body, json_t **out, gh_err *e);
int aid_visits_list(gh_ctx *x, int64_t pairing_id, json_t **out, gh_err *e);

#endif
