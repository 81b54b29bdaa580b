/* routes_retreat.c — recuperation trips over HTTP: the public catalogue
 * (/api/v1/retreat/routes, no log-in, short public caching), members'
 * bookings (/api/v1/retreat/bookings), route photos (public while the
 * route is in the catalogue), the officers' routes
 * (/api/v1/retreat/admin/routes), departures, collections, cooperation
 * agreements and figures, route imports as background jobs, and a
 * provider's own departures with their passenger lists
 * (/api/v1/me/departures). The adapters only unpack typed arguments; rules
 * live in domain/retreat. */
#include <stdlib.h>

#include "domain/core/fields.h"
#include "domain/retreat/retreat.h"
#include "http/routes.h"

/* A catalogue answer: identical for everyone, so shared caches (a reverse
 * proxy, the browser) may keep it as long as the server does. */
static int reply_public(http_req *r, int rc, char *json, size_t len)
{
    if (rc) return rc;
    http_add_header(r, "Cache-Control", "public, max-age=2");
    rc = http_bytes(r, 200, "application/json; charset=utf-8", json, len, NULL);
    free(json);
    return rc;
}

static int h_catalog(http_req *r, gh_err *e)
{
    retreat_catalog_query q = {0};
    int64_t seats = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "collection_id", 0, &q.collection_id, e);
    if (rc == 0) rc = http_query_int(r, "min_days", 0, &q.min_days, e);
    if (rc == 0) rc = http_query_int(r, "max_days", 0, &q.max_days, e);
    if (rc == 0) rc = http_query_int(r, "min_price_fen", -1, &q.min_price_fen, e);
    if (rc == 0) rc = http_query_int(r, "max_price_fen", -1, &q.max_price_fen, e);
    if (rc == 0) rc = http_query_int(r, "has_seats", 0, &seats, e);
    if (rc) return rc;
    q.has_seats = seats != 0;
    q.theme = http_query(r, "theme");
    q.region = http_query(r, "region");
    q.q = http_query(r, "q");
    q.provider_kind = http_query(r, "provider_kind");
    q.sort = http_query(r, "sort");
    char *json = NULL;
    size_t len = 0;
    rc = retreat_catalog_list(http_ctx(r), &q, &json, &len, e);
    return reply_public(r, rc, json, len);
}

static int h_catalog_route(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    char *json = NULL;
    size_t len = 0;
    if (rc == 0) rc = retreat_catalog_route(http_ctx(r), id, &json, &len, e);
    return reply_public(r, rc, json, len);
}

static int h_facets(http_req *r, gh_err *e)
{
    char *json = NULL;
    size_t len = 0;
    int rc = retreat_catalog_facets(http_ctx(r), &json, &len, e);
    return reply_public(r, rc, json, len);
}

static int h_headline(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    char *json = NULL;
    size_t len = 0;
    if (rc == 0) rc = retreat_catalog_headline(http_ctx(r), org, &json, &len, e);
    return reply_public(r, rc, json, len);
}

static int h_photo_add(http_req *r, gh_err *e) { return reply_photo_upload(r, retreat_route_photo_add, e); }
static int h_photo_delete(http_req *r, gh_err *e) { return reply_photo_delete(r, retreat_route_photo_delete, e); }
static int h_photo(http_req *r, gh_err *e) { return reply_photo(r, retreat_route_photo_get, e); }

static int route_status(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    return retreat_route_set_status(x, id, jv_str(b, "status"), out, e);
}

static int complete(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    return retreat_departure_complete(x, id, json_object_get(b, "no_show"), out, e);
}

/* The figures as JSON or, with format=xlsx, as a workbook. */
static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int xlsx = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_format(r, &xlsx, e);
    if (rc) return rc;
    const char *from = http_query(r, "from"), *to = http_query(r, "to"), *view = http_query(r, "view");
    if (xlsx) {
        char *data = NULL;
        size_t len = 0;
        rc = retreat_stats_xlsx(http_ctx(r), org, from, to, view, &data, &len, e);
        return rc ? rc : http_xlsx(r, data, len, "疗休养统计.xlsx");
    }
    json_t *out = NULL;
    rc = retreat_stats(http_ctx(r), org, from, to, view, &out, e);
    return reply_result(r, rc, 200, out);
}

/* (documentation of h_stats's parameters) */
typedef struct stats_doc {
    int64_t org_id;
    const char *from, *to, *view, *format;
} stats_doc;
static const http_qparam stats_q[] = {
    Q_INT(stats_doc, org_id, "org_id", 0, "组织"),
    Q_STR(stats_doc, from, "from", "起始日期"),
    Q_STR(stats_doc, to, "to", "截止日期"),
    Q_STR(stats_doc, view, "view", "统计口径"),
    Q_STR(stats_doc, format, "format", "格式"),
    {0},
};

HTTP_QUERY_THUNK(retreat_booking_list, retreat_booking_query)
HTTP_QUERY_THUNK(retreat_route_list, retreat_route_query)
HTTP_QUERY_THUNK(retreat_desk_departures, retreat_desk_query)

static const http_qparam bookings_q[] = {
    Q_PAGE(retreat_booking_query),
    Q_INT(retreat_booking_query, org_id, "org_id", 0, "组织"),
    Q_INT(retreat_booking_query, route_id, "route_id", 0, "线路"),
    Q_INT(retreat_booking_query, departure_id, "departure_id", 0, "团期"),
    Q_STR(retreat_booking_query, status, "status", "状态"),
    {0},
};

static const http_qparam routes_q[] = {
    Q_PAGE(retreat_route_query),
    Q_INT(retreat_route_query, org_id, "org_id", 0, "组织"),
    Q_STR(retreat_route_query, q, "q", "名称"),
    Q_STR(retreat_route_query, status, "status", "状态"),
    {0},
};

static const http_qparam desk_q[] = {
    Q_PAGE(retreat_desk_query),
    Q_STR(retreat_desk_query, when, "when", "时段"),
    Q_STR(retreat_desk_query, from, "from", "起始日期"),
    Q_STR(retreat_desk_query, to, "to", "截止日期"),
    {0},
};

static const http_import route_upload = {retreat_route_import, retreat_may_import, "retreat_route_import",
                                         "retreat_route_import_check"};

#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_retreat[] = {
    {HTTP_GET, "/api/v1/retreat/routes", h_catalog, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/routes/{id}", h_catalog_route, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/routes/{id}/photos/{photo}", h_photo, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/routes/{id}/eligibility", ON_ID(retreat_eligibility)},
    {HTTP_GET, "/api/v1/retreat/facets", h_facets, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/headline", h_headline, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/bookings", .flags = R_XLSX, ON_QUERY(retreat_booking_list, retreat_booking_query), .query = bookings_q},
    {HTTP_POST, "/api/v1/retreat/bookings", .flags = R_JSON, ON_BODY(retreat_book), .status = 201},
    {HTTP_GET, "/api/v1/retreat/bookings/{id}", ON_ID(retreat_booking_get)},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/cancel", .flags = OPT, ON_ID_STR(retreat_booking_cancel, "reason"),
     .body = retreat_reason_fields},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/confirm", .flags = OPT, ON_ID(retreat_booking_confirm),
     .body = core_no_fields},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/reject", .flags = R_JSON, ON_ID_STR(retreat_booking_reject, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/notice-read", .flags = OPT, ON_ID(retreat_booking_notice_read),
     .body = core_no_fields},
    {HTTP_GET, "/api/v1/me/departures", .flags = R_XLSX, ON_QUERY(retreat_desk_departures, retreat_desk_query), .query = desk_q},
    {HTTP_GET, "/api/v1/me/departures/{id}", ON_ID(retreat_desk_departure)},
    {HTTP_GET, "/api/v1/retreat/admin/routes", .flags = R_XLSX, ON_QUERY(retreat_route_list, retreat_route_query), .query = routes_q},
    {HTTP_POST, "/api/v1/retreat/admin/routes", .flags = R_JSON, ON_BODY(retreat_route_create), .status = 201},
    {HTTP_POST, "/api/v1/retreat/admin/routes/import", .flags = R_UPLOAD, .import = &route_upload},
    {HTTP_GET, "/api/v1/retreat/admin/routes/{id}", ON_ID(retreat_route_get)},
    {HTTP_PATCH, "/api/v1/retreat/admin/routes/{id}", .flags = R_JSON, ON_ID_BODY(retreat_route_update)},
    {HTTP_POST, "/api/v1/retreat/admin/routes/{id}/photos", h_photo_add, R_UPLOAD},
    {HTTP_DELETE, "/api/v1/retreat/admin/routes/{id}/photos/{photo}", h_photo_delete},
    {HTTP_POST, "/api/v1/retreat/admin/routes/{id}/status", .flags = R_JSON, ON_ID_BODY(route_status),
     .body = retreat_route_status_fields},
    {HTTP_POST, "/api/v1/retreat/admin/routes/{id}/departures", .flags = R_JSON, ON_ID_BODY(retreat_departure_create),
     .status = 201},
    {HTTP_PATCH, "/api/v1/retreat/departures/{id}", .flags = R_JSON, ON_ID_BODY(retreat_departure_update)},
    {HTTP_POST, "/api/v1/retreat/departures/{id}/cancel", .flags = R_JSON, ON_ID_STR(retreat_departure_cancel, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/retreat/departures/{id}/complete", .flags = OPT, ON_ID_BODY(complete),
     .body = retreat_complete_fields},
    {HTTP_GET, "/api/v1/retreat/collections", ON_PLAIN(retreat_collection_list)},
    {HTTP_POST, "/api/v1/retreat/collections", .flags = R_JSON, ON_BODY(retreat_collection_create), .status = 201},
    {HTTP_PATCH, "/api/v1/retreat/collections/{id}", .flags = R_JSON, ON_ID_BODY(retreat_collection_update)},
    {HTTP_GET, "/api/v1/retreat/agreements", ON_PLAIN(retreat_agreement_list)},
    {HTTP_POST, "/api/v1/retreat/agreements", .flags = R_JSON, ON_BODY(retreat_agreement_create), .status = 201},
    {HTTP_GET, "/api/v1/retreat/stats", h_stats, .query = stats_q},
    {0},
};
