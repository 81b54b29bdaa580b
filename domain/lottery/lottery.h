/* lottery.h — voucher lotteries (消费券抽取) that anyone can verify.
 *
 * A union must be seen to be fair: any member, journalist or auditor can
 * recompute the winners from public facts, and no officer can steer them.
 *
 * Life of a campaign (status in the table; "phase" adds the clock):
 *   open      created with its rules (face value, number of vouchers,
 *             validity, where usable, eligibility) and its public randomness
 *             sources (named lottery draws on named dates) — all fixed at
 *             creation, before sign-up even opens; only the title and the
 *             description can be edited later. Phases: upcoming → signup →
 *             closed (after signup_closes_at, until frozen).
 *   frozen    the pool is fixed: entry numbers 1..N in sign-up order, the
 *             entrant list published with masked names and mobile tails, and
 *             the SHA-256 of the list file. Freezing happens on the first
 *             read or action after sign-up closes (any visitor triggers it;
 *             the result does not depend on when or by whom).
 *   drawn     an officer entered the sources' published values, on or after
 *             their draw dates; the draw (rfc3797.h) is stored step by step
 *             with the key string and issued one voucher per winner.
 *             Drawing again is impossible. A typo in the values is corrected
 *             as a new, audited version while no voucher has been redeemed
 *             or forfeited and no second round was drawn: the earlier
 *             version and its winners stay public, its vouchers become void.
 *             Second rounds replace forfeited vouchers by continuing the same
 *             sequence over the remaining pool (the reserve order is thus
 *             public from the first draw on).
 *   cancelled with a public reason, and only before the earliest draw date
 *             of the sources (China date): from that day on anyone can start
 *             computing the winners, and a cancel would be a veto on a result
 *             taking shape (a typo is corrected, never cancelled). Sources
 *             draw strictly after the sign-up close day, so sign-up is
 *             always over before the first of them draws.
 *
 * Rules for entries: members only, one entry per member, inside the window,
 * active membership in the eligible org's subtree (and frontline workers
 * only when the campaign says so).
 *
 * Who: campaign lists, pages, entrant lists and results are public.
 * Managing a campaign needs the retreat duty (疗休养) in the offering org's
 * scope; figures need the retreat or finance duty, or an auditor's role,
 * and the organising union in the actor's scope. */
#ifndef GH_LOTTERY_H
#define GH_LOTTERY_H

#include <jansson.h>
#include <stddef.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"
#include "domain/core/module.h"

/* body: title, description, org_id, face_value_fen, voucher_count,
 * valid_from, valid_to, elig_org_id (default org_id), frontline_only,
 * signup_opens_at, signup_closes_at (RFC 3339), sources [{name, draw_date,
 * value_count, note}], provider_ids [..]. */
int lottery_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* title and description only. */
int lottery_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int lottery_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

/* The public page of a campaign: rules, sources, providers, timeline,
 * every version of the draw, cancel_before (the earliest draw date); for a
 * member also their entry and whether they may enter; can_manage and
 * can_cancel; voucher counts (figures) within the organiser's scope. */
int lottery_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

typedef struct lottery_query {
    const char *q;     /* title contains */
    const char *phase; /* upcoming, signup, closed, frozen, drawn, cancelled */
    int64_t org_id;    /* offered by the subtree of */
    int for_me;        /* a member: campaigns they are eligible for */
    int page, per_page;
} lottery_query;
int lottery_list(gh_ctx *x, const lottery_query *q, json_t **out, gh_err *e);

/* The logged-in member enters a campaign. */
int lottery_enter(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* The logged-in member's entries (with their outcome). */
int lottery_my_entries(gh_ctx *x, int page, int per_page, json_t **out, gh_err *e);

/* Freeze the pool once sign-up has closed (idempotent). */
int lottery_freeze(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* The published entrant list (frozen campaigns): entry_no, name_mask,
 * mobile_tail; q matches an entry number or a mobile tail. */
int lottery_entrants(gh_ctx *x, int64_t id, const char *q, int page, int per_page, json_t **out, gh_err *e);
/* The list as the file whose SHA-256 is published (the input of `gonghui
 * lottery verify --entrants`). *data is malloc'd. */
int lottery_entrant_file(gh_ctx *x, int64_t id, char **data, size_t *len, gh_err *e);

/* Enter the sources' values (an array of strings, one per declared source in
 * order, numbers separated by spaces) and draw. */
int lottery_draw(gh_ctx *x, int64_t id, const json_t *values, json_t **out, gh_err *e);
/* Correct the values (a new version of the draw), with a reason. */
int lottery_correct(gh_ctx *x, int64_t id, const json_t *values, const char *reason, json_t **out, gh_err *e);
/* Draw count more winners for forfeited vouchers, continuing the sequence. */
int lottery_next_round(gh_ctx *x, int64_t id, int64_t count, json_t **out, gh_err *e);

/* Every step of a draw version (0: the current one), in index order. */
int lottery_picks(gh_ctx *x, int64_t id, int64_t version, int page, int per_page, json_t **out, gh_err *e);
/* The result as text: the key string, then the winners' lines from the
 * entrant file in draw order — exactly what `gonghui lottery verify` prints
 * for the same count. */
int lottery_result_file(gh_ctx *x, int64_t id, char **data, size_t *len, gh_err *e);

/* Figures for the subtree of org_id (0: the actor's scope): per campaign
 * entrants, winners, redeemed count and value, forfeited and expired; and by
 * child org of the entrants' unions. campaign_id (0: all) narrows both; a
 * campaign organised outside the actor's scope is ERR_NOT_FOUND. */
int lottery_stats(gh_ctx *x, int64_t org_id, int64_t campaign_id, json_t **out, gh_err *e);

/* Human label of the method used for an index width. */
const char *lottery_method_label(int index_bytes);

/* The demo data set's lottery records (the module's demo loader). */
int lottery_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

/* Request bodies: a draw {sources: [...]}, a correction {sources, reason},
 * another round {count}. */
extern const jv_field lottery_draw_fields[];
extern const jv_field lottery_correct_fields[];
extern const jv_field lottery_round_fields[];

#endif
