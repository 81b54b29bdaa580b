/* routes_hardship.c — hardship files over HTTP (/api/v1/hardship/…). Every
 * route is declared: access, audit and rules live in domain/hardship. */
#include "domain/core/fields.h"
#include "domain/hardship/hardship.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(hardship_list, hardship_query)
HTTP_QUERY_THUNK(hardship_due_list, hardship_due_query)

static const http_qparam files_q[] = {
    Q_PAGE(hardship_query),
    Q_INT(hardship_query, org_id, "org_id", 0, "组织"),
    Q_FLAG(hardship_query, review, "review_due", 0, "待复核"),
    Q_STR(hardship_query, status, "status", "档案状态"),
    Q_STR(hardship_query, category, "category", "困难类别"),
    Q_STR(hardship_query, cause, "cause", "致困原因"),
    Q_STR(hardship_query, q, "q", "姓名"),
    {0},
};

static const http_qparam due_q[] = {
    Q_PAGE(hardship_due_query),
    Q_INT(hardship_due_query, org_id, "org_id", 0, "组织"),
    Q_INT(hardship_due_query, within_days, "within_days", 30, "天数"),
    {0},
};

#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_hardship[] = {
    {HTTP_GET, "/api/v1/hardship/files", .flags = R_XLSX, ON_QUERY(hardship_list, hardship_query), .query = files_q},
    {HTTP_POST, "/api/v1/hardship/files", .flags = R_JSON, ON_BODY(hardship_open), .status = 201},
    {HTTP_POST, "/api/v1/hardship/assess", .flags = R_JSON, ON_BODY(hardship_assess)},
    {HTTP_GET, "/api/v1/hardship/files/{id}", ON_ID(hardship_get)},
    {HTTP_PATCH, "/api/v1/hardship/files/{id}", .flags = R_JSON, ON_ID_BODY(hardship_update)},
    {HTTP_POST, "/api/v1/hardship/files/{id}/approve", .flags = OPT, ON_ID_BODY(hardship_approve)},
    {HTTP_POST, "/api/v1/hardship/files/{id}/reject", .flags = R_JSON, ON_ID_STR(hardship_reject, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/hardship/files/{id}/review", .flags = R_JSON, ON_ID_BODY(hardship_review)},
    {HTTP_POST, "/api/v1/hardship/files/{id}/close", .flags = R_JSON, ON_ID_BODY(hardship_close)},
    {HTTP_GET, "/api/v1/hardship/files/{id}/history", ON_ID(hardship_history)},
    {HTTP_POST, "/api/v1/hardship/files/{id}/reveal", .flags = R_JSON, ON_ID_BODY(hardship_reveal)},
    {HTTP_GET, "/api/v1/hardship/reviews/due", ON_QUERY(hardship_due_list, hardship_due_query), .query = due_q},
    {HTTP_GET, "/api/v1/hardship/summary", ON_PLAIN(hardship_summary)},
    {HTTP_GET, "/api/v1/hardship/me", ON_PLAIN(hardship_me)},
    {0},
};
