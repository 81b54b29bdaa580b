/* err.h — the one error vocabulary of gonghui.
 *
 * Every function that can fail returns int: 0 for success or one of the
 * negative ERR_* codes below. Detail for people goes into a struct gh_err the
 * caller passes in (it may be NULL when the caller only needs the code):
 *   - code:    a stable snake_case identifier clients may switch on
 *              ("invalid_id_number", "org_not_found");
 *   - message: a Chinese sentence for the person in front of the screen;
 *   - field:   the input field at fault, when there is one.
 * The HTTP layer maps the numeric code to a status (err_http_status). */
#ifndef GH_ERR_H
#define GH_ERR_H

#include <stddef.h>

enum {
    ERR_OK = 0,
    ERR_INVALID = -1,      /* bad input: 400 */
    ERR_NOT_FOUND = -2,    /* 404; also what out-of-scope records look like */
    ERR_CONFLICT = -3,     /* duplicates, state conflicts: 409 */
    ERR_UNAUTH = -4,       /* not logged in / bad credentials: 401 */
    ERR_FORBIDDEN = -5,    /* logged in but not allowed: 403 */
    ERR_TOO_LARGE = -6,    /* body over the limit: 413 */
    ERR_LOCKED = -7,       /* account locked, run already in progress: 423 */
    ERR_RATE = -8,         /* too many requests: 429 */
    ERR_UNSUPPORTED = -9,  /* wrong media type: 415 */
    ERR_GONE = -10,        /* expired, withdrawn: 410 */
    ERR_RETRY = -11,       /* transient storage conflict, safe to retry */
    ERR_STORE = -12,       /* storage failed: 500 */
    ERR_NOMEM = -13,       /* out of memory: 500 */
    ERR_INTERNAL = -14,    /* a bug or an environment failure: 500 */
    ERR_UNAVAILABLE = -15, /* shutting down, dependency down: 503 */
};

typedef struct gh_err {
    int rc;
    char code[48];
    char field[64];
    char message[320];
} gh_err;

/* Record an error and return rc, so callers can write
 *   return err_set(e, ERR_INVALID, "invalid_mobile", "mobile", "手机号码格式不正确");
 * e may be NULL. fmt is printf-style. */
int err_set(gh_err *e, int rc, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Clear e (no error). Accepts NULL. */
void err_clear(gh_err *e);

/* Status code for an ERR_* value (200 for ERR_OK). */
int err_http_status(int rc);

/* Default stable code for an ERR_* value, used when none was set. */
const char *err_default_code(int rc);

/* Default Chinese message for an ERR_* value. */
const char *err_default_message(int rc);

#endif
