/* auth.h — log-in, sessions, passwords and second factors.
 *
 * Sessions are random 256-bit tokens handed to the client once and stored
 * only as SHA-256 hashes in the database, so several server processes share
 * them and a copy of the table lets nobody in. A session ends after
 * cfg->session_idle_s without use, on log-out, and — for every session of the
 * user but the current one — on a password change.
 *
 * Log-in rules (docs/operations.md, 登录规则):
 *   - an unknown log-in behaves exactly like a wrong password: same answer,
 *     same password-hash work, same throttling; the audit log names it only
 *     by a keyed hash of what was typed;
 *   - failures are throttled with growing delays, per client address and per
 *     log-in name (429 too_many_attempts with Retry-After), in the database;
 *   - from an address that logged in to the account before, the account has
 *     its own counter, so strangers cannot lock its owner out; and a
 *     throttled account with a second factor still logs in by sending the
 *     code with the password;
 *   - an account with TOTP gets a challenge after the password and a
 *     session only for a valid code (auth_second_factor);
 *   - the admin may require TOTP for admins, auditors and officers with the
 *     finance or hardship duty; such a user without it gets a session that
 *     can only enrol (actor->must_enrol). */
#ifndef GH_AUTH_H
#define GH_AUTH_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"


/* Resolve a session token into an actor (user fields; the client address
 * already in *a is kept). csrf (64 bytes) receives the session's CSRF token.
 * ERR_UNAUTH when the token is unknown, revoked, idle too long or its user
 * disabled. */
int auth_resolve(gh_ctx *x, const char *token, gh_actor *a, char csrf[64], gh_err *e);

/* A log-in attempt. */
typedef struct auth_login_req {
    const char *login;      /* user name (staff) or mobile number (members) */
    const char *password;
    const char *code;       /* optional: a TOTP or recovery code, for a throttled account */
    const char *user_agent; /* may be NULL */
    int bearer;             /* an API client: the token goes in the answer, not a cookie */
} auth_login_req;

/* Its outcome (zeroed by the call; free token, decref out). */
typedef struct auth_login_res {
    char *token;       /* the new session's token, or NULL while a second factor is due */
    json_t *out;       /* the answer: {user, csrf_token, idle_timeout_s, must_enrol_totp}, or
                        * {second_factor: "totp", challenge, expires_in} */
    int bearer;        /* hand the token over in the body (else as the session cookie) */
    int retry_after_s; /* with ERR_RATE: seconds until the next attempt may be made */
} auth_login_res;

/* Step one: the password. res->token set: a session; NULL with res->out
 * set: a challenge for auth_second_factor. ERR_UNAUTH invalid_credentials
 * for a wrong password and an unknown log-in alike; ERR_RATE
 * too_many_attempts while throttled. */
int auth_login(gh_ctx *x, const auth_login_req *q, auth_login_res *res, gh_err *e);

/* Step two: the challenge of step one and a TOTP or recovery code; a
 * session as the first step asked (cookie or bearer). ERR_UNAUTH
 * challenge_expired (five minutes, five tries) or invalid_code. */
int auth_second_factor(gh_ctx *x, const char *challenge, const char *code, const char *user_agent,
                       auth_login_res *res, gh_err *e);

/* The name the audit log gives a log-in attempt that named nobody:
 * "unknown:" + 32 hex digits of a keyed hash (the hash key of the key file)
 * of the log-in as typed (case and mobile formatting do not matter), so
 * an investigator can find the attempts at one name without the log ever
 * holding what people typed. */
void auth_unknown_login_name(const gh_config *cfg, const char *typed, char out[48]);

/* The refusal of every route but enrolment for a session that must enrol
 * a second factor first: ERR_FORBIDDEN "second_factor_required". */
int auth_enrol_refuse(gh_err *e);

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

/* ---- second factor (auth_totp.c) ----
 * TOTP of RFC 6238 (HMAC-SHA1, 6 digits, 30-second steps, one step either
 * way), the secret sealed with the data key, a step never accepted twice;
 * ten one-time recovery codes, stored as keyed hashes. */

/* {enabled, pending, required, enabled_at, recovery_codes_left} of the
 * logged-in user. */
int auth_totp_status(gh_ctx *x, json_t **out, gh_err *e);
/* Start (or restart) enrolment: a new secret, not yet in force.
 * {secret (base32), uri (otpauth://), qr_svg, algorithm, digits, period}.
 * ERR_CONFLICT totp_enabled when TOTP is already on. */
int auth_totp_begin(gh_ctx *x, json_t **out, gh_err *e);
/* Confirm enrolment with the first code {code}: TOTP is on, sessions that
 * had to enrol are full sessions, and {recovery_codes: [10]} is shown this
 * once. */
int auth_totp_confirm(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
/* Turn TOTP off with a current code {code} (TOTP or recovery). Refused
 * (403 second_factor_mandatory) when the user's duty requires it. */
int auth_totp_disable(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

/* Who must have a second factor: {admin, auditor, finance, hardship}
 * (booleans). Read by admins and auditors, set by admins. */
int auth_second_factor_policy(gh_ctx *x, json_t **out, gh_err *e);
int auth_second_factor_policy_set(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

/* Request bodies of the session routes: log-in {login, password, code?,
 * mode? cookie|bearer}, the second step {challenge, code}, a code {code},
 * the requirement {admin, auditor, finance, hardship} and a password change
 * {old_password, new_password}. */
extern const jv_field auth_login_fields[];
extern const jv_field auth_second_factor_fields[];
extern const jv_field auth_code_fields[];
extern const jv_field auth_policy_fields[];
extern const jv_field auth_password_fields[];
/* auth_change_password from a request body; *out stays NULL (204). */
int auth_change_password_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

#endif
