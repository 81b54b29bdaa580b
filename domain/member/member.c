/* member.c — union members; rules in member.h. */
#include "domain/member/member.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/auth/auth.h"
#include "domain/core/list.h"
#include "domain/org/org.h"
#include "domain/core/ratelimit.h"
#include "base/u64set.h"
#include "domain/core/importer.h"

const char *const member_forms[] = {"employee", "courier", "food_delivery", "ride_hailing",
                                    "truck_driver", "domestic", "other_new", NULL};
const char *const member_statuses[] = {"active", "transferred", "left", NULL};
const char *const model_worker_levels[] = {"national", "provincial", "city", NULL};

static const jv_field member_fields[] = {
    {"name", JV_STRING, JV_REQUIRED, "姓名", .max = MEMBER_NAME_MAX},
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_NULLABLE, "手机号", .max = 20},
    {"org_id", JV_INT, JV_REQUIRED, "所属工会", .min = 1, .max = INT64_MAX},
    {"employment_form", JV_ENUM, JV_REQUIRED, "就业形态", .choices = member_forms},
    {"employer", JV_STRING, JV_NULLABLE, "工作单位或平台", .max = MEMBER_EMPLOYER_MAX},
    {"frontline", JV_BOOL, 0, "一线职工"},
    {"model_worker", JV_ENUM, JV_NULLABLE, "劳模称号", .choices = model_worker_levels},
    {"craftsman", JV_BOOL, 0, "工匠"},
    {"join_date", JV_DATE, 0, "入会日期"},
    {"card_no", JV_STRING, JV_NULLABLE, "会员证号", .max = 32},
    {0},
};

static const jv_field member_update_fields[] = {
    {"name", JV_STRING, 0, "姓名", .max = MEMBER_NAME_MAX},
    {"mobile", JV_STRING, JV_NULLABLE, "手机号", .max = 20},
    {"employment_form", JV_ENUM, 0, "就业形态", .choices = member_forms},
    {"employer", JV_STRING, JV_NULLABLE, "工作单位或平台", .max = MEMBER_EMPLOYER_MAX},
    {"frontline", JV_BOOL, 0, "一线职工"},
    {"model_worker", JV_ENUM, JV_NULLABLE, "劳模称号", .choices = model_worker_levels},
    {"craftsman", JV_BOOL, 0, "工匠"},
    {"card_no", JV_STRING, JV_NULLABLE, "会员证号", .max = 32},
    {"status", JV_ENUM, 0, "会籍状态", .choices = member_statuses},
    {"reason", JV_STRING, 0, "原因", .max = 200},
    {0},
};

/* ---- values ---- */

/* The lookup key of a sensitive value: a keyed BLAKE2b hash cut to 128
 * bits (32 hex digits). Collisions stay out of reach (birthday bound 2^64)
 * while the indexes over these keys are half the size — which is most of the
 * cost of importing a million members. */
static void seal_hash(const gh_config *cfg, const char *prefix, const char *v, char out[65])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s%s", prefix, v);
    crypto_keyed_hex(cfg->hash_key, tmp, out);
    out[32] = '\0';
}

static int card_no_ok(const char *s, gh_err *e)
{
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            return err_set(e, ERR_INVALID, "invalid_card_no", "card_no", "会员证号只能包含字母、数字和 -");
    return 0;
}

static int name_ok(const char *name, gh_err *e)
{
    const char *p = name;
    while (*p == ' ') p++;
    if (!*p) return err_set(e, ERR_INVALID, "missing_field", "name", "“姓名”不能为空");
    for (p = name; *p; p++)
        if (strchr("<>\"'&;", *p))
            return err_set(e, ERR_INVALID, "invalid_name", "name", "姓名包含不允许的字符");
    return 0;
}

int member_key_hashes(const gh_config *cfg, const char *id_number, const char *mobile, char id_hash[65],
                      char mobile_hash[65], gh_err *e)
{
    char id18[19], m[16];
    int rc = valid_id_number(id_number ? id_number : "", id18, e);
    if (rc == 0) rc = valid_mobile(mobile ? mobile : "", m, e);
    if (rc) return rc;
    seal_hash(cfg, "id:", id18, id_hash);
    seal_hash(cfg, "m:", m, mobile_hash);
    return 0;
}

int member_rec_from_json(const gh_config *cfg, const json_t *b, member_rec *r, gh_err *e)
{
    memset(r, 0, sizeof *r);
    int rc = jv_check(b, member_fields, e);
    if (rc) return rc;
    rc = name_ok(jv_str(b, "name"), e);
    if (rc) return rc;
    snprintf(r->name, sizeof r->name, "%s", jv_str(b, "name"));
    rc = valid_id_number(jv_str(b, "id_number"), r->id18, e);
    if (rc) return rc;
    int32_t birth;
    valid_id_birth(r->id18, &birth);
    int by, bm, bd;
    date_ymd(birth, &by, &bm, &bd);
    r->birth_year = by;
    snprintf(r->gender, sizeof r->gender, "%s", valid_id_gender(r->id18) == 1 ? "male" : "female");
    seal_hash(cfg, "id:", r->id18, r->id_hash);
    mask_id_number(r->id18, r->id_mask);
    memcpy(r->id_tail, r->id18 + 14, 4);
    r->id_tail[4] = '\0';
    const char *m = jv_str(b, "mobile");
    if (m && *m) {
        rc = valid_mobile(m, r->mobile, e);
        if (rc) return rc;
        seal_hash(cfg, "m:", r->mobile, r->mobile_hash);
        mask_mobile(r->mobile, r->mobile_mask);
        memcpy(r->mobile_tail, r->mobile + 7, 4);
        r->mobile_tail[4] = '\0';
    }
    r->org_id = jv_int(b, "org_id", 0);
    snprintf(r->form, sizeof r->form, "%s", jv_str(b, "employment_form"));
    snprintf(r->employer, sizeof r->employer, "%s", jv_str(b, "employer") ? jv_str(b, "employer") : "");
    r->frontline = jv_bool(b, "frontline", 0);
    snprintf(r->model_worker, sizeof r->model_worker, "%s",
             jv_str(b, "model_worker") ? jv_str(b, "model_worker") : "");
    r->craftsman = jv_bool(b, "craftsman", 0);
    int32_t today = date_today_cn(), jd = today;
    if (jv_str(b, "join_date")) {
        date_parse(jv_str(b, "join_date"), &jd, NULL);
        if (jd > today) return err_set(e, ERR_INVALID, "invalid_date", "join_date", "入会日期不能晚于今天");
        if (jd < birth + 365 * 16)
            return err_set(e, ERR_INVALID, "invalid_date", "join_date", "入会日期早于本人年满 16 周岁");
    }
    date_format(jd, r->join_date);
    const char *card = jv_str(b, "card_no");
    if (card && *card) {
        rc = card_no_ok(card, e);
        if (rc) return rc;
        snprintf(r->card_no, sizeof r->card_no, "%s", card);
    }
    return 0;
}

int member_insert(gh_ctx *x, const member_rec *r, const char *history_kind, int64_t *id, gh_err *e)
{
    char *id_sealed = NULL, *m_sealed = NULL;
    int rc = crypto_seal(x->cfg->data_key, r->id18, &id_sealed, e);
    if (rc == 0 && r->mobile[0]) rc = crypto_seal(x->cfg->data_key, r->mobile, &m_sealed, e);
    if (rc) {
        free(id_sealed);
        return rc;
    }
    char ts[32];
    ts_now(ts);
    store_res q;
    rc = store_query(x->db, &q,
        "INSERT INTO members (org_id, name, gender, birth_year, id_hash, id_sealed, id_mask, id_tail,"
        " mobile_hash, mobile_sealed, mobile_mask, mobile_tail, employment_form, employer, frontline,"
        " model_worker, craftsman, join_date, status, card_no, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,'active',$19,$20,$20)"
        " RETURNING id",
        SV_ARGS(SV_I(r->org_id), SV_T(r->name), SV_T(r->gender), SV_I(r->birth_year), SV_T(r->id_hash),
                SV_T(id_sealed), SV_T(r->id_mask), SV_T(r->id_tail),
                SV_T(r->mobile[0] ? r->mobile_hash : NULL), SV_T(m_sealed),
                SV_T(r->mobile[0] ? r->mobile_mask : NULL), SV_T(r->mobile[0] ? r->mobile_tail : NULL),
                SV_T(r->form), SV_T(r->employer[0] ? r->employer : NULL), SV_I(r->frontline),
                SV_T(r->model_worker[0] ? r->model_worker : NULL), SV_I(r->craftsman),
                SV_T(r->join_date), SV_T(r->card_no[0] ? r->card_no : NULL), SV_T(ts)),
        e);
    free(id_sealed);
    free(m_sealed);
    if (rc == ERR_CONFLICT) goto conflict;
    if (rc) return rc;
    rc = store_next(&q, e);
    if (rc > 0) *id = store_int(&q, 0);
    store_done(&q);
    if (rc == ERR_CONFLICT) goto conflict;
    if (rc < 0) return rc;
    if (!history_kind) return 0;
    return store_exec(x->db,
        "INSERT INTO member_history (member_id, kind, to_org_id, to_status, actor_id, created_at)"
        " VALUES ($1, $2, $3, 'active', $4, $5)",
        SV_ARGS(SV_I(*id), SV_T(history_kind), SV_I(r->org_id), SV_IZ(x->actor->user_id), SV_T(ts)),
        NULL, e);
conflict:
    /* The unique keys are the person and the card number. */
    if (r->card_no[0]) {
        int64_t n = 0;
        store_get_int(x->db, "SELECT COUNT(*) FROM members WHERE card_no = $1", SV_ARGS(SV_T(r->card_no)), &n, NULL);
        if (n) return err_set(e, ERR_CONFLICT, "duplicate_card_no", "card_no", "会员证号已被使用");
    }
    return err_set(e, ERR_CONFLICT, "already_member", "id_number", "此人（身份证号）已经是工会会员，不能重复登记");
}

/* Orgs that hold members directly: grassroots unions, and county or city
 * unions for new-employment-form workers without an employer union. */
int member_org_check(store_conn *db, int64_t org_id, const char *form, char path[GH_PATH_MAX],
                             gh_err *e)
{
    store_res q;
    int rc = store_query(db, &q, "SELECT level, status, path FROM orgs WHERE id = $1", SV_ARGS(SV_I(org_id)), e);
    if (rc) return rc;
    rc = store_next(&q, e);
    if (rc > 0) {
        const char *level = store_text(&q, 0);
        snprintf(path, GH_PATH_MAX, "%s", store_text(&q, 2));
        if (strcmp(store_text(&q, 1), "active") != 0)
            rc = err_set(e, ERR_INVALID, "org_dissolved", "org_id", "所选工会已撤销");
        else if (strcmp(level, "grassroots") == 0)
            rc = 0;
        else if ((strcmp(level, "city") == 0 || strcmp(level, "county") == 0) && form &&
                 strcmp(form, "employee") != 0)
            rc = 0;
        else
            rc = err_set(e, ERR_INVALID, "org_not_grassroots", "org_id",
                         "会员须加入基层工会（新就业形态劳动者可加入市、县级工会）");
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "org_not_found", "org_id", "所选工会不存在");
    }
    store_done(&q);
    return rc;
}

/* ---- reading ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_employment_forms[] = {"employee", "职工", "courier", "快递员", "food_delivery", "外卖送餐员", "ride_hailing", "网约车司机", "truck_driver", "货车司机", "domestic", "家政服务员", "other_new", "其他新就业形态", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_member_status[] = {"active", "在会", "transferred", "已转出", "left", "已退会", NULL};

static const list_col member_cols[] = {
    {"id", "m.id", COL_INT, "编号"},
    {"org_id", "m.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "所属工会"},
    {"name", "m.name", COL_STR, "姓名"},
    {"gender", "m.gender", COL_STR, "性别"},
    {"birth_year", "m.birth_year", COL_INT, "出生年份"},
    {"id_number_masked", "m.id_mask", COL_STR, "身份证号"},
    {"mobile_masked", "m.mobile_mask", COL_STR, "手机号"},
    {"employment_form", "m.employment_form", COL_STR, "就业形态", words_employment_forms},
    {"employer", "m.employer", COL_STR, "工作单位"},
    {"frontline", "m.frontline", COL_BOOL, "一线职工"},
    {"model_worker", "m.model_worker", COL_STR, "劳模"},
    {"craftsman", "m.craftsman", COL_BOOL, "工匠"},
    {"join_date", "m.join_date", COL_STR, "入会日期"},
    {"status", "m.status", COL_STR, "会籍状态", words_member_status},
    {"card_no", "m.card_no", COL_STR, "会员证号"},
    {"created_at", "m.created_at", COL_STR},
    {"updated_at", "m.updated_at", COL_STR},
    {0},
};

/* Without an issued card the member number serves. */
static void member_post(json_t *o, void *arg)
{
    (void)arg;
    char card[32];
    if (!json_is_null(json_object_get(o, "card_no"))) return;
    snprintf(card, sizeof card, "GH%010lld", (long long)json_integer_value(json_object_get(o, "id")));
    json_object_set_new(o, "card_no", json_string(card));
}

static const list_filter member_filters[] = {
    {FILTER_CHOICE, offsetof(member_query, employment_form), "m.employment_form = ?", "employment_form", "就业形态", member_forms},
    {FILTER_CHOICE, offsetof(member_query, status), "m.status = ?", "status", "会籍状态", member_statuses},
    {FILTER_FLAG, offsetof(member_query, frontline), "m.frontline = ?", "frontline", "一线职工"},
    {0},
};

static const list_spec member_spec = {member_cols, member_filters, member_post, "会员名单", "member.export"};

/* Load one member with its org path; no scope check. */
static int load(store_conn *db, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    char p[GH_PATH_MAX];
    int rc = list_one(db, &member_spec, NULL, "o.path", "members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1",
                      SV_ARGS(SV_I(id)), out, path ? path : p, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "member_not_found", "id", "会员不存在");
    return rc;
}

/* May the actor see member id? Members see themselves; staff their scope. */
static int scoped(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    char p[GH_PATH_MAX];
    if (a->role == ROLE_MEMBER) {
        if (a->member_id != id) return err_set(e, ERR_NOT_FOUND, "member_not_found", "id", "会员不存在");
        return load(x->db, id, out, path ? path : p, e);
    }
    if (!actor_is_staff(a)) return err_set(e, ERR_NOT_FOUND, "member_not_found", "id", "会员不存在");
    json_t *o = NULL;
    int rc = load(x->db, id, out ? &o : NULL, p, e);
    if (rc) return rc;
    if (!actor_in_scope(a, p)) {
        json_decref(o);
        return err_set(e, ERR_NOT_FOUND, "member_not_found", "id", "会员不存在");
    }
    if (out) *out = o;
    if (path) snprintf(path, GH_PATH_MAX, "%s", p);
    return 0;
}

int member_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    json_t *o = NULL;
    int rc = scoped(x, id, &o, NULL, e);
    if (rc) return rc;
    int64_t has = 0;
    store_get_int(x->db, "SELECT COUNT(*) FROM users WHERE member_id = $1 AND role = 'member'",
                  SV_ARGS(SV_I(id)), &has, NULL);
    json_object_set_new(o, "has_account", json_boolean(has > 0));
    *out = o;
    return 0;
}

int member_me(gh_ctx *x, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_MEMBER || !a->member_id)
        return err_set(e, ERR_NOT_FOUND, "member_not_found", NULL, "当前账号不是会员账号");
    json_t *o = NULL;
    int rc = load(x->db, a->member_id, &o, NULL, e);
    if (rc) return rc;
    /* The union card: what a member shows at a service counter. */
    json_t *card = json_pack("{s:O, s:O, s:O, s:O}", "card_no", json_object_get(o, "card_no"), "name",
                             json_object_get(o, "name"), "org_name", json_object_get(o, "org_name"),
                             "join_date", json_object_get(o, "join_date"));
    json_object_set_new(o, "card", card);
    *out = o;
    return 0;
}

/* Build the search condition for q: a full ID or mobile matches its keyed
 * hash; four characters of digits (or ending in X) match a tail; anything
 * else is a name prefix. Writes the kind and the value to use. */
enum { Q_NONE, Q_NAME, Q_TAIL, Q_ID, Q_MOBILE };

static int classify_q(const gh_config *cfg, const char *q, char *val, size_t n)
{
    if (!q || !*q) return Q_NONE;
    char id18[19], m[12];
    if (strlen(q) == 18 && valid_id_number(q, id18, NULL) == 0) {
        seal_hash(cfg, "id:", id18, val);
        return Q_ID;
    }
    if (valid_mobile(q, m, NULL) == 0) {
        seal_hash(cfg, "m:", m, val);
        return Q_MOBILE;
    }
    if (strlen(q) == 4) {
        int tail = 1;
        for (int i = 0; i < 4; i++)
            if (!isdigit((unsigned char)q[i]) && !(i == 3 && (q[i] == 'X' || q[i] == 'x'))) tail = 0;
        if (tail) {
            snprintf(val, n, "%s", q);
            if (val[3] == 'x') val[3] = 'X';
            return Q_TAIL;
        }
    }
    snprintf(val, n, "%s", q);
    return Q_NAME;
}

int member_list(gh_ctx *x, const member_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看会员的权限");
    scope_range sr;
    int src = scope_range_of(x, q->org_id, &sr, e);
    if (src) return src;
    const char *lo = sr.lo, *hi = sr.hi;
    /* No name is longer (members.name), and val and name_hi are sized for
     * that many 4-byte characters: a longer text would be cut inside a
     * character, which PostgreSQL refuses as text. */
    if (q->q && utf8_chars(q->q) > MEMBER_NAME_MAX)
        return err_set(e, ERR_INVALID, "invalid_query", "q", "搜索内容不能超过 %d 个字", MEMBER_NAME_MAX);
    char val[4 * MEMBER_NAME_MAX + 1] = "", name_hi[4 * MEMBER_NAME_MAX + 5] = "";
    int kind = classify_q(x->cfg, q->q, val, sizeof val);
    if (kind == Q_NAME) {
        /* Name prefix as a range on the name index: [val, val + U+10FFFF),
         * the highest code point, valid UTF-8 for PostgreSQL. */
        snprintf(name_hi, sizeof name_hi, "%s\xf4\x8f\xbf\xbf", val);
    }
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= ? AND o.path < ?",
              SV_ARGS(SV_T(lo), SV_T(hi)));
    switch (kind) {
    case Q_NAME: SQLW_AND(&w, "m.name >= ? AND m.name < ?", SV_T(val), SV_T(name_hi)); break;
    case Q_TAIL: SQLW_AND(&w, "m.id_tail = ? OR m.mobile_tail = ?", SV_T(val), SV_T(val)); break;
    case Q_ID: SQLW_AND(&w, "m.id_hash = ?", SV_T(val)); break;
    case Q_MOBILE: SQLW_AND(&w, "m.mobile_hash = ?", SV_T(val)); break;
    }
    /* A name search walks the name index in order and stops at the page;
     * its count stops at a thousand ("1000+" is all a searcher needs). */
    if (kind == Q_NAME) pg.count_cap = 1000;
    return list_query(x, &member_spec, q, &w, kind == Q_NAME ? "m.name, m.id" : "m.id DESC", &pg, NULL, out, e);
}

/* ---- writing ---- */

typedef struct create_ctx {
    gh_ctx *x;
    member_rec rec;
    int64_t id;
} create_ctx;

static int create_tx(store_conn *db, void *p, gh_err *e)
{
    create_ctx *c = p;
    (void)db;
    int rc = member_insert(c->x, &c->rec, "joined", &c->id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s}", "name", c->rec.name, "id_number", c->rec.id_mask);
    rc = audit_record(c->x, "member.create", "member", c->id, c->rec.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int member_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    create_ctx c = {x, {0}, 0};
    int rc = member_rec_from_json(x->cfg, body, &c.rec, e);
    if (rc) return rc;
    char path[GH_PATH_MAX];
    rc = org_scope_path(x, c.rec.org_id, path, e);
    if (rc == 0) rc = member_org_check(x->db, c.rec.org_id, c.rec.form, path, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, create_tx, &c, e);
    if (rc) return rc;
    return member_get(x, c.id, out, e);
}

typedef struct update_ctx {
    gh_ctx *x;
    int64_t id;
    const json_t *body;
    char mobile[12], mhash[65], mmask[12], mtail[5];
    int set_mobile;
} update_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    update_ctx *c = p;
    const json_t *b = c->body;
    char ts[32], old_status[16] = "";
    int64_t org = 0;
    ts_now(ts);
    store_res q;
    int rc = store_query(db, &q, "SELECT status, org_id FROM members WHERE id = $1", SV_ARGS(SV_I(c->id)), e);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) {
        snprintf(old_status, sizeof old_status, "%s", store_text(&q, 0));
        org = store_int(&q, 1);
    }
    store_done(&q);
    if (rc < 0) return rc;
    char *sealed = NULL;
    if (c->set_mobile && c->mobile[0]) {
        rc = crypto_seal(c->x->cfg->data_key, c->mobile, &sealed, e);
        if (rc) return rc;
    }
    const char *card = jv_str(b, "card_no");
    rc = store_exec(db,
        "UPDATE members SET"
        " name = COALESCE($2, name),"
        " employment_form = COALESCE($3, employment_form),"
        " employer = CASE WHEN $4 = 1 THEN $5 ELSE employer END,"
        " frontline = CASE WHEN $6 >= 0 THEN $6 ELSE frontline END,"
        " model_worker = CASE WHEN $7 = 1 THEN $8 ELSE model_worker END,"
        " craftsman = CASE WHEN $9 >= 0 THEN $9 ELSE craftsman END,"
        " card_no = CASE WHEN $10 = 1 THEN $11 ELSE card_no END,"
        " status = COALESCE($12, status),"
        " mobile_hash = CASE WHEN $13 = 1 THEN $14 ELSE mobile_hash END,"
        " mobile_sealed = CASE WHEN $13 = 1 THEN $15 ELSE mobile_sealed END,"
        " mobile_mask = CASE WHEN $13 = 1 THEN $16 ELSE mobile_mask END,"
        " mobile_tail = CASE WHEN $13 = 1 THEN $17 ELSE mobile_tail END,"
        " updated_at = $18"
        " WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "name")), SV_T(jv_str(b, "employment_form")),
                SV_I(json_object_get(b, "employer") != NULL), SV_T(jv_str(b, "employer")),
                SV_I(jv_has(b, "frontline") ? jv_bool(b, "frontline", 0) : -1),
                SV_I(json_object_get(b, "model_worker") != NULL), SV_T(jv_str(b, "model_worker")),
                SV_I(jv_has(b, "craftsman") ? jv_bool(b, "craftsman", 0) : -1),
                SV_I(json_object_get(b, "card_no") != NULL), SV_T(card && *card ? card : NULL),
                SV_T(jv_str(b, "status")), SV_I(c->set_mobile),
                SV_T(c->mobile[0] ? c->mhash : NULL), SV_T(sealed), SV_T(c->mobile[0] ? c->mmask : NULL),
                SV_T(c->mobile[0] ? c->mtail : NULL), SV_T(ts)),
        NULL, e);
    free(sealed);
    if (rc == ERR_CONFLICT) return err_set(e, ERR_CONFLICT, "duplicate_card_no", "card_no", "会员证号已被使用");
    if (rc) return rc;
    const char *st = jv_str(b, "status");
    if (st && strcmp(st, old_status) != 0) {
        rc = store_exec(db,
            "INSERT INTO member_history (member_id, kind, from_status, to_status, reason, actor_id, created_at)"
            " VALUES ($1, 'status', $2, $3, $4, $5, $6)",
            SV_ARGS(SV_I(c->id), SV_T(old_status), SV_T(st), SV_T(jv_str(b, "reason")),
                    SV_IZ(c->x->actor->user_id), SV_T(ts)),
            NULL, e);
        if (rc) return rc;
    }
    /* The audit entry never holds the new mobile in clear. */
    json_t *d = json_deep_copy(b);
    if (json_object_get(d, "mobile")) json_object_set_new(d, "mobile", json_string(c->mobile[0] ? c->mmask : ""));
    rc = audit_record(c->x, "member.update", "member", c->id, org, "ok", d, e);
    json_decref(d);
    return rc;
}

int member_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    int rc = jv_check_partial(body, member_update_fields, e);
    if (rc) return rc;
    if (jv_str(body, "name") && (rc = name_ok(jv_str(body, "name"), e))) return rc;
    if (jv_str(body, "card_no") && *jv_str(body, "card_no") && (rc = card_no_ok(jv_str(body, "card_no"), e)))
        return rc;
    if (jv_has(body, "status") && !jv_str(body, "reason"))
        return err_set(e, ERR_INVALID, "missing_field", "reason", "变更会籍状态须填写原因");
    update_ctx c = {.x = x, .id = id, .body = body};
    if (json_object_get(body, "mobile")) {
        c.set_mobile = 1;
        const char *m = jv_str(body, "mobile");
        if (m && *m) {
            rc = valid_mobile(m, c.mobile, e);
            if (rc) return rc;
            seal_hash(x->cfg, "m:", c.mobile, c.mhash);
            mask_mobile(c.mobile, c.mmask);
            memcpy(c.mtail, c.mobile + 7, 4);
            c.mtail[4] = '\0';
        }
    }
    json_t *cur = NULL;
    rc = scoped(x, id, &cur, NULL, e);
    if (rc) return rc;
    const char *form = jv_str(body, "employment_form");
    if (form) {
        /* The union must still be one that can hold this kind of member. */
        char p[GH_PATH_MAX];
        rc = member_org_check(x->db, json_integer_value(json_object_get(cur, "org_id")), form, p, e);
        if (rc) {
            json_decref(cur);
            return err_set(e, ERR_INVALID, "org_not_grassroots", "employment_form",
                           "所在工会不是基层工会，不能改为该就业形态；请先转会到基层工会");
        }
    }
    json_decref(cur);
    rc = store_tx(x->db, STORE_WRITE, update_tx, &c, e);
    if (rc) return rc;
    return member_get(x, id, out, e);
}

typedef struct transfer_ctx {
    gh_ctx *x;
    int64_t id, to, from;
    const char *reason;
} transfer_ctx;

static int transfer_tx(store_conn *db, void *p, gh_err *e)
{
    transfer_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int rc = store_get_int(db, "SELECT org_id FROM members WHERE id = $1", SV_ARGS(SV_I(c->id)), &c->from, e);
    if (rc) return rc;
    if (c->from == c->to) return err_set(e, ERR_INVALID, "same_org", "to_org_id", "会员已在该工会");
    rc = store_exec(db, "UPDATE members SET org_id = $2, updated_at = $3 WHERE id = $1",
                    SV_ARGS(SV_I(c->id), SV_I(c->to), SV_T(ts)), NULL, e);
    if (rc) return rc;
    rc = store_exec(db,
        "INSERT INTO member_history (member_id, kind, from_org_id, to_org_id, reason, actor_id, created_at)"
        " VALUES ($1, 'transfer', $2, $3, $4, $5, $6)",
        SV_ARGS(SV_I(c->id), SV_I(c->from), SV_I(c->to), SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:I, s:s}", "from_org_id", (json_int_t)c->from, "to_org_id", (json_int_t)c->to,
                          "reason", c->reason);
    rc = audit_record(c->x, "member.transfer", "member", c->id, c->from, "ok", d, e);
    json_decref(d);
    return rc;
}

int member_transfer(gh_ctx *x, int64_t id, int64_t to_org, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    if (!reason || !*reason) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写转会原因");
    json_t *m = NULL;
    int rc = scoped(x, id, &m, NULL, e);
    if (rc) return rc;
    const char *form = json_string_value(json_object_get(m, "employment_form"));
    char form_copy[16];
    snprintf(form_copy, sizeof form_copy, "%s", form ? form : "employee");
    int active = strcmp(json_string_value(json_object_get(m, "status")), "active") == 0;
    json_decref(m);
    if (!active) return err_set(e, ERR_CONFLICT, "member_not_active", "id", "只有在会会员可以转会");
    /* The receiving union may be anywhere in the tree: a worker who moves
     * from Nanjing to Suzhou takes the membership along. */
    char path[GH_PATH_MAX];
    rc = member_org_check(x->db, to_org, form_copy, path, e);
    if (rc) {
        if (e) snprintf(e->field, sizeof e->field, "to_org_id");
        return rc;
    }
    transfer_ctx c = {x, id, to_org, 0, reason};
    rc = store_tx(x->db, STORE_WRITE, transfer_tx, &c, e);
    if (rc) return rc;
    if (!actor_in_scope(x->actor, path)) {
        /* Moved out of the officer's reach: report without the record. */
        *out = json_pack("{s:I, s:I, s:b}", "id", (json_int_t)id, "org_id", (json_int_t)to_org, "out_of_scope", 1);
        return 0;
    }
    return member_get(x, id, out, e);
}

static const list_col history_cols[] = {
    {"id", "h.id", COL_INT},
    {"kind", "h.kind", COL_STR},
    {"from_org_id", "h.from_org_id", COL_INT_NULL},
    {"from_org_name", "fo.name", COL_STR},
    {"to_org_id", "h.to_org_id", COL_INT_NULL},
    {"to_org_name", "t.name", COL_STR},
    {"from_status", "h.from_status", COL_STR},
    {"to_status", "h.to_status", COL_STR},
    {"reason", "h.reason", COL_STR},
    {"created_at", "h.created_at", COL_STR},
    {0},
};

int member_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    int rc = scoped(x, id, NULL, NULL, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, 1, 100);
    return list_run_cols(x->db, history_cols,
                         "member_history h LEFT JOIN orgs fo ON fo.id = h.from_org_id LEFT JOIN orgs t ON t.id = h.to_org_id"
                         " WHERE h.member_id = $1",
                         "h.id", SV_ARGS(SV_I(id)), &pg, out, e);
}

int member_reveal(gh_ctx *x, int64_t id, const char *field, const char *reason, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int self = a->role == ROLE_MEMBER && a->member_id == id;
    if (!self && !actor_has_duty(a, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看会员完整信息的权限");
    int is_id = field && strcmp(field, "id_number") == 0;
    if (!field || (!is_id && strcmp(field, "mobile") != 0))
        return err_set(e, ERR_INVALID, "invalid_choice", "field", "只能查看身份证号或手机号");
    if (!self && (!reason || utf8_chars(reason) < 2))
        return err_set(e, ERR_INVALID, "missing_field", "reason", "查看完整信息须填写事由");
    char path[GH_PATH_MAX];
    int rc = scoped(x, id, NULL, path, e);
    if (rc) return rc;
    int64_t org = 0;
    char *sealed = NULL;
    store_res q;
    rc = store_query(x->db, &q,
                     is_id ? "SELECT id_sealed, org_id FROM members WHERE id = $1"
                           : "SELECT mobile_sealed, org_id FROM members WHERE id = $1",
                     SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) {
        sealed = store_text(&q, 0) ? strdup(store_text(&q, 0)) : NULL;
        org = store_int(&q, 1);
        rc = 0;
    }
    store_done(&q);
    if (rc < 0) return rc;
    char *plain = NULL;
    if (sealed) rc = crypto_open(x->cfg->data_key, sealed, &plain, e);
    free(sealed);
    if (rc) return rc;
    /* Audited before the value leaves: no reveal without its trace. */
    json_t *d = json_pack("{s:s, s:s}", "field", field, "reason", reason ? reason : "本人查看");
    rc = audit_record(x, "member.reveal", "member", id, org, "ok", d, e);
    json_decref(d);
    if (rc) {
        free(plain);
        return rc;
    }
    *out = json_pack("{s:s, s:s?}", "field", field, "value", plain);
    free(plain);
    return 0;
}

/* ---- dashboards ---- */

int member_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看统计的权限");
    /* an officer's figures default to their own org, not their whole scope */
    scope_range sr;
    int rc = scope_range_of(x, org_id ? org_id : a->org_id, &sr, e);
    if (rc) return rc;
    const char *lo = sr.lo, *hi = sr.hi;
    json_t *o = json_object();
    store_res q;
    rc = store_query(x->db, &q,
        "SELECT COUNT(*), SUM(CASE WHEN m.status = 'active' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN m.status = 'active' AND m.frontline = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN m.status = 'active' AND m.model_worker IS NOT NULL THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN m.status = 'active' AND m.employment_form <> 'employee' THEN 1 ELSE 0 END)"
        " FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) goto done;
    if ((rc = store_next(&q, e)) > 0) {
        json_object_set_new(o, "total", json_integer(store_int(&q, 0)));
        json_object_set_new(o, "active", json_integer(store_int(&q, 1)));
        json_object_set_new(o, "frontline", json_integer(store_int(&q, 2)));
        json_object_set_new(o, "model_workers", json_integer(store_int(&q, 3)));
        json_object_set_new(o, "new_employment_forms", json_integer(store_int(&q, 4)));
        rc = 0;
    }
    store_done(&q);
    if (rc < 0) goto done;
    json_t *forms = json_object();
    for (int i = 0; member_forms[i]; i++) json_object_set_new(forms, member_forms[i], json_integer(0));
    rc = store_query(x->db, &q,
        "SELECT m.employment_form, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND m.status = 'active' GROUP BY m.employment_form",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) {
        json_decref(forms);
        goto done;
    }
    while ((rc = store_next(&q, e)) > 0) json_object_set_new(forms, store_text(&q, 0), json_integer(store_int(&q, 1)));
    store_done(&q);
    json_object_set_new(o, "by_employment_form", forms);
    if (rc < 0) goto done;
    /* Per child org: the members anywhere below each child. */
    json_t *kids = json_array();
    json_object_set_new(o, "by_child_org", kids);
    rc = store_query(x->db, &q,
        "SELECT c.id, c.name, c.level, (SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id"
        "  WHERE o.path >= c.path AND o.path < c.path || '~' AND m.status = 'active')"
        " FROM orgs c WHERE ($1 = '/' AND c.parent_id IS NULL)"
        " OR c.parent_id = (SELECT id FROM orgs WHERE path = $1) ORDER BY c.path",
        SV_ARGS(SV_T(lo)), e);
    if (rc) goto done;
    while ((rc = store_next(&q, e)) > 0)
        json_array_append_new(kids, json_pack("{s:I, s:s, s:s, s:I}", "org_id", (json_int_t)store_int(&q, 0),
                                              "name", store_text(&q, 1), "level", store_text(&q, 2), "members",
                                              (json_int_t)store_int(&q, 3)));
    store_done(&q);
    if (rc < 0) goto done;
    /* Joined per month over the last 24 months (China dates). */
    int32_t today = date_today_cn();
    int32_t start = date_add_months(today, -23);
    int y, m, d;
    date_ymd(start, &y, &m, &d);
    char from[11];
    snprintf(from, sizeof from, "%04d-%02d-01", y, m);
    json_t *months = json_array();
    json_object_set_new(o, "joined_by_month", months);
    /* ... and by employment form: by_form {employee: n, courier: n, …}. */
    rc = store_query(x->db, &q,
        "SELECT substr(m.join_date, 1, 7), m.employment_form, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND m.join_date >= $3"
        " GROUP BY substr(m.join_date, 1, 7), m.employment_form ORDER BY 1",
        SV_ARGS(SV_T(lo), SV_T(hi), SV_T(from)), e);
    if (rc) goto done;
    json_t *counts = json_object();
    while ((rc = store_next(&q, e)) > 0) {
        json_t *mo = json_object_get(counts, store_text(&q, 0));
        if (!mo) json_object_set_new(counts, store_text(&q, 0), mo = json_object());
        if (mo) json_object_set_new(mo, store_text(&q, 1) ? store_text(&q, 1) : "other_new", json_integer(store_int(&q, 2)));
    }
    store_done(&q);
    for (int i = 0; i < 24; i++) {
        char key[8];
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        json_t *c = json_object_get(counts, key), *by = json_object();
        json_int_t joined = 0;
        for (int k = 0; member_forms[k]; k++) {
            json_int_t v = json_integer_value(json_object_get(c, member_forms[k]));
            joined += v;
            json_object_set_new(by, member_forms[k], json_integer(v));
        }
        json_array_append_new(months, json_pack("{s:s, s:I, s:o}", "month", key, "joined", joined, "by_form", by));
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    json_decref(counts);
    if (rc < 0) goto done;
    /* Joined per year since the first member, by employment form (the
     * growth of new forms of employment over the years). */
    json_t *years = json_array();
    json_object_set_new(o, "joined_by_year", years);
    rc = store_query(x->db, &q,
        "SELECT substr(m.join_date, 1, 4), m.employment_form, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND m.join_date IS NOT NULL"
        " GROUP BY substr(m.join_date, 1, 4), m.employment_form ORDER BY 1",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) goto done;
    json_t *yr = NULL;
    while ((rc = store_next(&q, e)) > 0) {
        const char *yk = store_text(&q, 0), *fk = store_text(&q, 1);
        if (!yk) continue;
        if (!yr || strcmp(json_string_value(json_object_get(yr, "year")), yk) != 0) {
            json_t *by = json_object();
            for (int k = 0; member_forms[k]; k++) json_object_set_new(by, member_forms[k], json_integer(0));
            yr = json_pack("{s:s, s:I, s:o}", "year", yk, "joined", (json_int_t)0, "by_form", by);
            json_array_append_new(years, yr);
        }
        json_t *by = json_object_get(yr, "by_form");
        json_int_t n = store_int(&q, 2);
        json_object_set_new(by, fk ? fk : "other_new", json_integer(json_integer_value(json_object_get(by, fk ? fk : "other_new")) + n));
        json_object_set_new(yr, "joined", json_integer(json_integer_value(json_object_get(yr, "joined")) + n));
    }
    store_done(&q);
    if (rc < 0) goto done;
    *out = o;
    o = NULL;
done:
    json_decref(o);
    return rc;
}

/* ---- import ---- */

/* Column names as people write them in Excel, with English aliases. */
static const char *const import_cols[] = {
    "姓名|name",
    "身份证号|身份证号码|公民身份号码|id_number",
    "手机号|手机号码|联系电话|mobile",
    "就业形态|用工形式|employment_form",
    "工作单位|工作单位或平台|单位|employer",
    "一线职工|是否一线职工|frontline",
    "劳模称号|劳动模范|model_worker",
    "工匠|craftsman",
    "入会日期|入会时间|join_date",
    "会员证号|会员卡号|card_no",
    "组织编号|工会编号|org_id",
};
enum { C_NAME, C_ID, C_MOBILE, C_FORM, C_EMPLOYER, C_FRONTLINE, C_MODEL, C_CRAFT, C_JOIN, C_CARD, C_ORG, C_N };
static const char *const col_field[C_N] = {"name", "id_number", "mobile", "employment_form", "employer",
                                           "frontline", "model_worker", "craftsman", "join_date", "card_no",
                                           "org_id"};

static const struct {
    const char *label, *code;
} form_labels[] = {
    {"职工", "employee"}, {"在职职工", "employee"}, {"单位职工", "employee"}, {"employee", "employee"},
    {"快递员", "courier"}, {"快递小哥", "courier"}, {"courier", "courier"},
    {"外卖送餐员", "food_delivery"}, {"外卖骑手", "food_delivery"}, {"food_delivery", "food_delivery"},
    {"网约车司机", "ride_hailing"}, {"ride_hailing", "ride_hailing"},
    {"货车司机", "truck_driver"}, {"truck_driver", "truck_driver"},
    {"家政服务员", "domestic"}, {"domestic", "domestic"},
    {"其他新就业形态", "other_new"}, {"其他", "other_new"}, {"other_new", "other_new"},
};

static const struct {
    const char *label, *code;
} model_labels[] = {
    {"全国劳动模范", "national"}, {"全国劳模", "national"}, {"全国先进工作者", "national"}, {"national", "national"},
    {"省部级劳动模范", "provincial"}, {"省级劳动模范", "provincial"}, {"省级劳模", "provincial"}, {"provincial", "provincial"},
    {"市级劳动模范", "city"}, {"市级劳模", "city"}, {"city", "city"},
};

static int yes_no(const char *s, int *out)
{
    static const char *yes[] = {"是", "Y", "y", "1", "true", "TRUE", "yes"};
    static const char *no[] = {"否", "N", "n", "0", "false", "FALSE", "no", ""};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(s, yes[i]) == 0) return *out = 1, 0;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(s, no[i]) == 0) return *out = 0, 0;
    return -1;
}

/* Excel writes dates as 2023/5/8 or 2023-05-08; both are accepted. */
static int normalise_date(const char *s, char out[11])
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%d%*[-/.]%d%*[-/.]%d%c", &y, &m, &d, &tail) != 3) return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

typedef struct org_ok {
    int64_t id;
    int in_subtree; /* below the import's org and may hold new-employment members */
    int grassroots; /* may hold every member */
} org_ok;

typedef struct member_import_ctx {
    int64_t org_id;
    char root[GH_PATH_MAX], hi[GH_PATH_MAX];
    u64set seen;
    org_ok orgs[64];
    int norgs;
} member_import_ctx;

/* Turn one CSV record into the JSON the API takes, mapping the Chinese
 * labels people type in Excel; NULL and an error on a bad cell. */
static json_t *import_row_json(importer *im, int64_t default_org)
{
    json_t *row = json_object();
    char tmp[16];
    for (int c = 0; c < C_N; c++) {
        const char *v = import_field(im, c);
        if (!*v) continue;
        const char *bad_field = NULL, *bad_reason = NULL;
        switch (c) {
        case C_FORM: {
            const char *code = NULL;
            for (size_t i = 0; i < sizeof form_labels / sizeof *form_labels; i++)
                if (strcmp(v, form_labels[i].label) == 0) code = form_labels[i].code;
            if (!code) bad_field = "employment_form", bad_reason = "就业形态无法识别（如：职工、快递员、外卖送餐员、网约车司机、货车司机、家政服务员）";
            /* a required field: a stand-in lets the row's other fields be
             * checked too (the row is refused all the same) */
            json_object_set_new(row, "employment_form", json_string(code ? code : "employee"));
            break;
        }
        case C_MODEL: {
            const char *code = NULL;
            for (size_t i = 0; i < sizeof model_labels / sizeof *model_labels; i++)
                if (strcmp(v, model_labels[i].label) == 0) code = model_labels[i].code;
            if (!code && strcmp(v, "无") != 0) bad_field = "model_worker", bad_reason = "劳模称号无法识别（全国劳动模范、省部级劳动模范、市级劳动模范或留空）";
            else if (code) json_object_set_new(row, "model_worker", json_string(code));
            break;
        }
        case C_FRONTLINE:
        case C_CRAFT: {
            int yn;
            if (yes_no(v, &yn)) bad_field = col_field[c], bad_reason = "应填“是”或“否”";
            else json_object_set_new(row, col_field[c], json_boolean(yn));
            break;
        }
        case C_JOIN:
            if (normalise_date(v, tmp)) bad_field = "join_date", bad_reason = "入会日期格式应为 2023-05-08";
            else json_object_set_new(row, "join_date", json_string(tmp));
            break;
        case C_ORG: {
            char *end;
            long long id = strtoll(v, &end, 10);
            if (*end || id <= 0) bad_field = "org_id", bad_reason = "组织编号应为正整数";
            else json_object_set_new(row, "org_id", json_integer(id));
            break;
        }
        default:
            json_object_set_new(row, col_field[c], json_string(v));
            if (!json_object_get(row, col_field[c])) bad_field = col_field[c], bad_reason = "包含无效字符";
        }
        /* reported, and the row goes on to be checked without it */
        if (bad_field) import_error(im, bad_field, bad_reason);
    }
    if (!json_object_get(row, "org_id")) json_object_set_new(row, "org_id", json_integer(default_org));
    return row;
}

static int member_row_check(const json_t *row, void *arg, gh_err *e)
{
    member_rec rec;
    return member_rec_from_json(arg, row, &rec, e);
}

static int member_import_row(importer *im, void *p, gh_err *e)
{
    member_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *row = import_row_json(im, c->org_id);
    if (!row) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    member_rec rec;
    gh_err re;
    err_clear(&re);
    /* every bad field of the row, then the row itself */
    /* stand-ins for the required fields (a valid, made-up ID number) */
    json_t *standins = json_pack("{s:s, s:s, s:s}", "name", "某", "id_number", "110101199003070011", "employment_form",
                                 "employee");
    int rc = import_check_each(im, row, member_row_check, (void *)x->cfg, standins, e);
    json_decref(standins);
    if (rc) {
        json_decref(row);
        return rc < 0 ? rc : 0;
    }
    rc = member_rec_from_json(x->cfg, row, &rec, &re);
    json_decref(row);
    if (rc) {
        import_error(im, re.field, re.message);
        return 0;
    }
    /* The row's union: in the subtree and able to hold this member. */
    org_ok here = {rec.org_id, 0, 0};
    int found = 0;
    for (int i = 0; i < c->norgs && !found; i++)
        if (c->orgs[i].id == rec.org_id) here = c->orgs[i], found = 1;
    if (!found) {
        char op[GH_PATH_MAX];
        gh_err oe;
        here.in_subtree = member_org_check(x->db, rec.org_id, "other_new", op, &oe) == 0 &&
                          strcmp(op, c->root) >= 0 && strcmp(op, c->hi) < 0;
        here.grassroots = here.in_subtree && member_org_check(x->db, rec.org_id, "employee", op, &oe) == 0;
        if (c->norgs < 64) c->orgs[c->norgs++] = here;
    }
    if (!(here.in_subtree && (here.grassroots || strcmp(rec.form, "employee") != 0))) {
        import_error(im, "org_id", here.in_subtree ? "职工须加入基层工会" : "组织编号不是本组织下可发展会员的工会");
        return 0;
    }
    int dup = u64set_add(&c->seen, strtoull(rec.id_hash + 16, NULL, 16));
    if (dup < 0) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (dup) {
        import_error(im, "id_number", "与文件中前面的行身份证号重复");
        return 0;
    }
    int64_t exists = 0;
    rc = store_get_int(x->db, "SELECT COUNT(*) FROM members WHERE id_hash = $1", SV_ARGS(SV_T(rec.id_hash)), &exists, e);
    if (rc) return rc;
    if (exists) {
        import_error(im, "id_number", "此人已经是工会会员");
        return 0;
    }
    if (!import_writing(im)) return 0;
    int64_t id;
    rc = member_insert(x, &rec, NULL, &id, &re);
    if (rc == ERR_CONFLICT) {
        import_error(im, re.field, re.message);
        return 0;
    }
    if (rc) {
        *e = re;
        return rc;
    }
    import_count(im);
    return 0;
}

static int member_import_finish(importer *im, void *p, gh_err *e)
{
    member_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *d = json_pack("{s:I, s:I}", "rows", (json_int_t)import_rows(im), "imported",
                          (json_int_t)import_written(im));
    int rc = audit_record(x, "member.import", "org", c->org_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int member_import_allowed(gh_ctx *x, int64_t org_id, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_MEMBERSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有会员管理职责");
    char root[GH_PATH_MAX];
    return org_scope_path(x, org_id, root, e);
}

int member_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                  import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    member_import_ctx c = {.org_id = org_id};
    int rc = member_import_allowed(x, org_id, e);
    if (rc == 0) rc = org_scope_path(x, org_id, c.root, e);
    if (rc) return rc;
    store_prefix_bound(c.root, c.hi, sizeof c.hi);
    static const int required[] = {C_NAME, C_ID, C_FORM};
    const import_spec spec = {import_cols, col_field, C_N, required, 3, member_import_row, member_import_finish};
    rc = import_run(x, &spec, data, len, path, dry_run, &c, progress, pctx, out, e);
    u64set_free(&c.seen);
    return rc;
}

/* ---- accounts ---- */

int member_create_account(gh_ctx *x, int64_t member_id, const member_rec *rec, const char *password_hash,
                          gh_err *e)
{
    if (!rec->mobile[0])
        return err_set(e, ERR_INVALID, "missing_field", "mobile", "开通账号需要手机号");
    char login[80], ts[32];
    auth_mobile_login(x->cfg, rec->mobile, login);
    ts_now(ts);
    int64_t taken = 0;
    int rc = store_get_int(x->db, "SELECT COUNT(*) FROM users WHERE login = $1", SV_ARGS(SV_T(login)), &taken, e);
    if (rc) return rc;
    if (taken) return err_set(e, ERR_CONFLICT, "mobile_taken", "mobile", "该手机号已绑定其他账号");
    return store_exec(x->db,
        "INSERT INTO users (login, display_name, role, duties, org_id, member_id, password_hash,"
        " password_changed_at, created_at, updated_at) VALUES ($1, $2, 'member', 0, $3, $4, $5, $6, $6, $6)",
        SV_ARGS(SV_T(login), SV_T(rec->name), SV_I(rec->org_id), SV_I(member_id), SV_T(password_hash), SV_T(ts)),
        NULL, e);
}

typedef struct activate_ctx {
    gh_ctx *x;
    member_rec rec;
    int64_t member_id;
    const char *hash;
} activate_ctx;

static int activate_tx(store_conn *db, void *p, gh_err *e)
{
    activate_ctx *c = p;
    int64_t has = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM users WHERE member_id = $1 AND role = 'member'",
                           SV_ARGS(SV_I(c->member_id)), &has, e);
    if (rc) return rc;
    /* Same answer as a mismatch: the form must not tell a stranger that an
     * ID number and mobile belong together. */
    if (has)
        return err_set(e, ERR_NOT_FOUND, "member_not_matched", NULL,
                       "未找到可开通账号的会员：信息不符，或已开通过账号（请直接登录；忘记密码可在登录页点“忘记密码”找回）");
    rc = member_create_account(c->x, c->member_id, &c->rec, c->hash, e);
    if (rc) return rc;
    gh_actor self = *c->x->actor;
    self.role = ROLE_MEMBER;
    self.member_id = c->member_id;
    gh_ctx cx = *c->x;
    cx.actor = &self;
    return audit_record(&cx, "member.activate", "member", c->member_id, c->rec.org_id, "ok", NULL, e);
}

int member_activate(gh_ctx *x, const char *id_number, const char *mobile, const char *password,
                    json_t **out, gh_err *e)
{
    activate_ctx c = {.x = x};
    int rc = valid_id_number(id_number ? id_number : "", c.rec.id18, e);
    if (rc == 0) rc = valid_mobile(mobile ? mobile : "", c.rec.mobile, e);
    if (rc == 0) rc = auth_password_ok(password ? password : "", NULL, e);
    if (rc) return rc;
    char key[120];
    snprintf(key, sizeof key, "activate:%s", x->actor->client);
    rc = ratelimit_hit(x->db, key, 10, 3600, e);
    if (rc) return rc;
    seal_hash(x->cfg, "id:", c.rec.id18, c.rec.id_hash);
    seal_hash(x->cfg, "m:", c.rec.mobile, c.rec.mobile_hash);
    store_res q;
    rc = store_query(x->db, &q,
        "SELECT id, name, org_id, mobile_hash, status FROM members WHERE id_hash = $1",
        SV_ARGS(SV_T(c.rec.id_hash)), e);
    if (rc) return rc;
    int match = 0;
    if ((rc = store_next(&q, e)) > 0) {
        c.member_id = store_int(&q, 0);
        snprintf(c.rec.name, sizeof c.rec.name, "%s", store_text(&q, 1));
        c.rec.org_id = store_int(&q, 2);
        match = store_text(&q, 3) && strcmp(store_text(&q, 3), c.rec.mobile_hash) == 0 &&
                strcmp(store_text(&q, 4), "active") == 0;
        rc = 0;
    }
    store_done(&q);
    if (rc < 0) return rc;
    /* One answer for "no such member" and "mobile does not match". */
    if (!match)
        return err_set(e, ERR_NOT_FOUND, "member_not_matched", NULL,
                       "未找到可开通账号的会员：信息不符，或已开通过账号（请直接登录；忘记密码可在登录页点“忘记密码”找回）");
    char hash[128];
    rc = crypto_password_hash(password, hash, e);
    if (rc) return rc;
    c.hash = hash;
    rc = store_tx(x->db, STORE_WRITE, activate_tx, &c, e);
    if (rc) return rc;
    *out = json_pack("{s:I, s:s}", "member_id", (json_int_t)c.member_id, "message", "账号已开通，请用手机号和新密码登录");
    return 0;
}

const jv_field member_transfer_fields[] = {
    {"to_org_id", JV_INT, JV_REQUIRED, "转入工会", .min = 1, .max = INT64_MAX},
    {"reason", JV_STRING, JV_REQUIRED, "转会原因", .max = 200},
    {0},
};

static const char *const reveal_choices[] = {"id_number", "mobile", NULL};
const jv_field member_reveal_fields[] = {
    {"field", JV_ENUM, JV_REQUIRED, "查看项", .choices = reveal_choices},
    {"reason", JV_STRING, 0, "事由", .max = 200},
    {0},
};

const jv_field member_activate_fields[] = {
    {"id_number", JV_STRING, JV_REQUIRED, "身份证号", .max = 18},
    {"mobile", JV_STRING, JV_REQUIRED, "手机号", .max = 20},
    {"password", JV_STRING, JV_REQUIRED, "密码", .max = 128},
    {0},
};

int member_transfer_body(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, member_transfer_fields, e);
    if (rc) return rc;
    return member_transfer(x, id, jv_int(b, "to_org_id", 0), jv_str(b, "reason"), out, e);
}

int member_reveal_body(gh_ctx *x, int64_t id, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, member_reveal_fields, e);
    if (rc) return rc;
    return member_reveal(x, id, jv_str(b, "field"), jv_str(b, "reason"), out, e);
}

int member_activate_body(gh_ctx *x, const json_t *b, json_t **out, gh_err *e)
{
    int rc = jv_check(b, member_activate_fields, e);
    if (rc) return rc;
    return member_activate(x, jv_str(b, "id_number"), jv_str(b, "mobile"), jv_str(b, "password"), out, e);
}

int member_stats_q(gh_ctx *x, const member_stats_query *q, json_t **out, gh_err *e)
{
    return member_stats(x, q->org_id, out, e);
}
