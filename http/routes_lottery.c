/* routes_lottery.c — voucher lotteries and vouchers over HTTP:
 * /api/v1/lottery/… (campaigns, entries, the published list and result,
 * draws, figures), /api/v1/vouchers/… (redemption by providers, withdrawal
 * by officers) and the member's /api/v1/me/vouchers and
 * /api/v1/me/lottery-entries. Campaign pages, entrant lists and results are
 * public: anyone may check a draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonv.h"
#include "domain/lottery/lottery.h"
#include "domain/voucher/voucher.h"
#include "http/routes.h"

static int id_param(http_req *r, int64_t *id, gh_err *e) { return http_param_id(r, "id", id, e); }

/* ---- campaigns ---- */

static int h_list(http_req *r, gh_err *e)
{
    lottery_query q = {0};
    int64_t org = 0, for_me = 0;
    int rc = http_query_page(r, &q.page, &q.per_page, e);
    if (rc == 0) rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_int(r, "for_me", 0, &for_me, e);
    if (rc) return rc;
    q.org_id = org;
    q.for_me = for_me != 0;
    q.q = http_query(r, "q");
    q.phase = http_query(r, "phase");
    json_t *out = NULL;
    rc = lottery_list(http_ctx(r), &q, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_create(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = lottery_create(http_ctx(r), http_body(r), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_get(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_get(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_update(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_update(http_ctx(r), id, http_body(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field reason_fields[] = {
    {"reason", JV_STRING, JV_REQUIRED, "原因", .max = 200},
    {0},
};

static int h_cancel(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_cancel(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field empty_fields[] = {{0}};

static int h_enter(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), empty_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_enter(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_freeze(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), empty_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_freeze(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

static const jv_field draw_fields[] = {
    {"sources", JV_ARRAY, JV_REQUIRED, "随机源开奖号码", .max = 16},
    {0},
};

static const jv_field correct_fields[] = {
    {"sources", JV_ARRAY, JV_REQUIRED, "随机源开奖号码", .max = 16},
    {"reason", JV_STRING, JV_REQUIRED, "更正原因", .max = 200},
    {0},
};

static int h_draw(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), draw_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_draw(http_ctx(r), id, json_object_get(http_body(r), "sources"), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_correct(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), correct_fields, e);
    json_t *out = NULL;
    if (rc == 0)
        rc = lottery_correct(http_ctx(r), id, json_object_get(http_body(r), "sources"), jv_str(http_body(r), "reason"),
                             &out, e);
    return reply_result(r, rc, 201, out);
}

static const jv_field round_fields[] = {
    {"count", JV_INT, JV_REQUIRED, "补抽人数", .min = 1, .max = 1000000},
    {0},
};

static int h_round(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), round_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_next_round(http_ctx(r), id, jv_int(http_body(r), "count", 0), &out, e);
    return reply_result(r, rc, 201, out);
}

static int h_entrants(http_req *r, gh_err *e)
{
    int64_t id;
    int page, per;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_entrants(http_ctx(r), id, http_query(r, "q"), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int text_file(http_req *r, int64_t id, int result, gh_err *e)
{
    char *data = NULL;
    size_t len = 0;
    int rc = result ? lottery_result_file(http_ctx(r), id, &data, &len, e)
                    : lottery_entrant_file(http_ctx(r), id, &data, &len, e);
    if (rc) return rc;
    char name[96];
    snprintf(name, sizeof name, "%s-%lld.txt", result ? "消费券抽取结果" : "消费券抽取报名名单", (long long)id);
    rc = http_bytes(r, 200, "text/plain; charset=utf-8", data, len, name);
    free(data);
    return rc;
}

static int h_entrant_list(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    return rc ? rc : text_file(r, id, 0, e);
}

static int h_result(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    return rc ? rc : text_file(r, id, 1, e);
}

static int h_picks(http_req *r, gh_err *e)
{
    int64_t id, version = 0;
    int page, per;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    if (rc == 0) rc = http_query_int(r, "version", 0, &version, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_picks(http_ctx(r), id, version, page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_vouchers(http_req *r, gh_err *e)
{
    int64_t id;
    int page, per;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_list(http_ctx(r), id, http_query(r, "status"), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_stats(http_req *r, gh_err *e)
{
    int64_t org = 0, campaign = 0;
    int rc = http_query_int(r, "org_id", 0, &org, e);
    if (rc == 0) rc = http_query_int(r, "campaign_id", 0, &campaign, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_stats(http_ctx(r), org, campaign, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- the member's side ---- */

static int h_my_entries(http_req *r, gh_err *e)
{
    int page, per;
    int rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = lottery_my_entries(http_ctx(r), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_my_vouchers(http_req *r, gh_err *e)
{
    json_t *out = NULL;
    int rc = voucher_mine(http_ctx(r), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_qr(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    char *svg = NULL;
    size_t len = 0;
    if (rc == 0) rc = voucher_qr_svg(http_ctx(r), id, &svg, &len, e);
    if (rc) return rc;
    rc = http_bytes(r, 200, "image/svg+xml", svg, len, NULL);
    free(svg);
    return rc;
}

static int h_decline(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), empty_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_decline(http_ctx(r), id, &out, e);
    return reply_result(r, rc, 200, out);
}

/* ---- providers and officers ---- */

static const jv_field code_fields[] = {
    {"code", JV_STRING, JV_REQUIRED, "消费券码", .max = 64},
    {0},
};

static int h_lookup(http_req *r, gh_err *e)
{
    int rc = jv_check(http_body(r), code_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_lookup(http_ctx(r), jv_str(http_body(r), "code"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_redeem(http_req *r, gh_err *e)
{
    int rc = jv_check(http_body(r), code_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_redeem(http_ctx(r), jv_str(http_body(r), "code"), &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_redemptions(http_req *r, gh_err *e)
{
    int page, per;
    int rc = http_query_page(r, &page, &per, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_redemptions(http_ctx(r), page, per, &out, e);
    return reply_result(r, rc, 200, out);
}

static int h_forfeit(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = id_param(r, &id, e);
    if (rc == 0) rc = jv_check(http_body(r), reason_fields, e);
    json_t *out = NULL;
    if (rc == 0) rc = voucher_forfeit(http_ctx(r), id, jv_str(http_body(r), "reason"), &out, e);
    return reply_result(r, rc, 200, out);
}

const http_route routes_lottery[] = {
    {HTTP_GET, "/api/v1/lottery/campaigns", h_list, R_PUBLIC},
    {HTTP_POST, "/api/v1/lottery/campaigns", h_create, R_JSON},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}", h_get, R_PUBLIC},
    {HTTP_PATCH, "/api/v1/lottery/campaigns/{id}", h_update, R_JSON},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/cancel", h_cancel, R_JSON},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/entries", h_enter, R_JSON | R_JSON_OPT},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/freeze", h_freeze, R_JSON | R_JSON_OPT},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/entrants", h_entrants, R_PUBLIC},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/entrant-list", h_entrant_list, R_PUBLIC},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/draw", h_draw, R_JSON},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/correction", h_correct, R_JSON},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/rounds", h_round, R_JSON},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/picks", h_picks, R_PUBLIC},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/result", h_result, R_PUBLIC},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/vouchers", h_vouchers, 0},
    {HTTP_GET, "/api/v1/lottery/stats", h_stats, 0},
    {HTTP_GET, "/api/v1/me/lottery-entries", h_my_entries, 0},
    {HTTP_GET, "/api/v1/me/vouchers", h_my_vouchers, 0},
    {HTTP_GET, "/api/v1/me/vouchers/{id}/qr", h_qr, 0},
    {HTTP_POST, "/api/v1/me/vouchers/{id}/decline", h_decline, R_JSON | R_JSON_OPT},
    {HTTP_GET, "/api/v1/me/redemptions", h_redemptions, 0},
    {HTTP_POST, "/api/v1/vouchers/lookup", h_lookup, R_JSON},
    {HTTP_POST, "/api/v1/vouchers/redeem", h_redeem, R_JSON},
    {HTTP_POST, "/api/v1/vouchers/{id}/forfeit", h_forfeit, R_JSON},
    {0},
};
