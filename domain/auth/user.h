/* user.h — staff accounts: officers, auditors, admins, and the accounts of
 * providers, banks and enterprises. Member accounts are created when a join
 * request is approved (member.h), not here.
 *
 * Who may do what:
 *   - admins (and the command line) manage every account;
 *   - an officer with the org duty manages officer and auditor accounts of
 *     orgs in their scope, and can only hand out duties they hold
 *     themselves (no one can grant more than they have);
 *   - nobody changes their own role, duties or status. */
#ifndef GH_USER_H
#define GH_USER_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"

/* Duty names ↔ bits (membership, hardship, finance, retreat, employment,
 * rights, org). */
json_t *user_duties_json(unsigned duties);
int user_duties_parse(const json_t *arr, unsigned *out, gh_err *e);

/* body: login, display_name, role, duties[], org_id, password,
 * provider_id, enterprise_id. */
int user_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

typedef struct user_query {
    const char *q;
    const char *role;
    int64_t org_id;
    int page, per_page;
} user_query;
int user_list(gh_ctx *x, const user_query *q, json_t **out, gh_err *e);
int user_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* body: display_name, duties, status. */
int user_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
/* Set a new password chosen by the officer, unlock the account and end all
 * its sessions. */
int user_reset_password(gh_ctx *x, int64_t id, const char *password, gh_err *e);

/* Remove the TOTP and recovery codes of an account whose owner lost both
 * (a new phone): the owner enrols again at the next log-in. reason is
 * required and audited. *out: the account. */
int user_reset_totp(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

/* user_reset_password from a request body {password}; *out stays NULL (204). */
extern const jv_field user_reset_fields[];
int user_reset_password_body(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);

#endif
