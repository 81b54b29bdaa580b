/* routes_retreat.c — recuperation trips over HTTP: the public catalogue
 * (/api/v1/retreat/routes, no log-in, short public caching), members'
 * bookings (/api/v1/retreat/bookings), the officers' management of
 * providers (/api/v1/providers), routes (/api/v1/retreat/admin/routes),
 * departures, collections, cooperation agreements and figures, imports of
 * providers and routes as background jobs, and a provider's own departures
 * with their passenger lists (/api/v1/me/departures). */
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/core/job.h"
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "http/routes.h"

static int q_int(http_req *r, const char *k, int64_t *v, gh_err *e) { return http_query_int(r, k, 0, v, e); }

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

static const jv_field reason_fields[] = {
    {"reason", JV_STRING, 0, "原因", .max = 200},
    {0},
};

static const jv_field status_fields[] = {
    {"status", JV_STRING, JV_REQUIRED, "状态", .max = 20},
    {"reason", JV_STRING, 0, "原因", .max = 200},
    {0},
};

/* ---- public catalogue ---- */

static int h_catalog(http_req *r, gh_err *e)
{
    retreat_catalog_query q = {0};
    int64_t seats = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "collection_id", &q.collection_id, e);
    if (rc == 0) rc = q_int(r, "min_days", &q.min_days, e);
    if (rc == 0) rc = q_int(r, "max_days", &q.max_days, e);
    if (rc == 0) rc = http_query_int(r, "min_price_fen", -1, &q.min_price_fen, e);
    if (rc == 0) rc = http_query_int(r, "max_price_fen", -1, &q.max_price_fen, e);
    if (rc == 0) rc = q_int(r, "has_seats", &seats, e);
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
    int rc = q_int(r, "org_id", &org, e);
    char *json = NULL;
    size_t len = 0;
    if (rc == 0) rc = retreat_catalog_headline(http_ctx(r), org, &json, &len, e);
    return reply_public(r, rc, json, len);
}

static int h_eligibility(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_eligibility(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- bookings ---- */

static int h_book(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_book(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_bookings(http_req *r, gh_err *e)
{
    retreat_booking_query q = {0};
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &q.org_id, e);
    if (rc == 0) rc = q_int(r, "route_id", &q.route_id, e);
    if (rc == 0) rc = q_int(r, "departure_id", &q.departure_id, e);
    if (rc) return rc;
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = retreat_booking_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_booking(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_booking_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_booking_cancel(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_booking_cancel(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_booking_confirm(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0 && json_object_size(http_body(r)))
        rc = err_set(e, ERR_INVALID, "unknown_field", NULL, "确认预订不需要请求内容");
    json_t *out = NULL;
    if (rc == 0) rc = retreat_booking_confirm(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_booking_notice_read(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0 && json_object_size(http_body(r)))
        rc = err_set(e, ERR_INVALID, "unknown_field", NULL, "标记已读不需要请求内容");
    json_t *out = NULL;
    if (rc == 0) rc = retreat_booking_notice_read(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_booking_reject(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_booking_reject(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- providers ---- */

static int h_providers(http_req *r, gh_err *e)
{
    provider_query q = {0};
    int64_t org = 0, admitted = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = q_int(r, "admitted", &admitted, e);
    if (rc) return rc;
    q.org_id = org;
    q.admitted = admitted != 0;
    q.q = http_query(r, "q");
    q.kind = http_query(r, "kind");
    q.status = http_query(r, "status");
    q.region = http_query(r, "region");
    json_t *out = NULL;
    rc = provider_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_provider_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = provider_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_provider(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = provider_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_provider_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = provider_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_provider_status(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *b = http_body(r);
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(b, status_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = provider_set_status(http_ctx(r), id, jv_str(b, "status"), jv_str(b, "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_provider_history(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = provider_history(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- routes (staff) ---- */

static int h_admin_routes(http_req *r, gh_err *e)
{
    retreat_route_query q = {0};
    int64_t org = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = q_int(r, "org_id", &org, e);
    if (rc) return rc;
    q.org_id = org;
    q.q = http_query(r, "q");
    q.status = http_query(r, "status");
    json_t *out = NULL;
    rc = retreat_route_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_route_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_route_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_admin_route(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_route_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_route_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_route_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_route_status(http_req *r, gh_err *e)
{
    int64_t id;
    json_t *b = http_body(r);
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(b, status_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_route_set_status(http_ctx(r), id, jv_str(b, "status"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_departure_create(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_departure_create(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_departure_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_departure_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_departure_cancel(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_departure_cancel(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field complete_fields[] = {
    {"no_show", JV_ARRAY, 0, "未出行的预订", .max = 10000},
    {0},
};

static int h_departure_complete(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc == 0) rc = jv_check(http_body(r), complete_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_departure_complete(http_ctx(r), id, json_object_get(http_body(r), "no_show"), &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- imports (background jobs; the upload is copied into the job) ---- */

typedef struct import_job {
    int64_t org_id, job_id;
    int dry_run, routes; /* routes: 0 providers, 1 routes */
    char *data;
    size_t len;
} import_job;

static void import_job_free(void *p)
{
    import_job *j = p;
    free(j->data);
    free(j);
}

static void import_job_progress(void *ctx, int64_t rows, int64_t done_bytes, int64_t total_bytes)
{
    (void)rows;
    job_progress(((import_job *)ctx)->job_id, done_bytes, total_bytes);
}

static int import_job_run(gh_ctx *x, int64_t job_id, void *p, json_t **result, gh_err *e)
{
    import_job *j = p;
    j->job_id = job_id;
    if (j->routes)
        return retreat_route_import(x, j->org_id, j->data, j->len, NULL, j->dry_run, import_job_progress, j, result, e);
    return provider_import(x, j->org_id, j->data, j->len, NULL, j->dry_run, import_job_progress, j, result, e);
}

static int start_import(http_req *r, int routes, gh_err *e)
{
    int64_t org = 0, dry = 0;
    int rc = q_int(r, "org_id", &org, e);
    if (rc == 0) rc = q_int(r, "dry_run", &dry, e);
    if (rc) return rc;
    gh_ctx *x = http_ctx(r);
    /* Duty and scope before anything is queued. */
    rc = retreat_import_allowed(x, org, NULL, e);
    if (rc) return rc;
    size_t len;
    const char *body = http_body_raw(r, &len);
    if (!len) return err_set(e, ERR_INVALID, "empty_file", NULL, "上传的文件是空的");
    import_job *j = calloc(1, sizeof *j);
    if (!j || !(j->data = malloc(len))) {
        free(j);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    memcpy(j->data, body, len);
    j->len = len;
    j->org_id = org;
    j->dry_run = dry != 0;
    j->routes = routes;
    int64_t job = 0;
    const char *kind = routes ? (dry ? "retreat_route_import_check" : "retreat_route_import")
                              : (dry ? "provider_import_check" : "provider_import");
    rc = job_start(x, kind, org, import_job_run, j, import_job_free, &job, e);
    if (rc) return rc;
    return http_json(r, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)job, "status", "queued"));
}

static int h_provider_import(http_req *r, gh_err *e) { return start_import(r, 0, e); }
static int h_route_import(http_req *r, gh_err *e) { return start_import(r, 1, e); }

/* ---- the provider's departures (接待名单) ---- */

static int h_desk_departures(http_req *r, gh_err *e)
{
    retreat_desk_query q = {0};
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc) return rc;
    q.when = http_query(r, "when");
    q.from = http_query(r, "from");
    q.to = http_query(r, "to");
    json_t *out = NULL;
    rc = retreat_desk_departures(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_desk_departure(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_desk_departure(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- collections, agreements, figures ---- */

static int h_collections(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_collection_list(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_collection_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_collection_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_collection_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = retreat_collection_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_agreements(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_agreement_list(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_agreement_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = retreat_agreement_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0;
    int rc = q_int(r, "org_id", &org, e);
    if (rc) return rc;
    const char *fmt = http_query(r, "format"), *from = http_query(r, "from"), *to = http_query(r, "to");
    if (fmt && strcmp(fmt, "xlsx") == 0) {
        char *data = NULL;
        size_t len = 0;
        rc = retreat_stats_xlsx(http_ctx(r), org, from, to, &data, &len, e);
        if (rc) return rc;
        rc = http_bytes(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len,
                        "疗休养统计.xlsx");
        free(data);
        return rc;
    }
    if (fmt && *fmt && strcmp(fmt, "json") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "format 只能是 json 或 xlsx");
    json_t *out = NULL;
    rc = retreat_stats(http_ctx(r), org, from, to, &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_retreat[] = {
    {HTTP_GET, "/api/v1/retreat/routes", h_catalog, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/routes/{id}", h_catalog_route, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/routes/{id}/eligibility", h_eligibility, 0},
    {HTTP_GET, "/api/v1/retreat/facets", h_facets, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/headline", h_headline, R_PUBLIC},
    {HTTP_GET, "/api/v1/retreat/bookings", h_bookings, 0},
    {HTTP_POST, "/api/v1/retreat/bookings", h_book, R_JSON},
    {HTTP_GET, "/api/v1/retreat/bookings/{id}", h_booking, 0},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/cancel", h_booking_cancel, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/confirm", h_booking_confirm, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/reject", h_booking_reject, R_JSON},
    {HTTP_POST, "/api/v1/retreat/bookings/{id}/notice-read", h_booking_notice_read, R_JSON | R_JSON_OPT},
    {HTTP_GET, "/api/v1/me/departures", h_desk_departures, 0},
    {HTTP_GET, "/api/v1/me/departures/{id}", h_desk_departure, 0},
    {HTTP_GET, "/api/v1/providers", h_providers, 0},
    {HTTP_POST, "/api/v1/providers", h_provider_create, R_JSON},
    {HTTP_POST, "/api/v1/providers/import", h_provider_import, R_UPLOAD},
    {HTTP_GET, "/api/v1/providers/{id}", h_provider, 0},
    {HTTP_PATCH, "/api/v1/providers/{id}", h_provider_update, R_JSON},
    {HTTP_POST, "/api/v1/providers/{id}/status", h_provider_status, R_JSON},
    {HTTP_GET, "/api/v1/providers/{id}/history", h_provider_history, 0},
    {HTTP_GET, "/api/v1/retreat/admin/routes", h_admin_routes, 0},
    {HTTP_POST, "/api/v1/retreat/admin/routes", h_route_create, R_JSON},
    {HTTP_POST, "/api/v1/retreat/admin/routes/import", h_route_import, R_UPLOAD},
    {HTTP_GET, "/api/v1/retreat/admin/routes/{id}", h_admin_route, 0},
    {HTTP_PATCH, "/api/v1/retreat/admin/routes/{id}", h_route_update, R_JSON},
    {HTTP_POST, "/api/v1/retreat/admin/routes/{id}/status", h_route_status, R_JSON},
    {HTTP_POST, "/api/v1/retreat/admin/routes/{id}/departures", h_departure_create, R_JSON},
    {HTTP_PATCH, "/api/v1/retreat/departures/{id}", h_departure_update, R_JSON},
    {HTTP_POST, "/api/v1/retreat/departures/{id}/cancel", h_departure_cancel, R_JSON},
    {HTTP_POST, "/api/v1/retreat/departures/{id}/complete", h_departure_complete, R_JSON | R_JSON_OPT},
    {HTTP_GET, "/api/v1/retreat/collections", h_collections, 0},
    {HTTP_POST, "/api/v1/retreat/collections", h_collection_create, R_JSON},
    {HTTP_PATCH, "/api/v1/retreat/collections/{id}", h_collection_update, R_JSON},
    {HTTP_GET, "/api/v1/retreat/agreements", h_agreements, 0},
    {HTTP_POST, "/api/v1/retreat/agreements", h_agreement_create, R_JSON},
    {HTTP_GET, "/api/v1/retreat/stats", h_stats, 0},
    {0},
};
