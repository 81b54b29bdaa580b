/* routes_voucher.c — vouchers over HTTP: the member's own
 * (/api/v1/me/vouchers, with a QR code), redemption by providers
 * (/api/v1/vouchers/lookup, /redeem, /api/v1/me/redemptions), a campaign's
 * vouchers and withdrawal by officers. Rules live in domain/voucher. */
#include <stdlib.h>

#include "domain/core/fields.h"
#include "domain/voucher/voucher.h"
#include "http/routes.h"

typedef struct vq {
    const char *status;
    int page, per_page;
} vq;

static int campaign_vouchers(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e)
{
    const vq *a = q;
    return voucher_list(x, id, a->status, a->page, a->per_page, out, e);
}

static int redemptions(gh_ctx *x, const void *q, json_t **out, gh_err *e)
{
    const vq *a = q;
    return voucher_redemptions(x, a->page, a->per_page, out, e);
}

static int lookup(gh_ctx *x, const json_t *b, json_t **out, gh_err *e) { return voucher_lookup(x, jv_str(b, "code"), out, e); }
static int redeem(gh_ctx *x, const json_t *b, json_t **out, gh_err *e) { return voucher_redeem(x, jv_str(b, "code"), out, e); }

static int h_qr(http_req *r, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    char *svg = NULL;
    size_t len = 0;
    if (rc == 0) rc = voucher_qr_svg(http_ctx(r), id, &svg, &len, e);
    if (rc) return rc;
    rc = http_bytes(r, 200, "image/svg+xml", svg, len, NULL);
    free(svg);
    return rc;
}

static const http_qparam list_q[] = {Q_PAGE(vq), Q_STR(vq, status, "status", "状态"), {0}};
static const http_qparam page_q[] = {Q_PAGE(vq), {0}};

const http_route routes_voucher[] = {
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/vouchers", .flags = R_XLSX,
     .call = {.shape = CALL_ID_QUERY, .id_query = campaign_vouchers, .qsize = sizeof(vq)}, .query = list_q},
    {HTTP_GET, "/api/v1/me/vouchers", ON_PLAIN(voucher_mine)},
    {HTTP_GET, "/api/v1/me/vouchers/{id}/qr", h_qr},
    {HTTP_POST, "/api/v1/me/vouchers/{id}/decline", .flags = R_JSON | R_JSON_OPT, ON_ID(voucher_decline),
     .body = core_no_fields},
    {HTTP_GET, "/api/v1/me/redemptions", .flags = R_XLSX, .call = {.shape = CALL_QUERY, .query = redemptions, .qsize = sizeof(vq)},
     .query = page_q},
    {HTTP_POST, "/api/v1/vouchers/lookup", .flags = R_JSON, ON_BODY(lookup), .body = voucher_code_fields},
    {HTTP_POST, "/api/v1/vouchers/redeem", .flags = R_JSON, ON_BODY(redeem), .body = voucher_code_fields},
    {HTTP_POST, "/api/v1/vouchers/{id}/forfeit", .flags = R_JSON, ON_ID_STR(voucher_forfeit, "reason"),
     .body = core_reason_fields},
    {0},
};
