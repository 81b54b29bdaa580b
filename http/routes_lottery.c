/* routes_lottery.c — voucher lotteries over HTTP: /api/v1/lottery/…
 * (campaigns, entries, the published list and result, draws, figures) and
 * the member's /api/v1/me/lottery-entries. Campaign pages, entrant lists and
 * results are public: anyone may check a draw. The adapters below only
 * unpack typed arguments; rules live in domain/lottery. */
#include <stdio.h>
#include <stdlib.h>

#include "domain/core/fields.h"
#include "domain/lottery/lottery.h"
#include "http/routes.h"

HTTP_QUERY_THUNK(lottery_list, lottery_query)

typedef struct lq {
    const char *q;
    int64_t version, org_id, campaign_id;
    int page, per_page;
} lq;

static int entrants(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e)
{
    const lq *a = q;
    return lottery_entrants(x, id, a->q, a->page, a->per_page, out, e);
}

static int picks(gh_ctx *x, int64_t id, const void *q, json_t **out, gh_err *e)
{
    const lq *a = q;
    return lottery_picks(x, id, a->version, a->page, a->per_page, out, e);
}

static int stats(gh_ctx *x, const void *q, json_t **out, gh_err *e)
{
    const lq *a = q;
    return lottery_stats(x, a->org_id, a->campaign_id, out, e);
}

static int my_entries(gh_ctx *x, const void *q, json_t **out, gh_err *e)
{
    const lq *a = q;
    return lottery_my_entries(x, a->page, a->per_page, out, e);
}

static int draw(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    return lottery_draw(x, id, json_object_get(b, "sources"), out, e);
}

static int correct(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    return lottery_correct(x, id, json_object_get(b, "sources"), jv_str(b, "reason"), out, e);
}

static int next_round(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    return lottery_next_round(x, id, jv_int(b, "count", 0), out, e);
}

/* The published entrant list and result, as text files. */
static int text_file(http_req *r, int result, gh_err *e)
{
    int64_t id;
    int rc = http_param_id(r, "id", &id, e);
    if (rc) return rc;
    char *data = NULL;
    size_t len = 0;
    rc = result ? lottery_result_file(http_ctx(r), id, &data, &len, e)
                : lottery_entrant_file(http_ctx(r), id, &data, &len, e);
    if (rc) return rc;
    char name[96];
    snprintf(name, sizeof name, "%s-%lld.txt", result ? "消费券抽取结果" : "消费券抽取报名名单", (long long)id);
    rc = http_bytes(r, 200, "text/plain; charset=utf-8", data, len, name);
    free(data);
    return rc;
}

static int h_entrant_list(http_req *r, gh_err *e) { return text_file(r, 0, e); }
static int h_result(http_req *r, gh_err *e) { return text_file(r, 1, e); }

static const http_qparam list_q[] = {
    Q_PAGE(lottery_query),
    Q_INT(lottery_query, org_id, "org_id", 0, "组织"),
    Q_FLAG(lottery_query, for_me, "for_me", 0, "我可报名的"),
    Q_STR(lottery_query, q, "q", "名称"),
    Q_STR(lottery_query, phase, "phase", "阶段"),
    {0},
};
static const http_qparam entrants_q[] = {Q_PAGE(lq), Q_STR(lq, q, "q", "姓名或编号"), {0}};
static const http_qparam picks_q[] = {Q_PAGE(lq), Q_INT(lq, version, "version", 0, "版本"), {0}};
static const http_qparam stats_q[] = {
    Q_INT(lq, org_id, "org_id", 0, "组织"),
    Q_INT(lq, campaign_id, "campaign_id", 0, "抽取活动"),
    {0},
};
static const http_qparam page_q[] = {Q_PAGE(lq), {0}};

#define ID_Q(f) .call = {.shape = CALL_ID_QUERY, .id_query = (f), .qsize = sizeof(lq)}
#define Q(f) .call = {.shape = CALL_QUERY, .query = (f), .qsize = sizeof(lq)}
#define OPT (R_JSON | R_JSON_OPT)

const http_route routes_lottery[] = {
    {HTTP_GET, "/api/v1/lottery/campaigns", .flags = R_PUBLIC, ON_QUERY(lottery_list, lottery_query), .query = list_q},
    {HTTP_POST, "/api/v1/lottery/campaigns", .flags = R_JSON, ON_BODY(lottery_create), .status = 201},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}", .flags = R_PUBLIC, ON_ID(lottery_get)},
    {HTTP_PATCH, "/api/v1/lottery/campaigns/{id}", .flags = R_JSON, ON_ID_BODY(lottery_update)},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/cancel", .flags = R_JSON, ON_ID_STR(lottery_cancel, "reason"),
     .body = core_reason_fields},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/entries", .flags = OPT, ON_ID(lottery_enter), .body = core_no_fields,
     .status = 201},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/freeze", .flags = OPT, ON_ID(lottery_freeze), .body = core_no_fields},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/entrants", .flags = R_PUBLIC, ID_Q(entrants), .query = entrants_q},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/entrant-list", h_entrant_list, R_PUBLIC},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/draw", .flags = R_JSON, ON_ID_BODY(draw), .body = lottery_draw_fields,
     .status = 201},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/correction", .flags = R_JSON, ON_ID_BODY(correct),
     .body = lottery_correct_fields, .status = 201},
    {HTTP_POST, "/api/v1/lottery/campaigns/{id}/rounds", .flags = R_JSON, ON_ID_BODY(next_round),
     .body = lottery_round_fields, .status = 201},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/picks", .flags = R_PUBLIC, ID_Q(picks), .query = picks_q},
    {HTTP_GET, "/api/v1/lottery/campaigns/{id}/result", h_result, R_PUBLIC},
    {HTTP_GET, "/api/v1/lottery/stats", Q(stats), .query = stats_q},
    {HTTP_GET, "/api/v1/me/lottery-entries", Q(my_entries), .query = page_q},
    {0},
};
