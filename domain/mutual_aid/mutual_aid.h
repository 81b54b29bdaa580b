/* mutual_aid.h — mutual medical aid (职工医疗互助): yearly plans, group and
 * individual enrolment, and claims for hospital stays paid through the ledger.
 *
 * A plan belongs to an organising union and a year: who may join (active
 * members of orgs in its subtree; a unit may join as a group when at least
 * min_group_share_pct of its staff join), the contribution per person, the
 * enrolment and cover periods. Contributions are posted as mutual-aid income.
 *
 * The benefit rules are versioned policy parameters of the organising union
 * (kind "mutual_aid_benefit"):
 *   {"deductible_fen": 100000,
 *    "bands": [{"upto_fen": 2000000, "ratio_pct": 50}, {"upto_fen": 5000000, "ratio_pct": 60},
 *              {"upto_fen": null, "ratio_pct": 70}],
 *    "yearly_cap_fen": 5000000}
 * and a claim uses those in force on the day the hospital stay began, so a
 * rule change (a lower deductible, a higher ratio) applies to stays from its
 * date on.
 *
 * The calculation, to the fen:
 *   eligible  = total cost − basic insurance − other insurance − out-of-scope
 *   above     = eligible − deductible (never below 0)
 *   band i    = the part of `above` between the previous band's upto_fen and
 *               this one's (the last band: everything above), × ratio_pct %,
 *               rounded half up to the fen (money_ratio) band by band;
 *   sum       = the bands added up;
 *   payable   = min(sum, yearly cap − what the person's claims in the plan
 *               were already granted), never negative.
 * Insurance paid larger than the cost, or deductions larger than the cost,
 * are refused. Each step is a line of the claim's calculation, so the worker
 * can follow it.
 *
 * Claims: submitted (by the member or an officer) → approved (another
 * officer with the hardship duty; posted as mutual-aid expense / payable;
 * the yearly cap is enforced by one conditional UPDATE) → paid (finance duty;
 * payable → bank), or rejected. Approving and paying spend the plan's fund,
 * so they need the plan's union in the officer's scope; a union below may
 * reject. One live claim per person and stay (the
 * admission date). */
#ifndef GH_MUTUAL_AID_H
#define GH_MUTUAL_AID_H

#include <jansson.h>

#include "domain/core/ctx.h"
#include "domain/core/list.h"

#define MA_MAX_BANDS 8

typedef struct ma_band {
    int64_t upto_fen; /* upper bound of the band in the amount above the deductible; 0 = no bound */
    int ratio_pct;
} ma_band;

typedef struct ma_rules {
    int64_t deductible_fen;
    ma_band bands[MA_MAX_BANDS];
    int nbands;
    int64_t yearly_cap_fen;
} ma_rules;

typedef struct ma_figures {
    int64_t total_cost_fen, basic_insurance_fen, other_insurance_fen, out_of_scope_fen;
    int64_t already_paid_fen; /* granted to the person in the plan before this claim */
} ma_figures;

/* Parse and check benefit rules (also the policy validator). */
int mutual_aid_rules_parse(const json_t *params, ma_rules *r, gh_err *e);
int mutual_aid_benefit_validate(const json_t *params, gh_err *e);

/* The calculation above. *payable receives the amount; lines (may be NULL)
 * receives a new array of {label, amount_fen[, base_fen, ratio_pct]}. */
int mutual_aid_compute(const ma_rules *r, const ma_figures *f, int64_t *payable, json_t **lines, gh_err *e);

/* ---- plans and enrolment ---- */
int mutual_aid_plan_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int mutual_aid_plan_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
typedef struct mutual_aid_plan_query {
    int64_t org_id, year;
    int page, per_page;
} mutual_aid_plan_query;
int mutual_aid_plans_list(gh_ctx *x, const mutual_aid_plan_query *q, json_t **out, gh_err *e);
/* A unit as a group: org_id, staff_count, member_ids. All or none. */
int mutual_aid_group_enrol(gh_ctx *x, int64_t plan_id, const json_t *body, json_t **out, gh_err *e);
/* One person: member_id (officers) or the member themself. */
int mutual_aid_enrol(gh_ctx *x, int64_t plan_id, const json_t *body, json_t **out, gh_err *e);
/* Members: their own enrolment; officers with the hardship duty: those of
 * their scope (paid_fen says who was paid for hospital stays). */
int mutual_aid_enrolments_list(gh_ctx *x, int64_t plan_id, const list_page *pg, json_t **out, gh_err *e);

/* ---- claims ---- */
/* The calculation for figures without saving (plan_id, member_id optional
 * for the cap, admission_date, total_cost_fen, basic_insurance_fen,
 * other_insurance_fen, out_of_scope_fen). */
int mutual_aid_calculate(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int mutual_aid_claim_submit(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* Audited (the diagnosis is sensitive). */
int mutual_aid_claim_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
typedef struct ma_claim_query {
    int64_t org_id, plan_id;
    const char *status;
    int page, per_page;
} ma_claim_query;
/* Staff: claims in scope; members: their own. */
int mutual_aid_claims_list(gh_ctx *x, const ma_claim_query *q, json_t **out, gh_err *e);
int mutual_aid_claim_approve(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
int mutual_aid_claim_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);
int mutual_aid_claim_pay(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

#endif
