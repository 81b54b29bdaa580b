/* aid.c — grants of aid and pairing with households; rules in aid.h. */
#include "domain/aid/aid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "base/jsonv.h"
#include "base/money.h"
#include "base/valid.h"
#include "domain/core/audit.h"
#include "domain/core/notice.h"
#include "domain/hardship/hardship.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"

const char *const aid_kinds[] = {"education", "illness", "living", "holiday", "training", NULL};
static const char *const kind_cn[] = {"金秋助学", "大病救助", "生活救助", "送温暖", "技能培训"};
static const char *const school_levels[] = {"compulsory", "high_school", "college", NULL};
static const char *const category_cn[] = {"深度困难", "相对困难", "意外致困"};

static const char *kcn(const char *k)
{
    int i = k ? jv_choice_index(aid_kinds, k) : -1;
    return i >= 0 ? kind_cn[i] : "帮扶";
}

static const char *ccn(const char *c)
{
    int i = c ? jv_choice_index(hardship_categories, c) : -1;
    return i >= 0 ? category_cn[i] : "";
}

static void yuan(int64_t fen, char *out, size_t n)
{
    if (money_format(fen, out, n)) snprintf(out, n, "?");
}

/* ---- rules ---- */

int aid_rules_validate(const json_t *p, gh_err *e)
{
    static const jv_field top[] = {{"kinds", JV_OBJECT, JV_REQUIRED, "救助项目"}, {0}};
    static const jv_field kf[] = {
        {"eligible", JV_ENUMS, JV_REQUIRED, "可申请的困难类别", .choices = hardship_categories},
        {"yearly_cap_fen", JV_MONEY, JV_REQUIRED, "每人每年上限", .min = 1},
        {"standard_fen", JV_MONEY, 0, "标准金额", .min = 1},
        {"max_fen", JV_MONEY, 0, "单次最高金额", .min = 1},
        {"amounts_fen", JV_OBJECT, 0, "按学段和类别的标准"},
        {0},
    };
    int rc = jv_check(p, top, e);
    if (rc) return rc;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(p, "kinds"), k, v) {
        if (jv_choice_index(aid_kinds, k) < 0) return err_set(e, ERR_INVALID, "unknown_field", k, "没有“%s”这一救助项目", k);
        if (!json_is_object(v)) return err_set(e, ERR_INVALID, "invalid_type", k, "救助项目“%s”的规则应为对象", kcn(k));
        rc = jv_check(v, kf, e);
        if (rc) return rc;
        if (strcmp(k, "education") == 0) {
            json_t *am = json_object_get(v, "amounts_fen");
            if (!am) return err_set(e, ERR_INVALID, "missing_field", "amounts_fen", "金秋助学须按学段和困难类别设定标准");
            const char *lv;
            json_t *row;
            json_object_foreach(am, lv, row) {
                if (jv_choice_index(school_levels, lv) < 0 || !json_is_object(row))
                    return err_set(e, ERR_INVALID, "invalid_choice", "amounts_fen", "学段应为 compulsory、high_school 或 college");
                const char *cat;
                json_t *amt;
                json_object_foreach(row, cat, amt)
                    if (jv_choice_index(hardship_categories, cat) < 0 || !json_is_integer(amt) ||
                        json_integer_value(amt) <= 0)
                        return err_set(e, ERR_INVALID, "invalid_amount", "amounts_fen", "助学标准应为大于 0 的金额（分）");
            }
        } else if (!jv_has(v, "max_fen")) {
            return err_set(e, ERR_INVALID, "missing_field", "max_fen", "救助项目“%s”须设定单次最高金额", kcn(k));
        } else if (jv_has(v, "standard_fen") && jv_int(v, "standard_fen", 0) > jv_int(v, "max_fen", 0)) {
            return err_set(e, ERR_INVALID, "invalid_amount", "standard_fen", "标准金额不能高于单次最高金额");
        }
    }
    return 0;
}

/* ---- grants ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_aid_kinds[] = {"education", "金秋助学", "illness", "大病救助", "living", "生活救助", "holiday", "送温暖", "training", "技能培训", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_categories[] = {"deep", "深度困难", "relative", "相对困难", "accident", "意外致困", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_grant_status[] = {"applied", "待初审", "reviewed", "待批准", "approved", "待支付", "paid", "已支付", "rejected", "未通过", NULL};

static const list_col grant_cols[] = {
    {"id", "g.id", COL_INT, "编号"},
    {"file_id", "g.file_id", COL_INT, "档案编号"},
    {"org_id", "g.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "所属工会"},
    {"member_id", "g.member_id", COL_INT},
    {"member_name_masked", "m.name", COL_STR, "姓名"},
    {"id_number_masked", "m.id_mask", COL_STR, "身份证号"},
    {"kind", "g.kind", COL_STR, "救助项目", words_aid_kinds},
    {"year", "g.year", COL_INT, "年度"},
    {"school_level", "g.school_level", COL_STR, "就学阶段"},
    {"category", "g.category", COL_STR, "困难类别", words_categories},
    {"amount_fen", "g.amount_fen", COL_FEN, "金额（元）"},
    {"standard_fen", "g.standard_fen", COL_FEN_NULL, "标准（元）"},
    {"status", "g.status", COL_STR, "状态", words_grant_status},
    {"applied_by", "g.applied_by", COL_INT_NULL},
    {"applied_on", "g.applied_on", COL_STR, "申请日期"},
    {"reviewed_by", "g.reviewed_by", COL_INT_NULL},
    {"reviewed_at", "g.reviewed_at", COL_STR},
    {"approved_by", "g.approved_by", COL_INT_NULL},
    {"approved_on", "g.approved_on", COL_STR, "批准日期"},
    {"payer_org_id", "g.payer_org_id", COL_INT_NULL},
    {"paid_on", "g.paid_on", COL_STR, "发放日期"},
    {"reject_reason", "g.reject_reason", COL_STR, "不予救助原因"},
    {"created_at", "g.created_at", COL_STR},
    {0},
};
#define GRANT_FROM "aid_grants g JOIN orgs o ON o.id = g.org_id JOIN members m ON m.id = g.member_id"

/* The member's name is only ever shown masked. */
static void grant_post(json_t *o, void *arg)
{
    (void)arg;
    char nm[64];
    mask_name(json_string_value(json_object_get(o, "member_name_masked")), nm, sizeof nm);
    json_object_set_new(o, "member_name_masked", json_string(nm));
}

static const char *const grant_statuses[] = {"applied", "reviewed", "approved", "paid", "rejected", NULL};

static const list_filter grant_filters[] = {
    {FILTER_ID, offsetof(aid_query, file_id), "g.file_id = ?", "file_id", "档案"},
    {FILTER_CHOICE, offsetof(aid_query, kind), "g.kind = ?", "kind", "救助项目", aid_kinds},
    {FILTER_CHOICE, offsetof(aid_query, status), "g.status = ?", "status", "状态", grant_statuses},
    {0},
};

static const list_spec grant_spec = {grant_cols, grant_filters, grant_post, "困难救助发放", "aid.export"};

typedef struct grant_t {
    int64_t id, file_id, org_id, member_id, amount, applied_by, reviewed_by, payer_org;
    int year;
    char kind[16], status[12], path[GH_PATH_MAX];
} grant_t;

#define JI(o, k) json_integer_value(json_object_get(o, k))
#define JS(o, k) json_string_value(json_object_get(o, k))

static int grant_load(gh_ctx *x, int64_t id, grant_t *g, json_t **out, int detail, gh_err *e)
{
    json_t *o = NULL;
    memset(g, 0, sizeof *g);
    int rc = list_one(x->db, &grant_spec, NULL, "o.path", GRANT_FROM " WHERE g.id = $1", SV_ARGS(SV_I(id)), &o, g->path, e);
    if (rc == 0) {
        g->id = JI(o, "id");
        g->file_id = JI(o, "file_id");
        g->org_id = JI(o, "org_id");
        g->member_id = JI(o, "member_id");
        snprintf(g->kind, sizeof g->kind, "%s", JS(o, "kind"));
        g->year = (int)JI(o, "year");
        g->amount = JI(o, "amount_fen");
        snprintf(g->status, sizeof g->status, "%s", JS(o, "status"));
        g->applied_by = JI(o, "applied_by");
        g->reviewed_by = JI(o, "reviewed_by");
        g->payer_org = JI(o, "payer_org_id");
        const gh_actor *a = x->actor;
        if (a->role == ROLE_MEMBER ? a->member_id != g->member_id : !actor_is_staff(a) || !actor_in_scope(a, g->path))
            rc = ERR_NOT_FOUND;
        else if (a->role != ROLE_MEMBER && !actor_has_duty(a, DUTY_HARDSHIP))
            rc = err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    }
    char *sealed = NULL;
    store_res r;
    if (rc == 0 && detail && out &&
        (rc = store_query(x->db, &r, "SELECT detail_sealed FROM aid_grants WHERE id = $1", SV_ARGS(SV_I(id)), e)) == 0) {
        if ((rc = store_next(&r, e)) > 0) {
            sealed = store_text(&r, 0) ? strdup(store_text(&r, 0)) : NULL;
            rc = 0;
        }
        store_done(&r);
    }
    if (rc == 0 && sealed) {
        char *plain = NULL;
        if (crypto_open(x->cfg->data_key, sealed, &plain, NULL) == 0) {
            json_t *d = json_loads(plain, 0, NULL);
            json_object_set_new(o, "detail", d ? d : json_null());
        }
        free(plain);
    }
    free(sealed);
    if (rc == 0 && out) *out = o;
    else json_decref(o);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "grant_not_found", "id", "救助申请不存在");
    return rc;
}

int aid_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    grant_t g;
    int rc = grant_load(x, id, &g, out, 1, e);
    if (rc) return rc;
    rc = audit_record(x, "aid.read", "aid_grant", id, g.org_id, "ok", NULL, e);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

typedef struct apply_ctx {
    gh_ctx *x;
    hardship_ref f;
    const json_t *b;
    int64_t amount, standard, policy_id, id;
    int year;
    char today[11];
    json_t *detail;
} apply_ctx;

/* The rule of a kind in force for the file's union on day. */
static int kind_rule(store_conn *db, int64_t org_id, const char *kind, const char *day, json_t **params, json_t **rule,
                     int64_t *policy_id, gh_err *e)
{
    gh_err pe;
    int rc = policy_find(db, "aid_rules", org_id, day, params, policy_id, &pe);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_CONFLICT, "no_aid_rules", NULL, "本地区尚未设置帮扶救助标准（政策参数 aid_rules）");
    if (rc) {
        if (e) *e = pe;
        return rc;
    }
    *rule = json_object_get(json_object_get(*params, "kinds"), kind);
    if (!*rule) return err_set(e, ERR_CONFLICT, "kind_not_offered", "kind", "本地区没有开展“%s”项目", kcn(kind));
    return 0;
}

/* What the person was already granted this year for the kind. */
static int64_t used(store_conn *db, int64_t member_id, const char *kind, int year)
{
    int64_t v = 0;
    store_get_int(db, "SELECT granted_fen FROM aid_usage WHERE member_id = $1 AND kind = $2 AND year = $3",
                  SV_ARGS(SV_I(member_id), SV_T(kind), SV_I(year)), &v, NULL);
    return v;
}

static int over_cap(const char *kind, int64_t used_fen, int64_t amount, int64_t cap, gh_err *e)
{
    char a[32], b[32], c[32];
    yuan(used_fen, a, sizeof a);
    yuan(amount, b, sizeof b);
    yuan(cap, c, sizeof c);
    return err_set(e, ERR_CONFLICT, "over_yearly_cap", "amount_fen",
                   "超过“%s”每人每年上限 %s 元：本年已获批 %s 元，本次申请 %s 元", kcn(kind), c, a, b);
}

/* Check an application against the rules; fills amount and standard. */
static int check_grant(gh_ctx *x, apply_ctx *c, gh_err *e)
{
    const json_t *b = c->b;
    const char *kind = jv_str(b, "kind");
    json_t *params = NULL, *rule = NULL;
    int rc = kind_rule(x->db, c->f.org_id, kind, c->today, &params, &rule, &c->policy_id, e);
    if (rc) goto done;
    if (jv_choice_index(hardship_categories, c->f.category) < 0 ||
        !json_array_size(json_object_get(rule, "eligible"))) {
        rc = err_set(e, ERR_CONFLICT, "not_eligible", "kind", "档案尚未确定困难类别");
        goto done;
    }
    int ok = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(rule, "eligible"), i, v) if (strcmp(json_string_value(v), c->f.category) == 0) ok = 1;
    if (!ok) {
        rc = err_set(e, ERR_CONFLICT, "not_eligible", "kind", "“%s”项目不面向%s职工", kcn(kind), ccn(c->f.category));
        goto done;
    }
    int64_t asked = jv_int(b, "amount_fen", 0);
    if (strcmp(kind, "education") == 0) {
        const char *lvl = jv_str(b, "school_level");
        if (!lvl) {
            rc = err_set(e, ERR_INVALID, "missing_field", "school_level", "金秋助学须选择学段");
            goto done;
        }
        json_t *rec = NULL;
        rc = hardship_record(x, c->f.id, &rec, e);
        if (rc) goto done;
        json_t *child = json_array_get(json_object_get(rec, "family"), (size_t)jv_int(b, "child_index", -1));
        if (!jv_has(b, "child_index") || !child || strcmp(jv_str(child, "relation"), "child") != 0) {
            json_decref(rec);
            rc = err_set(e, ERR_INVALID, "not_a_child", "child_index", "请从档案的家庭成员中选择就学的子女");
            goto done;
        }
        json_object_set_new(c->detail, "child_name", json_string(jv_str(child, "name")));
        json_decref(rec);
        json_t *std = json_object_get(json_object_get(json_object_get(rule, "amounts_fen"), lvl), c->f.category);
        if (!json_is_integer(std)) {
            rc = err_set(e, ERR_CONFLICT, "not_eligible", "school_level", "没有该学段%s职工子女的助学标准", ccn(c->f.category));
            goto done;
        }
        c->standard = json_integer_value(std);
        c->amount = asked ? asked : c->standard;
        if (c->amount > c->standard) {
            char a[32], s[32];
            yuan(c->amount, a, sizeof a);
            yuan(c->standard, s, sizeof s);
            rc = err_set(e, ERR_CONFLICT, "over_standard", "amount_fen", "申请金额 %s 元高于该学段的助学标准 %s 元", a, s);
            goto done;
        }
    } else {
        c->standard = jv_int(rule, "standard_fen", 0);
        c->amount = asked ? asked : c->standard;
        if (!c->amount) {
            rc = err_set(e, ERR_INVALID, "missing_field", "amount_fen", "请填写申请金额");
            goto done;
        }
        int64_t max = jv_int(rule, "max_fen", 0);
        if (c->amount > max) {
            char a[32], m[32];
            yuan(c->amount, a, sizeof a);
            yuan(max, m, sizeof m);
            rc = err_set(e, ERR_CONFLICT, "over_max", "amount_fen", "申请金额 %s 元超过“%s”单次最高 %s 元", a, kcn(kind), m);
            goto done;
        }
    }
    int64_t cap = jv_int(rule, "yearly_cap_fen", 0), u = used(x->db, c->f.member_id, kind, c->year);
    if (u + c->amount > cap) rc = over_cap(kind, u, c->amount, cap, e);
done:
    json_decref(params);
    return rc;
}

static int apply_tx(store_conn *db, void *p, gh_err *e)
{
    apply_ctx *c = p;
    char ts[32], *sealed = NULL;
    ts_now(ts);
    char *plain = json_dumps(c->detail, JSON_COMPACT);
    int rc = plain ? crypto_seal(c->x->cfg->data_key, plain, &sealed, e) : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    free(plain);
    if (rc) return rc;
    store_res q;
    rc = store_query(db, &q,
        "INSERT INTO aid_grants (file_id, org_id, member_id, kind, year, school_level, category, amount_fen, standard_fen,"
        " status, policy_id, detail_sealed, applied_by, applied_on, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'applied', $10, $11, $12, $13, $14, $14) RETURNING id",
        SV_ARGS(SV_I(c->f.id), SV_I(c->f.org_id), SV_I(c->f.member_id), SV_T(jv_str(c->b, "kind")), SV_I(c->year),
                SV_T(jv_str(c->b, "school_level")), SV_T(c->f.category), SV_I(c->amount), SV_IZ(c->standard),
                SV_IZ(c->policy_id), SV_T(sealed), SV_IZ(c->x->actor->user_id), SV_T(c->today), SV_T(ts)),
        e);
    free(sealed);
    if (rc) return rc;
    if ((rc = store_next(&q, e)) > 0) c->id = store_int(&q, 0);
    store_done(&q);
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:s, s:I}", "kind", jv_str(c->b, "kind"), "amount_fen", (json_int_t)c->amount);
    rc = audit_record(c->x, "aid.apply", "aid_grant", c->id, c->f.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int aid_apply(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"file_id", JV_INT, JV_REQUIRED, "困难职工档案", .min = 1, .max = INT64_MAX},
        {"kind", JV_ENUM, JV_REQUIRED, "救助项目", .choices = aid_kinds},
        {"amount_fen", JV_MONEY, 0, "申请金额", .min = 1},
        {"school_level", JV_ENUM, 0, "学段", .choices = school_levels},
        {"child_index", JV_INT, 0, "就学子女", .min = 0, .max = 20},
        {"reason", JV_STRING, JV_REQUIRED | JV_MULTILINE, "申请理由", .max = 500},
        {0},
    };
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    /* A form that could not read the amount as a number sends null: say so,
     * rather than asking for an amount that was typed. */
    if (json_is_null(json_object_get(body, "amount_fen")))
        return err_set(e, ERR_INVALID, "invalid_amount", "amount_fen", "申请金额不是有效的数字，请填写如 1200 或 1200.50 的金额");
    apply_ctx c = {.x = x, .b = body};
    date_format(date_today_cn(), c.today);
    c.year = atoi(c.today);
    rc = hardship_ref_load(x->db, jv_int(body, "file_id", 0), &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 1, "aid.apply", e);
    if (rc) {
        if (e && strcmp(e->code, "file_not_found") == 0) snprintf(e->field, sizeof e->field, "file_id");
        return rc;
    }
    if (strcmp(c.f.status, "open") != 0)
        return err_set(e, ERR_CONFLICT, "file_not_open", "file_id",
                       strcmp(c.f.status, "pending") == 0 ? "档案尚待上级审核确认，确认后才能申请救助"
                                                          : "档案已撤档，不能再申请救助");
    c.detail = json_pack("{s:s}", "reason", jv_str(body, "reason"));
    rc = check_grant(x, &c, e);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, apply_tx, &c, e);
    json_decref(c.detail);
    if (rc) return rc;
    return aid_get(x, c.id, out, e);
}

typedef struct step_ctx {
    gh_ctx *x;
    grant_t g;
    const char *note;
    int kind; /* 0 review, 1 approve, 2 reject, 3 pay */
    int64_t payer;
} step_ctx;

static int step_tx(store_conn *db, void *p, gh_err *e)
{
    step_ctx *s = p;
    char ts[32], today[11];
    ts_now(ts);
    date_format(date_today_cn(), today);
    int64_t changed = 0;
    int rc = 0;
    const char *action = "aid.review";
    int64_t uid = s->x->actor->user_id;
    if (s->kind == 0) {
        rc = store_exec(db, "UPDATE aid_grants SET status = 'reviewed', reviewed_by = $2, reviewed_at = $3, updated_at = $3"
                            " WHERE id = $1 AND status = 'applied'",
                        SV_ARGS(SV_I(s->g.id), SV_IZ(uid), SV_T(ts)), &changed, e);
        if (rc == 0 && !changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有待初审的申请可以初审");
    } else if (s->kind == 2) {
        action = "aid.reject";
        rc = store_exec(db, "UPDATE aid_grants SET status = 'rejected', reject_reason = $2, updated_at = $3"
                            " WHERE id = $1 AND status IN ('applied', 'reviewed')",
                        SV_ARGS(SV_I(s->g.id), SV_T(s->note), SV_T(ts)), &changed, e);
        if (rc == 0 && !changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "已批准的申请不能退回");
    } else if (s->kind == 1) {
        action = "aid.approve";
        /* The file must still be open, and the cap must hold at this moment. */
        hardship_ref f;
        rc = hardship_ref_load(db, s->g.file_id, &f, e);
        if (rc) return rc;
        if (strcmp(f.status, "open") != 0) return err_set(e, ERR_CONFLICT, "file_not_open", NULL, "档案已撤档，不能批准救助");
        json_t *params = NULL, *rule = NULL;
        int64_t pid = 0;
        char applied[11];
        snprintf(applied, sizeof applied, "%04d-12-31", s->g.year);
        rc = store_exec(db,
            "INSERT INTO aid_usage (member_id, kind, year, granted_fen) VALUES ($1, $2, $3, 0) ON CONFLICT (member_id, kind, year) DO NOTHING",
            SV_ARGS(SV_I(s->g.member_id), SV_T(s->g.kind), SV_I(s->g.year)), NULL, e);
        if (rc) return rc;
        store_res q;
        rc = store_query(db, &q, "SELECT applied_on FROM aid_grants WHERE id = $1", SV_ARGS(SV_I(s->g.id)), e);
        if (rc) return rc;
        if (store_next(&q, e) > 0) snprintf(applied, sizeof applied, "%s", store_text(&q, 0));
        store_done(&q);
        rc = kind_rule(db, f.org_id, s->g.kind, applied, &params, &rule, &pid, e);
        int64_t cap = rule ? jv_int(rule, "yearly_cap_fen", 0) : 0;
        json_decref(params);
        if (rc) return rc;
        rc = store_exec(db,
            "UPDATE aid_usage SET granted_fen = granted_fen + $4 WHERE member_id = $1 AND kind = $2 AND year = $3"
            " AND granted_fen + $4 <= $5",
            SV_ARGS(SV_I(s->g.member_id), SV_T(s->g.kind), SV_I(s->g.year), SV_I(s->g.amount), SV_I(cap)), &changed, e);
        if (rc) return rc;
        if (!changed) return over_cap(s->g.kind, used(db, s->g.member_id, s->g.kind, s->g.year), s->g.amount, cap, e);
        rc = store_exec(db,
            "UPDATE aid_grants SET status = 'approved', approved_by = $2, approved_on = $3, payer_org_id = $4, updated_at = $5"
            " WHERE id = $1 AND status = 'reviewed'",
            SV_ARGS(SV_I(s->g.id), SV_IZ(uid), SV_T(today), SV_I(s->payer), SV_T(ts)), &changed, e);
        if (rc) return rc;
        if (!changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有已初审的申请可以批准");
        int64_t exp, pay;
        rc = ledger_account(db, s->payer, "aid_expense", &exp, e);
        if (rc == 0) rc = ledger_account(db, s->payer, "aid_payable", &pay, e);
        if (rc) return rc;
        char key[64], memo[64];
        snprintf(key, sizeof key, "aid_grant:%lld:approve", (long long)s->g.id);
        snprintf(memo, sizeof memo, "%s", kcn(s->g.kind));
        ledger_leg leg = {.debit_account = exp, .credit_account = pay, .amount_fen = s->g.amount, .idem_key = key,
                          .ref_type = "aid_grant", .ref_id = s->g.id, .memo = memo};
        rc = ledger_post(s->x, key, &leg, 1, NULL, NULL, e);
    } else {
        action = "aid.pay";
        rc = store_exec(db, "UPDATE aid_grants SET status = 'paid', paid_by = $2, paid_on = $3, updated_at = $4"
                            " WHERE id = $1 AND status = 'approved'",
                        SV_ARGS(SV_I(s->g.id), SV_IZ(uid), SV_T(today), SV_T(ts)), &changed, e);
        if (rc) return rc;
        if (!changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有已批准、尚未支付的救助可以支付");
        int64_t pay, bank;
        rc = ledger_account(db, s->g.payer_org, "aid_payable", &pay, e);
        if (rc == 0) rc = ledger_account(db, s->g.payer_org, "bank", &bank, e);
        if (rc) return rc;
        char key[64];
        snprintf(key, sizeof key, "aid_grant:%lld:pay", (long long)s->g.id);
        ledger_leg leg = {.debit_account = pay, .credit_account = bank, .amount_fen = s->g.amount, .idem_key = key,
                          .ref_type = "aid_grant", .ref_id = s->g.id, .memo = "支付帮扶救助金"};
        rc = ledger_post(s->x, key, &leg, 1, NULL, NULL, e);
    }
    if (rc) return rc;
    if (s->kind == 1 || s->kind == 2) { /* the member learns the decision */
        char amount[48], body[400];
        money_format_yuan_cn(s->g.amount, amount, sizeof amount);
        if (s->kind == 1)
            snprintf(body, sizeof body, "您的%s申请已批准，金额 %s，将由工会发放。", kcn(s->g.kind), amount);
        else
            snprintf(body, sizeof body, "您的%s申请未获批准。原因：%s", kcn(s->g.kind), s->note ? s->note : "");
        notice_msg m = {.member_id = s->g.member_id, .kind = "aid_decided",
                        .title = s->kind == 1 ? "帮扶救助申请已批准" : "帮扶救助申请未获批准", .body = body,
                        .link = "/m/aid.html", .ref_type = "aid_grant", .ref_id = s->g.id, .sms = 1};
        rc = notice_send(db, s->x->cfg, &m, e);
        if (rc) return rc;
    }
    json_t *d = json_pack("{s:s?, s:I}", "note", s->note, "amount_fen", (json_int_t)s->g.amount);
    rc = audit_record(s->x, action, "aid_grant", s->g.id, s->g.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

static int step(gh_ctx *x, int64_t id, int kind, const char *note, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_MEMBER) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "会员不能审批救助申请");
    if (kind == 3 && !actor_has_duty(a, DUTY_FINANCE))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "支付须由有财务职责的工作人员办理");
    step_ctx s = {.x = x, .kind = kind, .note = note};
    int rc = grant_load(x, id, &s.g, NULL, 0, e);
    if (rc) return rc;
    if (kind == 1) {
        /* Maker/checker: the one who reviewed does not approve. */
        if (a->user_id && s.g.reviewed_by == a->user_id)
            return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "初审人不能再批准同一笔救助，须由另一名工作人员批准");
        s.payer = a->org_id ? a->org_id : s.g.org_id;
    }
    if (kind == 3) {
        char path[GH_PATH_MAX];
        rc = org_scope_path(x, s.g.payer_org, path, e);
        if (rc) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "须由出资工会的财务人员支付");
    }
    rc = store_tx(x->db, STORE_WRITE, step_tx, &s, e);
    if (rc) return rc;
    return aid_get(x, id, out, e);
}

int aid_review(gh_ctx *x, int64_t id, const char *note, json_t **out, gh_err *e) { return step(x, id, 0, note, out, e); }
int aid_approve(gh_ctx *x, int64_t id, const char *note, json_t **out, gh_err *e) { return step(x, id, 1, note, out, e); }
int aid_pay(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return step(x, id, 3, NULL, out, e); }

int aid_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写不予救助的原因");
    return step(x, id, 2, reason, out, e);
}

int aid_list(gh_ctx *x, const aid_query *q, json_t **out, gh_err *e)
{
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int64_t audit_org = q->org_id ? q->org_id : x->actor->org_id;
    if (x->actor->role == ROLE_MEMBER) {
        /* the member's union, for the audit entry (none: no grants either) */
        if (store_get_int(x->db, "SELECT org_id FROM members WHERE id = $1", SV_ARGS(SV_I(x->actor->member_id)), &audit_org,
                          NULL) != 0)
            audit_org = 0;
        sqlw_init(&w, GRANT_FROM " WHERE g.member_id = ?", SV_ARGS(SV_I(x->actor->member_id)));
    } else {
        if (!actor_is_staff(x->actor) || !actor_has_duty(x->actor, DUTY_HARDSHIP))
            return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
        int rc = hardship_scope_bounds(x, q->org_id, lo, hi, e);
        if (rc) return rc;
        sqlw_init(&w, GRANT_FROM " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    }
    int rc = list_query(x, &grant_spec, q, &w, "g.id DESC", &pg, NULL, out, e);
    if (rc || !*out) return rc; /* an export is audited as such */
    /* Who looked at which households' aid, even masked: recorded under the
     * org listed (or the reader's own) so the auditors of that scope see it. */
    json_t *d = json_pack("{s:I, s:s?, s:s?, s:I, s:I}", "file_id", (json_int_t)q->file_id, "kind", q->kind, "status",
                          q->status, "org_id", (json_int_t)q->org_id, "shown",
                          (json_int_t)json_array_size(json_object_get(*out, "items")));
    rc = audit_record(x, "aid.list", "org", q->org_id, audit_org, "ok", d, e);
    json_decref(d);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- statistics ---- */

static int aid_stats_args(gh_ctx *x, int64_t org_id, const char *from, const char *to, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (!actor_is_staff(a) || (!actor_has_duty(a, DUTY_HARDSHIP) && a->role != ROLE_AUDITOR))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看帮扶统计的权限");
    int32_t d;
    char f[11], t[11];
    date_format(date_today_cn(), t);
    snprintf(f, sizeof f, "%.4s-01-01", t);
    if (from && *from) {
        if (date_parse(from, &d, NULL)) return err_set(e, ERR_INVALID, "invalid_query", "from", "起始日期格式应为 YYYY-MM-DD");
        snprintf(f, sizeof f, "%s", from);
    }
    if (to && *to) {
        if (date_parse(to, &d, NULL)) return err_set(e, ERR_INVALID, "invalid_query", "to", "截止日期格式应为 YYYY-MM-DD");
        snprintf(t, sizeof t, "%s", to);
    }
    if (strcmp(f, t) > 0) return err_set(e, ERR_INVALID, "invalid_query", "to", "截止日期不能早于起始日期");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = hardship_scope_bounds(x, org_id, lo, hi, e);
    if (rc) return rc;
    const char *where =
        " FROM aid_grants g JOIN orgs o ON o.id = g.org_id WHERE g.status IN ('approved', 'paid')"
        " AND g.approved_on >= $1 AND g.approved_on <= $2 AND o.path >= $3 AND o.path < $4";
    buf sql = {0};
    json_t *kinds = json_array(), *orgs = json_array(), *o = NULL;
    store_res r;
    int64_t total = 0, grants = 0, people = 0;
    buf_printf(&sql, "SELECT COUNT(*), COALESCE(SUM(g.amount_fen), 0), COUNT(DISTINCT g.member_id)%s", where);
    rc = store_query(x->db, &r, buf_str(&sql), SV_ARGS(SV_T(f), SV_T(t), SV_T(lo), SV_T(hi)), e);
    if (rc) goto done;
    if ((rc = store_next(&r, e)) > 0) {
        grants = store_int(&r, 0);
        total = store_int(&r, 1);
        people = store_int(&r, 2);
        rc = 0;
    }
    store_done(&r);
    if (rc) goto done;
    buf_reset(&sql);
    buf_printf(&sql, "SELECT g.kind, COUNT(*), SUM(g.amount_fen), COUNT(DISTINCT g.member_id)%s GROUP BY g.kind ORDER BY g.kind", where);
    rc = store_query(x->db, &r, buf_str(&sql), SV_ARGS(SV_T(f), SV_T(t), SV_T(lo), SV_T(hi)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", store_text(&r, 0), "label",
                                               kcn(store_text(&r, 0)), "grants", (json_int_t)store_int(&r, 1), "amount_fen",
                                               (json_int_t)store_int(&r, 2), "people", (json_int_t)store_int(&r, 3)));
    store_done(&r);
    if (rc < 0) goto done;
    /* Per child org of the root: the subtree of each. */
    rc = store_query(x->db, &r,
        "SELECT c.id, c.name, (SELECT COUNT(*) FROM aid_grants g JOIN orgs o ON o.id = g.org_id"
        "   WHERE g.status IN ('approved', 'paid') AND g.approved_on >= $1 AND g.approved_on <= $2"
        "   AND o.path >= c.path AND o.path < c.path || '~'),"
        " (SELECT COALESCE(SUM(g.amount_fen), 0) FROM aid_grants g JOIN orgs o ON o.id = g.org_id"
        "   WHERE g.status IN ('approved', 'paid') AND g.approved_on >= $1 AND g.approved_on <= $2"
        "   AND o.path >= c.path AND o.path < c.path || '~')"
        " FROM orgs c WHERE c.parent_id = (SELECT id FROM orgs WHERE path = $3) ORDER BY c.path",
        SV_ARGS(SV_T(f), SV_T(t), SV_T(lo)), e);
    if (rc) goto done;
    while ((rc = store_next(&r, e)) > 0)
        if (store_int(&r, 2))
            json_array_append_new(orgs, json_pack("{s:I, s:s, s:I, s:I}", "org_id", (json_int_t)store_int(&r, 0), "name",
                                                  store_text(&r, 1), "grants", (json_int_t)store_int(&r, 2), "amount_fen",
                                                  (json_int_t)store_int(&r, 3)));
    store_done(&r);
    if (rc < 0) goto done;
    char amt[48], ng[32], np[32], sentence[400], root[200] = "";
    money_format_yuan_cn(total, amt, sizeof amt);
    money_format_count_cn(grants, ng, sizeof ng);
    money_format_count_cn(people, np, sizeof np);
    if (store_query(x->db, &r, "SELECT name FROM orgs WHERE path = $1", SV_ARGS(SV_T(lo)), NULL) == 0) {
        if (store_next(&r, NULL) > 0) snprintf(root, sizeof root, "%s", store_text(&r, 0));
        store_done(&r);
    }
    snprintf(sentence, sizeof sentence, "%s至%s，%s投入帮扶救助资金%s，救助困难职工%s人次（%s人）", f, t,
             root[0] ? root : "全部组织", amt, ng, np);
    o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:O, s:O}", "from", f, "to", t, "amount_fen", (json_int_t)total,
                  "grants", (json_int_t)grants, "people", (json_int_t)people, "sentence", sentence, "by_kind", kinds,
                  "by_org", orgs);
    rc = 0;
done:
    buf_free(&sql);
    json_decref(kinds);
    json_decref(orgs);
    if (rc == 0) *out = o;
    return rc;
}

int aid_stats(gh_ctx *x, const aid_stats_query *q, json_t **out, gh_err *e)
{
    return aid_stats_args(x, q->org_id, q->from, q->to, out, e);
}

/* ---- pairing ---- */

int aid_pairing_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    static const char *const partners[] = {"officer", "unit", NULL};
    static const jv_field f[] = {
        {"file_id", JV_INT, JV_REQUIRED, "困难职工档案", .min = 1, .max = INT64_MAX},
        {"partner_kind", JV_ENUM, JV_REQUIRED, "结对方类型", .choices = partners},
        {"partner_name", JV_STRING, JV_REQUIRED, "结对干部或单位", .max = 100},
        {"started_on", JV_DATE, JV_REQUIRED, "结对日期"},
        {0},
    };
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    if (x->actor->role == ROLE_MEMBER) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "会员不能建立结对");
    hardship_ref fr;
    rc = hardship_ref_load(x->db, jv_int(body, "file_id", 0), &fr, e);
    if (rc == 0) rc = hardship_access(x, &fr, 1, 0, "aid.pairing", e);
    if (rc) return rc;
    if (strcmp(fr.status, "open") != 0) return err_set(e, ERR_CONFLICT, "file_not_open", "file_id", "只能与在档的困难职工家庭结对");
    char ts[32];
    ts_now(ts);
    int64_t id = 0;
    rc = store_begin(x->db, STORE_WRITE, e);
    if (rc) return rc;
    store_res q;
    rc = store_query(x->db, &q,
        "INSERT INTO aid_pairings (file_id, org_id, partner_kind, partner_name, started_on, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        SV_ARGS(SV_I(fr.id), SV_I(fr.org_id), SV_T(jv_str(body, "partner_kind")), SV_T(jv_str(body, "partner_name")),
                SV_T(jv_str(body, "started_on")), SV_IZ(x->actor->user_id), SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) id = store_int(&q, 0), rc = 0;
        store_done(&q);
    }
    if (rc == 0) rc = audit_record(x, "aid.pairing", "aid_pairing", id, fr.org_id, "ok", NULL, e);
    if (rc) {
        store_rollback(x->db);
        return rc;
    }
    rc = store_commit(x->db, e);
    if (rc) return rc;
    *out = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "file_id", (json_int_t)fr.id, "partner_kind",
                     jv_str(body, "partner_kind"), "partner_name", jv_str(body, "partner_name"), "started_on",
                     jv_str(body, "started_on"));
    return 0;
}

static int aid_pairings_list_args(gh_ctx *x, int64_t file_id, json_t **out, gh_err *e)
{
    hardship_ref fr;
    int rc = hardship_ref_load(x->db, file_id, &fr, e);
    if (rc == 0) rc = hardship_access(x, &fr, 0, 0, "aid.pairings", e);
    if (rc) return rc;
    store_res r;
    rc = store_query(x->db, &r,
        "SELECT p.id, p.partner_kind, p.partner_name, p.started_on, p.ended_on,"
        " (SELECT COUNT(*) FROM aid_visits v WHERE v.pairing_id = p.id), (SELECT MAX(visited_on) FROM aid_visits v WHERE v.pairing_id = p.id)"
        " FROM aid_pairings p WHERE p.file_id = $1 ORDER BY p.id",
        SV_ARGS(SV_I(file_id)), e);
    if (rc) return rc;
    json_t *items = json_array();
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:s?}", "id", (json_int_t)store_int(&r, 0),
                                               "partner_kind", store_text(&r, 1), "partner_name", store_text(&r, 2),
                                               "started_on", store_text(&r, 3), "ended_on", store_text(&r, 4), "visits",
                                               (json_int_t)store_int(&r, 5), "last_visit", store_text(&r, 6)));
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

int aid_pairings_list(gh_ctx *x, const aid_pairing_query *q, json_t **out, gh_err *e)
{
    if (q->file_id <= 0) return err_set(e, ERR_INVALID, "missing_field", "file_id", "请指定档案（file_id）");
    return aid_pairings_list_args(x, q->file_id, out, e);
}

/* The pairing's file, checked for the actor. */
static int pairing_file(gh_ctx *x, int64_t pairing_id, int write, hardship_ref *fr, gh_err *e)
{
    int64_t file_id = 0;
    int rc = store_get_int(x->db, "SELECT file_id FROM aid_pairings WHERE id = $1", SV_ARGS(SV_I(pairing_id)), &file_id, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "pairing_not_found", "id", "结对记录不存在");
    if (rc == 0) rc = hardship_ref_load(x->db, file_id, fr, e);
    if (rc == 0) rc = hardship_access(x, fr, write, 0, "aid.visits", e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "pairing_not_found", "id", "结对记录不存在");
    return rc;
}

int aid_visit_add(gh_ctx *x, int64_t pairing_id, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"visited_on", JV_DATE, JV_REQUIRED, "走访日期"},
        {"note", JV_STRING, JV_REQUIRED | JV_MULTILINE, "走访情况", .max = 1000},
        {0},
    };
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    hardship_ref fr;
    rc = pairing_file(x, pairing_id, 1, &fr, e);
    if (rc) return rc;
    char today[11];
    date_format(date_today_cn(), today);
    if (strcmp(jv_str(body, "visited_on"), today) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "visited_on", "走访日期不能晚于今天");
    char *sealed = NULL, ts[32];
    rc = crypto_seal(x->cfg->data_key, jv_str(body, "note"), &sealed, e);
    if (rc) return rc;
    ts_now(ts);
    rc = store_begin(x->db, STORE_WRITE, e);
    if (rc == 0)
        rc = store_exec(x->db,
            "INSERT INTO aid_visits (pairing_id, org_id, visited_on, note_sealed, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            SV_ARGS(SV_I(pairing_id), SV_I(fr.org_id), SV_T(jv_str(body, "visited_on")), SV_T(sealed), SV_IZ(x->actor->user_id),
                    SV_T(ts)),
            NULL, e);
    free(sealed);
    if (rc == 0) rc = audit_record(x, "aid.visit", "aid_pairing", pairing_id, fr.org_id, "ok", NULL, e);
    if (rc) {
        store_rollback(x->db);
        return rc;
    }
    rc = store_commit(x->db, e);
    if (rc) return rc;
    return aid_visits_list(x, pairing_id, out, e);
}

int aid_visits_list(gh_ctx *x, int64_t pairing_id, json_t **out, gh_err *e)
{
    hardship_ref fr;
    int rc = pairing_file(x, pairing_id, 0, &fr, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(x->db, &r,
        "SELECT v.id, v.visited_on, v.note_sealed, u.display_name, v.created_at FROM aid_visits v"
        " LEFT JOIN users u ON u.id = v.actor_id WHERE v.pairing_id = $1 ORDER BY v.visited_on, v.id",
        SV_ARGS(SV_I(pairing_id)), e);
    if (rc) return rc;
    json_t *items = json_array();
    while ((rc = store_next(&r, e)) > 0) {
        char *note = NULL;
        if (store_text(&r, 2)) crypto_open(x->cfg->data_key, store_text(&r, 2), &note, NULL);
        json_array_append_new(items, json_pack("{s:I, s:s, s:s?, s:s?, s:s}", "id", (json_int_t)store_int(&r, 0), "visited_on",
                                               store_text(&r, 1), "note", note, "actor", store_text(&r, 3), "created_at",
                                               store_text(&r, 4)));
        free(note);
    }
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    rc = audit_record(x, "aid.visits_read", "aid_pairing", pairing_id, fr.org_id, "ok", NULL, e);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}
