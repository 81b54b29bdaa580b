/* routes_enterprise.c — the enterprise directory over HTTP
 * (/api/v1/enterprises, /api/v1/me/enterprise). Imports run as jobs. */
#include "domain/core/fields.h"
#include "domain/enterprise/enterprise.h"
#include "domain/refund/refund.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(enterprise_list, enterprise_query)
HTTP_ID_QUERY_THUNK(refund_enterprise_lines, refund_line_query)

static const http_qparam list_q[] = {
    Q_PAGE(enterprise_query),
    Q_INT(enterprise_query, org_id, "org_id", 0, "组织"),
    Q_FLAG(enterprise_query, has_union, "has_union", -1, "已建会"),
    Q_FLAG(enterprise_query, small_scale, "small_scale", -1, "小规模纳税人"),
    Q_STR(enterprise_query, q, "q", "名称或信用代码"),
    {0},
};

static const http_qparam lines_q[] = {
    Q_PAGE(refund_line_query),
    Q_STR(refund_line_query, status, "status", "状态"),
    {0},
};

static const http_import ent_import = {enterprise_import, enterprise_org_allowed, "enterprise_import",
                                       "enterprise_import_check"};

const http_route routes_enterprise[] = {
    {HTTP_GET, "/api/v1/enterprises", .flags = R_XLSX, ON_QUERY(enterprise_list, enterprise_query), .query = list_q},
    {HTTP_POST, "/api/v1/enterprises", .flags = R_JSON, ON_BODY(enterprise_create), .status = 201},
    {HTTP_POST, "/api/v1/enterprises/import", .flags = R_UPLOAD, .import = &ent_import},
    {HTTP_GET, "/api/v1/enterprises/{id}", ON_ID(enterprise_get)},
    {HTTP_PATCH, "/api/v1/enterprises/{id}", .flags = R_JSON, ON_ID_BODY(enterprise_update)},
    {HTTP_POST, "/api/v1/enterprises/{id}/reveal", .flags = R_JSON, ON_ID_STR(enterprise_reveal_account, "reason"),
     .body = core_reason_fields},
    {HTTP_GET, "/api/v1/enterprises/{id}/refunds", .flags = R_XLSX, ON_ID_QUERY(refund_enterprise_lines, refund_line_query),
     .query = lines_q},
    {HTTP_GET, "/api/v1/me/enterprise", ON_PLAIN(enterprise_me)},
    {0},
};
