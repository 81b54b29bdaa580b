/* joinreq.h — joining the union online (网上入会).
 *
 * Anyone may apply with name, ID number, mobile, employment form, employer
 * or platform, city, the union they want to join and a password for their
 * future account. The application goes to the chosen grassroots union (or,
 * for platform workers without an employer union, the city or county union
 * they chose); an officer with the membership duty in that subtree approves
 * it — creating the member and the member's account in one transaction — or
 * rejects it with a reason. One person is one member: applying while already
 * a member, or while an application is pending, is refused. The applicant
 * follows the application with a tracking code shown once at submission. */
#ifndef GH_JOINREQ_H
#define GH_JOINREQ_H

#include <jansson.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"

int join_submit(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);
int join_status(gh_ctx *x, const char *tracking_code, json_t **out, gh_err *e);

/* Tracking codes: a new one (shown with a hyphen, plain without), and what
 * was typed as the plain code (upper case, no hyphen or spaces; -1 when
 * empty or too long). Older, longer codes still work as typed. */
#define JOIN_CODE_LEN 10
#define JOIN_CODE_BUF 72
void join_code_new(char shown[JOIN_CODE_BUF], char plain[JOIN_CODE_LEN + 1]);
int join_code_normal(const char *typed, char plain[JOIN_CODE_BUF]);

typedef struct join_query {
    const char *status; /* pending (default), approved, rejected, all */
    int64_t org_id;
    int page, per_page;
} join_query;
int join_list(gh_ctx *x, const join_query *q, json_t **out, gh_err *e);
int join_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* body: card_no (optional). */
int join_approve(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e);
int join_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

/* join_status from a request body {code}, or {id_number, mobile} when the
 * code is lost (POST: these are secrets and must not end up in a URL). */
extern const jv_field join_status_fields[];
int join_status_body(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

#endif
