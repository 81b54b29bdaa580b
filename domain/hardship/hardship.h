/* hardship.h — files of workers in hardship (困难职工档案) under dynamic
 * management (动态管理).
 *
 * One household, one file (一户一档): a person (the member, or anyone named
 * as a family member, by the keyed hash of the ID number) belongs to at most
 * one live file. A file is opened for a member by a union officer with the
 * hardship duty (status pending), and confirmed by an officer of a level
 * above the file's union (open), who confirms the category. Once confirmed,
 * the category changes (by an edit or the yearly review) only by a level
 * above the file's union, as it was confirmed. The platform
 * suggests the category from the figures:
 *   family income per head after the rigid costs (illness, disability,
 *   schooling, work) below the local minimum-living standard (低保)  → deep;
 *   otherwise a sudden accident, disaster or major illness             → accident;
 *   otherwise below the configured multiple of 低保 (commonly 2×)      → relative;
 *   otherwise no suggestion (the officer must give a reason to file anyway).
 * 低保 and the multiple are versioned policy parameters (kind
 * "hardship_standard": dibao_fen per person per month, relative_multiple_pct)
 * per region org, taken as in force on the day of the assessment.
 *
 * Exclusions (two or more homes, owning a business that employs others) are
 * checked when a file is opened and flagged; a flagged file is confirmed
 * only with a stated override reason.
 *
 * Dynamic management: files close at any time with a reason; every open
 * file is reviewed yearly (review_due, one year after approval or the last
 * review); every change is kept in the history with a sealed snapshot.
 * Closed files are read-only and kept ten years, then `gonghui hardship
 * purge` erases their sealed content (the shell stays: statistics and the
 * ledger's references to the aid paid need it).
 *
 * Privacy: incomes, health, disability, the family (names, ID numbers,
 * incomes) and the bank account are one sealed JSON blob. Lists show masked
 * names and ID numbers and nothing from the blob. Only officers with the
 * hardship duty whose scope holds the file may read it (others in scope:
 * 403; out of scope: 404), a member reads their own file, and every read —
 * allowed or refused — is in the audit log. */
#ifndef GH_HARDSHIP_H
#define GH_HARDSHIP_H

#include <jansson.h>

#include "domain/core/ctx.h"
#include "domain/core/module.h"

extern const char *const hardship_categories[];   /* deep, relative, accident */
extern const char *const hardship_causes[];       /* the ten causes of the national form */
extern const char *const hardship_close_reasons[];

/* Policy validator for kind "hardship_standard" (policy.c calls it). */
int hardship_standard_validate(const json_t *params, gh_err *e);

/* The figures and the suggested category for a file body (fields as for
 * opening, member_id and org_id optional), without saving anything. */
int hardship_assess(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

int hardship_open(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* The whole file, sealed fields opened (family ID numbers and the bank
 * account masked). Audited. */
int hardship_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* The logged-in member's latest file. Audited. */
int hardship_me(gh_ctx *x, json_t **out, gh_err *e);
/* Change fields of a pending or open file (merged, checked and assessed
 * again as a whole). */
int hardship_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* The level above confirms (category, note, exclusion_override_reason) or
 * rejects (reason) a pending file. */
int hardship_approve(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int hardship_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);
/* Yearly review of an open file: outcome continue (category may change,
 * with a reason) or close (close_reason). */
int hardship_review(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Close (reason from hardship_close_reasons, note). */
int hardship_close(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Every change, oldest first, with the fields that changed. Audited. */
int hardship_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* The full bank account or a family member's ID number, with a reason.
 * body: field ("bank_account" | "family_id_number"), index, reason. */
int hardship_reveal(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);

typedef struct hardship_query {
    int64_t org_id;            /* subtree of (0: own scope) */
    const char *status, *category, *cause;
    const char *q;             /* member name prefix */
    int review;                /* 1: due within 30 days or overdue */
    int page, per_page;
} hardship_query;
/* Files in scope, masked. The listing itself is audited. */
int hardship_list(gh_ctx *x, const hardship_query *q, json_t **out, gh_err *e);

/* Open files whose yearly review falls due within within_days (or is
 * overdue), by due date, with the overdue count. */
typedef struct hardship_due_query {
    int64_t org_id;
    int64_t within_days; /* files due within this many days; -1: overdue only */
    int page, per_page;
} hardship_due_query;
int hardship_due_list(gh_ctx *x, const hardship_due_query *q, json_t **out, gh_err *e);

/* Reminders for the officer's home page: files pending approval, reviews
 * overdue and due within 30 days, open files by category. */
int hardship_summary(gh_ctx *x, json_t **out, gh_err *e);

/* Closed files whose ten years are over. apply = 0 lists them; apply = 1
 * erases their sealed content in one transaction (system or admin). */
int hardship_purge(gh_ctx *x, int apply, json_t **out, gh_err *e);

/* ---- for aid.c ---- */
typedef struct hardship_ref {
    int64_t id, org_id, member_id;
    char status[12], category[12];
    char path[GH_PATH_MAX];
} hardship_ref;
/* Load a file's keys; ERR_NOT_FOUND "file_not_found". No access check. */
int hardship_ref_load(store_conn *db, int64_t id, hardship_ref *f, gh_err *e);
/* May the actor read (write = 0) or act on (write = 1) file f? Members:
 * their own file (read only unless self_write). Staff: hardship duty and
 * scope. Refusals are audited as action with outcome denied. */
int hardship_access(gh_ctx *x, const hardship_ref *f, int write, int self_write, const char *action, gh_err *e);
/* The opened record of a file (caller decrefs). */
int hardship_record(gh_ctx *x, int64_t id, json_t **rec, gh_err *e);
/* Lower and upper bound of the subtree of org_id (0: the actor's scope). */
int hardship_scope_bounds(gh_ctx *x, int64_t org_id, char lo[GH_PATH_MAX], char hi[GH_PATH_MAX], gh_err *e);

/* The module's reminders (the message centre): yearly reviews falling due. */
int hardship_remind(gh_ctx *x, gh_err *e);

/* The demo data set's hardship records (the module's demo loader). */
int hardship_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

#endif
