/* member.h — union members (工会会员): records, data scope, masking and the
 * audited reveal of sensitive fields, transfers, dashboards, and bulk import.
 *
 * One person (ID number) is one member: the keyed hash of the ID number is
 * unique. ID numbers and mobiles are sealed at rest and shown masked
 * everywhere (3201**********123X, 138****5678); the full value comes only
 * from member_reveal, which is audited with the reason given.
 *
 * Scope: officers, auditors and admins see members of orgs in their scope;
 * a member sees their own record; writes need the membership duty. A record
 * outside one's scope is "not found", never "forbidden". */
#ifndef GH_MEMBER_H
#define GH_MEMBER_H

#include <jansson.h>
#include <stdio.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"
#include "domain/core/module.h"
#include "domain/core/importer.h"

extern const char *const member_forms[];    /* employee, courier, food_delivery, … */
extern const char *const member_statuses[]; /* active, transferred, left */
extern const char *const model_worker_levels[]; /* national, provincial, city */

/* Longest name and employer, in characters; buffers hold that many 4-byte
 * characters, so a value is never cut inside one. */
#define MEMBER_NAME_MAX 50
#define MEMBER_EMPLOYER_MAX 100
#define MEMBER_NAME_BUF (4 * MEMBER_NAME_MAX + 1)

/* A new member's values, checked and normalised, ready to insert. */
typedef struct member_rec {
    int64_t org_id;
    char name[MEMBER_NAME_BUF];
    char gender[8];
    int birth_year;
    char id18[19], id_hash[65], id_mask[19], id_tail[5];
    char mobile[12], mobile_hash[65], mobile_mask[12], mobile_tail[5];
    char form[16];
    char employer[4 * MEMBER_EMPLOYER_MAX + 1];
    int frontline;
    char model_worker[12];
    int craftsman;
    char join_date[11];
    char card_no[40];
} member_rec;

/* Check a JSON object (fields as in the API: name, id_number, mobile,
 * employment_form, employer, frontline, model_worker, craftsman, join_date,
 * card_no, org_id) and fill rec. Every problem names its field. */
int member_rec_from_json(const gh_config *cfg, const json_t *body, member_rec *rec, gh_err *e);

/* The lookup keys of an ID number and a mobile number as records store
 * them (after checking both): for finding a person's records without
 * storing what they typed. */
int member_key_hashes(const gh_config *cfg, const char *id_number, const char *mobile, char id_hash[65],
                      char mobile_hash[65], gh_err *e);

/* Insert a checked record (no scope check: callers have done it) and its
 * history row; *id receives the new id. Runs inside the caller's transaction.
 * ERR_CONFLICT "already_member" when the person is already a member. */
int member_insert(gh_ctx *x, const member_rec *rec, const char *history_kind, int64_t *id, gh_err *e);

/* May org_id hold a member of this employment form directly? Grassroots
 * unions hold everyone; city and county unions hold new-employment-form
 * workers without an employer union. path receives the org's path. */
int member_org_check(store_conn *db, int64_t org_id, const char *form, char path[GH_PATH_MAX], gh_err *e);

int member_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int member_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* The logged-in member's own record, with the union card. */
int member_me(gh_ctx *x, json_t **out, gh_err *e);

typedef struct member_query {
    const char *q;              /* name prefix, ID or mobile tail (4), full ID, full mobile */
    int64_t org_id;             /* subtree of */
    const char *employment_form, *status;
    int frontline;              /* -1 any, 0, 1 */
    int page, per_page;
} member_query;
int member_list(gh_ctx *x, const member_query *q, json_t **out, gh_err *e);

/* body: employment_form, employer, frontline, model_worker, craftsman,
 * card_no, mobile, name, status (+ reason). */
int member_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int member_transfer(gh_ctx *x, int64_t id, int64_t to_org, const char *reason, json_t **out, gh_err *e);
int member_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* field: "id_number" or "mobile"; reason is required and audited. */
int member_reveal(gh_ctx *x, int64_t id, const char *field, const char *reason, json_t **out, gh_err *e);

/* Dashboard counts for the subtree of org_id (0: the actor's own scope):
 * totals, by employment form, by child org, joined per month (last 24). */
int member_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e);

/* Bulk import of a CSV as Excel writes it (UTF-8 with or without BOM, or
 * GBK) into org_id's subtree (each row may name its own grassroots union by
 * 组织编号; otherwise org_id). All rows or none: a dry run (or any bad row)
 * writes nothing and *out lists every bad row as {line, field, reason}.
 * progress (may be NULL) is called every few thousand rows. */
/* May the actor import into org_id? (duty and scope; checked before an
 * upload is queued as a job, and again by member_import itself.) */
int member_import_allowed(gh_ctx *x, int64_t org_id, gh_err *e);

int member_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path,
                  int dry_run, import_progress_fn progress, void *pctx, json_t **out, gh_err *e);

/* Self-service account activation for a member who was imported or added by
 * an officer: ID number + mobile on record + a new password. */
int member_activate(gh_ctx *x, const char *id_number, const char *mobile, const char *password,
                    json_t **out, gh_err *e);

/* Forgotten password, without asking the union (member_reset.c).
 * Step 1, {id_number, mobile}: always the same answer (202 text), whether
 * or not they belong to a member with an account, so the form cannot be
 * used to learn who is a member; when they do, a 6-digit code (kept as a
 * keyed hash, 10 minutes, 5 tries; a new request replaces the open one) is
 * queued to that mobile through notice_sms. Step 2, {id_number, mobile,
 * code, new_password}: the password rule of auth_password_ok (400
 * weak_password, field new_password), then the code (400
 * reset_code_invalid for a wrong, expired, used or unknown one); sets the
 * password, clears a log-in lockout and ends every session of the account.
 * Both steps are limited per address and per person (429 rate_limited) and
 * audited (member.password_reset_request, member.password_reset). */
extern const jv_field member_reset_fields[];
extern const jv_field member_reset_confirm_fields[];
int member_reset_request(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int member_reset_confirm(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

/* Create the member's log-in account (login = mobile) with a password hash. */
int member_create_account(gh_ctx *x, int64_t member_id, const member_rec *rec, const char *password_hash,
                          gh_err *e);

/* The demo data set's member records (the module's demo loader). */
int member_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e);

/* The same operations from request bodies (the schemas are exported for the
 * API reference): transfer {to_org_id, reason}, reveal {field, reason?},
 * activation {id_number, mobile, password}; and the figures' query. */
extern const jv_field member_transfer_fields[];
extern const jv_field member_reveal_fields[];
extern const jv_field member_activate_fields[];
int member_transfer_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int member_reveal_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int member_activate_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
typedef struct member_stats_query {
    int64_t org_id;
} member_stats_query;
int member_stats_q(gh_ctx *x, const member_stats_query *q, json_t **out, gh_err *e);

#endif
