/* routes_fees.c — union fee payments over HTTP (/api/v1/fee-payments):
 * the list, and imports of the tax department's files as jobs. */
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(fee_payments_list, payment_query)

static const http_qparam list_q[] = {
    Q_PAGE(payment_query),
    Q_INT(payment_query, org_id, "org_id", 0, "组织"),
    Q_INT(payment_query, enterprise_id, "enterprise_id", 0, "企业"),
    Q_FLAG(payment_query, flagged, "flagged", -1, "金额存疑"),
    Q_STR(payment_query, from, "from", "起始所属期"),
    Q_STR(payment_query, to, "to", "截止所属期"),
    {0},
};

static const http_import fee_upload = {fee_import_upload, enterprise_org_allowed, "fee_import", "fee_import_check"};

const http_route routes_fees[] = {
    {HTTP_GET, "/api/v1/fee-payments", .flags = R_XLSX, ON_QUERY(fee_payments_list, payment_query), .query = list_q},
    {HTTP_POST, "/api/v1/fee-payments/import", .flags = R_UPLOAD, .import = &fee_upload},
    {0},
};
