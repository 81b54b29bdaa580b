/* routes_hardship.c — workers in hardship over HTTP: files
 * (/api/v1/hardship/…), aid grants and pairing (/api/v1/aid/…) and mutual
 * medical aid (/api/v1/mutual-aid/…). Each handler reads its inputs and
 * calls one domain function; access, audit and rules live in domain/. */
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/aid/aid.h"
#include "domain/hardship/hardship.h"
#include "domain/mutual_aid/mutual_aid.h"
#include "http/routes.h"

static int q_int(http_req *r, const char *k, int64_t *v, gh_err *e) { return http_query_int(r, k, 0, v, e); }

static const jv_field reason_fields[] = {
    {"reason", JV_STRING, JV_REQUIRED, "原因", .max = 200},
    {0},
};
static const jv_field note_fields[] = {
    {"note", JV_STRING, JV_NULLABLE, "意见", .max = 200},
    {0},
};

/* ---- files ---- */

static int h_files(http_req *r, gh_err *e)
{
    hardship_query q = {0};
    int64_t review = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q.org_id, e);
    if (rc == 0) rc = q_int(r, "review_due", &review, e);
    if (rc) return rc;
    q.review = review != 0;
    q.status = http_query(r, "status");
    q.category = http_query(r, "category");
    q.cause = http_query(r, "cause");
    q.q = http_query(r, "q");
    json_t *out = NULL;
    rc = hardship_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_open(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = hardship_open(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_assess(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = hardship_assess(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int with_id(http_req *r, int64_t *id, gh_err *e) { return http_param_id(r, "id", id, e); }

static int h_file(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_update(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_approve(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_approve(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_reject(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    if (rc == 0) rc = hardship_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_review(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_review(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_close(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_close(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_history(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_history(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_reveal(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = hardship_reveal(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_due(http_req *r, gh_err *e)
{
    int page, per;
    int64_t org = 0, within = 30;
    int rc = http_query_page(r, &page, &per, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = http_query_int(r, "within_days", 30, &within, e);
    json_t *out = NULL;
    if (rc == 0) rc = hardship_due_list(http_ctx(r), org, (int)(within > 1000 ? 1000 : within < -1 ? -1 : within), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_summary(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = hardship_summary(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_me(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = hardship_me(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- aid ---- */

static int h_grants(http_req *r, gh_err *e)
{
    aid_query q = {0};
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q.org_id, e);
    if (rc == 0) rc = q_int(r, "file_id", &q.file_id, e);
    if (rc) return rc;
    q.kind = http_query(r, "kind");
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = aid_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_grant_apply(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = aid_apply(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_grant(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = aid_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_grant_review(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), note_fields, e);
    if (rc == 0) rc = aid_review(http_ctx(r), id, jv_str(http_body(r), "note"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_grant_approve(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), note_fields, e);
    if (rc == 0) rc = aid_approve(http_ctx(r), id, jv_str(http_body(r), "note"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_grant_reject(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    if (rc == 0) rc = aid_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_grant_pay(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = aid_pay(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_aid_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = q_int(r, "org_id", &org, e);
    json_t *out = NULL;
    if (rc == 0) rc = aid_stats(http_ctx(r), org, http_query(r, "from"), http_query(r, "to"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_pairings(http_req *r, gh_err *e)
{
    int64_t file = 0;
    int rc = q_int(r, "file_id", &file, e);
    if (rc == 0 && file <= 0) rc = err_set(e, ERR_INVALID, "missing_field", "file_id", "请指定档案（file_id）");
    json_t *out = NULL;
    if (rc == 0) rc = aid_pairings_list(http_ctx(r), file, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_pairing_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = aid_pairing_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_visits(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = aid_visits_list(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_visit_add(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = aid_visit_add(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

/* ---- mutual aid ---- */

static int h_plans(http_req *r, gh_err *e)
{
    int page, per;
    int64_t org = 0, year = 0;
    int rc = http_query_page(r, &page, &per, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = q_int(r, "year", &year, e);
    json_t *out = NULL;
    if (rc == 0) rc = mutual_aid_plans_list(http_ctx(r), org, (int)year, page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_plan_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = mutual_aid_plan_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_plan(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = mutual_aid_plan_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_group(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = mutual_aid_group_enrol(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_enrol(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = mutual_aid_enrol(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_enrolments(http_req *r, gh_err *e)
{
    int64_t id;
    int page, per;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    if (rc == 0) rc = mutual_aid_enrolments_list(http_ctx(r), id, page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_calculate(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = mutual_aid_calculate(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_claims(http_req *r, gh_err *e)
{
    ma_claim_query q = {0};
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q.org_id, e);
    if (rc == 0) rc = q_int(r, "plan_id", &q.plan_id, e);
    if (rc) return rc;
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = mutual_aid_claims_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_claim_submit(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = mutual_aid_claim_submit(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_claim(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = mutual_aid_claim_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_claim_approve(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), note_fields, e);
    if (rc == 0) rc = mutual_aid_claim_approve(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_claim_reject(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    if (rc == 0) rc = mutual_aid_claim_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_claim_pay(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *out = NULL;
    int rc = with_id(r, &id, e);
    if (rc == 0) rc = mutual_aid_claim_pay(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_hardship[] = {
    {HTTP_GET, "/api/v1/hardship/files", h_files, 0},
    {HTTP_POST, "/api/v1/hardship/files", h_open, R_JSON},
    {HTTP_POST, "/api/v1/hardship/assess", h_assess, R_JSON},
    {HTTP_GET, "/api/v1/hardship/files/{id}", h_file, 0},
    {HTTP_PATCH, "/api/v1/hardship/files/{id}", h_update, R_JSON},
    {HTTP_POST, "/api/v1/hardship/files/{id}/approve", h_approve, OPT},
    {HTTP_POST, "/api/v1/hardship/files/{id}/reject", h_reject, R_JSON},
    {HTTP_POST, "/api/v1/hardship/files/{id}/review", h_review, R_JSON},
    {HTTP_POST, "/api/v1/hardship/files/{id}/close", h_close, R_JSON},
    {HTTP_GET, "/api/v1/hardship/files/{id}/history", h_history, 0},
    {HTTP_POST, "/api/v1/hardship/files/{id}/reveal", h_reveal, R_JSON},
    {HTTP_GET, "/api/v1/hardship/reviews/due", h_due, 0},
    {HTTP_GET, "/api/v1/hardship/summary", h_summary, 0},
    {HTTP_GET, "/api/v1/hardship/me", h_me, 0},
    {HTTP_GET, "/api/v1/aid/grants", h_grants, 0},
    {HTTP_POST, "/api/v1/aid/grants", h_grant_apply, R_JSON},
    {HTTP_GET, "/api/v1/aid/grants/{id}", h_grant, 0},
    {HTTP_POST, "/api/v1/aid/grants/{id}/review", h_grant_review, OPT},
    {HTTP_POST, "/api/v1/aid/grants/{id}/approve", h_grant_approve, OPT},
    {HTTP_POST, "/api/v1/aid/grants/{id}/reject", h_grant_reject, R_JSON},
    {HTTP_POST, "/api/v1/aid/grants/{id}/pay", h_grant_pay, OPT},
    {HTTP_GET, "/api/v1/aid/stats", h_aid_stats, 0},
    {HTTP_GET, "/api/v1/aid/pairings", h_pairings, 0},
    {HTTP_POST, "/api/v1/aid/pairings", h_pairing_create, R_JSON},
    {HTTP_GET, "/api/v1/aid/pairings/{id}/visits", h_visits, 0},
    {HTTP_POST, "/api/v1/aid/pairings/{id}/visits", h_visit_add, R_JSON},
    {HTTP_GET, "/api/v1/mutual-aid/plans", h_plans, 0},
    {HTTP_POST, "/api/v1/mutual-aid/plans", h_plan_create, R_JSON},
    {HTTP_GET, "/api/v1/mutual-aid/plans/{id}", h_plan, 0},
    {HTTP_POST, "/api/v1/mutual-aid/plans/{id}/groups", h_group, R_JSON},
    {HTTP_GET, "/api/v1/mutual-aid/plans/{id}/enrolments", h_enrolments, 0},
    {HTTP_POST, "/api/v1/mutual-aid/plans/{id}/enrolments", h_enrol, OPT},
    {HTTP_POST, "/api/v1/mutual-aid/calculate", h_calculate, R_JSON},
    {HTTP_GET, "/api/v1/mutual-aid/claims", h_claims, 0},
    {HTTP_POST, "/api/v1/mutual-aid/claims", h_claim_submit, R_JSON},
    {HTTP_GET, "/api/v1/mutual-aid/claims/{id}", h_claim, 0},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/approve", h_claim_approve, OPT},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/reject", h_claim_reject, R_JSON},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/pay", h_claim_pay, OPT},
    {0},
};
