/* auth_internal.h — what auth.c, auth_totp.c and user.c share inside
 * domain/auth/ (never included from another capability). */
#ifndef GH_AUTH_INTERNAL_H
#define GH_AUTH_INTERNAL_H

#include <stdint.h>

#include "domain/core/ctx.h"

#define AUTH_TOTP_DIGITS 6
#define AUTH_TOTP_PERIOD 30
#define AUTH_TOTP_WINDOW 1 /* steps accepted either side of now */
#define AUTH_RECOVERY_CODES 10

/* Check a second factor of uid: a current TOTP code (never a step already
 * accepted) or an unused recovery code, which is spent. *ok = 1 on a match,
 * with *factor "totp" or "recovery_code". Joins the caller's transaction,
 * or commits on its own. */
int auth_factor_check(gh_ctx *x, int64_t uid, const char *code, int *ok, const char **factor, gh_err *e);

/* *on = 1 when uid has TOTP in force (confirmed). */
int auth_totp_on(store_conn *db, int64_t uid, int *on, gh_err *e);

/* *req = 1 when the admin's setting requires a second factor of an
 * account with this role (ROLE_*) and these duties. */
int auth_totp_required(store_conn *db, int role, unsigned duties, int *req, gh_err *e);

/* Forget the log-in failures counted against uid (an officer reset the
 * password or the second factor). */
int auth_throttle_forget(store_conn *db, int64_t uid, gh_err *e);

/* Remove uid's TOTP and recovery codes (inside the caller's transaction). */
int auth_totp_remove(store_conn *db, int64_t uid, gh_err *e);

#endif
