/* routes_mutual_aid.c — mutual medical aid over HTTP (/api/v1/mutual-aid/…):
 * plans, enrolment, the claim calculation and claims. Every route is
 * declared; rules live in domain/mutual_aid. */
#include "domain/core/fields.h"
#include "domain/mutual_aid/mutual_aid.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(mutual_aid_plans_list, mutual_aid_plan_query)
HTTP_ID_QUERY_THUNK(mutual_aid_enrolments_list, list_page)
HTTP_QUERY_THUNK(mutual_aid_claims_list, ma_claim_query)

static const http_qparam plans_q[] = {
    Q_PAGE(mutual_aid_plan_query),
    Q_INT(mutual_aid_plan_query, org_id, "org_id", 0, "组织"),
    Q_INT(mutual_aid_plan_query, year, "year", 0, "年度"),
    {0},
};

static const http_qparam page_q[] = {
    Q_PAGE(list_page),
    {0},
};

static const http_qparam claims_q[] = {
    Q_PAGE(ma_claim_query),
    Q_INT(ma_claim_query, org_id, "org_id", 0, "组织"),
    Q_INT(ma_claim_query, plan_id, "plan_id", 0, "互助计划"),
    Q_STR(ma_claim_query, status, "status", "状态"),
    {0},
};

#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_mutual_aid[] = {
    {HTTP_GET, "/api/v1/mutual-aid/plans", .flags = R_XLSX, ON_QUERY(mutual_aid_plans_list, mutual_aid_plan_query), .query = plans_q},
    {HTTP_POST, "/api/v1/mutual-aid/plans", .flags = R_JSON, ON_BODY(mutual_aid_plan_create), .status = 201},
    {HTTP_GET, "/api/v1/mutual-aid/plans/{id}", ON_ID(mutual_aid_plan_get)},
    {HTTP_POST, "/api/v1/mutual-aid/plans/{id}/groups", .flags = R_JSON, ON_ID_BODY(mutual_aid_group_enrol), .status = 201},
    {HTTP_GET, "/api/v1/mutual-aid/plans/{id}/enrolments", ON_ID_QUERY(mutual_aid_enrolments_list, list_page),
     .query = page_q},
    {HTTP_POST, "/api/v1/mutual-aid/plans/{id}/enrolments", .flags = OPT, ON_ID_BODY(mutual_aid_enrol), .status = 201},
    {HTTP_POST, "/api/v1/mutual-aid/calculate", .flags = R_JSON, ON_BODY(mutual_aid_calculate)},
    {HTTP_GET, "/api/v1/mutual-aid/claims", .flags = R_XLSX, ON_QUERY(mutual_aid_claims_list, ma_claim_query), .query = claims_q},
    {HTTP_POST, "/api/v1/mutual-aid/claims", .flags = R_JSON, ON_BODY(mutual_aid_claim_submit), .status = 201},
    {HTTP_GET, "/api/v1/mutual-aid/claims/{id}", ON_ID(mutual_aid_claim_get)},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/approve", .flags = OPT, ON_ID(mutual_aid_claim_approve),
     .body = core_note_fields},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/reject", .flags = R_JSON, ON_ID_STR(mutual_aid_claim_reject, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/mutual-aid/claims/{id}/pay", .flags = OPT, ON_ID(mutual_aid_claim_pay)},
    {0},
};
