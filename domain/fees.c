/* fees.c — union fees, their split, and refunds to small and micro
 * enterprises; rules in fees.h. */
#include "domain/fees.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/u64set.h"
#include "base/valid.h"
#include "base/xlsx.h"
#include "domain/audit.h"
#include "domain/importer.h"
#include "domain/ledger.h"
#include "domain/list.h"
#include "domain/lock.h"
#include "domain/org.h"
#include "domain/policy.h"

static const char *const levels[] = {"national", "province", "city", "county", "grassroots", NULL};
/* Order of shares in a split: grassroots first, as the policy lists them. */
static const char *const share_levels[] = {"grassroots", "county", "city", "province", "national", NULL};

/* ---- policies ---- */

int fee_split_validate(const json_t *p, gh_err *e)
{
    int64_t sum = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)p, key, v) {
        if (strcmp(key, "remainder_to") == 0) continue;
        if (jv_choice_index(share_levels, key) < 0)
            return err_set(e, ERR_INVALID, "unknown_field", key, "分成比例中没有“%s”这一级", key);
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
            return err_set(e, ERR_INVALID, "invalid_share", key, "分成比例应为 0 到 1000 之间的整数（千分比）");
        sum += json_integer_value(v);
    }
    if (sum != 1000)
        return err_set(e, ERR_INVALID, "shares_not_whole", NULL, "各级分成比例之和应为 1000‰，现为 %lld‰", (long long)sum);
    const char *rem = jv_str(p, "remainder_to");
    if (!rem || jv_choice_index(share_levels, rem) < 0)
        return err_set(e, ERR_INVALID, "missing_field", "remainder_to", "须指定尾差（不足一分的余数）归哪一级");
    return 0;
}

int refund_policy_validate(const json_t *p, gh_err *e)
{
    static const char *const shares[] = {"all", "upper", NULL};
    static const char *const modes[] = {"automatic", "application", NULL};
    static const jv_field fields[] = {
        {"from", JV_DATE, JV_REQUIRED, "政策起始日期"},
        {"to", JV_DATE, JV_REQUIRED, "政策截止日期"},
        {"share", JV_ENUM, JV_REQUIRED, "返还部分", .choices = shares},
        {"mode", JV_ENUM, JV_REQUIRED, "返还方式", .choices = modes},
        {"prep_fee_on_founding", JV_BOOL, 0, "建会后返还筹备金"},
        {"qualify", JV_OBJECT, JV_REQUIRED, "小微企业认定条件"},
        {0},
    };
    int rc = jv_check(p, fields, e);
    if (rc) return rc;
    if (strcmp(jv_str(p, "from"), jv_str(p, "to")) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "to", "截止日期不能早于起始日期");
    static const jv_field qfields[] = {
        {"small_scale", JV_BOOL, 0, "小规模纳税人即认定"},
        {"thresholds", JV_ARRAY, 0, "行业标准", .max = 50},
        {0},
    };
    const json_t *q = json_object_get(p, "qualify");
    rc = jv_check(q, qfields, e);
    if (rc) return rc;
    size_t i;
    json_t *t;
    static const jv_field tfields[] = {
        {"industry", JV_STRING, JV_REQUIRED, "行业门类", .max = 2},
        {"max_headcount", JV_INT, JV_REQUIRED, "从业人数上限", .min = 1, .max = 1000000},
        {"max_revenue_fen", JV_MONEY, JV_REQUIRED, "营业收入上限"},
        {0},
    };
    json_array_foreach(json_object_get(q, "thresholds"), i, t) {
        rc = jv_check(t, tfields, e);
        if (rc) return rc;
    }
    if (!jv_bool(q, "small_scale", 0) && json_array_size(json_object_get(q, "thresholds")) == 0)
        return err_set(e, ERR_INVALID, "missing_field", "qualify", "至少要有一项小微企业认定条件");
    return 0;
}

int64_t fee_expected(int64_t payroll_fen)
{
    int64_t v = 0;
    money_ratio(payroll_fen, 2, 100, &v); /* half away from zero; payroll is never negative */
    return v;
}

int refund_period_parse(const char *period, char from[8], char to[8], gh_err *e)
{
    int y;
    char half;
    char tail;
    if (!period || sscanf(period, "%4d%c%c", &y, &half, &tail) < 2 || strlen(period) != 6 || y < 2000 ||
        y > 2100 || (half != 'H' && half != 'h') || (period[5] != '1' && period[5] != '2'))
        return err_set(e, ERR_INVALID, "invalid_period", "period", "期间格式应为 2022H1 或 2022H2");
    int h2 = period[5] == '2';
    (void)tail;
    snprintf(from, 8, "%04d-%02d", y, h2 ? 7 : 1);
    snprintf(to, 8, "%04d-%02d", y, h2 ? 12 : 6);
    return 0;
}

/* The ids of an org's ancestors (and itself) by level: [national, province,
 * city, county, grassroots]; 0 where the path has no org of that level. */
typedef struct ancestry {
    int64_t org_id;
    int64_t by_level[5];
} ancestry;

static int load_ancestry(store_conn *db, int64_t org_id, ancestry *a, gh_err *e)
{
    memset(a, 0, sizeof *a);
    a->org_id = org_id;
    char path[GH_PATH_MAX];
    int rc = org_path(db, org_id, path, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r,
        "SELECT id, level, kind FROM orgs WHERE substr($1, 1, length(path)) = path ORDER BY depth",
        SV_ARGS(SV_T(path)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        int lv = jv_choice_index(levels, store_text(&r, 1));
        /* the regional union of a level takes its share, not an industry
         * federation sitting beside it */
        if (lv >= 0 && (strcmp(store_text(&r, 2), "industry") != 0 || !a->by_level[lv])) {
            if (!a->by_level[lv] || strcmp(store_text(&r, 2), "regional") == 0) a->by_level[lv] = store_int(&r, 0);
        }
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

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
    char account[41];
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
        size_t n = 0;
        for (const char *p = acct; *p; p++) {
            if (*p == ' ' || *p == '-') continue;
            if (!isdigit((unsigned char)*p) || n >= sizeof r->account - 1)
                return err_set(e, ERR_INVALID, "invalid_account", "account_number", "银行账号应为 8 到 30 位数字");
            r->account[n++] = *p;
        }
        r->account[n] = '\0';
        if (n < 8 || n > 30)
            return err_set(e, ERR_INVALID, "invalid_account", "account_number", "银行账号应为 8 到 30 位数字");
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

#define ENT_COLS \
    "en.id, en.uscc, en.name, en.region_code, en.industry, en.headcount, en.annual_revenue_fen, en.small_scale," \
    " en.org_id, o.name, en.union_org_id, u.name, en.union_founded_on, en.bank_name, en.account_name, en.account_mask," \
    " en.contact_name, en.contact_phone, en.created_at, en.updated_at"
#define ENT_FROM "enterprises en JOIN orgs o ON o.id = en.org_id LEFT JOIN orgs u ON u.id = en.union_org_id"

static json_t *ent_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "uscc", list_col_str(r, 1));
    json_object_set_new(o, "name", list_col_str(r, 2));
    json_object_set_new(o, "region_code", list_col_str(r, 3));
    json_object_set_new(o, "industry", list_col_str(r, 4));
    json_object_set_new(o, "headcount", list_col_int(r, 5));
    json_object_set_new(o, "annual_revenue_fen", list_col_int(r, 6));
    json_object_set_new(o, "small_scale", list_col_bool(r, 7));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 8)));
    json_object_set_new(o, "org_name", list_col_str(r, 9));
    json_object_set_new(o, "has_union", json_boolean(!store_isnull(r, 10)));
    json_object_set_new(o, "union_org_id", list_col_int(r, 10));
    json_object_set_new(o, "union_org_name", list_col_str(r, 11));
    json_object_set_new(o, "union_founded_on", list_col_str(r, 12));
    json_object_set_new(o, "bank_name", list_col_str(r, 13));
    json_object_set_new(o, "account_name", list_col_str(r, 14));
    json_object_set_new(o, "account_masked", list_col_str(r, 15));
    json_object_set_new(o, "contact_name", list_col_str(r, 16));
    json_object_set_new(o, "contact_phone", list_col_str(r, 17));
    json_object_set_new(o, "created_at", list_col_str(r, 18));
    json_object_set_new(o, "updated_at", list_col_str(r, 19));
    return o;
}

/* Enterprise and fee data is for officers with the finance duty, auditors
 * and admins (in scope). */
static int fin_reader(const gh_actor *a)
{
    return actor_has_duty(a, DUTY_FINANCE) || a->role == ROLE_AUDITOR;
}

/* An enterprise the actor may see: finance staff in scope, an enterprise
 * account its own. */
static int ent_scoped(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    store_res r;
    int rc = store_query(x->db, &r, "SELECT " ENT_COLS ", o.path FROM " ENT_FROM " WHERE en.id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        int ok = a->role == ROLE_ENTERPRISE ? a->enterprise_id == id
                                            : fin_reader(a) && actor_in_scope(a, store_text(&r, 20));
        if (ok) {
            if (out) *out = ent_row(&r, NULL);
            if (path) snprintf(path, GH_PATH_MAX, "%s", store_text(&r, 20));
            rc = 0;
        } else {
            rc = ERR_NOT_FOUND;
        }
    } else if (rc == 0) {
        rc = ERR_NOT_FOUND;
    }
    store_done(&r);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "id", "企业不存在");
    return rc;
}

int enterprise_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return ent_scoped(x, id, out, NULL, e); }

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
    int rc = ent_scoped(x, id, NULL, NULL, e);
    if (rc == 0) rc = ent_check(x, body, 1, &c.r, e);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, ent_update_tx, &c, e);
    if (rc) return rc;
    return enterprise_get(x, id, out, e);
}

int enterprise_list(gh_ctx *x, const enterprise_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!fin_reader(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看企业的权限（需财务职责）");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    snprintf(lo, sizeof lo, "%s", a->scope);
    if (q->org_id) {
        int rc = org_scope_path(x, q->org_id, lo, e);
        if (rc) return rc;
    }
    store_prefix_bound(lo, hi, sizeof hi);
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
    if (q->small_scale >= 0) SQLW_AND(&w, "en.small_scale = ?", SV_I(q->small_scale));
    int rc = w.failed ? err_set(e, ERR_INTERNAL, NULL, NULL, NULL)
                      : list_run(x->db, ENT_COLS, buf_str(&w.sql), "en.id", w.args, w.n, &pg, ent_row, NULL, out, e);
    sqlw_free(&w);
    return rc;
}

int enterprise_reveal_account(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "查看完整账号须填写事由");
    json_t *en = NULL;
    int rc = ent_scoped(x, id, &en, NULL, e);
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

/* ---- CSV helpers shared by the imports ---- */

/* Excel writes dates as 2023/5/8, 2023-05-08 or 20230508. */
static int csv_date(const char *s, char out[11])
{
    int y, m, d;
    char tail;
    if (strlen(s) == 8 && sscanf(s, "%4d%2d%2d%c", &y, &m, &d, &tail) == 3) {
    } else if (sscanf(s, "%d%*[-/.]%d%*[-/.]%d%c", &y, &m, &d, &tail) != 3) {
        return -1;
    }
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    int32_t days;
    return date_parse(out, &days, NULL) ? -1 : 0;
}

/* "2022-07", "2022/7", "202207" → "2022-07". */
static int csv_month(const char *s, char out[8])
{
    int y, m;
    char tail;
    if (strlen(s) == 6 && sscanf(s, "%4d%2d%c", &y, &m, &tail) == 2) {
    } else if (sscanf(s, "%d%*[-/.]%d%c", &y, &m, &tail) != 2) {
        return -1;
    }
    if (y < 2000 || y > 2100 || m < 1 || m > 12) return -1;
    snprintf(out, 8, "%04d-%02d", y, m);
    return 0;
}

static int csv_yes(const char *s, int *out)
{
    if (!strcmp(s, "是") || !strcmp(s, "Y") || !strcmp(s, "y") || !strcmp(s, "1") || !strcmp(s, "true")) return *out = 1, 0;
    if (!*s || !strcmp(s, "否") || !strcmp(s, "N") || !strcmp(s, "n") || !strcmp(s, "0") || !strcmp(s, "false")) return *out = 0, 0;
    return -1;
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

static int ent_import_row(importer *im, void *p, gh_err *e)
{
    ent_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    json_t *b = json_object();
    const char *bad = NULL, *why = NULL;
    for (int k = 0; k < E_N && !bad; k++) {
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
            if (csv_yes(v, &yn)) bad = "small_scale", why = "应填“是”或“否”";
            else json_object_set_new(b, "small_scale", json_boolean(yn));
            break;
        }
        case E_FOUNDED: {
            char d[11];
            if (csv_date(v, d)) bad = "union_founded_on", why = "日期格式应为 2023-05-08";
            else json_object_set_new(b, "union_founded_on", json_string(d));
            break;
        }
        default:
            json_object_set_new(b, ent_field_names[k], json_string(v));
            if (!json_object_get(b, ent_field_names[k])) bad = ent_field_names[k], why = "包含无效字符";
        }
    }
    if (!json_object_get(b, "org_id")) json_object_set_new(b, "org_id", json_integer(c->org_id));
    if (bad) {
        import_error(im, bad, why);
        json_decref(b);
        return 0;
    }
    ent_rec r;
    gh_err re;
    err_clear(&re);
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

int fees_org_allowed(gh_ctx *x, int64_t org_id, gh_err *e)
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
    int rc = fees_org_allowed(x, org_id, e);
    if (rc) return rc;
    static const int required[] = {E_USCC, E_NAME, E_REGION};
    const import_spec spec = {ent_cols, ent_field_names, E_N, required, 3, ent_import_row, ent_import_finish};
    ent_import_ctx c = {org_id, {0}};
    rc = import_run(x, &spec, data, len, path, dry_run, &c, progress, pctx, out, e);
    u64set_free(&c.seen);
    return rc;
}

/* ---- payments ---- */

static const char *const pay_cols[] = {
    "统一社会信用代码|信用代码|uscc", "所属期|费款所属期|月份|month", "工资总额|计费工资总额|payroll",
    "缴纳金额|实缴金额|金额|amount", "缴款日期|入库日期|paid_on", "类型|费种|kind",
};
enum { P_USCC, P_MONTH, P_PAYROLL, P_AMOUNT, P_PAID, P_KIND, P_N };
static const char *const pay_fields[P_N] = {"uscc", "month", "payroll_fen", "amount_fen", "paid_on", "kind"};

/* Money received per (paying province, receiving org, account, payment
 * date) in one import: the ledger books receipts on the day they came. */
typedef struct share_sum {
    int64_t collector, receiver;
    int prep; /* 0 fee_income, 1 prep_fee_income */
    char date[11];
    int64_t amount;
} share_sum;

typedef struct split_cache {
    int64_t org_id;
    char month[8];
    int64_t permille[5]; /* share_levels order */
    int remainder;       /* index into share_levels */
} split_cache;

typedef struct fee_import_ctx {
    int64_t org_id, import_id;
    char root[GH_PATH_MAX], hi[GH_PATH_MAX];
    u64set seen;
    ancestry anc[256];
    int nanc;
    split_cache splits[256];
    int nsplits;
    share_sum *sums;
    int nsums, capsums;
    int64_t imported_fen, flagged, skipped;
    json_t *flags;
    const char *file_name;
    char sha[65];
} fee_import_ctx;

static int ancestry_for(fee_import_ctx *c, store_conn *db, int64_t org_id, ancestry **out, gh_err *e)
{
    for (int i = 0; i < c->nanc; i++)
        if (c->anc[i].org_id == org_id) return *out = &c->anc[i], 0;
    ancestry a;
    int rc = load_ancestry(db, org_id, &a, e);
    if (rc) return rc;
    if (c->nanc < 256) {
        c->anc[c->nanc] = a;
        *out = &c->anc[c->nanc++];
        return 0;
    }
    c->anc[0] = a; /* a province's worth of orgs rarely exceeds the cache */
    *out = &c->anc[0];
    return 0;
}

static int split_for(fee_import_ctx *c, store_conn *db, int64_t org_id, const char *month, split_cache **out, gh_err *e)
{
    for (int i = 0; i < c->nsplits; i++)
        if (c->splits[i].org_id == org_id && strcmp(c->splits[i].month, month) == 0) return *out = &c->splits[i], 0;
    char date[11];
    snprintf(date, sizeof date, "%s-01", month);
    json_t *p = NULL;
    int rc = policy_find(db, "fee_split", org_id, date, &p, NULL, e);
    if (rc) return rc;
    split_cache s = {.org_id = org_id};
    snprintf(s.month, sizeof s.month, "%s", month);
    for (int i = 0; share_levels[i]; i++) s.permille[i] = jv_int(p, share_levels[i], 0);
    s.remainder = jv_choice_index(share_levels, jv_str(p, "remainder_to"));
    json_decref(p);
    int slot = c->nsplits < 256 ? c->nsplits++ : 0;
    c->splits[slot] = s;
    *out = &c->splits[slot];
    return 0;
}

static int add_share(fee_import_ctx *c, int64_t collector, int64_t receiver, int prep, const char *date,
                     int64_t amount)
{
    if (amount == 0) return 0;
    for (int i = 0; i < c->nsums; i++) {
        share_sum *s = &c->sums[i];
        if (s->collector == collector && s->receiver == receiver && s->prep == prep && strcmp(s->date, date) == 0) {
            s->amount += amount;
            return 0;
        }
    }
    if (c->nsums == c->capsums) {
        int ncap = c->capsums ? c->capsums * 2 : 64;
        share_sum *ns = realloc(c->sums, sizeof *ns * (size_t)ncap);
        if (!ns) return -1;
        c->sums = ns;
        c->capsums = ncap;
    }
    share_sum *s = &c->sums[c->nsums++];
    *s = (share_sum){collector, receiver, prep, "", amount};
    snprintf(s->date, sizeof s->date, "%s", date);
    return 0;
}

/* Split one payment among the levels without losing a fen: each share is
 * rounded down and the fen left over go to the policy's stated level.
 * A level the enterprise's path lacks gives its share to that level too;
 * a preparatory fee's grassroots share is held by the responsible union. */
static int split_payment(fee_import_ctx *c, store_conn *db, int64_t ent_org, int64_t union_org, int prep,
                         const char *month, const char *paid_on, int64_t amount, gh_err *e)
{
    ancestry *a;
    split_cache *s;
    int rc = ancestry_for(c, db, ent_org, &a, e);
    if (rc == 0) rc = split_for(c, db, ent_org, month, &s, e);
    if (rc) return rc;
    /* share_levels order: grassroots, county, city, province, national */
    int64_t who[5] = {prep ? ent_org : union_org, a->by_level[3], a->by_level[2], a->by_level[1], a->by_level[0]};
    int64_t collector = a->by_level[1] ? a->by_level[1] : a->by_level[0] ? a->by_level[0] : ent_org;
    int64_t weights[5];
    memcpy(weights, s->permille, sizeof weights);
    int rem = s->remainder;
    if (!who[rem]) rem = 3; /* the stated level is missing: the province takes the fen */
    if (!who[rem]) who[rem] = collector;
    for (int i = 0; i < 5; i++) {
        if (!who[i] && i != rem) {
            weights[rem] += weights[i];
            weights[i] = 0;
        }
    }
    int64_t parts[5];
    if (money_split(amount, weights, 5, (size_t)rem, parts) != 0)
        return err_set(e, ERR_INTERNAL, "split_failed", NULL, "分成计算失败");
    for (int i = 0; i < 5; i++) {
        if (!parts[i]) continue;
        if (add_share(c, collector, who[i], prep && i == 0, paid_on, parts[i]) != 0)
            return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    return 0;
}

static int pay_row(importer *im, void *p, gh_err *e)
{
    fee_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    char uscc[19], month[8], paid[11];
    int64_t payroll = 0, amount = 0;
    gh_err ve;
    if (valid_uscc(import_field(im, P_USCC), uscc, &ve)) return import_error(im, "uscc", ve.message), 0;
    if (csv_month(import_field(im, P_MONTH), month)) return import_error(im, "month", "所属期应为 2022-07 这样的年月"), 0;
    if (money_parse(import_field(im, P_PAYROLL), &payroll, NULL) || payroll < 0)
        return import_error(im, "payroll_fen", "工资总额应为不小于 0 的金额（元，最多两位小数）"), 0;
    if (money_parse(import_field(im, P_AMOUNT), &amount, NULL) || amount <= 0)
        return import_error(im, "amount_fen", "缴纳金额应为大于 0 的金额（元，最多两位小数）"), 0;
    if (csv_date(import_field(im, P_PAID), paid)) return import_error(im, "paid_on", "缴款日期格式应为 2022-08-15"), 0;
    const char *k = import_field(im, P_KIND);
    int prep;
    if (!*k || !strcmp(k, "工会经费") || !strcmp(k, "fee")) prep = 0;
    else if (!strcmp(k, "建会筹备金") || !strcmp(k, "筹备金") || !strcmp(k, "prep_fee")) prep = 1;
    else return import_error(im, "kind", "类型应为“工会经费”或“建会筹备金”"), 0;
    /* the enterprise, in the import's subtree */
    store_res r;
    int64_t ent = 0, ent_org = 0, union_org = 0;
    char path[GH_PATH_MAX] = "";
    int rc = store_query(x->db, &r,
        "SELECT en.id, en.org_id, COALESCE(en.union_org_id, 0), o.path FROM enterprises en JOIN orgs o ON o.id = en.org_id"
        " WHERE en.uscc = $1",
        SV_ARGS(SV_T(uscc)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        ent = store_int(&r, 0);
        ent_org = store_int(&r, 1);
        union_org = store_int(&r, 2);
        snprintf(path, sizeof path, "%s", store_text(&r, 3));
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (!ent || strcmp(path, c->root) < 0 || strcmp(path, c->hi) >= 0)
        return import_error(im, "uscc", "未登记的企业（请先导入企业名录）"), 0;
    if (!prep && !union_org) return import_error(im, "kind", "该企业尚未建会，应缴建会筹备金"), 0;
    char key[64];
    snprintf(key, sizeof key, "%lld|%s|%d", (long long)ent, month, prep);
    int dup = u64set_add(&c->seen, u64set_hash(key));
    if (dup < 0) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (dup) return import_error(im, "month", "与文件中前面的行重复（同一企业同一所属期同一类型）"), 0;
    /* already imported: the same figures are skipped, other figures refused */
    rc = store_query(x->db, &r,
        "SELECT amount_fen, payroll_fen FROM fee_payments WHERE enterprise_id = $1 AND month = $2 AND kind = $3",
        SV_ARGS(SV_I(ent), SV_T(month), SV_T(prep ? "prep_fee" : "fee")), e);
    if (rc) return rc;
    int existing = 0, same = 0;
    if ((rc = store_next(&r, e)) > 0) {
        existing = 1;
        same = store_int(&r, 0) == amount && store_int(&r, 1) == payroll;
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (existing && !same) return import_error(im, "amount_fen", "与已导入的同期记录金额不一致（如需更正请联系管理员冲销）"), 0;
    if (existing) {
        c->skipped++;
        return 0;
    }
    /* The split must be known for the month, dry run or not. */
    split_cache *sc;
    gh_err pe;
    rc = split_for(c, x->db, ent_org, month, &sc, &pe);
    if (rc == ERR_NOT_FOUND) return import_error(im, "month", pe.message), 0;
    if (rc) return *e = pe, rc;
    int64_t expected = fee_expected(payroll);
    char reason[160] = "";
    if (amount != expected) {
        char a[32], b[32];
        money_format(expected, a, sizeof a);
        money_format(amount, b, sizeof b);
        snprintf(reason, sizeof reason, "按工资总额 2%% 应缴 %s 元，实缴 %s 元", a, b);
        c->flagged++;
        if (json_array_size(c->flags) < IMPORT_MAX_REPORTED)
            json_array_append_new(c->flags, json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)import_line(im),
                                                      "uscc", uscc, "month", month, "reason", reason));
    }
    if (!import_writing(im)) return 0;
    char ts[32];
    ts_now(ts);
    rc = store_exec(x->db,
        "INSERT INTO fee_payments (enterprise_id, org_id, month, kind, payroll_fen, amount_fen, paid_on, flagged,"
        " flag_reason, import_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
        SV_ARGS(SV_I(ent), SV_I(ent_org), SV_T(month), SV_T(prep ? "prep_fee" : "fee"), SV_I(payroll), SV_I(amount),
                SV_T(paid), SV_I(reason[0] != 0), SV_T(reason[0] ? reason : NULL), SV_I(c->import_id), SV_T(ts)),
        NULL, e);
    if (rc) return rc;
    rc = split_payment(c, x->db, ent_org, union_org, prep, month, paid, amount, e);
    if (rc) return rc;
    c->imported_fen += amount;
    import_count(im);
    return 0;
}

static int pay_finish(importer *im, void *p, gh_err *e)
{
    fee_import_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    int rc = store_exec(x->db,
        "UPDATE fee_imports SET rows_total = $2, rows_imported = $3, rows_flagged = $4, rows_skipped = $5, amount_fen = $6"
        " WHERE id = $1",
        SV_ARGS(SV_I(c->import_id), SV_I(import_rows(im)), SV_I(import_written(im)), SV_I(c->flagged),
                SV_I(c->skipped), SV_I(c->imported_fen)),
        NULL, e);
    if (rc) return rc;
    if (c->nsums) {
        ledger_leg *legs = calloc((size_t)c->nsums, sizeof *legs);
        char (*keys)[96] = calloc((size_t)c->nsums, sizeof *keys);
        if (!legs || !keys) {
            free(legs);
            free(keys);
            return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        }
        for (int i = 0; i < c->nsums && rc == 0; i++) {
            share_sum *s = &c->sums[i];
            rc = ledger_account(x->db, s->collector, "bank", &legs[i].debit_account, e);
            if (rc == 0) rc = ledger_account(x->db, s->receiver, s->prep ? "prep_fee_income" : "fee_income",
                                             &legs[i].credit_account, e);
            snprintf(keys[i], sizeof keys[i], "fee-import:%lld:%lld:%lld:%d:%s", (long long)c->import_id,
                     (long long)s->collector, (long long)s->receiver, s->prep, s->date);
            legs[i].amount_fen = s->amount;
            legs[i].idem_key = keys[i];
            legs[i].ref_type = "fee_import";
            legs[i].ref_id = c->import_id;
            legs[i].memo = s->prep ? "建会筹备金分成" : "工会经费分成";
            legs[i].value_date = s->date;
            if (rc == 0 && legs[i].debit_account == legs[i].credit_account) rc = ERR_INTERNAL;
        }
        if (rc == 0) {
            char batch[48];
            snprintf(batch, sizeof batch, "fee-import:%lld", (long long)c->import_id);
            rc = ledger_post(x, batch, legs, c->nsums, NULL, NULL, e);
        }
        free(legs);
        free(keys);
        if (rc) return rc;
    }
    json_t *d = json_pack("{s:I, s:I, s:I, s:s}", "rows", (json_int_t)import_written(im), "amount_fen",
                          (json_int_t)c->imported_fen, "flagged", (json_int_t)c->flagged, "sha256", c->sha);
    rc = audit_record(x, "fee.import", "fee_import", c->import_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int fee_import(gh_ctx *x, int64_t org_id, const char *data, size_t len, const char *path, const char *file_name,
               int dry_run, import_progress_fn progress, void *pctx, json_t **out, gh_err *e)
{
    int rc0 = fees_org_allowed(x, org_id, e);
    if (rc0) return rc0;
    fee_import_ctx *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    c->org_id = org_id;
    c->file_name = file_name;
    int rc = org_scope_path(x, org_id, c->root, e);
    if (rc) {
        free(c);
        return rc;
    }
    store_prefix_bound(c->root, c->hi, sizeof c->hi);
    c->flags = json_array();
    if (data) crypto_sha256_hex(data, len, c->sha);
    else snprintf(c->sha, sizeof c->sha, "file");
    static const int required[] = {P_USCC, P_MONTH, P_PAYROLL, P_AMOUNT, P_PAID};
    const import_spec spec = {pay_cols, pay_fields, P_N, required, 5, pay_row, pay_finish};
    if (!dry_run) {
        /* The import row first, so payments can name it; it rolls back with
         * them when any row is bad. */
        rc = store_begin(x->db, STORE_WRITE, e);
        if (rc == 0) {
            char ts[32];
            ts_now(ts);
            store_res r;
            rc = store_query(x->db, &r,
                "INSERT INTO fee_imports (org_id, file_name, file_sha256, rows_total, rows_imported, rows_flagged,"
                " rows_skipped, amount_fen, actor_id, created_at) VALUES ($1, $2, $3, 0, 0, 0, 0, 0, $4, $5) RETURNING id",
                SV_ARGS(SV_I(org_id), SV_T(file_name), SV_T(c->sha), SV_IZ(x->actor->user_id), SV_T(ts)), e);
            if (rc == 0) {
                if (store_next(&r, e) > 0) c->import_id = store_int(&r, 0);
                store_done(&r);
            }
        }
    }
    if (rc == 0) rc = import_run(x, &spec, data, len, path, dry_run, c, progress, pctx, out, e);
    if (!dry_run && store_in_tx(x->db)) {
        /* import_run committed its nested level; the outer one decides */
        int ok = rc == 0 && json_integer_value(json_object_get(*out, "error_count")) == 0;
        if (ok) rc = store_commit(x->db, e);
        else store_rollback(x->db);
    }
    if (rc == 0) {
        json_object_set_new(*out, "flagged_count", json_integer(c->flagged));
        json_object_set_new(*out, "flagged", c->flags);
        json_object_set_new(*out, "skipped_existing", json_integer(c->skipped));
        json_object_set_new(*out, "amount_fen", json_integer(c->imported_fen));
        if (!dry_run && c->import_id && json_integer_value(json_object_get(*out, "error_count")) == 0)
            json_object_set_new(*out, "import_id", json_integer(c->import_id));
        c->flags = NULL;
    }
    json_decref(c->flags);
    u64set_free(&c->seen);
    free(c->sums);
    free(c);
    return rc;
}

static json_t *pay_row_json(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "enterprise_id", json_integer(store_int(r, 1)));
    json_object_set_new(o, "enterprise_name", list_col_str(r, 2));
    json_object_set_new(o, "uscc", list_col_str(r, 3));
    json_object_set_new(o, "month", list_col_str(r, 4));
    json_object_set_new(o, "kind", list_col_str(r, 5));
    json_object_set_new(o, "payroll_fen", json_integer(store_int(r, 6)));
    json_object_set_new(o, "amount_fen", json_integer(store_int(r, 7)));
    json_object_set_new(o, "paid_on", list_col_str(r, 8));
    json_object_set_new(o, "flagged", list_col_bool(r, 9));
    json_object_set_new(o, "flag_reason", list_col_str(r, 10));
    json_object_set_new(o, "import_id", list_col_int(r, 11));
    return o;
}

int fee_payments_list(gh_ctx *x, const payment_query *q, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    char lo[GH_PATH_MAX] = "", hi[GH_PATH_MAX] = "";
    int64_t ent = q->enterprise_id;
    if (a->role == ROLE_ENTERPRISE) {
        if (ent && ent != a->enterprise_id) return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "enterprise_id", "企业不存在");
        ent = a->enterprise_id;
        snprintf(lo, sizeof lo, "/");
    } else {
        if (!fin_reader(a)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看缴费记录的权限（需财务职责）");
        snprintf(lo, sizeof lo, "%s", a->scope);
        if (q->org_id) {
            int rc = org_scope_path(x, q->org_id, lo, e);
            if (rc) return rc;
        }
        if (ent) {
            int rc = ent_scoped(x, ent, NULL, NULL, e);
            if (rc) return rc;
        }
    }
    char m[8];
    if (q->from && *q->from && csv_month(q->from, m))
        return err_set(e, ERR_INVALID, "invalid_query", "from", "起始月份格式应为 2023-01");
    if (q->to && *q->to && csv_month(q->to, m))
        return err_set(e, ERR_INVALID, "invalid_query", "to", "截止月份格式应为 2023-12");
    store_prefix_bound(lo, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, "fee_payments p JOIN enterprises en ON en.id = p.enterprise_id JOIN orgs o ON o.id = p.org_id"
                  " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    if (ent) SQLW_AND(&w, "p.enterprise_id = ?", SV_I(ent));
    if (q->from && *q->from) SQLW_AND(&w, "p.month >= ?", SV_T(q->from));
    if (q->to && *q->to) SQLW_AND(&w, "p.month <= ?", SV_T(q->to));
    if (q->flagged >= 0) SQLW_AND(&w, "p.flagged = ?", SV_I(q->flagged));
    int rc = list_run(x->db,
        "p.id, p.enterprise_id, en.name, en.uscc, p.month, p.kind, p.payroll_fen, p.amount_fen, p.paid_on, p.flagged,"
        " p.flag_reason, p.import_id", buf_str(&w.sql), "p.month DESC, p.id DESC", w.args, w.n, &pg, pay_row_json,
        NULL, out, e);
    sqlw_free(&w);
    return rc;
}

/* ---- refunds ---- */

#define RUN_COLS \
    "r.id, r.org_id, o.name, r.period, r.period_from, r.period_to, r.status, r.lines, r.amount_fen, r.prepared_by," \
    " pu.display_name, r.approved_by, au.display_name, r.approved_at, r.reason, r.created_at, r.updated_at," \
    " r.last_enterprise_id"
#define RUN_FROM \
    "refund_runs r JOIN orgs o ON o.id = r.org_id LEFT JOIN users pu ON pu.id = r.prepared_by" \
    " LEFT JOIN users au ON au.id = r.approved_by"

static json_t *run_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "org_id", json_integer(store_int(r, 1)));
    json_object_set_new(o, "org_name", list_col_str(r, 2));
    json_object_set_new(o, "period", list_col_str(r, 3));
    json_object_set_new(o, "period_from", list_col_str(r, 4));
    json_object_set_new(o, "period_to", list_col_str(r, 5));
    json_object_set_new(o, "status", list_col_str(r, 6));
    json_object_set_new(o, "lines", json_integer(store_int(r, 7)));
    json_object_set_new(o, "amount_fen", json_integer(store_int(r, 8)));
    json_object_set_new(o, "prepared_by", list_col_int(r, 9));
    json_object_set_new(o, "prepared_by_name", list_col_str(r, 10));
    json_object_set_new(o, "approved_by", list_col_int(r, 11));
    json_object_set_new(o, "approved_by_name", list_col_str(r, 12));
    json_object_set_new(o, "approved_at", list_col_str(r, 13));
    json_object_set_new(o, "reason", list_col_str(r, 14));
    json_object_set_new(o, "created_at", list_col_str(r, 15));
    json_object_set_new(o, "updated_at", list_col_str(r, 16));
    json_object_set_new(o, "last_enterprise_id", json_integer(store_int(r, 17)));
    return o;
}

static int run_load(gh_ctx *x, int64_t id, json_t **out, char path[GH_PATH_MAX], gh_err *e)
{
    store_res r;
    int rc = store_query(x->db, &r, "SELECT " RUN_COLS ", o.path FROM " RUN_FROM " WHERE r.id = $1", SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0 && (x->actor->role == ROLE_SYSTEM ||
                   ((actor_has_duty(x->actor, DUTY_FINANCE) || x->actor->role == ROLE_AUDITOR) &&
                    actor_in_scope(x->actor, store_text(&r, 18))))) {
        if (out) *out = run_row(&r, NULL);
        if (path) snprintf(path, GH_PATH_MAX, "%s", store_text(&r, 18));
        rc = 0;
    } else if (rc >= 0) {
        rc = err_set(e, ERR_NOT_FOUND, "run_not_found", "id", "返还批次不存在");
    }
    store_done(&r);
    return rc;
}

int refund_run_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return run_load(x, id, out, NULL, e); }

int refund_runs_list(gh_ctx *x, int64_t org_id, int page, int per_page, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_has_duty(a, DUTY_FINANCE) && a->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    snprintf(lo, sizeof lo, "%s", a->scope);
    if (org_id) {
        int rc = org_scope_path(x, org_id, lo, e);
        if (rc) return rc;
    }
    store_prefix_bound(lo, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, page, per_page);
    return list_run(x->db, RUN_COLS, RUN_FROM " WHERE o.path >= $1 AND o.path < $2", "r.id DESC",
                    SV_ARGS(SV_T(lo), SV_T(hi)), &pg, run_row, NULL, out, e);
}

/* Whose books a refund of org_id's enterprises goes through: the province
 * above (the collector of the fees), or the org itself at the top. */
static int refund_payer(store_conn *db, int64_t org_id, int64_t *payer, gh_err *e)
{
    ancestry a;
    int rc = load_ancestry(db, org_id, &a, e);
    if (rc) return rc;
    *payer = a.by_level[1] ? a.by_level[1] : a.by_level[0] ? a.by_level[0] : org_id;
    return 0;
}

/* The refund policy in force, read into numbers. */
typedef struct refund_rules {
    int64_t policy_id;
    char from_month[8], to_month[8];
    int upper_only, by_application, prep_on_founding, small_scale_qualifies;
    json_t *thresholds; /* borrowed from params */
    json_t *params;
    int64_t grassroots_permille;
} refund_rules;

static int rules_load(store_conn *db, int64_t org_id, const char *period_to, refund_rules *rr, gh_err *e)
{
    memset(rr, 0, sizeof *rr);
    char date[11];
    snprintf(date, sizeof date, "%s-28", period_to);
    int rc = policy_find(db, "refund", org_id, date, &rr->params, &rr->policy_id, e);
    if (rc) return rc;
    snprintf(rr->from_month, sizeof rr->from_month, "%.7s", jv_str(rr->params, "from"));
    snprintf(rr->to_month, sizeof rr->to_month, "%.7s", jv_str(rr->params, "to"));
    rr->upper_only = strcmp(jv_str(rr->params, "share"), "upper") == 0;
    rr->by_application = strcmp(jv_str(rr->params, "mode"), "application") == 0;
    rr->prep_on_founding = jv_bool(rr->params, "prep_fee_on_founding", 0);
    json_t *q = json_object_get(rr->params, "qualify");
    rr->small_scale_qualifies = jv_bool(q, "small_scale", 0);
    rr->thresholds = json_object_get(q, "thresholds");
    if (rr->upper_only) {
        json_t *split = NULL;
        rc = policy_find(db, "fee_split", org_id, date, &split, NULL, e);
        if (rc) {
            json_decref(rr->params);
            return rc;
        }
        rr->grassroots_permille = jv_int(split, "grassroots", 0);
        json_decref(split);
    }
    return 0;
}

static int qualifies(const refund_rules *rr, int small_scale, const char *industry, int64_t headcount,
                     int64_t revenue, int headcount_known, int revenue_known)
{
    if (rr->small_scale_qualifies && small_scale) return 1;
    size_t i;
    json_t *t;
    json_array_foreach(rr->thresholds, i, t) {
        const char *ind = jv_str(t, "industry");
        int match = strcmp(ind, "*") == 0 || (industry && strcmp(ind, industry) == 0);
        if (match && headcount_known && revenue_known && headcount <= jv_int(t, "max_headcount", 0) &&
            revenue <= jv_int(t, "max_revenue_fen", 0))
            return 1;
    }
    return 0;
}

typedef struct ent_due {
    int64_t id, fee, prep, fee_refunded, prep_refunded, founded; /* founded: union founded by period end */
    int eligible, applied;
} ent_due;

#define RUN_BATCH 500

/* One batch: the next enterprises of the run's subtree after the last one
 * done; their lines, their ledger postings and the run's progress commit
 * together, so a kill between batches loses nothing and repeats nothing. */
typedef struct batch_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    char period[8], pfrom[8], pto[8];
    const refund_rules *rr;
    int64_t refund_expense, refund_payable;
    int done; /* no enterprise left */
    int64_t lines_added, amount_added;
} batch_ctx;

static int batch_tx(store_conn *db, void *p, gh_err *e)
{
    batch_ctx *c = p;
    const refund_rules *rr = c->rr;
    c->lines_added = c->amount_added = 0;
    int64_t last = 0;
    int rc = store_get_int(db, "SELECT last_enterprise_id FROM refund_runs WHERE id = $1 AND status = 'computing'",
                           SV_ARGS(SV_I(c->run_id)), &last, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_CONFLICT, "run_not_computing", NULL, "该批次不在计算中");
    if (rc) return rc;
    ent_due *d = calloc(RUN_BATCH, sizeof *d);
    if (!d) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    int n = 0;
    char end_date[11];
    snprintf(end_date, sizeof end_date, "%s-31", c->pto);
    store_res r;
    rc = store_query(db, &r,
        "SELECT en.id, en.small_scale, en.industry, en.headcount, en.annual_revenue_fen,"
        " CASE WHEN en.union_org_id IS NOT NULL AND en.union_founded_on <= $4 THEN 1 ELSE 0 END"
        " FROM enterprises en JOIN orgs o ON o.id = en.org_id"
        " WHERE o.path >= $1 AND o.path < $2 AND en.id > $3 ORDER BY en.id LIMIT 500",
        SV_ARGS(SV_T(c->lo), SV_T(c->hi), SV_I(last), SV_T(end_date)), e);
    if (rc) goto out;
    while ((rc = store_next(&r, e)) > 0 && n < RUN_BATCH) {
        ent_due *x = &d[n++];
        x->id = store_int(&r, 0);
        x->eligible = qualifies(rr, (int)store_int(&r, 1), store_text(&r, 2), store_int(&r, 3), store_int(&r, 4),
                                !store_isnull(&r, 3), !store_isnull(&r, 4));
        x->founded = store_int(&r, 5);
    }
    store_done(&r);
    if (rc < 0) goto out;
    if (n == 0) {
        c->done = 1;
        rc = 0;
        goto out;
    }
    int64_t first = d[0].id, lastid = d[n - 1].id;
    /* Sums for the whole id range at once, then matched to the batch. */
    char to_month[8];
    snprintf(to_month, sizeof to_month, "%s", strcmp(c->pto, rr->to_month) < 0 ? c->pto : rr->to_month);
    rc = store_query(db, &r,
        "SELECT enterprise_id, kind, SUM(amount_fen) FROM fee_payments WHERE enterprise_id >= $1 AND enterprise_id <= $2"
        " AND month >= $3 AND month <= $4 GROUP BY enterprise_id, kind",
        SV_ARGS(SV_I(first), SV_I(lastid), SV_T(rr->from_month), SV_T(to_month)), e);
    if (rc) goto out;
    int k = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t id = store_int(&r, 0);
        while (k < n && d[k].id < id) k++;
        if (k < n && d[k].id == id) {
            if (strcmp(store_text(&r, 1), "fee") == 0) d[k].fee = store_int(&r, 2);
            else d[k].prep = store_int(&r, 2);
        }
    }
    store_done(&r);
    if (rc < 0) goto out;
    rc = store_query(db, &r,
        "SELECT enterprise_id, SUM(fee_fen), SUM(prep_fen) FROM refund_lines WHERE enterprise_id >= $1"
        " AND enterprise_id <= $2 AND status <> 'cancelled' GROUP BY enterprise_id",
        SV_ARGS(SV_I(first), SV_I(lastid)), e);
    if (rc) goto out;
    k = 0;
    while ((rc = store_next(&r, e)) > 0) {
        int64_t id = store_int(&r, 0);
        while (k < n && d[k].id < id) k++;
        if (k < n && d[k].id == id) {
            d[k].fee_refunded = store_int(&r, 1);
            d[k].prep_refunded = store_int(&r, 2);
        }
    }
    store_done(&r);
    if (rc < 0) goto out;
    if (rr->by_application) {
        rc = store_query(db, &r,
            "SELECT enterprise_id FROM refund_applications WHERE period = $1 AND enterprise_id >= $2 AND enterprise_id <= $3",
            SV_ARGS(SV_T(c->period), SV_I(first), SV_I(lastid)), e);
        if (rc) goto out;
        while ((rc = store_next(&r, e)) > 0)
            for (int i = 0; i < n; i++)
                if (d[i].id == store_int(&r, 0)) d[i].applied = 1;
        store_done(&r);
        if (rc < 0) goto out;
    }
    char ts[32];
    ts_now(ts);
    for (int i = 0; i < n; i++) {
        ent_due *x = &d[i];
        if (!x->eligible || (rr->by_application && !x->applied)) continue;
        int64_t fee_due = x->fee;
        if (rr->upper_only) money_ratio(x->fee, 1000 - rr->grassroots_permille, 1000, &fee_due);
        fee_due -= x->fee_refunded;
        int64_t prep_due = (rr->prep_on_founding && x->founded) ? x->prep - x->prep_refunded : 0;
        if (fee_due < 0) fee_due = 0;
        if (prep_due < 0) prep_due = 0;
        int64_t amount = fee_due + prep_due;
        if (amount <= 0) continue;
        int64_t line_id = 0;
        rc = store_query(db, &r,
            "INSERT INTO refund_lines (run_id, enterprise_id, org_id, period, fee_fen, prep_fen, amount_fen, status,"
            " created_at, updated_at) SELECT $1, id, org_id, $2, $3, $4, $5, 'due', $6, $6 FROM enterprises WHERE id = $7"
            " ON CONFLICT (enterprise_id, period) WHERE status <> 'cancelled' DO NOTHING RETURNING id",
            SV_ARGS(SV_I(c->run_id), SV_T(c->period), SV_I(fee_due), SV_I(prep_due), SV_I(amount), SV_T(ts), SV_I(x->id)),
            e);
        if (rc) goto out;
        if ((rc = store_next(&r, e)) > 0) line_id = store_int(&r, 0);
        store_done(&r);
        if (rc < 0) goto out;
        if (!line_id) continue; /* this period already has its line */
        char key[80], batch[64];
        snprintf(key, sizeof key, "refund-due:%lld:%s:%lld", (long long)x->id, c->period, (long long)line_id);
        snprintf(batch, sizeof batch, "refund-run:%lld:%lld", (long long)c->run_id, (long long)first);
        ledger_leg leg = {.debit_account = c->refund_expense, .credit_account = c->refund_payable, .amount_fen = amount,
                          .idem_key = key, .ref_type = "refund_line", .ref_id = line_id, .memo = "小微企业工会经费返还（应付）"};
        rc = ledger_post(c->x, batch, &leg, 1, NULL, NULL, e);
        if (rc) goto out;
        c->lines_added++;
        c->amount_added += amount;
    }
    rc = store_exec(db,
        "UPDATE refund_runs SET last_enterprise_id = $2, lines = lines + $3, amount_fen = amount_fen + $4, updated_at = $5"
        " WHERE id = $1",
        SV_ARGS(SV_I(c->run_id), SV_I(lastid), SV_I(c->lines_added), SV_I(c->amount_added), SV_T(ts)), NULL, e);
out:
    free(d);
    return rc;
}

int refund_run(gh_ctx *x, int64_t org_id, const char *period, int take_over, fees_progress_fn progress, void *pctx,
               json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    batch_ctx c = {.x = x, .org_id = org_id};
    int rc = refund_period_parse(period, c.pfrom, c.pto, e);
    if (rc) return rc;
    snprintf(c.period, sizeof c.period, "%.4s%c%c", period, 'H', period[5]);
    rc = org_scope_path(x, org_id, c.lo, e);
    if (rc) return rc;
    store_prefix_bound(c.lo, c.hi, sizeof c.hi);
    refund_rules rr;
    rc = rules_load(x->db, org_id, c.pto, &rr, e);
    if (rc) return rc;
    c.rr = &rr;
    /* The money came in to the province that collected it (see the split),
     * so refunds are owed and paid from the province's books. */
    int64_t payer = 0;
    rc = refund_payer(x->db, org_id, &payer, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_expense", &c.refund_expense, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_payable", &c.refund_payable, e);
    if (rc) goto done;
    /* One run per org and period, anywhere: a lock in the database. */
    char lock[64], owner[48];
    snprintf(lock, sizeof lock, "refund:%lld:%s", (long long)org_id, c.period);
    crypto_token(owner, sizeof owner, 18);
    rc = take_over ? lock_take_over(x->db, lock, owner, 120, e) : lock_acquire(x->db, lock, owner, 120, e);
    if (rc) goto done;
    char ts[32];
    ts_now(ts);
    rc = store_exec(x->db,
        "INSERT INTO refund_runs (org_id, period, period_from, period_to, policy_id, status, prepared_by, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, 'computing', $6, $7, $7)"
        " ON CONFLICT (org_id, period) WHERE status <> 'rejected' DO NOTHING",
        SV_ARGS(SV_I(org_id), SV_T(c.period), SV_T(c.pfrom), SV_T(c.pto), SV_I(rr.policy_id),
                SV_IZ(x->actor->user_id), SV_T(ts)),
        NULL, e);
    if (rc == 0)
        rc = store_get_int(x->db, "SELECT id FROM refund_runs WHERE org_id = $1 AND period = $2 AND status <> 'rejected'",
                           SV_ARGS(SV_I(org_id), SV_T(c.period)), &c.run_id, e);
    int64_t total = 0, done_n = 0;
    if (rc == 0)
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM enterprises en JOIN orgs o ON o.id = en.org_id WHERE o.path >= $1 AND o.path < $2",
                           SV_ARGS(SV_T(c.lo), SV_T(c.hi)), &total, e);
    while (rc == 0 && !c.done) {
        int64_t status_ok = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM refund_runs WHERE id = $1 AND status = 'computing'",
                           SV_ARGS(SV_I(c.run_id)), &status_ok, e);
        if (rc || !status_ok) break; /* computed already: nothing new */
        rc = store_tx(x->db, STORE_WRITE, batch_tx, &c, e);
        if (rc) break;
        lock_acquire(x->db, lock, owner, 120, NULL); /* still ours: renew */
        done_n += RUN_BATCH;
        if (progress) progress(pctx, done_n < total ? done_n : total, total);
    }
    if (rc == 0 && c.done) {
        ts_now(ts);
        rc = store_exec(x->db, "UPDATE refund_runs SET status = 'computed', updated_at = $2 WHERE id = $1 AND status = 'computing'",
                        SV_ARGS(SV_I(c.run_id), SV_T(ts)), NULL, e);
        if (rc == 0) {
            int64_t lines = 0;
            store_get_int(x->db, "SELECT lines FROM refund_runs WHERE id = $1", SV_ARGS(SV_I(c.run_id)), &lines, NULL);
            json_t *d = json_pack("{s:s, s:I}", "period", c.period, "lines", (json_int_t)lines);
            rc = audit_record(x, "refund.compute", "refund_run", c.run_id, org_id, "ok", d, e);
            json_decref(d);
        }
    }
    lock_release(x->db, lock, owner, NULL);
    if (rc == 0) rc = run_load(x, c.run_id, out, NULL, e);
done:
    json_decref(rr.params);
    return rc;
}

static json_t *line_row(store_res *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(store_int(r, 0)));
    json_object_set_new(o, "run_id", json_integer(store_int(r, 1)));
    json_object_set_new(o, "enterprise_id", json_integer(store_int(r, 2)));
    json_object_set_new(o, "enterprise_name", list_col_str(r, 3));
    json_object_set_new(o, "uscc", list_col_str(r, 4));
    json_object_set_new(o, "period", list_col_str(r, 5));
    json_object_set_new(o, "fee_fen", json_integer(store_int(r, 6)));
    json_object_set_new(o, "prep_fen", json_integer(store_int(r, 7)));
    json_object_set_new(o, "amount_fen", json_integer(store_int(r, 8)));
    json_object_set_new(o, "status", list_col_str(r, 9));
    json_object_set_new(o, "attempts", json_integer(store_int(r, 10)));
    json_object_set_new(o, "bank_ref", list_col_str(r, 11));
    json_object_set_new(o, "fail_reason", list_col_str(r, 12));
    json_object_set_new(o, "paid_on", list_col_str(r, 13));
    json_object_set_new(o, "account_masked", list_col_str(r, 14));
    return o;
}

int refund_lines_list(gh_ctx *x, int64_t run_id, int64_t enterprise_id, const char *status, int page, int per_page,
                      json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc;
    if (a->role == ROLE_ENTERPRISE) {
        if (run_id || (enterprise_id && enterprise_id != a->enterprise_id))
            return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", NULL, "企业不存在");
        enterprise_id = a->enterprise_id;
    } else if (run_id) {
        if ((rc = run_load(x, run_id, NULL, NULL, e))) return rc;
    } else if (enterprise_id) {
        if ((rc = ent_scoped(x, enterprise_id, NULL, NULL, e))) return rc;
    } else {
        return err_set(e, ERR_INVALID, "missing_field", "run_id", "请指定返还批次或企业");
    }
    static const char *const st[] = {"due", "approved", "exported", "paid", "failed", "cancelled", NULL};
    if (status && *status && jv_choice_index(st, status) < 0)
        return err_set(e, ERR_INVALID, "invalid_query", "status", "状态取值无效");
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    sqlw_init(&w, "refund_lines l JOIN enterprises en ON en.id = l.enterprise_id WHERE 1 = 1", SV_NONE);
    if (run_id) SQLW_AND(&w, "l.run_id = ?", SV_I(run_id));
    if (enterprise_id) SQLW_AND(&w, "l.enterprise_id = ?", SV_I(enterprise_id));
    if (status && *status) SQLW_AND(&w, "l.status = ?", SV_T(status));
    rc = list_run(x->db,
        "l.id, l.run_id, l.enterprise_id, en.name, en.uscc, l.period, l.fee_fen, l.prep_fen, l.amount_fen, l.status,"
        " l.attempts, l.bank_ref, l.fail_reason, l.paid_on, en.account_mask",
        buf_str(&w.sql), "l.id", w.args, w.n, &pg, line_row, NULL, out, e);
    sqlw_free(&w);
    return rc;
}

typedef struct decide_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    const char *reason;
} decide_ctx;

static int approve_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE refund_runs SET status = 'approved', approved_by = $2, approved_at = $3, updated_at = $3"
        " WHERE id = $1 AND status = 'computed'",
        SV_ARGS(SV_I(c->run_id), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "run_not_computed", NULL, "只有已计算完成、尚未审批的批次可以审批");
    rc = store_exec(db, "UPDATE refund_lines SET status = 'approved', updated_at = $2 WHERE run_id = $1 AND status = 'due'",
                    SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    return audit_record(c->x, "refund.approve", "refund_run", c->run_id, c->org_id, "ok", NULL, e);
}

int refund_approve(gh_ctx *x, int64_t run_id, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    json_t *run = NULL;
    int rc = run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    int64_t prepared = json_integer_value(json_object_get(run, "prepared_by"));
    decide_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), NULL};
    json_decref(run);
    /* Maker/checker: the one who prepared a run cannot approve it. */
    if (!x->actor->user_id || prepared == x->actor->user_id) {
        gh_err ignore;
        audit_record(x, "refund.approve", "refund_run", run_id, c.org_id, "denied", NULL, &ignore);
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审批自己发起的返还批次，须由另一名工作人员审批");
    }
    rc = store_tx(x->db, STORE_WRITE, approve_tx, &c, e);
    if (rc) return rc;
    return run_load(x, run_id, out, NULL, e);
}

static int reject_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE refund_runs SET status = 'rejected', reason = $2, approved_by = $3, approved_at = $4, updated_at = $4"
        " WHERE id = $1 AND status = 'computed'",
        SV_ARGS(SV_I(c->run_id), SV_T(c->reason), SV_IZ(c->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "run_not_computed", NULL, "只有已计算完成、尚未审批的批次可以退回");
    /* Every line's liability is reversed; the lines are cancelled, so the
     * enterprises are refunded by a later run instead. */
    store_res r;
    rc = store_query(db, &r,
        "SELECT t.id, l.id FROM refund_lines l JOIN ledger_transfers t ON t.ref_type = 'refund_line' AND t.ref_id = l.id"
        " AND t.reverses_id IS NULL WHERE l.run_id = $1 AND l.status = 'due'",
        SV_ARGS(SV_I(c->run_id)), e);
    if (rc) return rc;
    int64_t (*pairs)[2] = NULL;
    size_t n = 0, cap = 0;
    while ((rc = store_next(&r, e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            void *np = realloc(pairs, cap * sizeof *pairs);
            if (!np) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
            pairs = np;
        }
        pairs[n][0] = store_int(&r, 0);
        pairs[n][1] = store_int(&r, 1);
        n++;
    }
    store_done(&r);
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "refund-cancel:%lld", (long long)pairs[i][1]);
        rc = ledger_reverse(c->x, pairs[i][0], key, "返还批次被退回", NULL, e);
    }
    free(pairs);
    if (rc < 0) return rc;
    rc = store_exec(db, "UPDATE refund_lines SET status = 'cancelled', updated_at = $2 WHERE run_id = $1 AND status = 'due'",
                    SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s}", "reason", c->reason);
    rc = audit_record(c->x, "refund.reject", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_reject(gh_ctx *x, int64_t run_id, const char *reason, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写退回原因");
    json_t *run = NULL;
    int rc = run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    int64_t prepared = json_integer_value(json_object_get(run, "prepared_by"));
    decide_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), reason};
    json_decref(run);
    if (!x->actor->user_id || prepared == x->actor->user_id)
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审批自己发起的返还批次，须由另一名工作人员审批");
    rc = store_tx(x->db, STORE_WRITE, reject_tx, &c, e);
    if (rc) return rc;
    return run_load(x, run_id, out, NULL, e);
}

/* ---- the bank ---- */

typedef struct bank_ctx {
    gh_ctx *x;
    int64_t run_id, org_id;
    json_t *rows;
    int64_t missing;
} bank_ctx;

static int bank_file_tx(store_conn *db, void *p, gh_err *e)
{
    bank_ctx *c = p;
    int64_t ok = 0;
    int rc = store_get_int(db, "SELECT COUNT(*) FROM refund_runs WHERE id = $1 AND status IN ('approved', 'closed')",
                           SV_ARGS(SV_I(c->run_id)), &ok, e);
    if (rc) return rc;
    if (!ok) return err_set(e, ERR_CONFLICT, "run_not_approved", NULL, "批次尚未审批，不能生成银行付款文件");
    store_res r;
    rc = store_query(db, &r,
        "SELECT l.id, l.attempts, l.amount_fen, en.name, en.uscc, en.account_name, en.account_sealed, en.bank_name"
        " FROM refund_lines l JOIN enterprises en ON en.id = l.enterprise_id"
        " WHERE l.run_id = $1 AND l.status IN ('approved', 'failed') ORDER BY l.id",
        SV_ARGS(SV_I(c->run_id)), e);
    if (rc) return rc;
    json_t *ids = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        const char *sealed = store_text(&r, 6);
        if (!sealed) {
            c->missing++;
            continue;
        }
        char *acct = NULL;
        if (crypto_open(c->x->cfg->data_key, sealed, &acct, e) != 0) {
            rc = ERR_INTERNAL;
            break;
        }
        char ref[40];
        snprintf(ref, sizeof ref, "RF%08lld-%lld", (long long)store_int(&r, 0), (long long)store_int(&r, 1) + 1);
        json_array_append_new(c->rows, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s?, s:s}", "account", acct, "account_name",
                                                 store_text(&r, 5) ? store_text(&r, 5) : store_text(&r, 3),
                                                 "amount_fen", (json_int_t)store_int(&r, 2), "ref", ref, "enterprise",
                                                 store_text(&r, 3), "bank", store_text(&r, 7), "uscc", store_text(&r, 4)));
        json_array_append_new(ids, json_pack("{s:I, s:s}", "id", (json_int_t)store_int(&r, 0), "ref", ref));
        free(acct);
    }
    store_done(&r);
    char ts[32];
    ts_now(ts);
    size_t i;
    json_t *it;
    json_array_foreach(ids, i, it) {
        if (rc < 0) break;
        rc = store_exec(db,
            "UPDATE refund_lines SET status = 'exported', attempts = attempts + 1, bank_ref = $2, fail_reason = NULL,"
            " updated_at = $3 WHERE id = $1",
            SV_ARGS(SV_I(json_integer_value(json_object_get(it, "id"))), SV_T(json_string_value(json_object_get(it, "ref"))),
                    SV_T(ts)),
            NULL, e);
    }
    json_decref(ids);
    if (rc < 0) return rc;
    if (json_array_size(c->rows) == 0)
        return err_set(e, ERR_CONFLICT, "nothing_to_pay", NULL, "没有待付款的返还记录%s",
                       c->missing ? "（有企业缺少银行账号，请先补全）" : "");
    json_t *d = json_pack("{s:I, s:I}", "lines", (json_int_t)json_array_size(c->rows), "missing_account",
                          (json_int_t)c->missing);
    rc = audit_record(c->x, "refund.bank_file", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_bank_file(gh_ctx *x, int64_t run_id, const char *format, char **data, size_t *len, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    int xlsx = format && strcmp(format, "xlsx") == 0;
    if (format && !xlsx && strcmp(format, "csv") != 0)
        return err_set(e, ERR_INVALID, "invalid_query", "format", "格式应为 csv 或 xlsx");
    json_t *run = NULL;
    int rc = run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    bank_ctx c = {x, run_id, json_integer_value(json_object_get(run, "org_id")), NULL, 0};
    json_decref(run);
    c.rows = json_array();
    rc = store_tx(x->db, STORE_WRITE, bank_file_tx, &c, e);
    if (rc == 0 && xlsx) {
        static const xlsx_col cols[] = {{"account", "收款账号", XLSX_TEXT, 24}, {"account_name", "收款户名", XLSX_TEXT, 30},
                                        {"amount_fen", "金额（元）", XLSX_MONEY, 14}, {"ref", "参考号", XLSX_TEXT, 18},
                                        {"bank", "开户银行", XLSX_TEXT, 20}, {"uscc", "统一社会信用代码", XLSX_TEXT, 22}};
        rc = xlsx_build("付款明细", "小微企业工会经费返还付款文件", cols, 6, c.rows, data, len, e);
    } else if (rc == 0) {
        buf b = {0};
        buf_puts(&b, "\xEF\xBB\xBF收款账号,收款户名,金额,参考号,开户银行,统一社会信用代码\r\n");
        size_t i;
        json_t *it;
        json_array_foreach(c.rows, i, it) {
            char amt[32];
            money_format(json_integer_value(json_object_get(it, "amount_fen")), amt, sizeof amt);
            /* account numbers as text for Excel: a leading tab keeps all digits */
            buf_printf(&b, "\"\t%s\",\"%s\",%s,%s,\"%s\",%s\r\n", json_string_value(json_object_get(it, "account")),
                       json_string_value(json_object_get(it, "account_name")), amt,
                       json_string_value(json_object_get(it, "ref")),
                       json_string_value(json_object_get(it, "bank")) ? json_string_value(json_object_get(it, "bank")) : "",
                       json_string_value(json_object_get(it, "uscc")));
        }
        *len = b.len;
        *data = buf_take(&b);
    }
    json_decref(c.rows);
    return rc;
}

/* The bank's result file. */
static const char *const res_cols[] = {"参考号|ref", "结果|状态|result", "原因|失败原因|reason", "日期|付款日期|date"};
static const char *const res_fields[] = {"ref", "result", "reason", "date"};

typedef struct result_ctx {
    int64_t run_id, org_id;
    int64_t paid, failed, already;
    int64_t bank, payable;
    u64set seen;
} result_ctx;

static int result_row(importer *im, void *p, gh_err *e)
{
    result_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    const char *ref = import_field(im, 0), *res = import_field(im, 1);
    int ok;
    if (!strcmp(res, "成功") || !strcmp(res, "success") || !strcmp(res, "S")) ok = 1;
    else if (!strcmp(res, "失败") || !strcmp(res, "failed") || !strcmp(res, "F")) ok = 0;
    else return import_error(im, "result", "结果应为“成功”或“失败”"), 0;
    char date[11] = "";
    if (*import_field(im, 3) && csv_date(import_field(im, 3), date))
        return import_error(im, "date", "日期格式应为 2023-03-01"), 0;
    char today[11];
    date_format(date_today_cn(), today);
    if (!date[0]) snprintf(date, sizeof date, "%s", today);
    if (strcmp(date, today) > 0) return import_error(im, "date", "付款日期不能晚于今天"), 0;
    int dup = u64set_add(&c->seen, u64set_hash(ref));
    if (dup < 0) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (dup) return import_error(im, "ref", "参考号在文件中重复"), 0;
    store_res r;
    int64_t line = 0, amount = 0;
    char status[16] = "", cur_ref[40] = "", exported[11] = "";
    int rc = store_query(x->db, &r,
        "SELECT id, status, amount_fen, COALESCE(bank_ref, ''), substr(updated_at, 1, 10) FROM refund_lines"
        " WHERE run_id = $1 AND id = $2",
        SV_ARGS(SV_I(c->run_id), SV_I(strtoll(ref + (ref[0] == 'R' && ref[1] == 'F' ? 2 : 0), NULL, 10))), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        line = store_int(&r, 0);
        snprintf(status, sizeof status, "%s", store_text(&r, 1));
        amount = store_int(&r, 2);
        snprintf(cur_ref, sizeof cur_ref, "%s", store_text(&r, 3));
        snprintf(exported, sizeof exported, "%s", store_text(&r, 4));
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (!line) return import_error(im, "ref", "参考号不属于本批次"), 0;
    if (strcmp(status, "paid") == 0) {
        /* Paid before: the line stays paid, nothing is paid twice. */
        c->already++;
        return 0;
    }
    if (strcmp(status, "exported") != 0 || strcmp(cur_ref, ref) != 0)
        return import_error(im, "ref", "该参考号不是最近一次导出的付款（可能是过期的文件）"), 0;
    /* a bank cannot pay before it received the file (UTC day of export;
     * a day's grace for the time zone) */
    int32_t ed = 0, pd = 0;
    if (ok && date_parse(exported, &ed, NULL) == 0 && date_parse(date, &pd, NULL) == 0 && pd < ed - 1)
        return import_error(im, "date", "付款日期早于付款文件生成的日期"), 0;
    if (!import_writing(im)) return 0;
    char ts[32];
    ts_now(ts);
    if (ok) {
        char key[48];
        snprintf(key, sizeof key, "refund-paid:%lld", (long long)line);
        ledger_leg leg = {.debit_account = c->payable, .credit_account = c->bank, .amount_fen = amount, .idem_key = key,
                          .ref_type = "refund_line", .ref_id = line, .memo = "小微企业工会经费返还（银行付款）",
                          .value_date = date};
        rc = ledger_post(x, key, &leg, 1, NULL, NULL, e);
        if (rc == 0)
            rc = store_exec(x->db, "UPDATE refund_lines SET status = 'paid', paid_on = $2, updated_at = $3 WHERE id = $1",
                            SV_ARGS(SV_I(line), SV_T(date), SV_T(ts)), NULL, e);
        c->paid++;
    } else {
        rc = store_exec(x->db, "UPDATE refund_lines SET status = 'failed', fail_reason = $2, updated_at = $3 WHERE id = $1",
                        SV_ARGS(SV_I(line), SV_T(*import_field(im, 2) ? import_field(im, 2) : "银行未说明原因"), SV_T(ts)),
                        NULL, e);
        c->failed++;
    }
    if (rc == 0) import_count(im);
    return rc;
}

static int result_finish(importer *im, void *p, gh_err *e)
{
    result_ctx *c = p;
    gh_ctx *x = import_ctx(im);
    int64_t open = 0;
    char ts[32];
    ts_now(ts);
    int rc = store_get_int(x->db, "SELECT COUNT(*) FROM refund_lines WHERE run_id = $1 AND status <> 'paid' AND status <> 'cancelled'",
                           SV_ARGS(SV_I(c->run_id)), &open, e);
    if (rc == 0 && open == 0)
        rc = store_exec(x->db, "UPDATE refund_runs SET status = 'closed', updated_at = $2 WHERE id = $1",
                        SV_ARGS(SV_I(c->run_id), SV_T(ts)), NULL, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:I, s:I}", "paid", (json_int_t)c->paid, "failed", (json_int_t)c->failed,
                          "already_paid", (json_int_t)c->already);
    rc = audit_record(x, "refund.bank_result", "refund_run", c->run_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int refund_bank_result(gh_ctx *x, int64_t run_id, const char *data, size_t len, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    json_t *run = NULL;
    int rc = run_load(x, run_id, &run, NULL, e);
    if (rc) return rc;
    result_ctx c = {.run_id = run_id, .org_id = json_integer_value(json_object_get(run, "org_id"))};
    json_decref(run);
    int64_t payer = 0;
    rc = refund_payer(x->db, c.org_id, &payer, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "bank", &c.bank, e);
    if (rc == 0) rc = ledger_account(x->db, payer, "refund_payable", &c.payable, e);
    if (rc) return rc;
    static const int required[] = {0, 1};
    const import_spec spec = {res_cols, res_fields, 4, required, 2, result_row, result_finish};
    rc = import_run(x, &spec, data, len, NULL, 0, &c, NULL, NULL, out, e);
    u64set_free(&c.seen);
    if (rc == 0 && json_integer_value(json_object_get(*out, "error_count")))
        c.paid = c.failed = c.already = 0; /* all or nothing: nothing was written */
    if (rc == 0) {
        json_object_set_new(*out, "paid", json_integer(c.paid));
        json_object_set_new(*out, "failed", json_integer(c.failed));
        json_object_set_new(*out, "already_paid", json_integer(c.already));
    }
    return rc;
}

int refund_apply(gh_ctx *x, int64_t enterprise_id, const char *period, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_ENTERPRISE) {
        if (enterprise_id != a->enterprise_id) return err_set(e, ERR_NOT_FOUND, "enterprise_not_found", "id", "企业不存在");
    } else if (!actor_has_duty(a, DUTY_FINANCE)) {
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    }
    char from[8], to[8], canon[8];
    int rc = refund_period_parse(period, from, to, e);
    if (rc == 0) rc = ent_scoped(x, enterprise_id, NULL, NULL, e);
    if (rc) {
        if (e && rc == ERR_NOT_FOUND) snprintf(e->field, sizeof e->field, "enterprise_id");
        return rc;
    }
    /* "2023h1" and "2023H1" are the same period */
    snprintf(canon, sizeof canon, "%.4sH%c", period, period[5]);
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    rc = store_exec(x->db,
        "INSERT INTO refund_applications (enterprise_id, period, created_by, created_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (enterprise_id, period) DO NOTHING",
        SV_ARGS(SV_I(enterprise_id), SV_T(canon), SV_IZ(a->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (changed) {
        gh_err ignore;
        audit_record(x, "refund.apply", "enterprise", enterprise_id, 0, "ok", NULL, &ignore);
    }
    *out = json_pack("{s:I, s:s, s:b}", "enterprise_id", (json_int_t)enterprise_id, "period", canon, "new", changed > 0);
    return 0;
}

/* ---- figures ---- */

static void wan(int64_t n, char *out, size_t len)
{
    if (n >= 10000) snprintf(out, len, "%.1f万", (double)n / 10000.0);
    else snprintf(out, len, "%lld", (long long)n);
}

int refund_stats(gh_ctx *x, int64_t org_id, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_has_duty(a, DUTY_FINANCE) && a->role != ROLE_AUDITOR)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "需要财务职责");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    snprintf(lo, sizeof lo, "%s", a->scope);
    if (org_id) {
        int rc = org_scope_path(x, org_id, lo, e);
        if (rc) return rc;
    }
    store_prefix_bound(lo, hi, sizeof hi);
    store_res r;
    /* Per year and city (by the region code of the enterprise), then
     * running totals per year. */
    int rc = store_query(x->db, &r,
        "SELECT substr(l.paid_on, 1, 4), substr(en.region_code, 1, 4), COUNT(DISTINCT l.enterprise_id), SUM(l.amount_fen)"
        " FROM refund_lines l JOIN enterprises en ON en.id = l.enterprise_id JOIN orgs o ON o.id = l.org_id"
        " WHERE l.status = 'paid' AND o.path >= $1 AND o.path < $2 GROUP BY 1, 2 ORDER BY 1, 2",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) return rc;
    json_t *rows = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        char city[7];
        snprintf(city, sizeof city, "%s00", store_text(&r, 1));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:I}", "year", store_text(&r, 0), "city_code", city,
                                              "enterprises", (json_int_t)store_int(&r, 2), "amount_fen",
                                              (json_int_t)store_int(&r, 3)));
    }
    store_done(&r);
    if (rc < 0) goto fail;
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it) {
        int64_t n = 0;
        store_res q;
        if (store_query(x->db, &q, "SELECT name FROM orgs WHERE region_code = $1 AND level = 'city' ORDER BY id LIMIT 1",
                        SV_ARGS(SV_T(json_string_value(json_object_get(it, "city_code")))), e) == 0) {
            if (store_next(&q, e) > 0) json_object_set_new(it, "city_name", json_string(store_text(&q, 0)));
            store_done(&q);
        }
        (void)n;
    }
    json_t *years = json_array();
    rc = store_query(x->db, &r,
        "SELECT y.year,"
        " (SELECT COUNT(DISTINCT l.enterprise_id) FROM refund_lines l JOIN orgs o ON o.id = l.org_id"
        "   WHERE l.status = 'paid' AND substr(l.paid_on, 1, 4) <= y.year AND o.path >= $1 AND o.path < $2),"
        " (SELECT SUM(l.amount_fen) FROM refund_lines l JOIN orgs o ON o.id = l.org_id"
        "   WHERE l.status = 'paid' AND substr(l.paid_on, 1, 4) <= y.year AND o.path >= $1 AND o.path < $2)"
        " FROM (SELECT DISTINCT substr(paid_on, 1, 4) AS year FROM refund_lines WHERE status = 'paid') y ORDER BY 1",
        SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) {
        json_decref(years);
        goto fail;
    }
    char sentence[256] = "尚无已付款的返还记录";
    while ((rc = store_next(&r, e)) > 0) {
        int64_t n = store_int(&r, 1), amt = store_int(&r, 2);
        if (!n) continue;
        char ns[32], as[48];
        wan(n, ns, sizeof ns);
        money_format_yuan_cn(amt, as, sizeof as);
        char today[11];
        date_format(date_today_cn(), today);
        if (strncmp(store_text(&r, 0), today, 4) >= 0)
            snprintf(sentence, sizeof sentence, "截至%.4s年%d月，累计为%s户小微企业返还工会经费%s", today,
                     atoi(today + 5), ns, as);
        else
            snprintf(sentence, sizeof sentence, "截至%s年底，累计为%s户小微企业返还工会经费%s", store_text(&r, 0), ns, as);
        json_array_append_new(years, json_pack("{s:s, s:I, s:I, s:s}", "year", store_text(&r, 0), "enterprises",
                                               (json_int_t)n, "amount_fen", (json_int_t)amt, "sentence", sentence));
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(years);
        goto fail;
    }
    *out = json_pack("{s:o, s:o, s:s}", "by_year_region", rows, "cumulative", years, "sentence", sentence);
    return 0;
fail:
    json_decref(rows);
    return rc;
}

int refund_stats_xlsx(gh_ctx *x, int64_t org_id, char **data, size_t *len, gh_err *e)
{
    json_t *st = NULL;
    int rc = refund_stats(x, org_id, &st, e);
    if (rc) return rc;
    static const xlsx_col cols[] = {{"year", "年度", XLSX_TEXT, 8}, {"city_name", "地区", XLSX_TEXT, 16},
                                    {"city_code", "区划代码", XLSX_TEXT, 10}, {"enterprises", "返还企业（户）", XLSX_INT, 14},
                                    {"amount_fen", "返还金额（元）", XLSX_MONEY, 18}};
    rc = xlsx_build("经费返还统计", json_string_value(json_object_get(st, "sentence")), cols, 5,
                    json_object_get(st, "by_year_region"), data, len, e);
    json_decref(st);
    return rc;
}
