/* auth.h — log-in, sessions and passwords.
 *
 * Sessions are random 256-bit tokens handed to the client once and stored
 * only as SHA-256 hashes in the database, so several server processes share
 * them and a copy of the table lets nobody in. A session ends after
 * cfg->session_idle_s without use, on log-out, and — for every session of the
 * user but the current one — on a password change. Five wrong passwords in a
 * row lock an account for 15 minutes; the counters live in the database. */
#ifndef GH_AUTH_H
#define GH_AUTH_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"

#define AUTH_MAX_FAILURES 5
#define AUTH_LOCK_MS (15 * 60 * 1000)

/* Resolve a session token into an actor (user fields; the client address
 * already in *a is kept). csrf (64 bytes) receives the session's CSRF token.
 * ERR_UNAUTH when the token is unknown, revoked, idle too long or its user
 * disabled. */
int auth_resolve(gh_ctx *x, const char *token, gh_actor *a, char csrf[64], gh_err *e);

/* Log in with a user name (officers and other staff) or a mobile number
 * (members). On success *token (malloc'd, caller frees) is the session token
 * and *out describes the user and holds the CSRF token. */
int auth_login(gh_ctx *x, const char *login, const char *password, const char *user_agent,
               char **token, json_t **out, gh_err *e);

/* End the current session. */
int auth_logout(gh_ctx *x, gh_err *e);

/* The logged-in user as JSON (with csrf). */
int auth_me(gh_ctx *x, const char *csrf, json_t **out, gh_err *e);

/* Change one's own password; every other session of the user ends. */
int auth_change_password(gh_ctx *x, const char *old_pw, const char *new_pw, gh_err *e);

/* The one password rule, for staff and members alike: 8 to 128 characters,
 * not guessable (a common password, a steady run or repetition, a keyboard
 * walk, digits only), not containing the login (NULL: none).
 * ERR_INVALID "weak_password" otherwise. */
int auth_password_ok(const char *password, const char *login, gh_err *e);

/* The actor of an existing user (by login), as if that user had logged in:
 * for the demo data and operator tools acting on someone's behalf. */
int auth_actor_for_login(store_conn *db, const char *login, gh_actor *a, gh_err *e);

/* The lookup key stored in users.login for a member's mobile number. */
void auth_mobile_login(const gh_config *cfg, const char *mobile11, char out[80]);

/* Request bodies of the session routes: log-in {login, password, mode?
 * cookie|bearer} and a password change {old_password, new_password}. */
extern const jv_field auth_login_fields[];
extern const jv_field auth_password_fields[];
/* auth_change_password from a request body; *out stays NULL (204). */
int auth_change_password_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

#endif
