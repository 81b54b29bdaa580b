/* routes_aid.c — aid grants and pairing aid over HTTP (/api/v1/aid/…).
 * Every route is declared; rules live in domain/aid. */
#include "domain/aid/aid.h"
#include "domain/core/fields.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(aid_list, aid_query)
HTTP_QUERY_THUNK(aid_stats, aid_stats_query)
HTTP_QUERY_THUNK(aid_pairings_list, aid_pairing_query)

static const http_qparam grants_q[] = {
    Q_PAGE(aid_query),
    Q_INT(aid_query, org_id, "org_id", 0, "组织"),
    Q_INT(aid_query, file_id, "file_id", 0, "档案"),
    Q_STR(aid_query, kind, "kind", "救助类别"),
    Q_STR(aid_query, status, "status", "状态"),
    {0},
};

static const http_qparam stats_q[] = {
    Q_INT(aid_stats_query, org_id, "org_id", 0, "组织"),
    Q_STR(aid_stats_query, from, "from", "起始日期"),
    Q_STR(aid_stats_query, to, "to", "截止日期"),
    {0},
};

static const http_qparam pairings_q[] = {
    Q_INT(aid_pairing_query, file_id, "file_id", 0, "档案"),
    {0},
};

#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_aid[] = {
    {HTTP_GET, "/api/v1/aid/grants", .flags = R_XLSX, ON_QUERY(aid_list, aid_query), .query = grants_q},
    {HTTP_POST, "/api/v1/aid/grants", .flags = R_JSON, ON_BODY(aid_apply), .status = 201},
    {HTTP_GET, "/api/v1/aid/grants/{id}", ON_ID(aid_get)},
    {HTTP_POST, "/api/v1/aid/grants/{id}/review", .flags = OPT, ON_ID_STR(aid_review, "note"), .body = core_note_fields},
    {HTTP_POST, "/api/v1/aid/grants/{id}/approve", .flags = OPT, ON_ID_STR(aid_approve, "note"), .body = core_note_fields},
    {HTTP_POST, "/api/v1/aid/grants/{id}/reject", .flags = R_JSON, ON_ID_STR(aid_reject, "reason"), .body = core_reason_fields},
    {HTTP_POST, "/api/v1/aid/grants/{id}/pay", .flags = OPT, ON_ID(aid_pay)},
    {HTTP_GET, "/api/v1/aid/stats", ON_QUERY(aid_stats, aid_stats_query), .query = stats_q},
    {HTTP_GET, "/api/v1/aid/pairings", ON_QUERY(aid_pairings_list, aid_pairing_query), .query = pairings_q},
    {HTTP_POST, "/api/v1/aid/pairings", .flags = R_JSON, ON_BODY(aid_pairing_create), .status = 201},
    {HTTP_GET, "/api/v1/aid/pairings/{id}/visits", ON_ID(aid_visits_list)},
    {HTTP_POST, "/api/v1/aid/pairings/{id}/visits", .flags = R_JSON, ON_ID_BODY(aid_visit_add), .status = 201},
    {0},
};
