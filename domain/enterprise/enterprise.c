/* enterprise.c — the enterprise directory (企业名录): enterprises keyed by
 * 统一社会信用代码, their sealed bank accounts, and their CSV import. */
#include "domain/enterprise/enterprise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/csv.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/u64set.h"
#include "base/valid.h"
#include "base/xlsx.h"
#include "domain/core/audit.h"
#include "domain/core/importer.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/core/lock.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"

/* ---- enterprises ---- */

#define ENT_NAME_MAX 100 /* characters */

static const jv_field ent_fields[] = {
    {"uscc", JV_STRING, JV_REQUIRED, "统一社会信用代码", .max = 18},
    {"name", JV_STRING, JV_REQUIRED, "企业名称", .max = ENT_NAME_MAX},
    {"region_code", JV_STRING, JV_REQUIRED, "行政区划代码", .max = 6},
    {"industry", JV_STRING, JV_NULLABLE, "行业门类", .max = 1},
    {"headcount", JV_INT, JV_NULLABLE, "从业人数", .min = 0, .max = 10000000},
    {"annual_revenue_fen", JV_MONEY, JV_NULLABLE, "年营业收入", .max = 100000000000000LL},
    {"small_scale", JV_BOOL, 0, "小规模纳税人"},
    {"org_id", JV_INT, JV_REQUIRED, "负责的工会", .min = 1, .max = INT64_MAX},
    {"union_org_id", JV_INT, JV_NULLABLE, "企业工会", .min = 1, .max = INT64_MAX},
    {"union_founded_on", JV_DATE, JV_NULLABLE, "建会日期"},
    {"bank_name", JV_STRING, JV_NULLABLE, "开户银行", .max = 60},
    {"account_name", JV_STRING, JV_NULLABLE, "账户名称", .max = 100},
    {"account_number", JV_STRING, JV_NULLABLE, "银行账号", .max = 40},
    {"contact_name", JV_STRING, JV_NULLABLE, "联系人", .max = 50},
    {"contact_phone", JV_STRING, JV_NULLABLE, "联系电话", .max = 30},
    {0},
};

typedef struct ent_rec {
    char uscc[19];
    char account[VALID_ACCOUNT_MAX + 1];
    char account_mask[48];
} ent_rec;

/* Checks beyond types: credit code, industry letter, bank account digits,
 * union and founding date together, orgs in scope. */
static int ent_check(gh_ctx *x, const json_t *b, int partial, ent_rec *r, gh_err *e)
{
    memset(r, 0, sizeof *r);
    int rc = partial ? jv_check_partial(b, ent_fields, e) : jv_check(b, ent_fields, e);
    if (rc) return rc;
    if (jv_str(b, "uscc") && (rc = valid_uscc(jv_str(b, "uscc"), r->uscc, e))) return rc;
    if (jv_str(b, "region_code") && (rc = valid_region_code(jv_str(b, "region_code"), e))) return rc;
    const char *ind = jv_str(b, "industry");
    if (ind && !*ind) return err_set(e, ERR_INVALID, "invalid_industry", "industry", "行业门类不能为空字符串（不填请用 null）");
    if (ind && (ind[1] || ind[0] < 'A' || ind[0] > 'T'))
        return err_set(e, ERR_INVALID, "invalid_industry", "industry", "行业门类应为 A 到 T 的一个大写字母（国民经济行业分类）");
    const char *acct = jv_str(b, "account_number");
    if (acct && *acct) {
        if ((rc = valid_bank_account(acct, "account_number", r->account, e))) return rc;
        mask_account(r->account, r->account_mask, sizeof r->account_mask);
    }
    const char *name = jv_str(b, "name");
    if (name) {
        while (*name == ' ') name++;
        if (!*name) return err_set(e, ERR_INVALID, "missing_field", "name", "“企业名称”不能为空");
    }
    char path[GH_PATH_MAX];
    if (jv_has(b, "org_id") && (rc = org_scope_path(x, jv_int(b, "org_id", 0), path, e)))
        return err_set(e, rc, "org_not_found", "org_id", "负责的工会不存在或不在管辖范围内");
    if (jv_has(b, "union_org_id")) {
        rc = org_scope_path(x, jv_int(b, "union_org_id", 0), path, e);
        if (rc) return err_set(e, rc, "org_not_found", "union_org_id", "企业工会不存在或不在管辖范围内");
        int64_t ok = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM orgs WHERE id = $1 AND level = 'grassroots'",
                           SV_ARGS(SV_I(jv_int(b, "union_org_id", 0))), &ok, e);
        if (rc) return rc;
        if (!ok) return err_set(e, ERR_INVALID, "org_not_grassroots", "union_org_id", "企业工会应为基层工会");
        if (!jv_has(b, "union_founded_on"))
            return err_set(e, ERR_INVALID, "missing_field", "union_founded_on", "已建会的企业须填写建会日期");
    }
    return 0;
}

static const list_col enterprise_cols[] = {
    {"id", "en.id", COL_INT, "编号"},
    {"uscc", "en.uscc", COL_STR, "统一社会信用代码"},
    {"name", "en.name", COL_STR, "企业名称"},
    {"region_code", "en.region_code", COL_STR, "行政区划代码"},
    {"industry", "en.industry", COL_STR, "行业"},
    {"headcount", "en.headcount", COL_INT_NULL, "职工人数"},
    {"annual_revenue_fen", "en.annual_revenue_fen", COL_FEN_NULL, "年营业收入（元）"},
    {"small_scale", "en.small_scale", COL_BOOL, "小微企业"},
    {"org_id", "en.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "属地工会"},
    {"has_union", NULL, COL_BOOL, "已建会"},
    {"union_org_id", "en.union_org_id", COL_INT_NULL},
    {"union_org_name", "u.name", COL_STR, "企业工会"},
    {"union_founded_on", "en.union_founded_on", COL_STR, "建会日期"},
    {"bank_name", "en.bank_name", COL_STR, "开户银行"},
    {"account_name", "en.account_name", COL_STR, "账户名称"},
    {"account_masked", "en.account_mask", COL_STR, "银行账号"},
    {"contact_name", "en.contact_name", COL_STR, "联系人"},
    {"contact_phone", "en.contact_phone", COL_STR, "联系电话"},
    {"created_at", "en.created_at", COL_STR},
    {"updated_at", "en.updated_at", COL_STR},
    {0},
};
#define ENT_FROM "enterprises en JOIN orgs o ON o.id = en.org_id LEFT JOIN orgs u ON u.id = en.union_org_id"

static void ent_post(json_t *o, void *arg)
{
    (void)arg;
    json_object_set_new(o, "has_union", json_boolean(!json_is_null(json_object_get(o, "union_org_id"))));
}

static const list_filter ent_filters[] = {
    {FILTER_FLAG, offsetof(enterprise_query, small_scale), "en.small_scale = ?", "small_scale", "小微企业"},
    {0},
};

static const list_spec enterprise_spec = {enterprise_cols, ent_filters, ent_post, "企业名录"};

/* Enterprise and fee data is for officers with the finance duty, auditors
 * and admins (in scope). */
int enterprise_fin_reader(const gh_actor *a)
{
    return actor_has_duty(a, DUTY_FINANCE) || a->role == ROLE_AUDITOR;
}

/* An enterprise the actor may see: finance staff in scope, an enterprise
 * account its own. */
int enterprise_scoped(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    char p[GH_PATH_MAX];
    json_t *o = NULL;
    int rc = list_one(x->db, &enterprise_spec, NULL, "o.path", ENT_FROM " WHERE en.id = $1", SV_ARGS(SV_I(id)), &o, p, e);
    if (rc == 0 && !(a->role == ROLE_ENTERPRISE ? a->enterprise_id == id : enterprise_fin_reader(a) && actor_in_scope(a, p)))
        rc = ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND) rc = err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "id", "企业不存在");
    if (rc == 0 && path) snprintf(path, GH_PATH_MAX, "%s", p);
    if (rc == 0 && out) *out = o;
    else json_decref(o);
    return rc;
}

int enterprise_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return enterprise_scoped(x, id, out, NULL, e); }

static int ent_insert(gh_ctx *x, const json_t *b, const ent_rec *r, int64_t *id, gh_err *e)
{
    char *sealed = NULL, ts[32];
    if (r->account[0]) {
        int rc = crypto_seal(x->cfg->data_key, r->account, &sealed, e);
        if (rc) return rc;
    }
    ts_now(ts);
    store_res q;
    int rc = store_query(x->db, &q,
        "INSERT INTO enterprises (uscc, name, region_code, industry, headcount, annual_revenue_fen, small_scale, org_id,"
        " union_org_id, union_founded_on, bank_name, account_name, account_sealed, account_mask, contact_name,"
        " contact_phone, created_at, updated_at)"
        " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) RETURNING id",
        SV_ARGS(SV_T(r->uscc), SV_T(jv_str(b, "name")), SV_T(jv_str(b, "region_code")), SV_T(jv_str(b, "industry")),
                jv_has(b, "headcount") ? SV_I(jv_int(b, "headcount", 0)) : SV_NULLV,
                jv_has(b, "annual_revenue_fen") ? SV_I(jv_int(b, "annual_revenue_fen", 0)) : SV_NULLV,
                SV_I(jv_bool(b, "small_scale", 0)), SV_I(jv_int(b, "org_id", 0)), SV_IZ(jv_int(b, "union_org_id", 0)),
                SV_T(jv_str(b, "union_founded_on")), SV_T(jv_str(b, "bank_name")), SV_T(jv_str(b, "account_name")),
                SV_T(sealed), SV_T(r->account[0] ? r->account_mask : NULL), SV_T(jv_str(b, "contact_name")),
                SV_T(jv_str(b, "contact_phone")), SV_T(ts)),
        e);
    free(sealed);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "duplicate_enterprise", "uscc", "统一社会信用代码 %s 的企业已登记", r->uscc);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) *id = store_int(&q, 0);
    store_done(&q);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "duplicate_enterprise", "uscc", "统一社会信用代码 %s 的企业已登记", r->uscc);
    return rc < 0 ? rc : 0;
}

typedef struct ent_ctx {
    gh_ctx *x;
    const json_t *b;
    ent_rec r;
    int64_t id;
} ent_ctx;

static int ent_create_tx(store_conn *db, void *p, gh_err *e)
{
    (void)db;
    ent_ctx *c = p;
    int rc = ent_insert(c->x, c->b, &c->r, &c->id, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s}", "uscc", c->r.uscc, "name", jv_str(c->b, "name"));
    rc = audit_record(c->x, "enterprise.create", "enterprise", c->id, jv_int(c->b, "org_id", 0), "ok", d, e);
    json_decref(d);
    return rc;
}

int enterprise_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    ent_ctx c = {x, body, {{0}}, 0};
    int rc = ent_check(x, body, 0, &c.r, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, ent_create_tx, &c, e);
    if (rc) return rc;
    return enterprise_get(x, c.id, out, e);
}

static int ent_update_tx(store_conn *db, void *p, gh_err *e)
{
    ent_ctx *c = p;
    const json_t *b = c->b;
    char *sealed = NULL, ts[32];
    int set_acct = json_object_get(b, "account_number") != NULL;
    if (set_acct && c->r.account[0]) {
        int rc = crypto_seal(c->x->cfg->data_key, c->r.account, &sealed, e);
        if (rc) return rc;
    }
    ts_now(ts);
#define SETF(col, n) " " col " = CASE WHEN $" #n " = 1 THEN $" #n "1 ELSE " col " END,"
    int rc = store_exec(db,
        "UPDATE enterprises SET name = COALESCE($2, name), region_code = COALESCE($3, region_code),"
        " industry = CASE WHEN $4 = 1 THEN $5 ELSE industry END,"
        " headcount = CASE WHEN $6 = 1 THEN $7 ELSE headcount END,"
        " annual_revenue_fen = CASE WHEN $8 = 1 THEN $9 ELSE annual_revenue_fen END,"
        " small_scale = CASE WHEN $10 >= 0 THEN $10 ELSE small_scale END,"
        " union_org_id = CASE WHEN $11 = 1 THEN $12 ELSE union_org_id END,"
        " union_founded_on = CASE WHEN $13 = 1 THEN $14 ELSE union_founded_on END,"
        " bank_name = CASE WHEN $15 = 1 THEN $16 ELSE bank_name END,"
        " account_name = CASE WHEN $17 = 1 THEN $18 ELSE account_name END,"
        " account_sealed = CASE WHEN $19 = 1 THEN $20 ELSE account_sealed END,"
        " account_mask = CASE WHEN $19 = 1 THEN $21 ELSE account_mask END,"
        " contact_name = CASE WHEN $22 = 1 THEN $23 ELSE contact_name END,"
        " contact_phone = CASE WHEN $24 = 1 THEN $25 ELSE contact_phone END,"
        " updated_at = $26 WHERE id = $1",
        SV_ARGS(SV_I(c->id), SV_T(jv_str(b, "name")), SV_T(jv_str(b, "region_code")),
                SV_I(json_object_get(b, "industry") != NULL), SV_T(jv_str(b, "industry")),
                SV_I(json_object_get(b, "headcount") != NULL),
                jv_has(b, "headcount") ? SV_I(jv_int(b, "headcount", 0)) : SV_NULLV,
                SV_I(json_object_get(b, "annual_revenue_fen") != NULL),
                jv_has(b, "annual_revenue_fen") ? SV_I(jv_int(b, "annual_revenue_fen", 0)) : SV_NULLV,
                SV_I(jv_has(b, "small_scale") ? jv_bool(b, "small_scale", 0) : -1),
                SV_I(json_object_get(b, "union_org_id") != NULL), SV_IZ(jv_int(b, "union_org_id", 0)),
                SV_I(json_object_get(b, "union_founded_on") != NULL), SV_T(jv_str(b, "union_founded_on")),
                SV_I(json_object_get(b, "bank_name") != NULL), SV_T(jv_str(b, "bank_name")),
                SV_I(json_object_get(b, "account_name") != NULL), SV_T(jv_str(b, "account_name")),
                SV_I(set_acct), SV_T(sealed), SV_T(c->r.account[0] ? c->r.account_mask : NULL),
                SV_I(json_object_get(b, "contact_name") != NULL), SV_T(jv_str(b, "contact_name")),
                SV_I(json_object_get(b, "contact_phone") != NULL), SV_T(jv_str(b, "contact_phone")), SV_T(ts)),
        NULL, e);
#undef SETF
    free(sealed);
    if (rc) return rc;
    int64_t org = 0;
    store_get_int(db, "SELECT org_id FROM enterprises WHERE id = $1", SV_ARGS(SV_I(c->id)), &org, NULL);
    json_t *d = json_deep_copy(b);
    if (json_object_get(d, "account_number")) json_object_set_new(d, "account_number", json_string(c->r.account_mask));
    rc = audit_record(c->x, "enterprise.update", "enterprise", c->id, org, "ok", d, e);
    json_decref(d);
    return rc;
}

int enterprise_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    if (json_object_get(body, "uscc") || json_object_get(body, "org_id"))
        return err_set(e, ERR_INVALID, "immutable_field", json_object_get(body, "uscc") ? "uscc" : "org_id",
                       "统一社会信用代码和负责的工会不能在此修改");
    ent_ctx c = {x, body, {{0}}, id};
    int rc = enterprise_scoped(x, id, NULL, NULL, e);
    if (rc == 0) rc = ent_check(x, body, 1, &c.r, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, ent_update_tx, &c, e);
    if (rc) return rc;
    return enterprise_get(x, id, out, e);
}

int enterprise_list(gh_ctx *x, const enterprise_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!enterprise_fin_reader(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看企业的权限（需财务职责）");
    scope_range sr;
    int src = scope_range_of(x, q->org_id, &sr, e);
    if (src) return src;
    const char *lo = sr.lo, *hi = sr.hi;
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, ENT_FROM " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    /* No enterprise name is longer (the name field), and name_hi is sized
     * for that many 4-byte characters: a longer text would be cut inside a
     * character, which PostgreSQL refuses as text. */
    if (q->q && utf8_chars(q->q) > ENT_NAME_MAX) {
        sqlw_free(&w);
        return err_set(e, ERR_INVALID, "invalid_query", "q", "搜索内容不能超过 %d 个字", ENT_NAME_MAX);
    }
    char uscc[19], name_hi[4 * ENT_NAME_MAX + 5];
    if (q->q && *q->q) {
        if (valid_uscc(q->q, uscc, NULL) == 0) {
            SQLW_AND(&w, "en.uscc = ?", SV_T(uscc));
        } else {
            snprintf(name_hi, sizeof name_hi, "%s\xf4\x8f\xbf\xbf", q->q);
            SQLW_AND(&w, "en.name >= ? AND en.name < ?", SV_T(q->q), SV_T(name_hi));
        }
    }
    if (q->has_union == 1) sqlw_and(&w, "en.union_org_id IS NOT NULL", NULL, 0);
    if (q->has_union == 0) sqlw_and(&w, "en.union_org_id IS NULL", NULL, 0);
    return list_query(x, &enterprise_spec, q, &w, "en.id", &pg, NULL, out, e);
}

int enterprise_reveal_account(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "查看完整账号须填写事由");
    json_t *en = NULL;
    int rc = enterprise_scoped(x, id, &en, NULL, e);
    if (rc) return rc;
    int64_t org = json_integer_value(json_object_get(en, "org_id"));
    json_decref(en);
    char *sealed = NULL, *plain = NULL;
    store_res r;
    rc = store_query(x->db, &r, "SELECT account_sealed FROM enterprises WHERE id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    if (store_next(&r, e) > 0 && store_text(&r, 0)) sealed = strdup(store_text(&r, 0));
    store_done(&r);
    if (!sealed) return err_set(e, ERR_NOT_FOUND, "no_account", "account_number", "该企业没有登记银行账号");
    rc = crypto_open(x->cfg->data_key, sealed, &plain, e);
    free(sealed);
    if (rc) return rc;
    json_t *d = json_pack("{s:s, s:s}", "field", "account_number", "reason", reason);
    rc = audit_record(x, "enterprise.reveal", "enterprise", id, org, "ok", d, e);
    json_decref(d);
    if (rc == 0) *out = json_pack("{s:s, s:s}", "field", "account_number", "value", plain);
    free(plain);
    return rc;
}

/* ---- enterprise import ---- */

static const char *const ent_cols[] = {
    "统一社会信用代码|信用代码|uscc", "企业名称|单位名称|name", "行政区划代码|区划代码|region_code", "行业|行业门类|industry",
    "从业人数|职工人数|headcount", "营业收入|年营业收入|annual_revenue", "小规模纳税人|small_scale",
    "工会组织编号|工会编号|union_org_id", "建会日期|union_founded_on", "开户银行|bank_name", "户名|账户名称|account_name",
    "银行账号|账号|account_number", "联系人|contact_name", "联系电话|contact_phone", "负责工会编号|org_id",
};
enum { E_USCC, E_NAME, E_REGION, E_IND, E_HEAD, E_REV, E_SMALL, E_UNION, E_FOUNDED, E_BANK, E_ACCTNAME, E_ACCT,
       E_CONTACT, E_PHONE, E_ORG, E_N };
static const char *const ent_field_names[E_N] = {"uscc", "name", "region_code", "industry", "headcount",
                                                 "annual_revenue_fen", "small_scale", "union_org_id",
                                                 "union_founded_on", "bank_name", "account_name", "account_number",
                                                 "contact_name", "contact_phone", "org_id"};

typedef struct ent_import_ctx {
    int64_t org_id;
    u64set seen;
} ent_import_ctx;

typedef struct ent_check_arg {
    gh_ctx *x;
    ent_rec *r;
} ent_check_arg;

static int ent_row_check(const json_t *b, void *arg, gh_err *e)
{
    ent_check_arg *a = arg;
    return ent_check(a->x, b, 0, a->r, e);
}

static int ent_import_row(importer *im, void *p, gh_err *e)
{
    ent_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *b = json_object();
    const char *bad = NULL, *why = NULL;
    for (int k = 0; k < E_N; k++) {
        const char *v = import_field(im, k);
        if (!*v) continue;
        switch (k) {
        case E_HEAD:
        case E_UNION:
        case E_ORG: {
            char *end;
            long long n = strtoll(v, &end, 10);
            if (*end || n < 0) bad = ent_field_names[k], why = "应为非负整数";
            else json_object_set_new(b, ent_field_names[k], json_integer(n));
            break;
        }
        case E_REV: {
            int64_t fen;
            if (money_parse(v, &fen, NULL) || fen < 0) bad = "annual_revenue_fen", why = "营业收入应为金额（元）";
            else json_object_set_new(b, "annual_revenue_fen", json_integer(fen));
            break;
        }
        case E_SMALL: {
            int yn;
            if (csv_cell_yes(v, &yn)) bad = "small_scale", why = "应填“是”或“否”";
            else json_object_set_new(b, "small_scale", json_boolean(yn));
            break;
        }
        case E_FOUNDED: {
            char d[11];
            if (csv_cell_date(v, d)) bad = "union_founded_on", why = "日期格式应为 2023-05-08";
            else json_object_set_new(b, "union_founded_on", json_string(d));
            break;
        }
        default:
            json_object_set_new(b, ent_field_names[k], json_string(v));
            if (!json_object_get(b, ent_field_names[k])) bad = ent_field_names[k], why = "包含无效字符";
        }
        /* each unreadable cell is reported; the row is checked without it */
        if (bad) import_error(im, bad, why), bad = NULL;
    }
    if (!json_object_get(b, "org_id")) json_object_set_new(b, "org_id", json_integer(c->org_id));
    ent_rec r;
    gh_err re;
    err_clear(&re);
    /* every bad field of the row (cells reported above, then the checks) */
    ent_check_arg ca = {x, &r};
    int bad_row = import_check_each(im, b, ent_row_check, &ca, NULL, e);
    if (bad_row) {
        json_decref(b);
        return bad_row < 0 ? bad_row : 0;
    }
    if (ent_check(x, b, 0, &r, &re)) {
        import_error(im, re.field, re.message);
        json_decref(b);
        return 0;
    }
    int dup = u64set_add(&c->seen, u64set_hash(r.uscc));
    if (dup < 0) {
        json_decref(b);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    int64_t exists = 0;
    int rc = dup ? 0 : store_get_int(x->db, "SELECT COUNT(*) FROM enterprises WHERE uscc = $1", SV_ARGS(SV_T(r.uscc)), &exists, e);
    if (rc) {
        json_decref(b);
        return rc;
    }
    if (dup || exists) {
        import_error(im, "uscc", dup ? "与文件中前面的行信用代码重复" : "该企业已登记");
    } else if (import_writing(im)) {
        int64_t id;
        rc = ent_insert(x, b, &r, &id, &re);
        if (rc == ERR_CONFLICT) {
            import_error(im, re.field, re.message);
            rc = 0;
        } else if (rc) {
            *e = re;
        } else {
            import_count(im);
        }
    }
    json_decref(b);
    return rc;
}

static int ent_import_finish(importer *im, void *p, gh_err *e)
{
    ent_import_ctx *c = p;
    json_t *d = json_pack("{s:I}", "imported", (json_int_t)import_written(im));
    int rc = audit_record(import_ctx(im), "enterprise.import", "org", c->org_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int enterprise_org_allowed(gh_ctx *x, int64_t org_id, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    char p[GH_PATH_MAX];
    int rc = org_scope_path(x, org_id, p, e);
    if (rc && e) snprintf(e->field, sizeof e->field, "org_id");
    return rc;
}

int enterprise_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, int dry_run,
                      import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    int rc = enterprise_org_allowed(x, org_id, e);
    if (rc) return rc;
    static const int required[] = {E_USCC, E_NAME, E_REGION};
    const import_spec spec = {ent_cols, ent_field_names, E_N, required, 3, ent_import_row, ent_import_finish};
    ent_import_ctx c = {org_id, {0}};
    rc = import_run(x, &spec, data, len, path, dry_run, &c, progress, pctx, out, e);
    u64set_free(&c.seen);
    return rc;
}

int enterprise_me(gh_ctx *x, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_ENTERPRISE)
        return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", NULL, "当前账号不是企业账号");
    return enterprise_get(x, x->actor->enterprise_id, out, e);
}
