/* routes_provider.c — providers (/api/v1/providers): recuperation bases,
 * guest-houses and the sites that redeem vouchers, with their admission
 * history and photos (served to anyone while the provider is admitted);
 * imports run as background jobs. Rules live in domain/provider. */
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(provider_list, provider_query)

static const http_qparam list_q[] = {
    Q_PAGE(provider_query),
    Q_INT(provider_query, org_id, "org_id", 0, "组织"),
    Q_FLAG(provider_query, admitted, "admitted", 0, "已准入"),
    Q_STR(provider_query, q, "q", "名称"),
    Q_STR(provider_query, kind, "kind", "类型"),
    Q_STR(provider_query, status, "status", "状态"),
    Q_STR(provider_query, region, "region", "行政区划"),
    {0},
};

static const http_import provider_upload = {provider_import, retreat_may_import, "provider_import",
                                            "provider_import_check"};

static int h_photo_add(http_req *r, gh_err *e) { return reply_photo_upload(r, provider_photo_add, e); }
static int h_photo_delete(http_req *r, gh_err *e) { return reply_photo_delete(r, provider_photo_delete, e); }
static int h_photo(http_req *r, gh_err *e) { return reply_photo(r, provider_photo_get, e); }

const http_route routes_provider[] = {
    {HTTP_GET, "/api/v1/providers", .flags = R_XLSX, ON_QUERY(provider_list, provider_query), .query = list_q},
    {HTTP_POST, "/api/v1/providers", .flags = R_JSON, ON_BODY(provider_create), .status = 201},
    {HTTP_POST, "/api/v1/providers/import", .flags = R_UPLOAD, .import = &provider_upload},
    {HTTP_GET, "/api/v1/providers/{id}", ON_ID(provider_get)},
    {HTTP_PATCH, "/api/v1/providers/{id}", .flags = R_JSON, ON_ID_BODY(provider_update)},
    {HTTP_POST, "/api/v1/providers/{id}/status", .flags = R_JSON, ON_ID_BODY(provider_set_status_body),
     .body = provider_status_fields},
    {HTTP_GET, "/api/v1/providers/{id}/history", ON_ID(provider_history)},
    {HTTP_POST, "/api/v1/providers/{id}/photos", h_photo_add, R_UPLOAD},
    {HTTP_GET, "/api/v1/providers/{id}/photos/{photo}", h_photo, R_PUBLIC},
    {HTTP_DELETE, "/api/v1/providers/{id}/photos/{photo}", h_photo_delete},
    {0},
};
