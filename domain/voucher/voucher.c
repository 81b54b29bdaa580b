/* voucher.c — vouchers won in a lottery and their redemption; rules in
 * voucher.h. */
#include "domain/voucher/voucher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/qr.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/org/org.h"

/* ---- codes ---- */

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int symbol_value(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    const char *p = c ? strchr(ALPHABET, c) : NULL;
    return p ? (int)(p - ALPHABET) : -1;
}

/* Luhn mod 32 over symbol values; with check = 0 it gives the symbol to
 * append, and a complete code is valid when the sum is a multiple of 32. */
static int luhn32(const int *v, int n, int has_check)
{
    int factor = has_check ? 1 : 2, sum = 0;
    for (int i = n - 1; i >= 0; i--) {
        int add = factor * v[i];
        factor = factor == 2 ? 1 : 2;
        sum += add / 32 + add % 32;
    }
    return has_check ? sum % 32 : (32 - sum % 32) % 32;
}

void voucher_code_new(char out[VOUCHER_CODE_LEN + 1])
{
    /* 15 random bytes = 120 bits; the first 115 make 23 symbols of 5 bits */
    unsigned char rnd[15];
    crypto_random(rnd, sizeof rnd);
    int v[VOUCHER_CODE_LEN];
    for (int i = 0; i < VOUCHER_CODE_LEN - 1; i++) {
        int bit = i * 5, sym = 0;
        for (int k = 0; k < 5; k++, bit++) sym = (sym << 1) | ((rnd[bit / 8] >> (7 - bit % 8)) & 1);
        v[i] = sym;
        out[i] = ALPHABET[v[i]];
    }
    out[VOUCHER_CODE_LEN - 1] = ALPHABET[luhn32(v, VOUCHER_CODE_LEN - 1, 0)];
    out[VOUCHER_CODE_LEN] = '\0';
}

int voucher_code_parse(const char *typed, char out[VOUCHER_CODE_LEN + 1], gh_err *e)
{
    int v[VOUCHER_CODE_LEN], n = 0;
    for (const char *p = typed ? typed : ""; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' || *p == '\n') continue;
        int s = symbol_value(*p);
        if (s < 0 || n == VOUCHER_CODE_LEN)
            return err_set(e, ERR_INVALID, "invalid_voucher_code", "code", "消费券码应为 24 位字母和数字，请核对后重新输入");
        v[n] = s;
        out[n++] = ALPHABET[s];
    }
    if (n != VOUCHER_CODE_LEN)
        return err_set(e, ERR_INVALID, "invalid_voucher_code", "code", "消费券码应为 24 位字母和数字，请核对后重新输入");
    if (luhn32(v, n, 1) != 0)
        return err_set(e, ERR_INVALID, "invalid_voucher_code", "code", "消费券码校验位不符，可能有输错的字符，请核对");
    out[n] = '\0';
    return 0;
}

void voucher_code_format(const char *code, char out[VOUCHER_CODE_SHOWN])
{
    size_t o = 0;
    for (size_t i = 0; code[i] && i < VOUCHER_CODE_LEN; i++) {
        if (i && i % 4 == 0) out[o++] = '-';
        out[o++] = code[i];
    }
    out[o] = '\0';
}

static void code_hash(const gh_config *cfg, const char *code, char out[65])
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "voucher:%s", code);
    crypto_keyed_hex(cfg->hash_key, tmp, out);
    out[32] = '\0'; /* 128 bits, like the other lookup keys */
}

const char *voucher_shown_status(const char *status, const char *valid_to, const char *today)
{
    if (status && strcmp(status, "issued") == 0 && valid_to && today && strcmp(valid_to, today) < 0) return "expired";
    return status ? status : "";
}

int voucher_issue(gh_ctx *x, const voucher_new *v, int64_t *id, gh_err *e)
{
    char code[VOUCHER_CODE_LEN + 1], hash[65], ts[32];
    voucher_code_new(code);
    code_hash(x->cfg, code, hash);
    char *sealed = NULL;
    int rc = crypto_seal(x->cfg->data_key, code, &sealed, e);
    if (rc) return rc;
    ts_now(ts);
    store_res r;
    rc = store_query(x->db, &r,
        "INSERT INTO vouchers (campaign_id, org_id, member_id, entry_id, pick_id, code_hash, code_sealed, code_tail,"
        " face_value_fen, valid_from, valid_to, status, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'issued',$12,$12) RETURNING id",
        SV_ARGS(SV_I(v->campaign_id), SV_I(v->org_id), SV_I(v->member_id), SV_I(v->entry_id), SV_I(v->pick_id),
                SV_T(hash), SV_T(sealed), SV_T(code + VOUCHER_CODE_LEN - 4), SV_I(v->face_value_fen),
                SV_T(v->valid_from), SV_T(v->valid_to), SV_T(ts)),
        e);
    free(sealed);
    if (rc == 0) {
        rc = store_next(&r, e);
        if (rc > 0) *id = store_int(&r, 0);
        store_done(&r);
        rc = rc > 0 ? 0 : rc == 0 ? err_set(e, ERR_STORE, NULL, NULL, NULL) : rc;
    }
    /* 2^-128 for a clash of two fresh codes: a conflict here is a retry */
    if (rc == ERR_CONFLICT) return err_set(e, ERR_RETRY, "voucher_code_clash", NULL, "消费券码冲突，请重试");
    if (rc == 0) { /* the winner hears of it (in the draw's transaction) */
        char amount[48], body[300];
        money_format_yuan_cn(v->face_value_fen, amount, sizeof amount);
        snprintf(body, sizeof body, "恭喜您中签，获得面值 %s 的消费券，有效期 %s 至 %s，请在“我的消费券”中查看。", amount,
                 v->valid_from, v->valid_to);
        notice_msg m = {.member_id = v->member_id, .kind = "voucher_won", .title = "消费券中签", .body = body,
                        .link = "/m/vouchers.html", .ref_type = "voucher", .ref_id = *id, .sms = 1};
        rc = notice_send(x->db, x->cfg, &m, e);
    }
    return rc;
}

/* ---- the member's vouchers ---- */

#define MINE_COLS \
    "v.id, v.campaign_id, c.title, v.code_sealed, v.code_tail, v.face_value_fen, v.valid_from, v.valid_to," \
    " v.status, v.status_reason, v.redeemed_at, p.name, en.entry_no, pk.round, o.name, v.created_at"

static int providers_of(store_conn *db, int64_t campaign_id, json_t **out, gh_err *e)
{
    *out = json_array();
    store_res r;
    int rc = store_query(db, &r,
        "SELECT p.id, p.name, p.kind, p.region_code, p.address, p.status FROM lottery_campaign_providers cp"
        " JOIN providers p ON p.id = cp.provider_id WHERE cp.campaign_id = $1 ORDER BY cp.id",
        SV_ARGS(SV_I(campaign_id)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(*out, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:b}", "id", (json_int_t)store_int(&r, 0),
                                              "name", store_text(&r, 1), "kind", store_text(&r, 2), "region_code",
                                              store_text(&r, 3), "address", store_text(&r, 4), "admitted",
                                              store_text(&r, 5) && strcmp(store_text(&r, 5), "admitted") == 0));
    store_done(&r);
    return rc < 0 ? rc : 0;
}

int voucher_mine(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有会员可以查看自己的消费券");
    char today[11];
    date_format(date_today_cn(), today);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT " MINE_COLS " FROM vouchers v JOIN lottery_campaigns c ON c.id = v.campaign_id"
        " JOIN orgs o ON o.id = c.org_id JOIN lottery_entries en ON en.id = v.entry_id"
        " JOIN lottery_picks pk ON pk.id = v.pick_id LEFT JOIN providers p ON p.id = v.provider_id"
        " WHERE v.member_id = $1 ORDER BY v.id DESC LIMIT 200",
        SV_ARGS(SV_I(a->member_id)), e);
    if (rc) return rc;
    json_t *items = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(store_int(&r, 0)));
        json_object_set_new(o, "campaign_id", json_integer(store_int(&r, 1)));
        json_object_set_new(o, "campaign_title", list_col_str(&r, 2));
        const char *status = store_text(&r, 8);
        /* The code is shown only while it can still be used or was used. */
        if (strcmp(status, "issued") == 0 || strcmp(status, "redeemed") == 0) {
            char *plain = NULL;
            if (crypto_open(x->cfg->data_key, store_text(&r, 3), &plain, NULL) == 0) {
                char shown[VOUCHER_CODE_SHOWN];
                voucher_code_format(plain, shown);
                json_object_set_new(o, "code", json_string(shown));
            }
            free(plain);
        }
        json_object_set_new(o, "code_tail", list_col_str(&r, 4));
        json_object_set_new(o, "face_value_fen", json_integer(store_int(&r, 5)));
        json_object_set_new(o, "valid_from", list_col_str(&r, 6));
        json_object_set_new(o, "valid_to", list_col_str(&r, 7));
        json_object_set_new(o, "status", json_string(voucher_shown_status(status, store_text(&r, 7), today)));
        json_object_set_new(o, "status_reason", list_col_str(&r, 9));
        json_object_set_new(o, "redeemed_at", list_col_str(&r, 10));
        json_object_set_new(o, "redeemed_provider", list_col_str(&r, 11));
        json_object_set_new(o, "entry_no", json_integer(store_int(&r, 12)));
        json_object_set_new(o, "round", json_integer(store_int(&r, 13)));
        json_object_set_new(o, "org_name", list_col_str(&r, 14));
        json_object_set_new(o, "issued_at", list_col_str(&r, 15));
        json_array_append_new(items, o);
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    /* where each campaign's vouchers are usable */
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        json_t *prov = NULL;
        rc = providers_of(x->db, json_integer_value(json_object_get(it, "campaign_id")), &prov, e);
        if (rc) {
            json_decref(prov);
            json_decref(items);
            return rc;
        }
        json_object_set_new(it, "providers", prov);
    }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
    return 0;
}

/* The member's own voucher: its sealed code and status. */
static int own_voucher(gh_ctx *x, int64_t id, char **sealed, char status[16], gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_NOT_FOUND, "voucher_not_found", "id", "消费券不存在");
    store_res r;
    int rc = store_query(x->db, &r, "SELECT code_sealed, status FROM vouchers WHERE id = $1 AND member_id = $2",
                         SV_ARGS(SV_I(id), SV_I(a->member_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        if (sealed) *sealed = strdup(store_text(&r, 0));
        snprintf(status, 16, "%s", store_text(&r, 1));
        rc = sealed && !*sealed ? err_set(e, ERR_NOMEM, NULL, NULL, NULL) : 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "voucher_not_found", "id", "消费券不存在");
    }
    store_done(&r);
    return rc;
}

int voucher_qr_svg(gh_ctx *x, int64_t id, char **svg, size_t *len, gh_err *e)
{
    char *sealed = NULL, status[16];
    int rc = own_voucher(x, id, &sealed, status, e);
    if (rc) return rc;
    if (strcmp(status, "issued") != 0 && strcmp(status, "redeemed") != 0) {
        free(sealed);
        return err_set(e, ERR_GONE, "voucher_void", "id", "这张消费券已作废，没有二维码");
    }
    char *plain = NULL;
    rc = crypto_open(x->cfg->data_key, sealed, &plain, e);
    free(sealed);
    if (rc) return rc;
    char shown[VOUCHER_CODE_SHOWN];
    voucher_code_format(plain, shown);
    free(plain);
    return qr_svg(shown, 8, svg, len, e);
}

/* ---- forfeiting ---- */

typedef struct forfeit_ctx {
    gh_ctx *x;
    int64_t id;
    const char *reason;
    int by_member;
    int64_t campaign_id, org_id;
} forfeit_ctx;

static int forfeit_tx(store_conn *db, void *p, gh_err *e)
{
    forfeit_ctx *c = p;
    char ts[32], today[11], status[16] = "", valid_to[11] = "";
    int64_t draw = 0, pick_draw = 0;
    ts_now(ts);
    date_format(date_today_cn(), today);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT v.status, v.valid_to, v.campaign_id, v.org_id, c.draw_id, pk.draw_id FROM vouchers v"
        " JOIN lottery_campaigns c ON c.id = v.campaign_id JOIN lottery_picks pk ON pk.id = v.pick_id WHERE v.id = $1",
        SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        snprintf(status, sizeof status, "%s", store_text(&r, 0));
        snprintf(valid_to, sizeof valid_to, "%s", store_text(&r, 1));
        c->campaign_id = store_int(&r, 2);
        c->org_id = store_int(&r, 3);
        draw = store_int(&r, 4);
        pick_draw = store_int(&r, 5);
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (strcmp(status, "redeemed") == 0)
        return err_set(e, ERR_CONFLICT, "voucher_used", "id", "这张消费券已经核销，不能放弃或收回");
    if (strcmp(status, "issued") != 0 || draw != pick_draw)
        return err_set(e, ERR_CONFLICT, "voucher_not_issued", "id", "这张消费券已经放弃或作废");
    if (strcmp(valid_to, today) < 0)
        return err_set(e, ERR_GONE, "voucher_expired", "id", "这张消费券已于 %s 过期", valid_to);
    /* the campaign row first (see 0011): a correction of the draw waits */
    int64_t n = 0;
    rc = store_exec(db,
        "UPDATE lottery_campaigns SET forfeited = forfeited + 1, updated_at = $3 WHERE id = $1 AND draw_id = $2",
        SV_ARGS(SV_I(c->campaign_id), SV_I(draw), SV_T(ts)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "voucher_not_issued", "id", "这张消费券已经放弃或作废");
    rc = store_exec(db,
        "UPDATE vouchers SET status = 'forfeited', status_reason = $2, updated_at = $3 WHERE id = $1 AND status = 'issued'",
        SV_ARGS(SV_I(c->id), SV_T(c->reason), SV_T(ts)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "voucher_used", "id", "这张消费券刚刚被核销或放弃");
    json_t *d = json_pack("{s:s, s:I}", "reason", c->reason, "campaign_id", (json_int_t)c->campaign_id);
    rc = audit_record(c->x, c->by_member ? "voucher.decline" : "voucher.forfeit", "voucher", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

static json_t *brief(int64_t id, const char *status) { return json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", status); }

int voucher_decline(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    char status[16];
    int rc = own_voucher(x, id, NULL, status, e);
    if (rc) return rc;
    forfeit_ctx c = {x, id, "本人放弃", 1, 0, 0};
    rc = store_tx(x->db, STORE_WRITE, forfeit_tx, &c, e);
    if (rc) return rc;
    *out = brief(id, "forfeited");
    return 0;
}

/* Officers who manage the offering org's campaigns may take a voucher back.
 * The duty is checked before the voucher is looked up, and a voucher of an
 * org out of scope answers exactly like a missing one: the answer never
 * depends on whether the id exists. */
int voucher_forfeit(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养职责才能管理消费券");
    if (!reason || utf8_chars(reason) < 2)
        return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写收回的原因");
    int64_t org = 0;
    char path[GH_PATH_MAX];
    int rc = store_get_int(x->db, "SELECT org_id FROM vouchers WHERE id = $1", SV_ARGS(SV_I(id)), &org, e);
    if (rc == 0) rc = org_scope_path(x, org, path, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "voucher_not_found", "id", "消费券不存在");
    if (rc) return rc;
    forfeit_ctx c = {x, id, reason, 0, 0, 0};
    rc = store_tx(x->db, STORE_WRITE, forfeit_tx, &c, e);
    if (rc) return rc;
    *out = brief(id, "forfeited");
    return 0;
}

/* ---- redemption ---- */

typedef struct found {
    int64_t id, campaign_id, org_id, face, draw, pick_draw, member_id;
    char status[16], valid_from[11], valid_to[11], redeemed_at[32], used_at[128], title[400], holder[64];
    int usable_here;
} found;

/* Find a voucher by code and decide whether this provider may redeem it
 * now. Returns 0 with *f filled when it may. */
static int check_code(gh_ctx *x, const char *code, found *f, gh_err *e)
{
    const gh_actor *a = x->actor;
    memset(f, 0, sizeof *f);
    char hash[65], today[11];
    code_hash(x->cfg, code, hash);
    date_format(date_today_cn(), today);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT v.id, v.campaign_id, v.org_id, v.face_value_fen, c.draw_id, pk.draw_id, v.status, v.valid_from,"
        " v.valid_to, v.redeemed_at, p.name, c.title, en.name_mask, v.member_id,"
        " (SELECT COUNT(*) FROM lottery_campaign_providers cp WHERE cp.campaign_id = v.campaign_id"
        "  AND cp.provider_id = $2)"
        " FROM vouchers v JOIN lottery_campaigns c ON c.id = v.campaign_id JOIN lottery_picks pk ON pk.id = v.pick_id"
        " JOIN lottery_entries en ON en.id = v.entry_id LEFT JOIN providers p ON p.id = v.provider_id"
        " WHERE v.code_hash = $1",
        SV_ARGS(SV_T(hash), SV_I(a->provider_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        f->id = store_int(&r, 0);
        f->campaign_id = store_int(&r, 1);
        f->org_id = store_int(&r, 2);
        f->face = store_int(&r, 3);
        f->draw = store_int(&r, 4);
        f->pick_draw = store_int(&r, 5);
        snprintf(f->status, sizeof f->status, "%s", store_text(&r, 6));
        snprintf(f->valid_from, sizeof f->valid_from, "%s", store_text(&r, 7));
        snprintf(f->valid_to, sizeof f->valid_to, "%s", store_text(&r, 8));
        snprintf(f->redeemed_at, sizeof f->redeemed_at, "%s", store_text(&r, 9) ? store_text(&r, 9) : "");
        snprintf(f->used_at, sizeof f->used_at, "%s", store_text(&r, 10) ? store_text(&r, 10) : "");
        snprintf(f->title, sizeof f->title, "%s", store_text(&r, 11));
        snprintf(f->holder, sizeof f->holder, "%s", store_text(&r, 12));
        f->member_id = store_int(&r, 13);
        f->usable_here = store_int(&r, 14) > 0;
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "voucher_not_found", "code", "没有这张消费券，请核对券码");
    }
    store_done(&r);
    if (rc) return rc;
    if (!f->usable_here)
        return err_set(e, ERR_FORBIDDEN, "voucher_wrong_provider", "code", "这张消费券（%s）不能在本机构使用", f->title);
    if (strcmp(f->status, "redeemed") == 0) {
        /* when, in China time, as the till's clock shows it */
        char when[32] = "", cn[32];
        int64_t ms = 0;
        if (ts_parse(f->redeemed_at, &ms, NULL) == 0) {
            ts_format_ms(ms + 8 * 3600000LL, cn);
            snprintf(when, sizeof when, "%.10s %.5s", cn, cn + 11);
        }
        return err_set(e, ERR_CONFLICT, "voucher_used", "code", "这张消费券已于 %s 在“%s”核销，不能重复使用", when, f->used_at);
    }
    if (strcmp(f->status, "forfeited") == 0)
        return err_set(e, ERR_GONE, "voucher_forfeited", "code", "这张消费券已被放弃或收回，不能使用");
    if (strcmp(f->status, "void") == 0 || f->draw != f->pick_draw)
        return err_set(e, ERR_GONE, "voucher_void", "code", "这张消费券已作废（抽取结果经公开更正），不能使用");
    if (strcmp(today, f->valid_from) < 0)
        return err_set(e, ERR_CONFLICT, "voucher_not_yet_valid", "code", "这张消费券 %s 起才能使用", f->valid_from);
    if (strcmp(today, f->valid_to) > 0)
        return err_set(e, ERR_GONE, "voucher_expired", "code", "这张消费券已过期（有效期至 %s）", f->valid_to);
    return 0;
}

static int provider_ok(gh_ctx *x, char name[256], gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_PROVIDER || !a->provider_id)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有服务机构账号可以核销消费券");
    store_res r;
    int rc = store_query(x->db, &r, "SELECT status, name FROM providers WHERE id = $1", SV_ARGS(SV_I(a->provider_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        snprintf(name, 256, "%s", store_text(&r, 1));
        rc = strcmp(store_text(&r, 0), "admitted") == 0
                 ? 0
                 : err_set(e, ERR_FORBIDDEN, "provider_not_admitted", NULL, "本机构目前不在准入状态，暂不能核销消费券");
    } else if (rc == 0) {
        rc = err_set(e, ERR_FORBIDDEN, "provider_not_admitted", NULL, "账号关联的服务机构不存在");
    }
    store_done(&r);
    return rc;
}

static json_t *found_json(const found *f)
{
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)f->id, "campaign_id",
                     (json_int_t)f->campaign_id, "campaign_title", f->title, "face_value_fen", (json_int_t)f->face,
                     "valid_from", f->valid_from, "valid_to", f->valid_to, "holder", f->holder, "status", f->status);
}

int voucher_lookup(gh_ctx *x, const char *code, json_t **out, gh_err *e)
{
    char name[256], norm[VOUCHER_CODE_LEN + 1];
    int rc = provider_ok(x, name, e);
    if (rc == 0) rc = voucher_code_parse(code, norm, e);
    found f;
    if (rc == 0) rc = check_code(x, norm, &f, e);
    if (rc) return rc;
    *out = found_json(&f);
    return 0;
}

typedef struct redeem_ctx {
    gh_ctx *x;
    const char *code;
    const char *provider_name;
    found f;
    char at[32];
} redeem_ctx;

static int redeem_tx(store_conn *db, void *p, gh_err *e)
{
    redeem_ctx *c = p;
    found *f = &c->f;
    int rc = check_code(c->x, c->code, f, e);
    if (rc) return rc;
    ts_now(c->at);
    int64_t n = 0;
    /* The campaign row first, conditionally on the current draw (a
     * correction of the draw in flight either waits for us or voids us). */
    rc = store_exec(db,
        "UPDATE lottery_campaigns SET redeemed = redeemed + 1, redeemed_fen = redeemed_fen + $3, updated_at = $4"
        " WHERE id = $1 AND draw_id = $2",
        SV_ARGS(SV_I(f->campaign_id), SV_I(f->pick_draw), SV_I(f->face), SV_T(c->at)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_GONE, "voucher_void", "code", "这张消费券已作废（抽取结果经公开更正），不能使用");
    /* Exactly once: only the transaction that finds it still issued
     * changes it; a second till at the same moment changes nothing. */
    rc = store_exec(db,
        "UPDATE vouchers SET status = 'redeemed', redeemed_at = $2, provider_id = $3, redeemed_by = $4, updated_at = $2"
        " WHERE id = $1 AND status = 'issued'",
        SV_ARGS(SV_I(f->id), SV_T(c->at), SV_I(c->x->actor->provider_id), SV_IZ(c->x->actor->user_id)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "voucher_used", "code", "这张消费券刚刚已被核销，不能重复使用");
    int64_t debit = 0, credit = 0;
    rc = ledger_account(db, f->org_id, "voucher_subsidy_expense", &debit, e);
    if (rc == 0) rc = ledger_account(db, f->org_id, "provider_payable", &credit, e);
    if (rc) return rc;
    char idem[64], memo[512];
    snprintf(idem, sizeof idem, "voucher:%lld:redeem", (long long)f->id);
    snprintf(memo, sizeof memo, "消费券核销：%.200s，%.200s", f->title, c->provider_name);
    ledger_leg leg = {.debit_account = debit, .credit_account = credit, .amount_fen = f->face, .idem_key = idem,
                      .ref_type = "voucher", .ref_id = f->id, .memo = memo};
    rc = ledger_post(c->x, idem, &leg, 1, NULL, NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:I, s:I}", "campaign_id", (json_int_t)f->campaign_id, "provider_id",
                          (json_int_t)c->x->actor->provider_id, "face_value_fen", (json_int_t)f->face);
    rc = audit_record(c->x, "voucher.redeem", "voucher", f->id, f->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int voucher_redeem(gh_ctx *x, const char *code, json_t **out, gh_err *e)
{
    char name[256], norm[VOUCHER_CODE_LEN + 1];
    int rc = provider_ok(x, name, e);
    if (rc == 0) rc = voucher_code_parse(code, norm, e);
    if (rc) return rc;
    redeem_ctx c = {x, norm, name, {0}, ""};
    rc = store_tx(x->db, STORE_WRITE, redeem_tx, &c, e);
    if (rc) {
        /* A refused attempt on a real voucher leaves a trace (who tried a
         * used, foreign or expired code, and when). */
        if (c.f.id && rc != ERR_RETRY && rc != ERR_STORE && e) {
            gh_err e2;
            err_clear(&e2);
            json_t *d = json_pack("{s:s, s:I}", "refused", e->code, "provider_id", (json_int_t)x->actor->provider_id);
            audit_record(x, "voucher.redeem", "voucher", c.f.id, c.f.org_id, "denied", d, &e2);
            json_decref(d);
        }
        return rc;
    }
    snprintf(c.f.status, sizeof c.f.status, "redeemed");
    json_t *o = found_json(&c.f);
    json_object_set_new(o, "redeemed_at", json_string(c.at));
    json_object_set_new(o, "provider_name", json_string(name));
    *out = o;
    return 0;
}

/* the export's words for the codes (as the pages show them) */
static const char *const words_voucher_status[] = {"issued", "可使用", "redeemed", "已使用", "forfeited", "已放弃", "void", "已作废", "expired", "已过期", NULL};

static const list_col redemption_cols[] = {
    {"id", "v.id", COL_INT, "编号"},
    {"campaign_id", "v.campaign_id", COL_INT},
    {"campaign_title", "c.title", COL_STR, "活动"},
    {"code_tail", "v.code_tail", COL_STR, "券码尾号"},
    {"face_value_fen", "v.face_value_fen", COL_FEN, "面额（元）"},
    {"redeemed_at", "v.redeemed_at", COL_STR, "核销时间"},
    {"holder", "en.name_mask", COL_STR, "持券人"},
    {0},
};

static const list_spec redemption_spec = {redemption_cols, .title = "消费券核销记录", .audit = "voucher.export"};

int voucher_redemptions(gh_ctx *x, int page, int per_page, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_PROVIDER || !a->provider_id)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有服务机构账号可以查看核销记录");
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w, "vouchers v JOIN lottery_campaigns c ON c.id = v.campaign_id JOIN lottery_entries en ON en.id = v.entry_id"
                  " WHERE v.provider_id = ? AND v.status = 'redeemed'", SV_ARGS(SV_I(a->provider_id)));
    int rc = list_query(x, &redemption_spec, NULL, &w, "v.redeemed_at DESC, v.id DESC", &pg, NULL, out, e);
    if (rc || !*out) return rc;
    int64_t n = 0, fen = 0;
    store_res r;
    rc = store_query(x->db, &r,
                     "SELECT COUNT(*), COALESCE(SUM(face_value_fen), 0) FROM vouchers WHERE provider_id = $1 AND status = 'redeemed'",
                     SV_ARGS(SV_I(a->provider_id)), e);
    if (rc == 0 && (rc = store_next(&r, e)) > 0) {
        n = store_int(&r, 0);
        fen = store_int(&r, 1);
        rc = 0;
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "redeemed_count", json_integer(n));
    json_object_set_new(*out, "redeemed_fen", json_integer(fen));
    return 0;
}

/* ---- officers' list ---- */

static const list_col voucher_cols[] = {
    {"id", "v.id", COL_INT, "编号"},
    {"entry_no", "en.entry_no", COL_INT, "报名编号"},
    {"holder", "en.name_mask", COL_STR, "持券人"},
    {"holder_org", "mo.name", COL_STR, "所属工会"},
    {"code_tail", "v.code_tail", COL_STR, "券码尾号"},
    {"face_value_fen", "v.face_value_fen", COL_FEN, "面额（元）"},
    {"valid_to", "v.valid_to", COL_STR, "有效期至"},
    {"status", "v.status", COL_STR, "状态", words_voucher_status},
    {"status_reason", "v.status_reason", COL_STR, "状态说明"},
    {"redeemed_at", "v.redeemed_at", COL_STR, "核销时间"},
    {"provider_name", "p.name", COL_STR, "核销机构"},
    {"round", "pk.round", COL_INT, "轮次"},
    {"pick_index", "pk.pick_index", COL_INT, "抽取顺序"},
    {0},
};

/* The status as shown today (an issued voucher past its date: expired). */
static void voucher_post(json_t *o, void *today)
{
    const char *st = json_string_value(json_object_get(o, "status"));
    const char *to = json_string_value(json_object_get(o, "valid_to"));
    json_object_set_new(o, "status", json_string(voucher_shown_status(st, to, today)));
}

static const list_spec voucher_spec = {voucher_cols, NULL, voucher_post, "消费券发放名单", "voucher.export"};

int voucher_list(gh_ctx *x, int64_t campaign_id, const char *status, int page, int per_page, json_t **out,
                 gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!(actor_has_duty(a, DUTY_RETREAT) || actor_has_duty(a, DUTY_FINANCE) || a->role == ROLE_AUDITOR))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养或财务职责（或审计员）才能查看消费券");
    static const char *const statuses[] = {"issued", "redeemed", "forfeited", "void", "expired", NULL};
    if (status && *status && jv_choice_index(statuses, status) < 0)
        return err_set(e, ERR_INVALID, "invalid_query", "status", "状态取值无效");
    int64_t org = 0;
    int rc = store_get_int(x->db, "SELECT org_id FROM lottery_campaigns WHERE id = $1", SV_ARGS(SV_I(campaign_id)), &org, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "campaign_not_found", "id", "抽取活动不存在");
    if (rc) return rc;
    char path[GH_PATH_MAX];
    rc = org_scope_path(x, org, path, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "campaign_not_found", "id", "抽取活动不存在");
    if (rc) return rc;
    char today[11];
    date_format(date_today_cn(), today);
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w,
              "vouchers v JOIN lottery_entries en ON en.id = v.entry_id JOIN orgs mo ON mo.id = en.org_id"
              " JOIN lottery_picks pk ON pk.id = v.pick_id LEFT JOIN providers p ON p.id = v.provider_id"
              " WHERE v.campaign_id = ?",
              SV_ARGS(SV_I(campaign_id)));
    if (status && strcmp(status, "expired") == 0) SQLW_AND(&w, "v.status = 'issued' AND v.valid_to < ?", SV_T(today));
    else if (status && strcmp(status, "issued") == 0) SQLW_AND(&w, "v.status = 'issued' AND v.valid_to >= ?", SV_T(today));
    else if (status && *status) SQLW_AND(&w, "v.status = ?", SV_T(status));
    return list_query(x, &voucher_spec, NULL, &w, "pk.pick_index, v.id", &pg, today, out, e);
}

const jv_field voucher_code_fields[] = {
    {"code", JV_STRING, JV_REQUIRED, "消费券码", .max = 64},
    {0},
};
