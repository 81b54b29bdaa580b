/* lottery.c — voucher lotteries: campaigns, entries, freezing the pool, the
 * RFC 3797 draw, corrections, second rounds and figures; rules in
 * lottery.h, the selection itself in rfc3797.h, vouchers in voucher.h. */
#include "domain/lottery/lottery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/list.h"
#include "domain/member/member.h"
#include "domain/org/org.h"
#include "domain/lottery/rfc3797.h"
#include "domain/voucher/voucher.h"

#define MAX_SOURCES 8
#define MAX_PROVIDERS 50
#define MAX_VOUCHERS 1000000

const char *lottery_method_label(int index_bytes)
{
    return index_bytes == 4 ? "RFC 3797 扩展：报名超过 65535 人，序号写作 4 字节大端"
                            : "RFC 3797（序号 2 字节）";
}

/* ---- the campaign row ---- */

typedef struct campaign {
    int64_t id, org_id, elig_org_id, face, draw_id, redeemed_fen;
    int voucher_count, frontline_only, entrants, picks, rounds, redeemed, forfeited;
    char status[16], opens[32], closes[32], valid_from[11], valid_to[11], title[400];
    char org_path[GH_PATH_MAX], elig_path[GH_PATH_MAX], elig_name[400];
} campaign;

static int not_found(gh_err *e) { return err_set(e, ERR_NOT_FOUND, "campaign_not_found", "id", "抽取活动不存在"); }

static int load(store_conn *db, int64_t id, campaign *c, gh_err *e)
{
    memset(c, 0, sizeof *c);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT c.id, c.org_id, c.elig_org_id, c.face_value_fen, COALESCE(c.draw_id, 0), c.redeemed_fen,"
        " c.voucher_count, c.frontline_only, c.entrants, c.picks, c.rounds, c.redeemed, c.forfeited, c.status,"
        " c.signup_opens_at, c.signup_closes_at, c.valid_from, c.valid_to, c.title, o.path, eo.path, eo.name"
        " FROM lottery_campaigns c JOIN orgs o ON o.id = c.org_id JOIN orgs eo ON eo.id = c.elig_org_id WHERE c.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        c->id = store_int(&r, 0);
        c->org_id = store_int(&r, 1);
        c->elig_org_id = store_int(&r, 2);
        c->face = store_int(&r, 3);
        c->draw_id = store_int(&r, 4);
        c->redeemed_fen = store_int(&r, 5);
        c->voucher_count = (int)store_int(&r, 6);
        c->frontline_only = (int)store_int(&r, 7);
        c->entrants = (int)store_int(&r, 8);
        c->picks = (int)store_int(&r, 9);
        c->rounds = (int)store_int(&r, 10);
        c->redeemed = (int)store_int(&r, 11);
        c->forfeited = (int)store_int(&r, 12);
        snprintf(c->status, sizeof c->status, "%s", store_text(&r, 13));
        snprintf(c->opens, sizeof c->opens, "%s", store_text(&r, 14));
        snprintf(c->closes, sizeof c->closes, "%s", store_text(&r, 15));
        snprintf(c->valid_from, sizeof c->valid_from, "%s", store_text(&r, 16));
        snprintf(c->valid_to, sizeof c->valid_to, "%s", store_text(&r, 17));
        snprintf(c->title, sizeof c->title, "%s", store_text(&r, 18));
        snprintf(c->org_path, sizeof c->org_path, "%s", store_text(&r, 19));
        snprintf(c->elig_path, sizeof c->elig_path, "%s", store_text(&r, 20));
        snprintf(c->elig_name, sizeof c->elig_name, "%s", store_text(&r, 21));
        rc = 0;
    } else if (rc == 0) {
        rc = not_found(e);
    }
    store_done(&r);
    return rc;
}

/* The phase a visitor sees: the stored status plus the clock. */
static const char *phase_of(const char *status, const char *opens, const char *closes, const char *now)
{
    if (strcmp(status, "open") != 0) return status;
    if (strcmp(now, opens) < 0) return "upcoming";
    if (strcmp(now, closes) < 0) return "signup";
    return "closed";
}

/* May the actor manage campaigns of this org? Campaigns are public, so an
 * officer outside the org's scope is refused, not told it is absent. */
static int manage_check(gh_ctx *x, const char *org_path, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养职责才能管理消费券抽取活动");
    if (!actor_in_scope(x->actor, org_path))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只能管理本组织及下级组织的抽取活动");
    return 0;
}

static int can_manage(gh_ctx *x, const char *org_path) { return manage_check(x, org_path, NULL) == 0; }

/* China's calendar day of an RFC 3339 UTC timestamp. */
static void cn_day_of(const char *ts, char out[11])
{
    int64_t ms = 0;
    if (ts_parse(ts, &ms, NULL) != 0) {
        snprintf(out, 11, "%.10s", ts);
        return;
    }
    int64_t day_ms = 86400000;
    int64_t shifted = ms + 8 * 3600000LL;
    int64_t days = shifted >= 0 ? shifted / day_ms : -((-shifted + day_ms - 1) / day_ms);
    date_format((int32_t)days, out);
}

/* ---- JSON ---- */

static const list_col campaign_cols[] = {
    {"id", "c.id", COL_INT, "编号"},
    {"org_id", "c.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "主办工会"},
    {"title", "c.title", COL_STR, "活动名称"},
    {"description", "c.description", COL_STR},
    {"face_value_fen", "c.face_value_fen", COL_FEN, "券面额（元）"},
    {"voucher_count", "c.voucher_count", COL_INT, "券数量"},
    {"valid_from", "c.valid_from", COL_STR, "有效期起"},
    {"valid_to", "c.valid_to", COL_STR, "有效期止"},
    {"elig_org_id", "c.elig_org_id", COL_INT},
    {"elig_org_name", "eo.name", COL_STR, "参加范围"},
    {"frontline_only", "c.frontline_only", COL_BOOL, "仅限一线职工"},
    {"signup_opens_at", "c.signup_opens_at", COL_STR, "报名开始"},
    {"signup_closes_at", "c.signup_closes_at", COL_STR, "报名截止"},
    {"status", "c.status", COL_STR},
    {"phase", NULL, COL_STR, "阶段"},
    {"entrants", "c.entrants", COL_INT, "报名人数"},
    {"list_sha256", "c.list_sha256", COL_STR},
    {"frozen_at", "c.frozen_at", COL_STR},
    {"winners", "c.picks", COL_INT, "中签人数"},
    {"rounds", "c.rounds", COL_INT},
    {"cancel_reason", "c.cancel_reason", COL_STR},
    {"created_at", "c.created_at", COL_STR},
    {"updated_at", "c.updated_at", COL_STR},
    {0},
};
#define CAMPAIGN_FROM "lottery_campaigns c JOIN orgs o ON o.id = c.org_id JOIN orgs eo ON eo.id = c.elig_org_id"

/* The phase as of now (arg). */
static void campaign_post(json_t *o, void *now)
{
    const char *st = json_string_value(json_object_get(o, "status"));
    const char *opens = json_string_value(json_object_get(o, "signup_opens_at"));
    const char *closes = json_string_value(json_object_get(o, "signup_closes_at"));
    json_object_set_new(o, "phase", json_string(phase_of(st, opens, closes, now)));
}

static const list_filter campaign_filters[] = {
    {FILTER_LIKE, offsetof(lottery_query, q), "c.title LIKE ? ESCAPE '\\'", "q", "活动名称"},
    {0},
};

static const list_spec campaign_spec = {campaign_cols, campaign_filters, campaign_post, "消费券活动"};

static int add_sources(store_conn *db, int64_t id, json_t *o, gh_err *e)
{
    json_t *a = json_array();
    json_object_set_new(o, "sources", a);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT position, name, draw_date, value_count, note FROM lottery_sources WHERE campaign_id = $1 ORDER BY position",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *s = json_object();
        json_object_set_new(s, "position", json_integer(store_int(&r, 0)));
        json_object_set_new(s, "name", list_col_str(&r, 1));
        json_object_set_new(s, "draw_date", list_col_str(&r, 2));
        json_object_set_new(s, "value_count", list_col_int(&r, 3));
        json_object_set_new(s, "note", list_col_str(&r, 4));
        json_array_append_new(a, s);
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

static int add_providers(store_conn *db, int64_t id, json_t *o, gh_err *e)
{
    json_t *a = json_array();
    json_object_set_new(o, "providers", a);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT p.id, p.name, p.kind, p.region_code, p.address, p.status FROM lottery_campaign_providers cp"
        " JOIN providers p ON p.id = cp.provider_id WHERE cp.campaign_id = $1 ORDER BY cp.id",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(a, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:b}", "id", (json_int_t)store_int(&r, 0),
                                           "name", store_text(&r, 1), "kind", store_text(&r, 2), "region_code",
                                           store_text(&r, 3), "address", store_text(&r, 4), "admitted",
                                           strcmp(store_text(&r, 5), "admitted") == 0));
    store_done(&r);
    return rc < 0 ? rc : 0;
}

static int add_draws(store_conn *db, const campaign *c, json_t *o, gh_err *e)
{
    json_t *a = json_array();
    json_object_set_new(o, "draws", a);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT d.id, d.version, d.source_values, d.key_string, d.index_bytes, d.pool_size, d.reason, d.created_at,"
        " u.display_name FROM lottery_draws d LEFT JOIN users u ON u.id = d.created_by"
        " WHERE d.campaign_id = $1 ORDER BY d.version",
        SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *d = json_object();
        json_object_set_new(d, "version", json_integer(store_int(&r, 1)));
        json_t *vals = json_loads(store_text(&r, 2), 0, NULL);
        json_object_set_new(d, "source_values", vals ? vals : json_array());
        json_object_set_new(d, "key_string", list_col_str(&r, 3));
        int ib = (int)store_int(&r, 4);
        json_object_set_new(d, "index_bytes", json_integer(ib));
        json_object_set_new(d, "method", json_string(lottery_method_label(ib)));
        json_object_set_new(d, "pool_size", json_integer(store_int(&r, 5)));
        json_object_set_new(d, "reason", list_col_str(&r, 6));
        json_object_set_new(d, "created_at", list_col_str(&r, 7));
        json_object_set_new(d, "entered_by", list_col_str(&r, 8));
        json_object_set_new(d, "current", json_boolean(store_int(&r, 0) == c->draw_id));
        json_array_append_new(a, d);
    }
    store_done(&r);
    if (rc < 0) return rc;
    json_t *rounds = json_array();
    json_object_set_new(o, "round_list", rounds);
    rc = store_query(db, &r,
        "SELECT round, first_index, count, created_at FROM lottery_rounds WHERE draw_id = $1 ORDER BY round",
        SV_ARGS(SV_I(c->draw_id)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(rounds, json_pack("{s:I, s:I, s:I, s:s?}", "round", (json_int_t)store_int(&r, 0),
                                                "first_index", (json_int_t)store_int(&r, 1), "count",
                                                (json_int_t)store_int(&r, 2), "created_at", store_text(&r, 3)));
    store_done(&r);
    return rc < 0 ? rc : 0;
}

/* ---- eligibility of a member ---- */

typedef struct member_info {
    int64_t id, org_id;
    int frontline, active;
    char name[MEMBER_NAME_BUF], tail[8], path[GH_PATH_MAX];
} member_info;

static int load_member(store_conn *db, int64_t id, member_info *m, gh_err *e)
{
    memset(m, 0, sizeof *m);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT m.id, m.org_id, m.frontline, m.status, m.name, m.mobile_tail, o.path FROM members m"
        " JOIN orgs o ON o.id = m.org_id WHERE m.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        m->id = store_int(&r, 0);
        m->org_id = store_int(&r, 1);
        m->frontline = (int)store_int(&r, 2);
        m->active = strcmp(store_text(&r, 3), "active") == 0;
        snprintf(m->name, sizeof m->name, "%s", store_text(&r, 4));
        snprintf(m->tail, sizeof m->tail, "%s", store_text(&r, 5) ? store_text(&r, 5) : "");
        snprintf(m->path, sizeof m->path, "%s", store_text(&r, 6));
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_FORBIDDEN, "not_member", NULL, "当前账号没有关联会员档案");
    }
    store_done(&r);
    return rc;
}

static int eligible(const campaign *c, const member_info *m, gh_err *e)
{
    if (!m->active) return err_set(e, ERR_FORBIDDEN, "member_not_active", NULL, "只有在会会员可以报名");
    if (strncmp(m->path, c->elig_path, strlen(c->elig_path)) != 0)
        return err_set(e, ERR_FORBIDDEN, "not_eligible", NULL, "本次活动限%s及下级工会的会员参加", c->elig_name);
    if (c->frontline_only && !m->frontline)
        return err_set(e, ERR_FORBIDDEN, "frontline_only", NULL, "本次活动限一线职工参加");
    return 0;
}

static int signup_open(const campaign *c, const char *now, gh_err *e)
{
    const char *ph = phase_of(c->status, c->opens, c->closes, now);
    if (strcmp(ph, "signup") == 0) return 0;
    if (strcmp(ph, "upcoming") == 0)
        return err_set(e, ERR_CONFLICT, "signup_not_open", NULL, "报名尚未开始（%.10s 开始）", c->opens);
    if (strcmp(ph, "cancelled") == 0) return err_set(e, ERR_CONFLICT, "campaign_cancelled", NULL, "本次活动已取消");
    return err_set(e, ERR_CONFLICT, "signup_closed", NULL, "报名已经截止");
}

/* ---- freezing the pool ---- */

static void entrant_line(buf *b, int64_t no, const char *mask, const char *tail)
{
    buf_printf(b, "%lld\t%s\t%s\n", (long long)no, mask ? mask : "", tail && *tail ? tail : "-");
}

/* The published list file: a header naming only what can never change (the
 * campaign number and the count), then one entrant per line. */
static int build_list(store_conn *db, int64_t id, buf *out, int64_t *count, gh_err *e)
{
    int64_t n = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM lottery_entries WHERE campaign_id = $1 AND entry_no IS NOT NULL",
                           SV_ARGS(SV_I(id)), &n, e);
    if (rc) return rc;
    buf_printf(out, "# 消费券抽取活动 %lld 报名名单，共 %lld 人；每行：报名编号<TAB>姓名（部分隐去）<TAB>手机尾号\n",
               (long long)id, (long long)n);
    store_res r;
    rc = store_query(db, &r,
        "SELECT entry_no, name_mask, mobile_tail FROM lottery_entries WHERE campaign_id = $1 AND entry_no IS NOT NULL"
        " ORDER BY entry_no",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    int64_t want = 1;
    while ((rc = store_next(&r, e)) > 0) {
        if (store_int(&r, 0) != want) {
            rc = err_set(e, ERR_INTERNAL, "entry_numbers_broken", NULL, "报名编号不连续");
            break;
        }
        entrant_line(out, want++, store_text(&r, 1), store_text(&r, 2));
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (out->oom) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    *count = n;
    return 0;
}

typedef struct freeze_ctx {
    gh_ctx *x;
    int64_t id;
    int froze;
} freeze_ctx;

static int freeze_tx(store_conn *db, void *p, gh_err *e)
{
    freeze_ctx *c = p;
    char now[32];
    ts_now(now);
    c->froze = 0;
    int64_t n = 0;
    int rc = store_exec(db,
        "UPDATE lottery_campaigns SET status = 'frozen', frozen_at = $2, updated_at = $2"
        " WHERE id = $1 AND status = 'open' AND signup_closes_at <= $2",
        SV_ARGS(SV_I(c->id), SV_T(now)), &n, e);
    if (rc || n == 0) return rc;
    /* Entry numbers in sign-up order. Every entry committed before this
     * update took the campaign row (see lottery_enter), so none is missed. */
    rc = store_exec(db,
        "UPDATE lottery_entries SET entry_no = r.rn FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn"
        " FROM lottery_entries WHERE campaign_id = $1) r WHERE lottery_entries.id = r.id",
        SV_ARGS(SV_I(c->id)), NULL, e);
    if (rc) return rc;
    buf list = {0};
    int64_t count = 0;
    rc = build_list(db, c->id, &list, &count, e);
    char sha[65];
    if (rc == 0) crypto_sha256_hex(list.data ? list.data : "", list.len, sha);
    buf_free(&list);
    if (rc) return rc;
    rc = store_exec(db, "UPDATE lottery_campaigns SET entrants = $2, list_sha256 = $3 WHERE id = $1",
                    SV_ARGS(SV_I(c->id), SV_I(count), SV_T(sha)), NULL, e);
    if (rc) return rc;
    int64_t org = 0;
    rc = store_get_int(db, "SELECT org_id FROM lottery_campaigns WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:s}", "entrants", (json_int_t)count, "list_sha256", sha);
    rc = audit_record(c->x, "lottery.freeze", "lottery_campaign", c->id, org, "ok", d, e);
    json_decref(d);
    c->froze = 1;
    return rc;
}

/* Freeze the pool if sign-up has closed and nobody has yet; reload c. */
static int ensure_frozen(gh_ctx *x, campaign *c, gh_err *e)
{
    char now[32];
    ts_now(now);
    if (strcmp(c->status, "open") != 0 || strcmp(now, c->closes) < 0) return 0;
    freeze_ctx f = {x, c->id, 0};
    int rc = store_tx(x->db, STORE_WRITE, freeze_tx, &f, e);
    if (rc) return rc;
    return load(x->db, c->id, c, e);
}

int lottery_freeze(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc) return rc;
    rc = manage_check(x, c.org_path, e);
    if (rc) return rc;
    char now[32];
    ts_now(now);
    if (strcmp(c.status, "open") == 0 && strcmp(now, c.closes) < 0)
        return err_set(e, ERR_CONFLICT, "signup_not_closed", NULL, "报名尚未截止，不能锁定名单");
    if (strcmp(c.status, "cancelled") == 0) return err_set(e, ERR_CONFLICT, "campaign_cancelled", NULL, "本次活动已取消");
    rc = ensure_frozen(x, &c, e);
    if (rc) return rc;
    return lottery_get(x, id, out, e);
}

/* ---- reading ---- */

int lottery_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc == 0) rc = ensure_frozen(x, &c, e);
    if (rc) return rc;
    char now[32];
    ts_now(now);
    json_t *o = NULL;
    rc = list_one(x->db, &campaign_spec, now, NULL, CAMPAIGN_FROM " WHERE c.id = $1", SV_ARGS(SV_I(id)), &o, NULL, e);
    if (rc) return rc == ERR_NOT_FOUND ? not_found(e) : rc;
    rc = add_sources(x->db, id, o, e);
    if (rc == 0) rc = add_providers(x->db, id, o, e);
    if (rc == 0) rc = add_draws(x->db, &c, o, e);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "server_time", json_string(now));
    char close_day[11];
    cn_day_of(c.closes, close_day);
    json_object_set_new(o, "signup_close_date", json_string(close_day));
    if (c.entrants > 0 && strcmp(c.status, "open") != 0) {
        uint32_t k = (uint32_t)(c.voucher_count < c.entrants ? c.voucher_count : c.entrants);
        json_object_set_new(o, "entropy_bits_needed", json_real(rfc3797_entropy_bits((uint32_t)c.entrants, k)));
        json_object_set_new(o, "index_bytes", json_integer(rfc3797_index_bytes((uint64_t)c.entrants)));
        json_object_set_new(o, "method", json_string(lottery_method_label(rfc3797_index_bytes((uint64_t)c.entrants))));
    }
    const gh_actor *a = x->actor;
    if (a->role == ROLE_MEMBER && a->member_id) {
        member_info m;
        gh_err e2;
        err_clear(&e2);
        json_t *mine = json_object();
        if (load_member(x->db, a->member_id, &m, &e2) == 0) {
            int ok = eligible(&c, &m, &e2) == 0;
            json_object_set_new(mine, "eligible", json_boolean(ok));
            if (!ok) json_object_set_new(mine, "reason", json_string(e2.message));
        }
        store_res r;
        rc = store_query(x->db, &r,
            "SELECT en.entry_no, en.created_at, v.id, v.status FROM lottery_entries en"
            " LEFT JOIN vouchers v ON v.entry_id = en.id AND v.status <> 'void'"
            " WHERE en.campaign_id = $1 AND en.member_id = $2",
            SV_ARGS(SV_I(id), SV_I(a->member_id)), e);
        if (rc == 0) {
            if ((rc = store_next(&r, e)) > 0) {
                json_object_set_new(mine, "entered", json_true());
                json_object_set_new(mine, "entry_no", list_col_int(&r, 0));
                json_object_set_new(mine, "entered_at", list_col_str(&r, 1));
                json_object_set_new(mine, "won", json_boolean(!store_isnull(&r, 2)));
                json_object_set_new(mine, "voucher_id", list_col_int(&r, 2));
                rc = 0;
            } else if (rc == 0) {
                json_object_set_new(mine, "entered", json_false());
            }
            store_done(&r);
        }
        json_object_set_new(o, "me", mine);
        if (rc < 0) {
            json_decref(o);
            return rc;
        }
        rc = 0;
    }
    int manage = can_manage(x, c.org_path);
    json_object_set_new(o, "can_manage", json_boolean(manage));
    /* Cancelling is possible before the earliest draw date only (public,
     * like every other rule of the campaign). */
    char first[11] = "", today_cn[11];
    size_t si;
    json_t *src;
    json_array_foreach(json_object_get(o, "sources"), si, src) {
        const char *d = jv_str(src, "draw_date");
        if (d && (!*first || strcmp(d, first) < 0)) snprintf(first, sizeof first, "%s", d);
    }
    date_format(date_today_cn(), today_cn);
    json_object_set_new(o, "cancel_before", *first ? json_string(first) : json_null());
    json_object_set_new(o, "can_cancel",
                        json_boolean(manage && (strcmp(c.status, "open") == 0 || strcmp(c.status, "frozen") == 0) &&
                                     (!*first || strcmp(today_cn, first) < 0)));
    /* Figures (redeemed, forfeited, expired) are the organising union's
     * business: its scope only, whatever the duty or role. */
    if (manage || (actor_in_scope(a, c.org_path) && (a->role == ROLE_AUDITOR || actor_has_duty(a, DUTY_FINANCE)))) {
        char today[11];
        date_format(date_today_cn(), today);
        int64_t expired = 0;
        rc = store_get_int(x->db,
                           "SELECT COUNT(*) FROM vouchers WHERE campaign_id = $1 AND status = 'issued' AND valid_to < $2",
                           SV_ARGS(SV_I(id), SV_T(today)), &expired, e);
        if (rc) {
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, "figures",
                            json_pack("{s:i, s:i, s:I, s:i, s:I, s:i}", "winners", c.picks, "redeemed", c.redeemed,
                                      "redeemed_fen", (json_int_t)c.redeemed_fen, "forfeited", c.forfeited,
                                      "expired", (json_int_t)expired, "outstanding",
                                      c.picks - c.redeemed - c.forfeited - (int)expired));
    }
    *out = o;
    return 0;
}

int lottery_list(gh_ctx *x, const lottery_query *q, json_t **out, gh_err *e)
{
    static const char *const phases[] = {"upcoming", "signup", "closed", "frozen", "drawn", "cancelled", NULL};
    if (q->phase && *q->phase && jv_choice_index(phases, q->phase) < 0)
        return err_set(e, ERR_INVALID, "invalid_query", "phase", "阶段取值无效");
    char now[32], lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    ts_now(now);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    /* Everything that can fail before the fragment is built: an early
     * return after sqlw_init would leak its buffer (an unknown org_id, asked
     * by anyone, once did on every request). */
    if (q->org_id) {
        int rc = org_path(x->db, q->org_id, lo, e);
        if (rc) return rc;
        store_prefix_bound(lo, hi, sizeof hi);
    }
    sqlw w;
    sqlw_init(&w, CAMPAIGN_FROM " WHERE 1 = 1", SV_NONE);
    if (q->org_id) SQLW_AND(&w, "o.path >= ? AND o.path < ?", SV_T(lo), SV_T(hi));
    if (q->phase && *q->phase) {
        if (strcmp(q->phase, "upcoming") == 0) SQLW_AND(&w, "c.status = 'open' AND c.signup_opens_at > ?", SV_T(now));
        else if (strcmp(q->phase, "signup") == 0)
            SQLW_AND(&w, "c.status = 'open' AND c.signup_opens_at <= ? AND c.signup_closes_at > ?", SV_T(now), SV_T(now));
        else if (strcmp(q->phase, "closed") == 0) SQLW_AND(&w, "c.status = 'open' AND c.signup_closes_at <= ?", SV_T(now));
        else SQLW_AND(&w, "c.status = ?", SV_T(q->phase));
    }
    member_info m;
    if (q->for_me) {
        if (x->actor->role != ROLE_MEMBER || !x->actor->member_id) {
            sqlw_free(&w);
            return err_set(e, ERR_INVALID, "invalid_query", "for_me", "只有会员可以筛选“我可参加的活动”");
        }
        int rc = load_member(x->db, x->actor->member_id, &m, e);
        if (rc) {
            sqlw_free(&w);
            return rc;
        }
        SQLW_AND(&w, "substr(?, 1, length(eo.path)) = eo.path AND (c.frontline_only = 0 OR ? = 1)", SV_T(m.path),
                 SV_I(m.frontline));
    }
    return list_query(x, &campaign_spec, q, &w, "c.id DESC", &pg, now, out, e);
}

/* ---- creating and editing ---- */

static const jv_field create_fields[] = {
    {"title", JV_STRING, JV_REQUIRED, "活动名称", .max = 100},
    {"description", JV_STRING, JV_NULLABLE | JV_MULTILINE, "活动说明", .max = 2000},
    {"org_id", JV_INT, JV_REQUIRED, "发放工会", .min = 1, .max = INT64_MAX},
    {"face_value_fen", JV_MONEY, JV_REQUIRED, "面值", .max = 100000000},
    {"voucher_count", JV_INT, JV_REQUIRED, "消费券数量", .min = 1, .max = MAX_VOUCHERS},
    {"valid_from", JV_DATE, JV_REQUIRED, "有效期起"},
    {"valid_to", JV_DATE, JV_REQUIRED, "有效期止"},
    {"elig_org_id", JV_INT, JV_NULLABLE, "参与范围", .min = 1, .max = INT64_MAX},
    {"frontline_only", JV_BOOL, 0, "仅限一线职工"},
    {"signup_opens_at", JV_STRING, JV_REQUIRED, "报名开始时间", .max = 40},
    {"signup_closes_at", JV_STRING, JV_REQUIRED, "报名截止时间", .max = 40},
    {"sources", JV_ARRAY, JV_REQUIRED, "随机源", .max = MAX_SOURCES},
    {"provider_ids", JV_ARRAY, JV_REQUIRED, "适用服务机构", .max = MAX_PROVIDERS},
    {0},
};

static const jv_field source_fields[] = {
    {"name", JV_STRING, JV_REQUIRED, "随机源名称", .max = 100},
    {"draw_date", JV_DATE, JV_REQUIRED, "开奖日期"},
    {"value_count", JV_INT, JV_NULLABLE, "号码个数", .min = 1, .max = RFC3797_MAX_VALUES},
    {"note", JV_STRING, JV_NULLABLE, "说明", .max = 200},
    {0},
};

static const jv_field update_fields[] = {
    {"title", JV_STRING, 0, "活动名称", .max = 100},
    {"description", JV_STRING, JV_NULLABLE | JV_MULTILINE, "活动说明", .max = 2000},
    {0},
};

static int blank(const char *s)
{
    if (!s) return 1;
    while (*s == ' ') s++;
    return !*s;
}

static int parse_ts(const char *s, const char *field, const char *label, char out[32], gh_err *e)
{
    int64_t ms = 0;
    if (ts_parse(s, &ms, NULL) != 0)
        return err_set(e, ERR_INVALID, "invalid_timestamp", field, "“%s”应为带时区的时间，如 2026-12-01T18:00:00+08:00", label);
    ts_format_ms(ms, out);
    return 0;
}

typedef struct create_ctx {
    gh_ctx *x;
    const json_t *b;
    int64_t org_id, elig_org_id;
    char opens[32], closes[32];
    int64_t id;
} create_ctx;

static int create_tx(store_conn *db, void *p, gh_err *e)
{
    create_ctx *c = p;
    const json_t *b = c->b;
    char ts[32];
    ts_now(ts);
    store_res r;
    int rc = store_query(db, &r,
        "INSERT INTO lottery_campaigns (org_id, title, description, face_value_fen, voucher_count, valid_from, valid_to,"
        " elig_org_id, frontline_only, signup_opens_at, signup_closes_at, status, created_by, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'open',$12,$13,$13) RETURNING id",
        SV_ARGS(SV_I(c->org_id), SV_T(jv_str(b, "title")), SV_T(jv_str(b, "description")),
                SV_I(jv_int(b, "face_value_fen", 0)), SV_I(jv_int(b, "voucher_count", 0)), SV_T(jv_str(b, "valid_from")),
                SV_T(jv_str(b, "valid_to")), SV_I(c->elig_org_id), SV_I(jv_bool(b, "frontline_only", 0)),
                SV_T(c->opens), SV_T(c->closes), SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) c->id = store_int(&r, 0);
    store_done(&r);
    if (rc <= 0) return rc < 0 ? rc : err_set(e, ERR_STORE, NULL, NULL, NULL);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(b, "sources"), i, s) {
        rc = store_exec(db,
            "INSERT INTO lottery_sources (campaign_id, position, name, draw_date, value_count, note)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            SV_ARGS(SV_I(c->id), SV_I(i + 1), SV_T(jv_str(s, "name")), SV_T(jv_str(s, "draw_date")),
                    jv_has(s, "value_count") ? SV_I(jv_int(s, "value_count", 0)) : SV_NULLV, SV_T(jv_str(s, "note"))),
            NULL, e);
        if (rc) return rc;
    }
    json_array_foreach(json_object_get(b, "provider_ids"), i, s) {
        rc = store_exec(db, "INSERT INTO lottery_campaign_providers (campaign_id, provider_id) VALUES ($1, $2)",
                        SV_ARGS(SV_I(c->id), SV_I(json_integer_value(s))), NULL, e);
        if (rc) return rc;
    }
    json_t *d = json_pack("{s:s, s:I, s:I, s:s, s:s}", "title", jv_str(b, "title"), "voucher_count",
                          (json_int_t)jv_int(b, "voucher_count", 0), "face_value_fen",
                          (json_int_t)jv_int(b, "face_value_fen", 0), "signup_closes_at", c->closes, "valid_to",
                          jv_str(b, "valid_to"));
    json_object_set(d, "sources", json_object_get(b, "sources"));
    rc = audit_record(c->x, "lottery.create", "lottery_campaign", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int lottery_create(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_RETREAT))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养职责才能发布消费券抽取活动");
    int rc = jv_check(b, create_fields, e);
    if (rc) return rc;
    if (blank(jv_str(b, "title"))) return err_set(e, ERR_INVALID, "missing_field", "title", "“活动名称”不能为空");
    if (jv_int(b, "face_value_fen", 0) <= 0)
        return err_set(e, ERR_INVALID, "out_of_range", "face_value_fen", "面值须大于 0");
    create_ctx c = {.x = x, .b = b, .org_id = jv_int(b, "org_id", 0)};
    c.elig_org_id = jv_int(b, "elig_org_id", 0) ? jv_int(b, "elig_org_id", 0) : c.org_id;
    char org_p[GH_PATH_MAX], elig_p[GH_PATH_MAX];
    rc = org_scope_path(x, c.org_id, org_p, e);
    if (rc) {
        if (e) snprintf(e->field, sizeof e->field, "org_id");
        return rc;
    }
    rc = org_scope_path(x, c.elig_org_id, elig_p, e);
    if (rc == 0 && strncmp(elig_p, org_p, strlen(org_p)) != 0)
        rc = err_set(e, ERR_INVALID, "elig_outside_org", "elig_org_id", "参与范围须为发放工会本级或下级组织");
    if (rc) {
        if (e) snprintf(e->field, sizeof e->field, "elig_org_id");
        return rc;
    }
    rc = parse_ts(jv_str(b, "signup_opens_at"), "signup_opens_at", "报名开始时间", c.opens, e);
    if (rc == 0) rc = parse_ts(jv_str(b, "signup_closes_at"), "signup_closes_at", "报名截止时间", c.closes, e);
    if (rc) return rc;
    char now[32], today[11], close_day[11];
    ts_now(now);
    date_format(date_today_cn(), today);
    if (strcmp(c.opens, c.closes) >= 0)
        return err_set(e, ERR_INVALID, "invalid_window", "signup_closes_at", "报名截止时间须晚于开始时间");
    if (strcmp(c.closes, now) <= 0)
        return err_set(e, ERR_INVALID, "invalid_window", "signup_closes_at", "报名截止时间须晚于现在");
    if (strcmp(jv_str(b, "valid_from"), jv_str(b, "valid_to")) > 0)
        return err_set(e, ERR_INVALID, "invalid_validity", "valid_to", "有效期止不能早于有效期起");
    if (strcmp(jv_str(b, "valid_to"), today) < 0)
        return err_set(e, ERR_INVALID, "invalid_validity", "valid_to", "有效期止不能早于今天");
    cn_day_of(c.closes, close_day);
    const json_t *sources = json_object_get(b, "sources");
    if (json_array_size(sources) == 0)
        return err_set(e, ERR_INVALID, "missing_field", "sources", "请至少声明一个公开随机源（如某期福利彩票开奖号码）");
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s) {
        rc = json_is_object(s) ? jv_check(s, source_fields, e)
                               : err_set(e, ERR_INVALID, "invalid_type", "sources", "随机源应为对象");
        if (rc == 0 && blank(jv_str(s, "name")))
            rc = err_set(e, ERR_INVALID, "missing_field", "name", "随机源名称不能为空");
        /* Strictly after the close day: a source drawn on that day could
         * precede the close while the running count of entrants is public. */
        if (rc == 0 && strcmp(jv_str(s, "draw_date"), close_day) <= 0)
            rc = err_set(e, ERR_INVALID, "source_before_close", "draw_date",
                         "随机源“%s”的开奖日期 %s 须晚于报名截止日 %s：随机源必须在报名截止之后（最早次日）开奖",
                         jv_str(s, "name"), jv_str(s, "draw_date"), close_day);
        if (rc) {
            if (e) {
                char f[40];
                snprintf(f, sizeof f, "%.20s", e->field[0] ? e->field : "name");
                snprintf(e->field, sizeof e->field, "sources[%u].%s", (unsigned)(i % 100), f);
            }
            return rc;
        }
    }
    const json_t *prov = json_object_get(b, "provider_ids");
    if (json_array_size(prov) == 0)
        return err_set(e, ERR_INVALID, "missing_field", "provider_ids", "请至少选择一家可使用消费券的服务机构");
    json_array_foreach(prov, i, s) {
        if (!json_is_integer(s) || json_integer_value(s) <= 0)
            return err_set(e, ERR_INVALID, "invalid_type", "provider_ids", "服务机构编号应为正整数");
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(prov, j)) == json_integer_value(s))
                return err_set(e, ERR_INVALID, "duplicate_provider", "provider_ids", "服务机构重复");
        int64_t ok = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM providers WHERE id = $1 AND status = 'admitted'",
                           SV_ARGS(SV_I(json_integer_value(s))), &ok, e);
        if (rc) return rc;
        if (!ok)
            return err_set(e, ERR_INVALID, "provider_not_admitted", "provider_ids",
                           "服务机构 %lld 不存在或未准入", (long long)json_integer_value(s));
    }
    rc = store_tx(x->db, STORE_WRITE, create_tx, &c, e);
    if (rc) return rc;
    return lottery_get(x, c.id, out, e);
}

typedef struct update_ctx {
    gh_ctx *x;
    int64_t id, org_id;
    const json_t *b;
    const char *reason;
} update_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    char ts[32];
    ts_now(ts);
    const json_t *b = c->b;
    int rc = store_exec(db,
        "UPDATE lottery_campaigns SET title = COALESCE($2, title),"
        " description = CASE WHEN $3 = 1 THEN $4 ELSE description END, updated_at = $5 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "title")), SV_I(json_object_get(b, "description") != NULL),
                SV_T(jv_str(b, "description")), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "lottery.update", "lottery_campaign", c->id, c->org_id, "ok", b, e);
}

int lottery_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc == 0) rc = manage_check(x, c.org_path, e);
    if (rc == 0) rc = jv_check_partial(body, update_fields, e);
    if (rc) return rc;
    if (jv_has(body, "title") && blank(jv_str(body, "title")))
        return err_set(e, ERR_INVALID, "missing_field", "title", "“活动名称”不能为空");
    if (strcmp(c.status, "cancelled") == 0) return err_set(e, ERR_CONFLICT, "campaign_cancelled", NULL, "本次活动已取消");
    update_ctx u = {x, id, c.org_id, body, NULL};
    rc = store_tx(x->db, STORE_WRITE, update_tx, &u, e);
    if (rc) return rc;
    return lottery_get(x, id, out, e);
}

/* The earliest draw date of a campaign's sources (China date): from that
 * day on the winners can start to be computed by anyone, so a cancel would
 * be a veto on a result already taking shape. "" when it has no source. */
static int first_draw_date(store_conn *db, int64_t id, char out[11], gh_err *e)
{
    out[0] = '\0';
    store_res r;
    int rc = store_query(db, &r, "SELECT MIN(draw_date) FROM lottery_sources WHERE campaign_id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0 && store_text(&r, 0)) snprintf(out, 11, "%s", store_text(&r, 0));
    store_done(&r);
    return rc < 0 ? rc : 0;
}

static int cancel_closed(const char *first, gh_err *e)
{
    return err_set(e, ERR_CONFLICT, "cancel_closed", NULL,
                   "随机源已于 %s 开奖，活动不能再取消（只能在最早的开奖日之前取消）；开奖号码录入有误请使用“更正”", first);
}

static int cancel_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    char ts[32], today[11];
    ts_now(ts);
    date_format(date_today_cn(), today);
    int64_t n = 0;
    /* The date rule again inside the write, with the day of the write. */
    int rc = store_exec(db,
        "UPDATE lottery_campaigns SET status = 'cancelled', cancel_reason = $2, updated_at = $3"
        " WHERE id = $1 AND status IN ('open', 'frozen')"
        " AND NOT EXISTS (SELECT 1 FROM lottery_sources s WHERE s.campaign_id = $1 AND s.draw_date <= $4)",
        SV_ARGS(SV_I(c->id), SV_T(c->reason), SV_T(ts), SV_T(today)), &n, e);
    if (rc) return rc;
    if (n != 1) return cancel_closed(today, e);
    json_t *d = json_pack("{s:s}", "reason", c->reason);
    rc = audit_record(c->x, "lottery.cancel", "lottery_campaign", c->id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int lottery_cancel(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc == 0) rc = manage_check(x, c.org_path, e);
    if (rc) return rc;
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写取消的原因");
    if (strcmp(c.status, "cancelled") == 0) return err_set(e, ERR_CONFLICT, "campaign_cancelled", NULL, "本次活动已取消");
    char first[11], today[11];
    rc = first_draw_date(x->db, id, first, e);
    if (rc) return rc;
    date_format(date_today_cn(), today);
    if (*first && strcmp(today, first) >= 0) return cancel_closed(first, e);
    update_ctx u = {x, id, c.org_id, NULL, reason};
    rc = store_tx(x->db, STORE_WRITE, cancel_tx, &u, e);
    if (rc) return rc;
    return lottery_get(x, id, out, e);
}

/* ---- entering ---- */

typedef struct enter_ctx {
    gh_ctx *x;
    const campaign *c;
    const member_info *m;
    int64_t entry_id;
} enter_ctx;

static int enter_tx(store_conn *db, void *p, gh_err *e)
{
    enter_ctx *c = p;
    char now[32], mask[MEMBER_NAME_BUF];
    ts_now(now);
    /* The campaign row first, and only inside the window: freezing takes
     * the same row, so an entry either lands before the freeze or not at
     * all. */
    int64_t n = 0;
    int rc = store_exec(db,
        "UPDATE lottery_campaigns SET entrants = entrants + 1, updated_at = $2"
        " WHERE id = $1 AND status = 'open' AND signup_opens_at <= $2 AND signup_closes_at > $2",
        SV_ARGS(SV_I(c->c->id), SV_T(now)), &n, e);
    if (rc) return rc;
    if (n != 1) return err_set(e, ERR_CONFLICT, "signup_closed", NULL, "报名已经截止");
    mask_name(c->m->name, mask, sizeof mask);
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO lottery_entries (campaign_id, member_id, org_id, name_mask, mobile_tail, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        SV_ARGS(SV_I(c->c->id), SV_I(c->m->id), SV_I(c->m->org_id), SV_T(mask), SV_T(c->m->tail[0] ? c->m->tail : NULL),
                SV_T(now)),
        e);
    if (rc == 0) {
        rc = store_next(&r, e);
        if (rc > 0) c->entry_id = store_int(&r, 0);
        store_done(&r);
        rc = rc > 0 ? 0 : rc == 0 ? err_set(e, ERR_STORE, NULL, NULL, NULL) : rc;
    }
    /* SQLite reports the unique key at the step, PostgreSQL at the query. */
    if (rc == ERR_CONFLICT) return err_set(e, ERR_CONFLICT, "already_entered", NULL, "您已经报过名了，每人只能报名一次");
    if (rc) return rc;
    json_t *d = json_pack("{s:I}", "member_id", (json_int_t)c->m->id);
    rc = audit_record(c->x, "lottery.enter", "lottery_campaign", c->c->id, c->m->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int lottery_enter(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_FORBIDDEN, "not_member", NULL, "只有会员本人可以报名");
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc) return rc;
    char now[32];
    ts_now(now);
    int64_t had = 0;
    rc = store_get_int(x->db, "SELECT COUNT(*) FROM lottery_entries WHERE campaign_id = $1 AND member_id = $2",
                       SV_ARGS(SV_I(id), SV_I(a->member_id)), &had, e);
    if (rc) return rc;
    if (had) return err_set(e, ERR_CONFLICT, "already_entered", NULL, "您已经报过名了，每人只能报名一次");
    rc = signup_open(&c, now, e);
    if (rc) return rc;
    member_info m;
    rc = load_member(x->db, a->member_id, &m, e);
    if (rc == 0) rc = eligible(&c, &m, e);
    if (rc) return rc;
    enter_ctx ec = {x, &c, &m, 0};
    rc = store_tx(x->db, STORE_WRITE, enter_tx, &ec, e);
    if (rc) return rc;
    *out = json_pack("{s:I, s:I, s:s, s:s}", "campaign_id", (json_int_t)id, "entry_id", (json_int_t)ec.entry_id,
                     "signup_closes_at", c.closes, "message", "报名成功。报名截止后公布全部报名名单和报名编号");
    return 0;
}

static const list_col my_entry_cols[] = {
    {"campaign_id", "c.id", COL_INT},
    {"title", "c.title", COL_STR},
    {"status", "c.status", COL_STR},
    {"phase", NULL, COL_STR},
    {"signup_opens_at", "c.signup_opens_at", COL_STR},
    {"signup_closes_at", "c.signup_closes_at", COL_STR},
    {"entry_no", "en.entry_no", COL_INT_NULL},
    {"entered_at", "en.created_at", COL_STR},
    {"voucher_id", "v.id", COL_INT_NULL},
    {"won", NULL, COL_BOOL},
    {"face_value_fen", "c.face_value_fen", COL_FEN},
    {0},
};

/* the phase as of now; won when a voucher came of the entry */
static void my_entry_post(json_t *o, void *now)
{
    campaign_post(o, now);
    json_object_del(o, "signup_opens_at");
    json_object_set_new(o, "won", json_boolean(!json_is_null(json_object_get(o, "voucher_id"))));
}

static const list_spec my_entry_spec = {my_entry_cols, NULL, my_entry_post};

int lottery_my_entries(gh_ctx *x, int page, int per_page, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_FORBIDDEN, "not_member", NULL, "只有会员可以查看自己的报名");
    char now[32];
    ts_now(now);
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w, "lottery_entries en JOIN lottery_campaigns c ON c.id = en.campaign_id"
                  " LEFT JOIN vouchers v ON v.entry_id = en.id AND v.status <> 'void' WHERE en.member_id = ?",
              SV_ARGS(SV_I(a->member_id)));
    return list_query(x, &my_entry_spec, NULL, &w, "en.id DESC", &pg, now, out, e);
}

/* ---- the published list ---- */

static const list_col entrant_cols[] = {
    {"entry_no", "entry_no", COL_INT, "报名编号"},
    {"name_mask", "name_mask", COL_STR, "姓名"},
    {"mobile_tail", "mobile_tail", COL_STR, "手机尾号"},
    {0},
};

static const list_spec entrant_spec = {entrant_cols};

static int published(gh_ctx *x, int64_t id, campaign *c, gh_err *e)
{
    int rc = load(x->db, id, c, e);
    if (rc == 0) rc = ensure_frozen(x, c, e);
    if (rc) return rc;
    if (strcmp(c->status, "open") == 0)
        return err_set(e, ERR_CONFLICT, "not_frozen", NULL, "报名截止后才公布报名名单");
    if (strcmp(c->status, "cancelled") == 0 && c->entrants > 0) {
        int64_t numbered = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM lottery_entries WHERE campaign_id = $1 AND entry_no IS NOT NULL",
                           SV_ARGS(SV_I(id)), &numbered, e);
        if (rc) return rc;
        if (!numbered) return err_set(e, ERR_CONFLICT, "not_frozen", NULL, "活动在报名截止前已取消，没有公布名单");
    }
    return 0;
}

int lottery_entrants(gh_ctx *x, int64_t id, const char *q, int page, int per_page, json_t **out, gh_err *e)
{
    campaign c;
    int rc = published(x, id, &c, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w, "lottery_entries WHERE campaign_id = ? AND entry_no IS NOT NULL", SV_ARGS(SV_I(id)));
    if (q && *q) {
        size_t n = strlen(q);
        int digits = n <= 9;
        for (size_t i = 0; i < n && digits; i++) digits = q[i] >= '0' && q[i] <= '9';
        if (!digits) {
            sqlw_free(&w);
            return err_set(e, ERR_INVALID, "invalid_query", "q", "请输入报名编号或手机尾号（数字）");
        }
        if (n == 4) SQLW_AND(&w, "entry_no = ? OR mobile_tail = ?", SV_I(atoll(q)), SV_T(q));
        else SQLW_AND(&w, "entry_no = ?", SV_I(atoll(q)));
    }
    rc = list_query(x, &entrant_spec, NULL, &w, "entry_no", &pg, NULL, out, e);
    if (rc == 0 && *out) {
        json_object_set_new(*out, "entrants", json_integer(c.entrants));
        char sha[72];
        store_res r;
        if (store_query(x->db, &r, "SELECT list_sha256 FROM lottery_campaigns WHERE id = $1", SV_ARGS(SV_I(id)), NULL) == 0) {
            if (store_next(&r, NULL) > 0 && store_text(&r, 0)) {
                snprintf(sha, sizeof sha, "%s", store_text(&r, 0));
                json_object_set_new(*out, "list_sha256", json_string(sha));
            }
            store_done(&r);
        }
    }
    return rc;
}

int lottery_entrant_file(gh_ctx *x, int64_t id, char **data, size_t *len, gh_err *e)
{
    campaign c;
    int rc = published(x, id, &c, e);
    if (rc) return rc;
    buf b = {0};
    int64_t n = 0;
    rc = build_list(x->db, id, &b, &n, e);
    if (rc) {
        buf_free(&b);
        return rc;
    }
    *len = b.len;
    *data = buf_take(&b);
    return 0;
}

/* ---- drawing ---- */

/* The frozen pool in entry-number order. */
typedef struct pool {
    int64_t *entry_id, *member_id;
    uint32_t n;
} pool;

static void pool_free(pool *p)
{
    free(p->entry_id);
    free(p->member_id);
    memset(p, 0, sizeof *p);
}

static int load_pool(store_conn *db, int64_t campaign_id, int entrants, pool *p, gh_err *e)
{
    memset(p, 0, sizeof *p);
    size_t n = entrants > 0 ? (size_t)entrants : 1;
    p->entry_id = malloc(n * sizeof *p->entry_id);
    p->member_id = malloc(n * sizeof *p->member_id);
    if (!p->entry_id || !p->member_id) {
        pool_free(p);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    store_res r;
    int rc = store_query(db, &r,
        "SELECT id, member_id, entry_no FROM lottery_entries WHERE campaign_id = $1 AND entry_no IS NOT NULL ORDER BY entry_no",
        SV_ARGS(SV_I(campaign_id)), e);
    if (rc) {
        pool_free(p);
        return rc;
    }
    while ((rc = store_next(&r, e)) > 0) {
        if (p->n >= (uint32_t)entrants || store_int(&r, 2) != (int64_t)p->n + 1) {
            rc = err_set(e, ERR_INTERNAL, "entry_numbers_broken", NULL, "报名编号与名单不符");
            break;
        }
        p->entry_id[p->n] = store_int(&r, 0);
        p->member_id[p->n] = store_int(&r, 1);
        p->n++;
    }
    store_done(&r);
    if (rc == 0 && p->n != (uint32_t)entrants) rc = err_set(e, ERR_INTERNAL, "entry_numbers_broken", NULL, "报名人数与名单不符");
    if (rc < 0) pool_free(p);
    return rc < 0 ? rc : 0;
}

/* Check the entered values against the declared sources and build the key.
 * *stored receives the values as entered (trimmed), as JSON text. */
static int values_key(store_conn *db, const campaign *c, const json_t *values, int check_dates, buf *key, char **stored,
                      gh_err *e)
{
    *stored = NULL;
    if (!json_is_array(values))
        return err_set(e, ERR_INVALID, "invalid_type", "sources", "请按声明顺序逐个填写各随机源的开奖号码");
    int64_t declared = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM lottery_sources WHERE campaign_id = $1", SV_ARGS(SV_I(c->id)),
                           &declared, e);
    if (rc) return rc;
    if ((int64_t)json_array_size(values) != declared)
        return err_set(e, ERR_INVALID, "wrong_source_count", "sources", "本活动声明了 %lld 个随机源，应按顺序填写 %lld 组号码，实际 %zu 组",
                       (long long)declared, (long long)declared, json_array_size(values));
    store_res r;
    rc = store_query(db, &r,
        "SELECT name, draw_date, value_count FROM lottery_sources WHERE campaign_id = $1 ORDER BY position",
        SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    char today[11];
    date_format(date_today_cn(), today);
    json_t *clean = json_array();
    size_t i = 0;
    while ((rc = store_next(&r, e)) > 0) {
        const json_t *v = json_array_get(values, i);
        const char *name = store_text(&r, 0), *day = store_text(&r, 1);
        char field[32];
        snprintf(field, sizeof field, "sources[%zu]", i);
        if (check_dates && strcmp(today, day) < 0) {
            rc = err_set(e, ERR_CONFLICT, "source_not_drawn_yet", field, "随机源“%s”在 %s 开奖，开奖后才能录入", name, day);
            break;
        }
        if (!json_is_string(v) || blank(json_string_value(v))) {
            rc = err_set(e, ERR_INVALID, "missing_field", field, "请填写随机源“%s”的开奖号码", name);
            break;
        }
        const char *s = json_string_value(v);
        if (strlen(s) > 1000 || !valid_utf8(s, strlen(s))) {
            rc = err_set(e, ERR_INVALID, "invalid_source_value", field, "随机源“%s”的号码过长", name);
            break;
        }
        /* count the values, to catch a number left out or typed twice */
        int count = 0, in = 0;
        for (const char *q = s; *q; q++) {
            int sep = *q == ' ' || *q == '\t' || *q == ',';
            if (!sep && !in) count++;
            in = !sep;
        }
        if (!store_isnull(&r, 2) && count != store_int(&r, 2)) {
            rc = err_set(e, ERR_INVALID, "wrong_value_count", field, "随机源“%s”应有 %lld 个号码，填写了 %d 个", name,
                         (long long)store_int(&r, 2), count);
            break;
        }
        rc = rfc3797_source(s, key, e);
        if (rc) {
            if (e) snprintf(e->field, sizeof e->field, "%s", field);
            break;
        }
        /* trim surrounding spaces for the record */
        while (*s == ' ' || *s == '\t') s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
        json_array_append_new(clean, json_stringn(s, len));
        i++;
    }
    store_done(&r);
    if (rc == 0) {
        *stored = json_dumps(clean, JSON_COMPACT);
        if (!*stored) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    json_decref(clean);
    return rc < 0 ? rc : 0;
}

typedef struct draw_ctx {
    gh_ctx *x;
    const campaign *c;
    const pool *pl;
    const char *key, *stored, *reason;
    int index_bytes;
    const rfc3797_pick *picks;
    uint32_t start, count;
    int kind; /* 0 first draw, 1 correction, 2 next round */
    int64_t draw_id;
} draw_ctx;

/* Store one round's picks and issue their vouchers. */
static int store_round(draw_ctx *c, int64_t draw_id, int round, const char *ts, gh_err *e)
{
    store_conn *db = c->x->db;
    int rc = store_exec(db,
        "INSERT INTO lottery_rounds (campaign_id, draw_id, round, first_index, count, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        SV_ARGS(SV_I(c->c->id), SV_I(draw_id), SV_I(round), SV_I(c->start), SV_I(c->count), SV_IZ(c->x->actor->user_id),
                SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    for (uint32_t i = 0; i < c->count; i++) {
        const rfc3797_pick *p = &c->picks[i];
        char hex[33];
        rfc3797_hex(p->md5, hex);
        int64_t entry_id = c->pl->entry_id[p->entry - 1], pick_id = 0;
        store_res r;
        rc = store_query(db, &r,
            "INSERT INTO lottery_picks (campaign_id, draw_id, pick_index, round, entry_id, entry_no, md5, pool_remaining,"
            " remainder) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
            SV_ARGS(SV_I(c->c->id), SV_I(draw_id), SV_I(p->index), SV_I(round), SV_I(entry_id), SV_I(p->entry), SV_T(hex),
                    SV_I(p->remaining), SV_I(p->remainder)),
            e);
        if (rc) return rc;
        rc = store_next(&r, e);
        if (rc > 0) pick_id = store_int(&r, 0);
        store_done(&r);
        if (rc <= 0) return rc < 0 ? rc : err_set(e, ERR_STORE, NULL, NULL, NULL);
        voucher_new v = {c->c->id, c->c->org_id, c->pl->member_id[p->entry - 1], entry_id, pick_id, c->c->face,
                         c->c->valid_from, c->c->valid_to};
        int64_t vid = 0;
        rc = voucher_issue(c->x, &v, &vid, e);
        if (rc) return rc;
    }
    return 0;
}

static int draw_tx(store_conn *db, void *p, gh_err *e)
{
    draw_ctx *c = p;
    const campaign *cp = c->c;
    char ts[32];
    ts_now(ts);
    int64_t n = 0;
    int rc, version = 1, round = 1;
    if (c->kind == 0) {
        rc = store_exec(db,
            "UPDATE lottery_campaigns SET status = 'drawn', picks = $2, rounds = 1, updated_at = $3"
            " WHERE id = $1 AND status = 'frozen'",
            SV_ARGS(SV_I(cp->id), SV_I(c->count), SV_T(ts)), &n, e);
        if (rc) return rc;
        if (n != 1)
            return err_set(e, ERR_CONFLICT, "already_drawn", NULL, "本活动已经抽取，不能重新抽取；随机源数值录入有误时请使用“更正”");
    } else if (c->kind == 1) {
        rc = store_exec(db,
            "UPDATE lottery_campaigns SET updated_at = $3 WHERE id = $1 AND draw_id = $2 AND status = 'drawn'"
            " AND redeemed = 0 AND forfeited = 0 AND rounds = 1",
            SV_ARGS(SV_I(cp->id), SV_I(cp->draw_id), SV_T(ts)), &n, e);
        if (rc) return rc;
        if (n != 1)
            return err_set(e, ERR_CONFLICT, "correction_closed", NULL,
                           "已有消费券被核销或放弃（或已进行后续轮次），抽取结果不能再更正");
    } else {
        rc = store_exec(db,
            "UPDATE lottery_campaigns SET picks = picks + $3, rounds = rounds + 1, updated_at = $4"
            " WHERE id = $1 AND draw_id = $2 AND picks = $5 AND voucher_count - (picks - forfeited) >= $3",
            SV_ARGS(SV_I(cp->id), SV_I(cp->draw_id), SV_I(c->count), SV_T(ts), SV_I(c->start)), &n, e);
        if (rc) return rc;
        if (n != 1) return err_set(e, ERR_CONFLICT, "round_changed", NULL, "抽取情况刚刚有变化，请刷新后重试");
        round = cp->rounds + 1;
        c->draw_id = cp->draw_id;
        rc = store_round(c, c->draw_id, round, ts, e);
        if (rc) return rc;
        json_t *d = json_pack("{s:i, s:i, s:i}", "round", round, "first_index", (int)c->start, "count", (int)c->count);
        rc = audit_record(c->x, "lottery.round", "lottery_campaign", cp->id, cp->org_id, "ok", d, e);
        json_decref(d);
        return rc;
    }
    if (c->kind == 1) {
        int64_t v = 0;
        rc = store_get_int(db, "SELECT MAX(version) FROM lottery_draws WHERE campaign_id = $1", SV_ARGS(SV_I(cp->id)), &v, e);
        if (rc) return rc;
        version = (int)v + 1;
    }
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO lottery_draws (campaign_id, version, source_values, key_string, index_bytes, pool_size, reason,"
        " created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
        SV_ARGS(SV_I(cp->id), SV_I(version), SV_T(c->stored), SV_T(c->key), SV_I(c->index_bytes), SV_I(c->pl->n),
                SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) c->draw_id = store_int(&r, 0);
    store_done(&r);
    if (rc <= 0) return rc < 0 ? rc : err_set(e, ERR_STORE, NULL, NULL, NULL);
    rc = store_exec(db, "UPDATE lottery_campaigns SET draw_id = $2, picks = $3 WHERE id = $1",
                    SV_ARGS(SV_I(cp->id), SV_I(c->draw_id), SV_I(c->count)), NULL, e);
    if (rc) return rc;
    if (c->kind == 1) {
        rc = store_exec(db,
            "UPDATE vouchers SET status = 'void', status_reason = $2, updated_at = $3 WHERE campaign_id = $1 AND status = 'issued'",
            SV_ARGS(SV_I(cp->id), SV_T("随机源数值更正，原抽取结果作废"), SV_T(ts)), NULL, e);
        if (rc) return rc;
    }
    rc = store_round(c, c->draw_id, round, ts, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:i, s:s, s:o, s:i, s:i}", "version", version, "key_string", c->key, "source_values",
                          json_loads(c->stored, 0, NULL), "pool_size", (int)c->pl->n, "winners", (int)c->count);
    if (c->reason) json_object_set_new(d, "reason", json_string(c->reason));
    rc = audit_record(c->x, c->kind == 1 ? "lottery.correct" : "lottery.draw", "lottery_campaign", cp->id, cp->org_id,
                      "ok", d, e);
    json_decref(d);
    return rc;
}

/* Shared by the draw, its correction and later rounds. */
static int run_draw(gh_ctx *x, int64_t id, const json_t *values, const char *reason, int kind, int64_t more,
                    json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    if (rc == 0) rc = manage_check(x, c.org_path, e);
    if (rc == 0) rc = ensure_frozen(x, &c, e);
    if (rc) return rc;
    if (strcmp(c.status, "cancelled") == 0) return err_set(e, ERR_CONFLICT, "campaign_cancelled", NULL, "本次活动已取消");
    if (strcmp(c.status, "open") == 0)
        return err_set(e, ERR_CONFLICT, "signup_not_closed", NULL, "报名尚未截止，名单锁定后才能抽取");
    if (kind == 0 && strcmp(c.status, "drawn") == 0)
        return err_set(e, ERR_CONFLICT, "already_drawn", NULL, "本活动已经抽取，不能重新抽取；随机源数值录入有误时请使用“更正”");
    if (kind != 0 && strcmp(c.status, "drawn") != 0)
        return err_set(e, ERR_CONFLICT, "not_drawn", NULL, "本活动尚未抽取");
    if (c.entrants == 0) return err_set(e, ERR_CONFLICT, "no_entrants", NULL, "没有人报名，无法抽取");
    char today[11];
    date_format(date_today_cn(), today);
    buf key = {0};
    char *stored = NULL, *cur_key = NULL;
    uint32_t start = 0, count = (uint32_t)(c.voucher_count < c.entrants ? c.voucher_count : c.entrants);
    if (kind == 1) {
        if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写更正的原因");
        if (c.redeemed || c.forfeited || c.rounds > 1)
            return err_set(e, ERR_CONFLICT, "correction_closed", NULL,
                           "已有消费券被核销或放弃（或已进行后续轮次），抽取结果不能再更正");
    }
    if (kind == 2) {
        if (strcmp(today, c.valid_to) > 0)
            return err_set(e, ERR_CONFLICT, "campaign_expired", NULL, "消费券有效期已过，不能再补抽");
        int64_t slots = c.voucher_count - (c.picks - c.forfeited), left = c.entrants - c.picks;
        if (more < 1) return err_set(e, ERR_INVALID, "out_of_range", "count", "补抽人数须至少为 1");
        if (slots <= 0) return err_set(e, ERR_CONFLICT, "no_free_vouchers", "count", "没有被放弃的消费券，无需补抽");
        if (left <= 0) return err_set(e, ERR_CONFLICT, "pool_exhausted", "count", "报名人已全部中签，没有可补抽的人");
        if (more > slots)
            return err_set(e, ERR_INVALID, "out_of_range", "count", "最多可补抽 %lld 人（被放弃的消费券数）", (long long)slots);
        if (more > left)
            return err_set(e, ERR_INVALID, "out_of_range", "count", "剩余未中签的报名人只有 %lld 人", (long long)left);
        start = (uint32_t)c.picks;
        count = (uint32_t)more;
        /* the key of the current draw */
        store_res r;
        rc = store_query(x->db, &r, "SELECT key_string FROM lottery_draws WHERE id = $1", SV_ARGS(SV_I(c.draw_id)), e);
        if (rc) return rc;
        if ((rc = store_next(&r, e)) > 0) {
            buf_puts(&key, store_text(&r, 0));
            rc = 0;
        } else if (rc == 0) {
            rc = err_set(e, ERR_INTERNAL, "draw_missing", NULL, "找不到本活动的抽取记录");
        }
        store_done(&r);
        if (rc) {
            buf_free(&key);
            return rc;
        }
    } else {
        rc = values_key(x->db, &c, values, 1, &key, &stored, e);
        if (rc) {
            buf_free(&key);
            return rc;
        }
        if (kind == 1) {
            store_res r;
            rc = store_query(x->db, &r, "SELECT key_string FROM lottery_draws WHERE id = $1", SV_ARGS(SV_I(c.draw_id)), e);
            if (rc == 0) {
                if (store_next(&r, e) > 0) cur_key = strdup(store_text(&r, 0));
                store_done(&r);
            }
            if (rc == 0 && cur_key && strcmp(cur_key, buf_str(&key)) == 0)
                rc = err_set(e, ERR_INVALID, "same_values", "sources", "更正后的号码与原来的相同（按 RFC 3797 排序后一致）");
            free(cur_key);
            if (rc) {
                buf_free(&key);
                free(stored);
                return rc;
            }
        }
    }
    pool pl;
    rc = load_pool(x->db, id, c.entrants, &pl, e);
    rfc3797_pick *picks = NULL;
    if (rc == 0 && !(picks = calloc(count ? count : 1, sizeof *picks))) rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (rc == 0) rc = rfc3797_draw(buf_str(&key), key.len, pl.n, start, count, picks, e);
    if (rc == 0) {
        draw_ctx d = {x, &c, &pl, buf_str(&key), stored, reason, rfc3797_index_bytes(pl.n), picks, start, count, kind, 0};
        store_bulk(x->db, 1);
        rc = store_tx(x->db, STORE_WRITE, draw_tx, &d, e);
        store_bulk(x->db, 0);
    }
    free(picks);
    if (pl.entry_id) pool_free(&pl);
    buf_free(&key);
    free(stored);
    if (rc) return rc;
    return lottery_get(x, id, out, e);
}

int lottery_draw(gh_ctx *x, int64_t id, const json_t *values, json_t **out, gh_err *e)
{
    return run_draw(x, id, values, NULL, 0, 0, out, e);
}

int lottery_correct(gh_ctx *x, int64_t id, const json_t *values, const char *reason, json_t **out, gh_err *e)
{
    return run_draw(x, id, values, reason, 1, 0, out, e);
}

int lottery_next_round(gh_ctx *x, int64_t id, int64_t count, json_t **out, gh_err *e)
{
    return run_draw(x, id, NULL, NULL, 2, count, out, e);
}

/* ---- the published result ---- */

static const list_col pick_cols[] = {
    {"index", "pk.pick_index", COL_INT},
    {"round", "pk.round", COL_INT},
    {"entry_no", "pk.entry_no", COL_INT},
    {"name_mask", "en.name_mask", COL_STR},
    {"mobile_tail", "en.mobile_tail", COL_STR},
    {"md5", "pk.md5", COL_STR},
    {"pool_remaining", "pk.pool_remaining", COL_INT},
    {"remainder", "pk.remainder", COL_INT},
    {0},
};

static int draw_of_version(gh_ctx *x, const campaign *c, int64_t version, int64_t *draw_id, gh_err *e)
{
    if (!version) {
        if (!c->draw_id) return err_set(e, ERR_CONFLICT, "not_drawn", NULL, "本活动尚未抽取");
        *draw_id = c->draw_id;
        return 0;
    }
    int rc = store_get_int(x->db, "SELECT id FROM lottery_draws WHERE campaign_id = $1 AND version = $2",
                           SV_ARGS(SV_I(c->id), SV_I(version)), draw_id, e);
    return rc == ERR_NOT_FOUND ? err_set(e, ERR_NOT_FOUND, "draw_not_found", "version", "没有这一版抽取结果") : rc;
}

int lottery_picks(gh_ctx *x, int64_t id, int64_t version, int page, int per_page, json_t **out, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    int64_t draw = 0;
    if (rc == 0) rc = draw_of_version(x, &c, version, &draw, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, page, per_page);
    return list_run_cols(x->db, pick_cols, "lottery_picks pk JOIN lottery_entries en ON en.id = pk.entry_id WHERE pk.draw_id = $1",
                         "pk.pick_index", SV_ARGS(SV_I(draw)), &pg, out, e);
}

int lottery_result_file(gh_ctx *x, int64_t id, char **data, size_t *len, gh_err *e)
{
    campaign c;
    int rc = load(x->db, id, &c, e);
    int64_t draw = 0;
    if (rc == 0) rc = draw_of_version(x, &c, 0, &draw, e);
    if (rc) return rc;
    buf b = {0};
    store_res r;
    rc = store_query(x->db, &r, "SELECT key_string FROM lottery_draws WHERE id = $1", SV_ARGS(SV_I(draw)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) buf_printf(&b, "%s\n", store_text(&r, 0));
    store_done(&r);
    if (rc < 0) return rc;
    rc = store_query(x->db, &r,
        "SELECT pk.entry_no, en.name_mask, en.mobile_tail FROM lottery_picks pk JOIN lottery_entries en ON en.id = pk.entry_id"
        " WHERE pk.draw_id = $1 ORDER BY pk.pick_index",
        SV_ARGS(SV_I(draw)), e);
    if (rc) {
        buf_free(&b);
        return rc;
    }
    while ((rc = store_next(&r, e)) > 0) entrant_line(&b, store_int(&r, 0), store_text(&r, 1), store_text(&r, 2));
    store_done(&r);
    if (rc < 0 || b.oom) {
        buf_free(&b);
        return rc < 0 ? rc : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    *len = b.len;
    *data = buf_take(&b);
    return 0;
}

/* ---- figures ---- */

/* Redemption over time: vouchers of the campaigns in [lo, hi) redeemed on
 * each day (China time), oldest first, onto o as "by_day": [{date,
 * redeemed, redeemed_fen}]. Days without a redemption are left out. */
static int redeemed_by_day(gh_ctx *x, const char *lo, const char *hi, int64_t campaign_id, json_t *o, gh_err *e)
{
    json_t *days = json_array();
    json_object_set_new(o, "by_day", days);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT v.redeemed_at, v.face_value_fen FROM vouchers v JOIN lottery_campaigns c ON c.id = v.campaign_id"
        " JOIN orgs co ON co.id = c.org_id WHERE v.status = 'redeemed' AND v.redeemed_at IS NOT NULL"
        " AND co.path >= $1 AND co.path < $2 AND ($3 = 0 OR c.id = $3) ORDER BY v.redeemed_at",
        SV_ARGS(SV_T(lo), SV_T(hi), SV_I(campaign_id)), e);
    if (rc) return rc;
    char cur[11] = "";
    int64_t n = 0, fen = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t ms;
        if (ts_parse(store_text(&r, 0), &ms, NULL) != 0) continue;
        char day[11];
        /* the day in China (UTC+8) */
        int64_t cn = ms + 8LL * 3600 * 1000;
        date_format((int32_t)((cn - (cn < 0 ? 86399999 : 0)) / 86400000), day);
        if (strcmp(day, cur) != 0) {
            if (cur[0])
                json_array_append_new(days, json_pack("{s:s, s:I, s:I}", "date", cur, "redeemed", (json_int_t)n,
                                                      "redeemed_fen", (json_int_t)fen));
            snprintf(cur, sizeof cur, "%s", day);
            n = fen = 0;
        }
        n++;
        fen += store_int(&r, 1);
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (cur[0])
        json_array_append_new(days, json_pack("{s:s, s:I, s:I}", "date", cur, "redeemed", (json_int_t)n, "redeemed_fen",
                                              (json_int_t)fen));
    return 0;
}

int lottery_stats(gh_ctx *x, int64_t org_id, int64_t campaign_id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!(actor_has_duty(a, DUTY_RETREAT) || actor_has_duty(a, DUTY_FINANCE) || a->role == ROLE_AUDITOR))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要疗休养或财务职责（或审计员）才能查看消费券统计");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX], today[11];
    int64_t root = org_id ? org_id : a->org_id;
    int rc;
    if (root) {
        rc = org_scope_path(x, root, lo, e);
        if (rc) return rc;
    } else {
        snprintf(lo, sizeof lo, "%s", a->scope);
    }
    if (campaign_id) {
        /* One campaign: the organising union must be in the actor's scope,
         * else it looks absent, as every out-of-scope object does. */
        campaign c;
        rc = load(x->db, campaign_id, &c, e);
        if (rc == 0 && !actor_in_scope(a, c.org_path)) rc = not_found(e);
        if (rc) return rc;
    }
    store_prefix_bound(lo, hi, sizeof hi);
    date_format(date_today_cn(), today);
    json_t *o = json_object(), *camps = json_array(), *orgs = json_array();
    json_object_set_new(o, "campaigns", camps);
    json_object_set_new(o, "by_org", orgs);
    store_res r;
    /* per campaign: the counters on the campaign row plus expired vouchers */
    rc = store_query(x->db, &r,
        "SELECT c.id, c.title, o.name, c.status, c.entrants, c.picks, c.redeemed, c.redeemed_fen, c.forfeited,"
        " (SELECT COUNT(*) FROM vouchers v WHERE v.campaign_id = c.id AND v.status = 'issued' AND v.valid_to < $3),"
        " (SELECT COALESCE(SUM(v.face_value_fen), 0) FROM vouchers v WHERE v.campaign_id = c.id AND v.status = 'issued'"
        "  AND v.valid_to < $3), c.voucher_count, c.face_value_fen, c.valid_to"
        " FROM lottery_campaigns c JOIN orgs o ON o.id = c.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND ($4 = 0 OR c.id = $4) ORDER BY c.id DESC LIMIT 500",
        SV_ARGS(SV_T(lo), SV_T(hi), SV_T(today), SV_I(campaign_id)), e);
    if (rc) goto done;
    int64_t t[6] = {0};
    while ((rc = store_next(&r, e)) > 0) {
        json_t *c = json_object();
        json_object_set_new(c, "id", json_integer(store_int(&r, 0)));
        json_object_set_new(c, "title", list_col_str(&r, 1));
        json_object_set_new(c, "org_name", list_col_str(&r, 2));
        json_object_set_new(c, "status", list_col_str(&r, 3));
        json_object_set_new(c, "entrants", json_integer(store_int(&r, 4)));
        json_object_set_new(c, "winners", json_integer(store_int(&r, 5)));
        json_object_set_new(c, "redeemed", json_integer(store_int(&r, 6)));
        json_object_set_new(c, "redeemed_fen", json_integer(store_int(&r, 7)));
        json_object_set_new(c, "forfeited", json_integer(store_int(&r, 8)));
        json_object_set_new(c, "expired", json_integer(store_int(&r, 9)));
        json_object_set_new(c, "expired_fen", json_integer(store_int(&r, 10)));
        json_object_set_new(c, "voucher_count", json_integer(store_int(&r, 11)));
        json_object_set_new(c, "face_value_fen", json_integer(store_int(&r, 12)));
        json_object_set_new(c, "valid_to", list_col_str(&r, 13));
        for (int k = 0; k < 6; k++) t[k] += store_int(&r, 4 + k);
        json_array_append_new(camps, c);
    }
    store_done(&r);
    if (rc < 0) goto done;
    json_object_set_new(o, "totals",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "entrants", (json_int_t)t[0], "winners",
                                  (json_int_t)t[1], "redeemed", (json_int_t)t[2], "redeemed_fen", (json_int_t)t[3],
                                  "forfeited", (json_int_t)t[4], "expired", (json_int_t)t[5]));
    /* by the entrants' unions: each child of the root (its whole subtree),
     * and the root itself for entrants directly in it; without a root org
     * (an admin), the top-level orgs */
    rc = store_query(x->db, &r,
        root ? "SELECT g.id, g.name, COUNT(en.id), COUNT(v.id),"
               " COALESCE(SUM(CASE WHEN v.status = 'redeemed' THEN 1 ELSE 0 END), 0),"
               " COALESCE(SUM(CASE WHEN v.status = 'redeemed' THEN v.face_value_fen ELSE 0 END), 0)"
               " FROM orgs g JOIN orgs mo ON (mo.id = g.id OR (g.id <> $4 AND mo.path >= g.path AND mo.path < g.path || '~'))"
               " JOIN lottery_entries en ON en.org_id = mo.id"
               " JOIN lottery_campaigns c ON c.id = en.campaign_id JOIN orgs co ON co.id = c.org_id"
               " LEFT JOIN vouchers v ON v.entry_id = en.id AND v.status <> 'void'"
               " WHERE (g.id = $4 OR g.parent_id = $4) AND co.path >= $1 AND co.path < $2 AND ($3 = 0 OR c.id = $3)"
               " GROUP BY g.id, g.name ORDER BY g.id"
             : "SELECT g.id, g.name, COUNT(en.id), COUNT(v.id),"
               " COALESCE(SUM(CASE WHEN v.status = 'redeemed' THEN 1 ELSE 0 END), 0),"
               " COALESCE(SUM(CASE WHEN v.status = 'redeemed' THEN v.face_value_fen ELSE 0 END), 0)"
               " FROM orgs g JOIN orgs mo ON mo.path >= g.path AND mo.path < g.path || '~'"
               " JOIN lottery_entries en ON en.org_id = mo.id"
               " JOIN lottery_campaigns c ON c.id = en.campaign_id JOIN orgs co ON co.id = c.org_id"
               " LEFT JOIN vouchers v ON v.entry_id = en.id AND v.status <> 'void'"
               " WHERE g.parent_id IS NULL AND co.path >= $1 AND co.path < $2 AND ($3 = 0 OR c.id = $3) AND $4 = 0"
               " GROUP BY g.id, g.name ORDER BY g.id",
        SV_ARGS(SV_T(lo), SV_T(hi), SV_I(campaign_id), SV_I(root)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(orgs, json_pack("{s:I, s:s?, s:b, s:I, s:I, s:I, s:I}", "org_id", (json_int_t)store_int(&r, 0),
                                              "org_name", store_text(&r, 1), "own_level", store_int(&r, 0) == root,
                                              "entrants", (json_int_t)store_int(&r, 2), "winners",
                                              (json_int_t)store_int(&r, 3), "redeemed", (json_int_t)store_int(&r, 4),
                                              "redeemed_fen", (json_int_t)store_int(&r, 5)));
    store_done(&r);
    if (rc < 0) goto done;
    rc = redeemed_by_day(x, lo, hi, campaign_id, o, e);
    if (rc) goto done;
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

const jv_field lottery_draw_fields[] = {
    {"sources", JV_ARRAY, JV_REQUIRED, "随机源开奖号码", .max = 16},
    {0},
};

const jv_field lottery_correct_fields[] = {
    {"sources", JV_ARRAY, JV_REQUIRED, "随机源开奖号码", .max = 16},
    {"reason", JV_STRING, JV_REQUIRED, "更正原因", .max = 200},
    {0},
};

const jv_field lottery_round_fields[] = {
    {"count", JV_INT, JV_REQUIRED, "补抽人数", .min = 1, .max = 1000000},
    {0},
};
