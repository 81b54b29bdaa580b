/* mutual_aid.c — mutual medical aid; rules and the calculation in
 * mutual_aid.h. */
#include "domain/mutual_aid/mutual_aid.h"

#include <assert.h>
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
#include "domain/hardship/hardship.h"
#include "domain/core/ledger.h"
#include "domain/core/list.h"
#include "domain/member/member.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"

static const char *const ROUNDING =
    "每一段金额乘以报销比例后按四舍五入保留到分，再把各段相加；超过年度封顶剩余额度的部分不予支付，结果不会为负数。";

/* ---- the rules and the calculation ---- */

int mutual_aid_rules_parse(const json_t *p, ma_rules *r, gh_err *e)
{
    static const jv_field f[] = {
        {"deductible_fen", JV_MONEY, JV_REQUIRED, "起付线"},
        {"bands", JV_ARRAY, JV_REQUIRED, "分段报销比例", .max = MA_MAX_BANDS},
        {"yearly_cap_fen", JV_MONEY, JV_REQUIRED, "年度封顶", .min = 1},
        {0},
    };
    static const jv_field bf[] = {
        {"upto_fen", JV_MONEY, JV_NULLABLE, "分段上限", .min = 1},
        {"ratio_pct", JV_INT, JV_REQUIRED, "报销比例（%）", .min = 0, .max = 100},
        {0},
    };
    memset(r, 0, sizeof *r);
    if (!json_is_object(p)) return err_set(e, ERR_INVALID, "invalid_type", "params", "互助待遇参数应为对象");
    int rc = jv_check(p, f, e);
    if (rc) return rc;
    json_t *bands = json_object_get(p, "bands");
    if (json_array_size(bands) == 0) return err_set(e, ERR_INVALID, "missing_field", "bands", "至少要有一段报销比例");
    size_t i;
    json_t *b;
    int64_t prev = 0;
    json_array_foreach(bands, i, b) {
        if (!json_is_object(b)) return err_set(e, ERR_INVALID, "invalid_type", "bands", "分段应为对象");
        rc = jv_check(b, bf, e);
        if (rc) return rc;
        int64_t upto = jv_int(b, "upto_fen", 0);
        if (!upto && i + 1 < json_array_size(bands))
            return err_set(e, ERR_INVALID, "invalid_bands", "bands", "只有最后一段可以不设上限");
        if (upto && upto <= prev)
            return err_set(e, ERR_INVALID, "invalid_bands", "bands", "各段上限应逐段递增");
        r->bands[i].upto_fen = upto;
        r->bands[i].ratio_pct = (int)jv_int(b, "ratio_pct", 0);
        prev = upto;
    }
    r->nbands = (int)json_array_size(bands);
    r->deductible_fen = jv_int(p, "deductible_fen", 0);
    r->yearly_cap_fen = jv_int(p, "yearly_cap_fen", 0);
    return 0;
}

int mutual_aid_benefit_validate(const json_t *params, gh_err *e)
{
    ma_rules r;
    return mutual_aid_rules_parse(params, &r, e);
}

static void yuan(int64_t fen, char *out, size_t n)
{
    if (money_format_yuan_cn(fen, out, n)) snprintf(out, n, "?");
}

static void line(json_t *lines, const char *label, int64_t amount)
{
    if (lines) json_array_append_new(lines, json_pack("{s:s, s:I}", "label", label, "amount_fen", (json_int_t)amount));
}

int mutual_aid_compute(const ma_rules *r, const ma_figures *f, int64_t *payable, json_t **out, gh_err *e)
{
    *payable = 0;
    if (out) *out = NULL;
    if (f->total_cost_fen <= 0) return err_set(e, ERR_INVALID, "invalid_amount", "total_cost_fen", "医疗总费用应大于 0");
    if (f->basic_insurance_fen < 0 || f->other_insurance_fen < 0 || f->out_of_scope_fen < 0 || f->already_paid_fen < 0)
        return err_set(e, ERR_INVALID, "invalid_amount", NULL, "金额不能为负数");
    char a[48], b[48];
    /* The sums cannot overflow: every figure is at most 10^13 fen. */
    int64_t insured = f->basic_insurance_fen + f->other_insurance_fen;
    if (insured > f->total_cost_fen) {
        yuan(insured, a, sizeof a);
        yuan(f->total_cost_fen, b, sizeof b);
        return err_set(e, ERR_INVALID, "insurance_exceeds_cost", "basic_insurance_fen",
                       "基本医保和其他保险支付合计（%s）超过了医疗总费用（%s），请核对", a, b);
    }
    if (insured + f->out_of_scope_fen > f->total_cost_fen)
        return err_set(e, ERR_INVALID, "deductions_exceed_cost", "out_of_scope_fen",
                       "保险支付与目录外费用合计超过了医疗总费用，请核对");
    json_t *lines = out ? json_array() : NULL;
    int64_t eligible = f->total_cost_fen - insured - f->out_of_scope_fen;
    assert(eligible >= 0); /* the two refusals above */
    line(lines, "医疗总费用", f->total_cost_fen);
    line(lines, "减：基本医疗保险支付", f->basic_insurance_fen);
    line(lines, "减：其他保险支付", f->other_insurance_fen);
    line(lines, "减：目录外（不予报销）费用", f->out_of_scope_fen);
    line(lines, "＝ 可报销费用", eligible);
    line(lines, "减：起付线", r->deductible_fen);
    int64_t above = eligible - r->deductible_fen;
    if (above < 0) above = 0;
    line(lines, "＝ 起付线以上部分", above);
    int64_t sum = 0, prev = 0;
    for (int i = 0; i < r->nbands; i++) {
        int64_t hi = r->bands[i].upto_fen ? r->bands[i].upto_fen : INT64_MAX;
        int64_t part = above > prev ? (above < hi ? above : hi) - prev : 0;
        int64_t amt = 0;
        if (money_ratio(part, r->bands[i].ratio_pct, 100, &amt)) {
            json_decref(lines);
            return err_set(e, ERR_INVALID, "invalid_amount", NULL, "金额超出范围");
        }
        sum += amt;
        if (lines) {
            char label[200];
            yuan(prev, a, sizeof a);
            if (r->bands[i].upto_fen) {
                yuan(hi, b, sizeof b);
                snprintf(label, sizeof label, "第 %d 段：起付线以上 %s 至 %s 部分 × %d%%", i + 1, a, b, r->bands[i].ratio_pct);
            } else {
                snprintf(label, sizeof label, "第 %d 段：起付线以上超过 %s 部分 × %d%%", i + 1, a, r->bands[i].ratio_pct);
            }
            json_array_append_new(lines, json_pack("{s:s, s:I, s:I, s:i}", "label", label, "base_fen", (json_int_t)part,
                                                   "amount_fen", (json_int_t)amt, "ratio_pct", r->bands[i].ratio_pct));
        }
        if (!r->bands[i].upto_fen) break;
        prev = hi;
    }
    if (lines && r->nbands && r->bands[r->nbands - 1].upto_fen && above > r->bands[r->nbands - 1].upto_fen)
        line(lines, "超出最高一段上限的部分不予支付", above - r->bands[r->nbands - 1].upto_fen);
    line(lines, "分段合计", sum);
    int64_t remaining = r->yearly_cap_fen - f->already_paid_fen;
    if (remaining < 0) remaining = 0;
    line(lines, "年度封顶", r->yearly_cap_fen);
    line(lines, "减：本年度已获互助金", f->already_paid_fen);
    line(lines, "＝ 本次最多可支付", remaining);
    *payable = sum < remaining ? sum : remaining;
    /* ratio_pct <= 100 (mutual_aid_rules_parse), so no band pays more than its
     * part, and the bands never pay more than is above the deductible. */
    assert(sum >= 0 && sum <= above && *payable <= remaining);
    line(lines, "本次互助金", *payable);
    if (out) *out = lines;
    return 0;
}

/* ---- plans ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_claim_status[] = {"submitted", "待审核", "approved", "待支付", "paid", "已支付", "rejected", "已退回", NULL};

static const list_col plan_cols[] = {
    {"id", "p.id", COL_INT, "编号"},
    {"org_id", "p.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "主办工会"},
    {"year", "p.year", COL_INT, "年度"},
    {"name", "p.name", COL_STR, "计划名称"},
    {"contribution_fen", "p.contribution_fen", COL_FEN, "每人缴费（元）"},
    {"min_group_share_pct", "p.min_group_share_pct", COL_INT, "单位最低参加比例（%）"},
    {"enroll_from", "p.enroll_from", COL_STR, "参加开始"},
    {"enroll_to", "p.enroll_to", COL_STR, "参加截止"},
    {"cover_from", "p.cover_from", COL_STR, "保障开始"},
    {"cover_to", "p.cover_to", COL_STR, "保障截止"},
    {"created_at", "p.created_at", COL_STR},
    {"enrolled", "(SELECT COUNT(*) FROM mutual_aid_enrolments en WHERE en.plan_id = p.id)", COL_INT, "参加人数"},
    {0},
};

static const list_filter plan_filters[] = {
    {FILTER_ID, offsetof(mutual_aid_plan_query, year), "p.year = ?", "year", "年度"},
    {0},
};

static const list_spec plan_spec = {plan_cols, plan_filters, .title = "医疗互助计划"};

#define JI(o, k) json_integer_value(json_object_get(o, k))
#define JS(o, k) json_string_value(json_object_get(o, k))

/* The path the actor stands on: a member's union, an officer's org. */
static int actor_path(gh_ctx *x, char path[GH_PATH_MAX], gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_MEMBER) {
        int64_t org = 0;
        int rc = store_get_int(x->db, "SELECT org_id FROM members WHERE id = $1", SV_ARGS(SV_I(a->member_id)), &org, e);
        return rc ? rc : org_path(x->db, org, path, e);
    }
    if (a->org_id) return org_path(x->db, a->org_id, path, e);
    snprintf(path, GH_PATH_MAX, "%s", a->scope[0] ? a->scope : "/");
    return 0;
}

typedef struct plan_t {
    int64_t id, org_id, contribution;
    int year, min_share;
    char enroll_from[11], enroll_to[11], cover_from[11], cover_to[11], path[GH_PATH_MAX], name[200];
} plan_t;

/* A plan the actor can see: of an org in scope, or of an org above the
 * actor's own (members: above their union). */
static int plan_load(gh_ctx *x, int64_t id, plan_t *p, json_t **out, gh_err *e)
{
    json_t *o = NULL;
    memset(p, 0, sizeof *p);
    int rc = list_one(x->db, &plan_spec, NULL, "o.path", "mutual_aid_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1",
                      SV_ARGS(SV_I(id)), &o, p->path, e);
    if (rc == 0) {
        p->id = JI(o, "id");
        p->org_id = JI(o, "org_id");
        p->year = (int)JI(o, "year");
        snprintf(p->name, sizeof p->name, "%s", JS(o, "name"));
        p->contribution = JI(o, "contribution_fen");
        p->min_share = (int)JI(o, "min_group_share_pct");
        snprintf(p->enroll_from, 11, "%s", JS(o, "enroll_from"));
        snprintf(p->enroll_to, 11, "%s", JS(o, "enroll_to"));
        snprintf(p->cover_from, 11, "%s", JS(o, "cover_from"));
        snprintf(p->cover_to, 11, "%s", JS(o, "cover_to"));
        if (out) *out = o;
        else json_decref(o);
    }
    if (rc == 0) {
        char own[GH_PATH_MAX];
        int ok = actor_is_staff(x->actor) && actor_in_scope(x->actor, p->path);
        if (!ok && (x->actor->role == ROLE_MEMBER || actor_is_staff(x->actor)) && actor_path(x, own, NULL) == 0)
            ok = strncmp(own, p->path, strlen(p->path)) == 0;
        if (!ok) {
            if (out) {
                json_decref(*out);
                *out = NULL;
            }
            rc = ERR_NOT_FOUND;
        }
    }
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "plan_not_found", "plan_id", "医疗互助计划不存在");
    return rc;
}

int mutual_aid_plan_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    plan_t p;
    return plan_load(x, id, &p, out, e);
}

static int mutual_aid_plans_list_args(gh_ctx *x, int64_t org_id, int year, int page, int per_page, json_t **out, gh_err *e)
{
    if (!actor_is_staff(x->actor) && x->actor->role != ROLE_MEMBER)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看医疗互助计划的权限");
    char own[GH_PATH_MAX], lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    int rc = actor_path(x, own, e);
    if (rc) return rc;
    if (org_id) rc = org_scope_path(x, org_id, lo, e);
    else snprintf(lo, sizeof lo, "%s", x->actor->role == ROLE_MEMBER ? "~" : x->actor->scope);
    if (rc) return rc;
    store_prefix_bound(lo, hi, sizeof hi);
    list_page pg;
    list_page_init(&pg, page, per_page);
    /* Plans above one's own org (that one may join) and in one's subtree. */
    mutual_aid_plan_query q = {.year = year};
    sqlw w;
    sqlw_init(&w, "mutual_aid_plans p JOIN orgs o ON o.id = p.org_id"
                  " WHERE (substr(?, 1, length(o.path)) = o.path OR (o.path >= ? AND o.path < ?))",
              SV_ARGS(SV_T(org_id ? lo : own), SV_T(lo), SV_T(hi)));
    return list_query(x, &plan_spec, &q, &w, "p.year DESC, p.id DESC", &pg, NULL, out, e);
}

int mutual_aid_plans_list(gh_ctx *x, const mutual_aid_plan_query *q, json_t **out, gh_err *e)
{
    return mutual_aid_plans_list_args(x, q->org_id, (int)q->year, q->page, q->per_page, out, e);
}

typedef struct plan_ctx {
    gh_ctx *x;
    const json_t *b;
    int64_t id;
} plan_ctx;

static int plan_tx(store_conn *db, void *p, gh_err *e)
{
    plan_ctx *c = p;
    const json_t *b = c->b;
    char ts[32];
    ts_now(ts);
    store_res q;
    int rc = store_query(db, &q,
        "INSERT INTO mutual_aid_plans (org_id, year, name, contribution_fen, min_group_share_pct, enroll_from, enroll_to,"
        " cover_from, cover_to, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        SV_ARGS(SV_I(jv_int(b, "org_id", 0)), SV_I(jv_int(b, "year", 0)), SV_T(jv_str(b, "name")),
                SV_I(jv_int(b, "contribution_fen", 0)), SV_I(jv_int(b, "min_group_share_pct", 0)),
                SV_T(jv_str(b, "enroll_from")), SV_T(jv_str(b, "enroll_to")), SV_T(jv_str(b, "cover_from")),
                SV_T(jv_str(b, "cover_to")), SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) c->id = store_int(&q, 0);
        store_done(&q);
    }
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "duplicate_plan", "name", "该组织本年度已有同名的医疗互助计划");
    if (rc < 0) return rc;
    json_t *d = json_pack("{s:s, s:I}", "name", jv_str(b, "name"), "year", (json_int_t)jv_int(b, "year", 0));
    rc = audit_record(c->x, "mutual_aid.plan_create", "mutual_aid_plan", c->id, jv_int(b, "org_id", 0), "ok", d, e);
    json_decref(d);
    return rc;
}

int mutual_aid_plan_create(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"org_id", JV_INT, JV_REQUIRED, "组织", .min = 1, .max = INT64_MAX},
        {"year", JV_INT, JV_REQUIRED, "年度", .min = 2000, .max = 2100},
        {"name", JV_STRING, JV_REQUIRED, "计划名称", .max = 100},
        {"contribution_fen", JV_MONEY, JV_REQUIRED, "每人缴费", .min = 1, .max = 100000000},
        {"min_group_share_pct", JV_INT, JV_REQUIRED, "集体参加最低比例（%）", .min = 0, .max = 100},
        {"enroll_from", JV_DATE, JV_REQUIRED, "参加开始日期"},
        {"enroll_to", JV_DATE, JV_REQUIRED, "参加截止日期"},
        {"cover_from", JV_DATE, JV_REQUIRED, "保障开始日期"},
        {"cover_to", JV_DATE, JV_REQUIRED, "保障截止日期"},
        {0},
    };
    if (!actor_has_duty(x->actor, DUTY_HARDSHIP)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    if (strcmp(jv_str(body, "enroll_from"), jv_str(body, "enroll_to")) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "enroll_to", "参加截止日期不能早于开始日期");
    if (strcmp(jv_str(body, "cover_from"), jv_str(body, "cover_to")) > 0)
        return err_set(e, ERR_INVALID, "invalid_date", "cover_to", "保障截止日期不能早于开始日期");
    if (atoi(jv_str(body, "cover_from")) != jv_int(body, "year", 0))
        return err_set(e, ERR_INVALID, "invalid_date", "cover_from", "保障期应从计划年度开始");
    char path[GH_PATH_MAX];
    rc = org_scope_path(x, jv_int(body, "org_id", 0), path, e);
    if (rc) return rc;
    plan_ctx c = {x, body, 0};
    rc = store_tx(x->db, STORE_WRITE, plan_tx, &c, e);
    if (rc) return rc;
    return mutual_aid_plan_get(x, c.id, out, e);
}

/* ---- enrolment ---- */

typedef struct enrol_ctx {
    gh_ctx *x;
    plan_t *p;
    int64_t org_id;  /* group: the unit */
    int staff;
    int64_t *members;
    size_t n;
    int64_t group_id, enrol_id;
} enrol_ctx;

/* A member who may join plan p: active, of an org below the plan's org;
 * with check_scope, in the actor's scope. *org receives the member's org. */
static int member_may_join(gh_ctx *x, const plan_t *p, int64_t member_id, int check_scope, const char *within,
                           int64_t *org, char name[MEMBER_NAME_BUF], gh_err *e)
{
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT m.org_id, m.name, m.status, o.path FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1",
        SV_ARGS(SV_I(member_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        const char *path = store_text(&r, 3);
        snprintf(name, MEMBER_NAME_BUF, "%s", store_text(&r, 1));
        *org = store_int(&r, 0);
        if (check_scope && !actor_in_scope(x->actor, path))
            rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
        else if (strcmp(store_text(&r, 2), "active") != 0)
            rc = err_set(e, ERR_CONFLICT, "member_not_active", "member_id", "会员%s不是在会会员，不能参加", name);
        else if (strncmp(path, p->path, strlen(p->path)) != 0)
            rc = err_set(e, ERR_CONFLICT, "not_eligible", "member_id", "会员%s所在工会不在本计划范围内", name);
        else if (within && strncmp(path, within, strlen(within)) != 0)
            rc = err_set(e, ERR_INVALID, "not_in_unit", "member_ids", "会员%s不属于参加集体互助的单位", name);
        else
            rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
    }
    store_done(&r);
    return rc;
}

static int enrol_one(enrol_ctx *c, int64_t member_id, int64_t org, const char *name, int64_t *id, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    store_res q;
    int rc = store_query(c->x->db, &q,
        "INSERT INTO mutual_aid_enrolments (plan_id, member_id, org_id, group_id, contribution_fen, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        SV_ARGS(SV_I(c->p->id), SV_I(member_id), SV_I(org), SV_IZ(c->group_id), SV_I(c->p->contribution),
                SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) *id = store_int(&q, 0);
        store_done(&q);
    }
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "already_enrolled", "member_id", "会员%s已参加本计划", name);
    return rc < 0 ? rc : 0;
}

static int post_income(gh_ctx *x, const plan_t *p, const char *ref, int64_t ref_id, int64_t amount, gh_err *e)
{
    int64_t bank, income;
    int rc = ledger_account(x->db, p->org_id, "bank", &bank, e);
    if (rc == 0) rc = ledger_account(x->db, p->org_id, "mutual_aid_income", &income, e);
    if (rc) return rc;
    char key[80];
    snprintf(key, sizeof key, "%s:%lld", ref, (long long)ref_id);
    ledger_leg leg = {.debit_account = bank, .credit_account = income, .amount_fen = amount, .idem_key = key,
                      .ref_type = ref, .ref_id = ref_id, .memo = "医疗互助会费"};
    return ledger_post(x, key, &leg, 1, NULL, NULL, e);
}

static int single_tx(store_conn *db, void *p, gh_err *e)
{
    (void)db;
    enrol_ctx *c = p;
    char name[MEMBER_NAME_BUF];
    int64_t org = 0;
    int rc = member_may_join(c->x, c->p, c->members[0], 0, NULL, &org, name, e);
    if (rc == 0) rc = enrol_one(c, c->members[0], org, name, &c->enrol_id, e);
    if (rc == 0) rc = post_income(c->x, c->p, "mutual_aid_enrolment", c->enrol_id, c->p->contribution, e);
    if (rc == 0) rc = audit_record(c->x, "mutual_aid.enrol", "mutual_aid_enrolment", c->enrol_id, org, "ok", NULL, e);
    return rc;
}

static int window_open(const plan_t *p, gh_err *e)
{
    char today[11];
    date_format(date_today_cn(), today);
    if (strcmp(today, p->enroll_from) < 0 || strcmp(today, p->enroll_to) > 0)
        return err_set(e, ERR_CONFLICT, "enrolment_closed", NULL, "不在本计划的参加期内（%s 至 %s）", p->enroll_from, p->enroll_to);
    return 0;
}

int mutual_aid_enrol(gh_ctx *x, int64_t plan_id, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {{"member_id", JV_INT, 0, "会员", .min = 1, .max = INT64_MAX}, {0}};
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    plan_t p;
    rc = plan_load(x, plan_id, &p, NULL, e);
    if (rc) return rc;
    int64_t member = 0;
    if (x->actor->role == ROLE_MEMBER) {
        member = x->actor->member_id;
        if (jv_has(body, "member_id") && jv_int(body, "member_id", 0) != member)
            return err_set(e, ERR_FORBIDDEN, "forbidden", "member_id", "会员只能为本人办理参加");
    } else {
        if (!actor_has_duty(x->actor, DUTY_HARDSHIP)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
        member = jv_int(body, "member_id", 0);
        if (!member) return err_set(e, ERR_INVALID, "missing_field", "member_id", "请选择会员");
        char name[MEMBER_NAME_BUF];
        int64_t org;
        rc = member_may_join(x, &p, member, 1, NULL, &org, name, e);
        if (rc) return rc;
    }
    rc = window_open(&p, e);
    if (rc) return rc;
    enrol_ctx c = {.x = x, .p = &p, .members = &member, .n = 1};
    rc = store_tx(x->db, STORE_WRITE, single_tx, &c, e);
    if (rc) return rc;
    *out = json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)c.enrol_id, "plan_id", (json_int_t)plan_id, "member_id",
                     (json_int_t)member, "contribution_fen", (json_int_t)p.contribution);
    return 0;
}

static int group_tx(store_conn *db, void *p, gh_err *e)
{
    enrol_ctx *c = p;
    char ts[32], within[GH_PATH_MAX];
    ts_now(ts);
    int rc = org_path(db, c->org_id, within, e);
    if (rc) return rc;
    store_res q;
    int64_t amount = c->p->contribution * (int64_t)c->n;
    rc = store_query(db, &q,
        "INSERT INTO mutual_aid_groups (plan_id, org_id, staff_count, enrolled_count, amount_fen, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        SV_ARGS(SV_I(c->p->id), SV_I(c->org_id), SV_I(c->staff), SV_I((int64_t)c->n), SV_I(amount),
                SV_IZ(c->x->actor->user_id), SV_T(ts)),
        e);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) c->group_id = store_int(&q, 0);
        store_done(&q);
    }
    if (rc == ERR_CONFLICT) return err_set(e, ERR_CONFLICT, "group_exists", "org_id", "该单位已集体参加本计划");
    if (rc < 0) return rc;
    for (size_t i = 0; i < c->n; i++) {
        char name[MEMBER_NAME_BUF];
        int64_t org = 0, id = 0;
        rc = member_may_join(c->x, c->p, c->members[i], 1, within, &org, name, e);
        if (rc == 0) rc = enrol_one(c, c->members[i], org, name, &id, e);
        if (rc) {
            if (e && !strchr(e->field, '[')) snprintf(e->field, sizeof e->field, "member_ids[%zu]", i);
            return rc;
        }
    }
    rc = post_income(c->x, c->p, "mutual_aid_group", c->group_id, amount, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:I, s:i}", "enrolled", (json_int_t)c->n, "staff_count", c->staff);
    rc = audit_record(c->x, "mutual_aid.group_enrol", "mutual_aid_group", c->group_id, c->org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

int mutual_aid_group_enrol(gh_ctx *x, int64_t plan_id, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"org_id", JV_INT, JV_REQUIRED, "参加单位（工会）", .min = 1, .max = INT64_MAX},
        {"staff_count", JV_INT, JV_REQUIRED, "单位职工人数", .min = 1, .max = 1000000},
        {"member_ids", JV_ARRAY, JV_REQUIRED, "参加人员", .max = 10000},
        {0},
    };
    if (!actor_has_duty(x->actor, DUTY_HARDSHIP)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    plan_t p;
    rc = plan_load(x, plan_id, &p, NULL, e);
    if (rc) return rc;
    char unit[GH_PATH_MAX];
    rc = org_scope_path(x, jv_int(body, "org_id", 0), unit, e);
    if (rc) return rc;
    if (strncmp(unit, p.path, strlen(p.path)) != 0)
        return err_set(e, ERR_CONFLICT, "not_eligible", "org_id", "该单位不在本计划范围内");
    json_t *ids = json_object_get(body, "member_ids");
    size_t n = json_array_size(ids);
    int staff = (int)jv_int(body, "staff_count", 0);
    if (n == 0) return err_set(e, ERR_INVALID, "missing_field", "member_ids", "请列出参加人员");
    if ((int64_t)n > staff) return err_set(e, ERR_INVALID, "out_of_range", "member_ids", "参加人数不能超过单位职工人数");
    /* The minimum share, in integers: n / staff >= pct / 100. */
    if ((int64_t)n * 100 < (int64_t)p.min_share * staff)
        return err_set(e, ERR_CONFLICT, "group_share_too_low", "member_ids",
                       "集体参加须达到单位职工的 %d%%（%d 人中至少 %lld 人），现有 %zu 人", p.min_share, staff,
                       (long long)(((int64_t)p.min_share * staff + 99) / 100), n);
    rc = window_open(&p, e);
    if (rc) return rc;
    int64_t *members = calloc(n, sizeof *members);
    if (!members) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            free(members);
            return err_set(e, ERR_INVALID, "invalid_type", "member_ids", "参加人员应为会员编号");
        }
        members[i] = json_integer_value(v);
        for (size_t j = 0; j < i; j++)
            if (members[j] == members[i]) {
                free(members);
                return err_set(e, ERR_INVALID, "duplicate_item", "member_ids", "参加人员有重复");
            }
    }
    enrol_ctx c = {.x = x, .p = &p, .org_id = jv_int(body, "org_id", 0), .staff = staff, .members = members, .n = n};
    rc = store_tx(x->db, STORE_WRITE, group_tx, &c, e);
    free(members);
    if (rc) return rc;
    *out = json_pack("{s:I, s:I, s:I, s:i, s:I, s:I}", "id", (json_int_t)c.group_id, "plan_id", (json_int_t)plan_id,
                     "org_id", (json_int_t)c.org_id, "staff_count", staff, "enrolled_count", (json_int_t)n, "amount_fen",
                     (json_int_t)(p.contribution * (int64_t)n));
    return 0;
}

static const list_col enrol_cols[] = {
    {"id", "en.id", COL_INT, "编号"},
    {"member_id", "en.member_id", COL_INT},
    {"member_name", "m.name", COL_STR, "姓名"},
    {"org_id", "en.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "所属工会"},
    {"group_id", "en.group_id", COL_INT_NULL},
    {"contribution_fen", "en.contribution_fen", COL_FEN, "缴费（元）"},
    {"paid_fen", "en.paid_fen", COL_FEN, "已获互助金（元）"},
    {"created_at", "en.created_at", COL_STR, "参加时间"},
    {"id_number_masked", "m.id_mask", COL_STR, "身份证号"},
    {0},
};

/* The officers' list follows the rule of every list of people in 困难帮扶
 * (files, reviews, aid, claims): the name masked as mask_name does (吴*华)
 * with the masked ID number to tell people apart; the member's own row has
 * the full name. arg: non-NULL for the masked row. */
static void enrol_post(json_t *o, void *arg)
{
    if (arg) {
        char nm[64];
        mask_name(json_string_value(json_object_get(o, "member_name")), nm, sizeof nm);
        json_object_set_new(o, "member_name_masked", json_string(nm));
        json_object_del(o, "member_name");
    } else {
        json_object_del(o, "id_number_masked");
    }
}

static const list_spec enrol_spec = {enrol_cols, NULL, enrol_post};
#define ENROL_FROM "mutual_aid_enrolments en JOIN members m ON m.id = en.member_id JOIN orgs o ON o.id = en.org_id"

static int mutual_aid_enrolments_list_args(gh_ctx *x, int64_t plan_id, int page, int per_page, json_t **out, gh_err *e)
{
    plan_t p;
    int rc = plan_load(x, plan_id, &p, NULL, e);
    if (rc) return rc;
    list_page pg;
    list_page_init(&pg, page, per_page);
    sqlw w;
    if (x->actor->role == ROLE_MEMBER) {
        sqlw_init(&w, ENROL_FROM " WHERE en.plan_id = ? AND en.member_id = ?", SV_ARGS(SV_I(plan_id), SV_I(x->actor->member_id)));
        return list_query(x, &enrol_spec, NULL, &w, "en.id", &pg, NULL, out, e);
    }
    /* paid_fen is what each person was granted for hospital stays: as
     * closed as the claims themselves. */
    if (!actor_is_staff(x->actor) || !actor_has_duty(x->actor, DUTY_HARDSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责，不能查看参加名单");
    char hi[GH_PATH_MAX];
    store_prefix_bound(x->actor->scope, hi, sizeof hi);
    sqlw_init(&w, ENROL_FROM " WHERE en.plan_id = ? AND o.path >= ? AND o.path < ?",
              SV_ARGS(SV_I(plan_id), SV_T(x->actor->scope), SV_T(hi)));
    static const int masked = 1;
    return list_query(x, &enrol_spec, NULL, &w, "en.id", &pg, (void *)&masked, out, e);
}

int mutual_aid_enrolments_list(gh_ctx *x, int64_t plan_id, const list_page *pg, json_t **out, gh_err *e)
{
    return mutual_aid_enrolments_list_args(x, plan_id, pg->page, pg->per_page, out, e);
}

/* ---- claims ---- */

static const jv_field figure_fields[] = {
    {"plan_id", JV_INT, JV_REQUIRED, "互助计划", .min = 1, .max = INT64_MAX},
    {"member_id", JV_INT, 0, "会员", .min = 1, .max = INT64_MAX},
    {"admission_date", JV_DATE, JV_REQUIRED, "入院日期"},
    {"discharge_date", JV_DATE, 0, "出院日期"},
    {"hospital", JV_STRING, 0, "医院", .max = 100},
    {"diagnosis", JV_STRING, JV_NULLABLE, "诊断", .max = 200},
    {"total_cost_fen", JV_MONEY, JV_REQUIRED, "医疗总费用"},
    {"basic_insurance_fen", JV_MONEY, JV_REQUIRED, "基本医保支付"},
    {"other_insurance_fen", JV_MONEY, 0, "其他保险支付"},
    {"out_of_scope_fen", JV_MONEY, 0, "目录外费用"},
    {0},
};

typedef struct calc_t {
    plan_t p;
    int64_t member_id, enrol_id, already, policy_id, payable;
    ma_figures f;
    ma_rules rules;
    json_t *lines, *params;
    char effective_from[11];
} calc_t;

static void calc_free(calc_t *c)
{
    json_decref(c->lines);
    json_decref(c->params);
    c->lines = c->params = NULL;
}

/* The rules in force on the admission day for the plan's union. */
static int rules_for(store_conn *db, calc_t *c, const char *admission, gh_err *e)
{
    gh_err pe;
    int rc = policy_find(db, "mutual_aid_benefit", c->p.org_id, admission, &c->params, &c->policy_id, &pe);
    if (rc == ERR_NOT_FOUND)
        return err_set(e, ERR_CONFLICT, "no_benefit_rules", "admission_date", "入院日期 %s 没有适用的医疗互助待遇标准", admission);
    if (rc) {
        if (e) *e = pe;
        return rc;
    }
    store_res r;
    if (store_query(db, &r, "SELECT effective_from FROM policies WHERE id = $1", SV_ARGS(SV_I(c->policy_id)), NULL) == 0) {
        if (store_next(&r, NULL) > 0) snprintf(c->effective_from, sizeof c->effective_from, "%s", store_text(&r, 0));
        store_done(&r);
    }
    return mutual_aid_rules_parse(c->params, &c->rules, e);
}

/* Everything a calculation needs: the plan, the person (and their
 * enrolment, if any), the rules of the stay's day, the figures. */
static int calc_prepare(gh_ctx *x, const json_t *b, int need_enrolment, calc_t *c, gh_err *e)
{
    memset(c, 0, sizeof *c);
    int rc = jv_check(b, figure_fields, e);
    if (rc) return rc;
    rc = plan_load(x, jv_int(b, "plan_id", 0), &c->p, NULL, e);
    if (rc) return rc;
    if (x->actor->role == ROLE_MEMBER) {
        c->member_id = x->actor->member_id;
        if (jv_has(b, "member_id") && jv_int(b, "member_id", 0) != c->member_id)
            return err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
    } else {
        if (!actor_has_duty(x->actor, DUTY_HARDSHIP)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
        c->member_id = jv_int(b, "member_id", 0);
    }
    const char *adm = jv_str(b, "admission_date");
    if (strcmp(adm, c->p.cover_from) < 0 || strcmp(adm, c->p.cover_to) > 0)
        return err_set(e, ERR_CONFLICT, "stay_not_covered", "admission_date", "入院日期不在本计划的保障期内（%s 至 %s）",
                       c->p.cover_from, c->p.cover_to);
    if (c->member_id) {
        store_res r;
        char path[GH_PATH_MAX] = "";
        rc = store_query(x->db, &r,
            "SELECT en.id, en.paid_fen, o.path FROM mutual_aid_enrolments en JOIN orgs o ON o.id = en.org_id"
            " WHERE en.plan_id = $1 AND en.member_id = $2",
            SV_ARGS(SV_I(c->p.id), SV_I(c->member_id)), e);
        if (rc) return rc;
        if ((rc = store_next(&r, e)) > 0) {
            c->enrol_id = store_int(&r, 0);
            c->already = store_int(&r, 1);
            snprintf(path, sizeof path, "%s", store_text(&r, 2));
            rc = 0;
        }
        store_done(&r);
        if (rc < 0) return rc;
        if (c->enrol_id && x->actor->role != ROLE_MEMBER && !actor_in_scope(x->actor, path))
            return err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
    }
    if (need_enrolment && !c->enrol_id)
        return err_set(e, ERR_CONFLICT, "not_enrolled", "member_id", "该会员没有参加本计划，不能申请互助金");
    rc = rules_for(x->db, c, adm, e);
    if (rc) return rc;
    c->f = (ma_figures){jv_int(b, "total_cost_fen", 0), jv_int(b, "basic_insurance_fen", 0),
                        jv_int(b, "other_insurance_fen", 0), jv_int(b, "out_of_scope_fen", 0), c->already};
    return mutual_aid_compute(&c->rules, &c->f, &c->payable, &c->lines, e);
}

static json_t *calc_json(const calc_t *c)
{
    return json_pack("{s:I, s:O, s:I, s:s, s:O, s:s}", "payable_fen", (json_int_t)c->payable, "lines", c->lines,
                     "policy_id", (json_int_t)c->policy_id, "effective_from", c->effective_from, "rules", c->params,
                     "rounding", ROUNDING);
}

int mutual_aid_calculate(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    calc_t c;
    int rc = calc_prepare(x, body, 0, &c, e);
    if (rc == 0) *out = calc_json(&c);
    calc_free(&c);
    return rc;
}

static const list_col claim_cols[] = {
    {"id", "c.id", COL_INT, "编号"},
    {"plan_id", "c.plan_id", COL_INT},
    {"plan_name", "p.name", COL_STR, "互助计划"},
    {"member_id", "c.member_id", COL_INT},
    {"member_name", "m.name", COL_STR},
    {"member_name_masked", NULL, COL_STR, "姓名"},
    {"org_id", "c.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "所属工会"},
    {"admission_date", "c.admission_date", COL_STR, "入院日期"},
    {"discharge_date", "c.discharge_date", COL_STR, "出院日期"},
    {"hospital", "c.hospital", COL_STR},
    {"total_cost_fen", "c.total_cost_fen", COL_FEN, "医疗总费用（元）"},
    {"basic_insurance_fen", "c.basic_insurance_fen", COL_FEN, "基本医保支付（元）"},
    {"other_insurance_fen", "c.other_insurance_fen", COL_FEN, "其他保险支付（元）"},
    {"out_of_scope_fen", "c.out_of_scope_fen", COL_FEN, "目录外费用（元）"},
    {"payable_fen", "c.payable_fen", COL_FEN, "互助金（元）"},
    {"status", "c.status", COL_STR, "状态", words_claim_status},
    {"approved_on", "c.approved_on", COL_STR, "批准日期"},
    {"paid_on", "c.paid_on", COL_STR, "发放日期"},
    {"reject_reason", "c.reject_reason", COL_STR, "不予给付原因"},
    {"created_at", "c.created_at", COL_STR, "申请时间"},
    {"submitted_by", "c.submitted_by", COL_INT_NULL},
    {"approved_by", "c.approved_by", COL_INT_NULL},
    {"calculation", "c.calc", COL_STR},
    {0},
};
#define CLAIM_FROM \
    "mutual_aid_claims c JOIN mutual_aid_plans p ON p.id = c.plan_id JOIN members m ON m.id = c.member_id" \
    " JOIN orgs o ON o.id = c.org_id"

/* How much of a claim a row shows: an officer's list shows who only
 * masked and no hospital (who was in which hospital is health data; it is
 * shown, and audited, when one claim is opened); the member's own list and
 * a single claim show everything. */
enum { CLAIM_MASKED, CLAIM_OWN, CLAIM_FULL };
static const int claim_masked = CLAIM_MASKED, claim_own = CLAIM_OWN, claim_full = CLAIM_FULL;

static void claim_post(json_t *o, void *arg)
{
    int mode = *(const int *)arg;
    if (mode == CLAIM_MASKED) {
        char nm[64];
        mask_name(JS(o, "member_name"), nm, sizeof nm);
        json_object_set_new(o, "member_name_masked", json_string(nm));
        json_object_del(o, "member_name");
        json_object_del(o, "hospital");
    }
    if (mode == CLAIM_FULL) {
        json_t *calc = json_loads(JS(o, "calculation") ? JS(o, "calculation") : "", 0, NULL);
        json_object_set_new(o, "calculation", calc ? calc : json_null());
    } else {
        json_object_del(o, "calculation");
    }
}

static const char *const claim_statuses[] = {"submitted", "approved", "paid", "rejected", NULL};

static const list_filter claim_filters[] = {
    {FILTER_ID, offsetof(ma_claim_query, plan_id), "c.plan_id = ?", "plan_id", "互助计划"},
    {FILTER_CHOICE, offsetof(ma_claim_query, status), "c.status = ?", "status", "状态", claim_statuses},
    {0},
};

static const list_spec claim_spec = {claim_cols, claim_filters, claim_post, "医疗互助金申请", "mutual_aid.export"};

typedef struct claim_t {
    int64_t id, member_id, org_id, plan_org, enrol_id, submitted_by, payable;
    char status[12], path[GH_PATH_MAX], admission[11];
} claim_t;

/* One claim the actor may see (audited for full reads). */
static int claim_load(gh_ctx *x, int64_t id, claim_t *c, json_t **out, const char *action, gh_err *e)
{
    json_t *o = NULL;
    memset(c, 0, sizeof *c);
    if (out) *out = NULL;
    int rc = list_one(x->db, &claim_spec, (void *)&claim_full, "o.path", CLAIM_FROM " WHERE c.id = $1", SV_ARGS(SV_I(id)),
                      &o, c->path, e);
    char *sealed = NULL;
    store_res r;
    if (rc == 0) {
        c->id = JI(o, "id");
        c->member_id = JI(o, "member_id");
        c->org_id = JI(o, "org_id");
        snprintf(c->admission, sizeof c->admission, "%s", JS(o, "admission_date"));
        c->payable = JI(o, "payable_fen");
        snprintf(c->status, sizeof c->status, "%s", JS(o, "status"));
        c->submitted_by = JI(o, "submitted_by");
        if (out) *out = o;
        else json_decref(o);
        rc = store_query(x->db, &r,
                         "SELECT c.enrolment_id, p.org_id, c.detail_sealed FROM mutual_aid_claims c"
                         " JOIN mutual_aid_plans p ON p.id = c.plan_id WHERE c.id = $1",
                         SV_ARGS(SV_I(id)), e);
    }
    if (rc == 0) {
        if ((rc = store_next(&r, e)) > 0) {
            c->enrol_id = store_int(&r, 0);
            c->plan_org = store_int(&r, 1);
            if (out && store_text(&r, 2)) sealed = strdup(store_text(&r, 2));
            rc = 0;
        }
        store_done(&r);
    }
    const gh_actor *a = x->actor;
    if (rc == 0) {
        if (a->role == ROLE_MEMBER ? a->member_id != c->member_id : !actor_is_staff(a) || !actor_in_scope(a, c->path))
            rc = ERR_NOT_FOUND;
        else if (a->role != ROLE_MEMBER && !actor_has_duty(a, DUTY_HARDSHIP))
            rc = err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    }
    if (rc == 0 && out && sealed) {
        char *plain = NULL;
        if (crypto_open(x->cfg->data_key, sealed, &plain, NULL) == 0) {
            json_t *d = json_loads(plain, 0, NULL);
            json_object_set(*out, "diagnosis", d ? json_object_get(d, "diagnosis") : json_null());
            json_decref(d);
        }
        free(plain);
    }
    free(sealed);
    if (rc && out && *out) {
        json_decref(*out);
        *out = NULL;
    }
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "claim_not_found", "id", "互助金申请不存在");
    if (rc == 0 && action) {
        rc = audit_record(x, action, "mutual_aid_claim", id, c->org_id, "ok", NULL, e);
        if (rc && out) {
            json_decref(*out);
            *out = NULL;
        }
    }
    return rc;
}

int mutual_aid_claim_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    claim_t c;
    return claim_load(x, id, &c, out, "mutual_aid.claim_read", e);
}

typedef struct submit_ctx {
    gh_ctx *x;
    calc_t *c;
    const json_t *b;
    int64_t id, org;
} submit_ctx;

static int submit_tx(store_conn *db, void *p, gh_err *e)
{
    submit_ctx *s = p;
    char ts[32], *sealed = NULL, *calc = NULL;
    ts_now(ts);
    int rc = store_get_int(db, "SELECT org_id FROM members WHERE id = $1", SV_ARGS(SV_I(s->c->member_id)), &s->org, e);
    if (rc) return rc;
    json_t *d = json_pack("{s:s?}", "diagnosis", jv_str(s->b, "diagnosis"));
    char *plain = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    rc = plain ? crypto_seal(s->x->cfg->data_key, plain, &sealed, e) : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    free(plain);
    if (rc) return rc;
    json_t *cj = calc_json(s->c);
    calc = json_dumps(cj, JSON_COMPACT);
    json_decref(cj);
    const char *dis = jv_str(s->b, "discharge_date") ? jv_str(s->b, "discharge_date") : jv_str(s->b, "admission_date");
    store_res q;
    rc = store_query(db, &q,
        "INSERT INTO mutual_aid_claims (plan_id, enrolment_id, member_id, org_id, admission_date, discharge_date, hospital,"
        " detail_sealed, total_cost_fen, basic_insurance_fen, other_insurance_fen, out_of_scope_fen, payable_fen,"
        " policy_id, calc, status, submitted_by, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'submitted', $16, $17, $17) RETURNING id",
        SV_ARGS(SV_I(s->c->p.id), SV_I(s->c->enrol_id), SV_I(s->c->member_id), SV_I(s->org),
                SV_T(jv_str(s->b, "admission_date")), SV_T(dis), SV_T(jv_str(s->b, "hospital")), SV_T(sealed),
                SV_I(s->c->f.total_cost_fen), SV_I(s->c->f.basic_insurance_fen), SV_I(s->c->f.other_insurance_fen),
                SV_I(s->c->f.out_of_scope_fen), SV_I(s->c->payable), SV_I(s->c->policy_id), SV_T(calc),
                SV_IZ(s->x->actor->user_id), SV_T(ts)),
        e);
    free(sealed);
    free(calc);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) s->id = store_int(&q, 0);
        store_done(&q);
    }
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "duplicate_claim", "admission_date",
                       "这次住院（入院日期 %s）已经申请过互助金，不能重复申请", jv_str(s->b, "admission_date"));
    if (rc < 0) return rc;
    json_t *ad = json_pack("{s:I}", "payable_fen", (json_int_t)s->c->payable);
    rc = audit_record(s->x, "mutual_aid.claim_submit", "mutual_aid_claim", s->id, s->org, "ok", ad, e);
    json_decref(ad);
    return rc;
}

int mutual_aid_claim_submit(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_MEMBER && !jv_has(body, "member_id"))
        return err_set(e, ERR_INVALID, "missing_field", "member_id", "请选择会员");
    if (!jv_str(body, "hospital") || !jv_str(body, "discharge_date")) {
        int rc = jv_check(body, figure_fields, e);
        if (rc) return rc;
        return err_set(e, ERR_INVALID, "missing_field", jv_str(body, "hospital") ? "discharge_date" : "hospital",
                       jv_str(body, "hospital") ? "请填写出院日期" : "请填写医院名称");
    }
    calc_t c;
    int rc = calc_prepare(x, body, 1, &c, e);
    if (rc == 0) {
        const char *adm = jv_str(body, "admission_date"), *dis = jv_str(body, "discharge_date");
        char today[11];
        date_format(date_today_cn(), today);
        if (strcmp(dis, adm) < 0) rc = err_set(e, ERR_INVALID, "invalid_date", "discharge_date", "出院日期不能早于入院日期");
        else if (strcmp(dis, today) > 0) rc = err_set(e, ERR_INVALID, "invalid_date", "discharge_date", "出院日期不能晚于今天");
    }
    submit_ctx s = {x, &c, body, 0, 0};
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, submit_tx, &s, e);
    calc_free(&c);
    if (rc) return rc;
    return mutual_aid_claim_get(x, s.id, out, e);
}

int mutual_aid_claims_list(gh_ctx *x, const ma_claim_query *q, json_t **out, gh_err *e)
{
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    const int *mode = &claim_masked;
    int64_t audit_org = q->org_id ? q->org_id : x->actor->org_id;
    if (x->actor->role == ROLE_MEMBER) {
        /* the member's union, for the audit entry (none: no claims either) */
        if (store_get_int(x->db, "SELECT org_id FROM members WHERE id = $1", SV_ARGS(SV_I(x->actor->member_id)), &audit_org,
                          NULL) != 0)
            audit_org = 0;
        sqlw_init(&w, CLAIM_FROM " WHERE c.member_id = ?", SV_ARGS(SV_I(x->actor->member_id)));
        mode = &claim_own;
    } else {
        if (!actor_is_staff(x->actor) || !actor_has_duty(x->actor, DUTY_HARDSHIP))
            return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
        int rc = hardship_scope_bounds(x, q->org_id, lo, hi, e);
        if (rc) return rc;
        sqlw_init(&w, CLAIM_FROM " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    }
    int rc = list_query(x, &claim_spec, q, &w, "c.id DESC", &pg, (void *)mode, out, e);
    if (rc || !*out) return rc; /* an export is audited as such */
    /* Who looked at whose hospital stays, even masked: recorded under the
     * org listed (or the reader's own) so the auditors of that scope see it. */
    json_t *d = json_pack("{s:I, s:s?, s:I, s:I}", "plan_id", (json_int_t)q->plan_id, "status", q->status, "org_id",
                          (json_int_t)q->org_id, "shown", (json_int_t)json_array_size(json_object_get(*out, "items")));
    rc = audit_record(x, "mutual_aid.claim_list", "org", q->org_id, audit_org, "ok", d, e);
    json_decref(d);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

typedef struct decide_ctx {
    gh_ctx *x;
    claim_t c;
    const char *reason;
    int kind; /* 0 approve, 1 reject, 2 pay */
    int64_t payable;
} decide_ctx;

static int approve_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *d = p;
    /* Recompute with what the person was granted by now; the cap holds
     * through the conditional UPDATE below, whatever runs beside us. */
    calc_t c;
    memset(&c, 0, sizeof c);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT c.plan_id, c.total_cost_fen, c.basic_insurance_fen, c.other_insurance_fen, c.out_of_scope_fen,"
        " en.paid_fen, p.org_id, c.status FROM mutual_aid_claims c JOIN mutual_aid_enrolments en ON en.id = c.enrolment_id"
        " JOIN mutual_aid_plans p ON p.id = c.plan_id WHERE c.id = $1",
        SV_ARGS(SV_I(d->c.id)), e);
    if (rc) return rc;
    char status[12] = "";
    if ((rc = store_next(&r, e)) > 0) {
        c.p.id = store_int(&r, 0);
        c.f = (ma_figures){store_int(&r, 1), store_int(&r, 2), store_int(&r, 3), store_int(&r, 4), store_int(&r, 5)};
        c.p.org_id = store_int(&r, 6);
        snprintf(status, sizeof status, "%s", store_text(&r, 7));
        rc = 0;
    }
    store_done(&r);
    if (rc < 0) return rc;
    if (strcmp(status, "submitted") != 0) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有待审核的申请可以审核");
    rc = rules_for(db, &c, d->c.admission, e);
    if (rc == 0) rc = mutual_aid_compute(&c.rules, &c.f, &c.payable, &c.lines, e);
    if (rc) {
        calc_free(&c);
        return rc;
    }
    int64_t changed = 0;
    rc = store_exec(db,
        "UPDATE mutual_aid_enrolments SET paid_fen = paid_fen + $2 WHERE id = $1 AND paid_fen + $2 <= $3",
        SV_ARGS(SV_I(d->c.enrol_id), SV_I(c.payable), SV_I(c.rules.yearly_cap_fen)), &changed, e);
    if (rc == 0 && !changed) rc = err_set(e, ERR_RETRY, "cap_race", NULL, "年度封顶额度刚被占用，请重试");
    char ts[32], today[11], *calc = NULL;
    ts_now(ts);
    date_format(date_today_cn(), today);
    if (rc == 0) {
        json_t *cj = calc_json(&c);
        calc = json_dumps(cj, JSON_COMPACT);
        json_decref(cj);
        rc = store_exec(db,
            "UPDATE mutual_aid_claims SET status = 'approved', payable_fen = $2, calc = $3, policy_id = $4,"
            " approved_by = $5, approved_on = $6, updated_at = $7 WHERE id = $1 AND status = 'submitted'",
            SV_ARGS(SV_I(d->c.id), SV_I(c.payable), SV_T(calc), SV_I(c.policy_id), SV_IZ(d->x->actor->user_id),
                    SV_T(today), SV_T(ts)),
            &changed, e);
        free(calc);
        /* A second approval that read 'submitted' before the first
         * committed (PostgreSQL, READ COMMITTED) gets here after it: its
         * increment of paid_fen above must not stand. */
        if (rc == 0 && !changed) rc = err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有待审核的申请可以审核");
    }
    d->payable = c.payable;
    calc_free(&c);
    if (rc) return rc;
    if (d->payable > 0) {
        int64_t exp, pay;
        rc = ledger_account(db, d->c.plan_org, "mutual_aid_expense", &exp, e);
        if (rc == 0) rc = ledger_account(db, d->c.plan_org, "mutual_aid_payable", &pay, e);
        if (rc) return rc;
        char key[64];
        snprintf(key, sizeof key, "mutual_aid_claim:%lld:approve", (long long)d->c.id);
        ledger_leg leg = {.debit_account = exp, .credit_account = pay, .amount_fen = d->payable, .idem_key = key,
                          .ref_type = "mutual_aid_claim", .ref_id = d->c.id, .memo = "职工医疗互助金"};
        rc = ledger_post(d->x, key, &leg, 1, NULL, NULL, e);
        if (rc) return rc;
    }
    json_t *ad = json_pack("{s:I}", "payable_fen", (json_int_t)d->payable);
    rc = audit_record(d->x, "mutual_aid.claim_approve", "mutual_aid_claim", d->c.id, d->c.org_id, "ok", ad, e);
    json_decref(ad);
    return rc;
}

static int reject_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *d = p;
    char ts[32];
    ts_now(ts);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE mutual_aid_claims SET status = 'rejected', reject_reason = $2, approved_by = $3, updated_at = $4"
        " WHERE id = $1 AND status = 'submitted'",
        SV_ARGS(SV_I(d->c.id), SV_T(d->reason), SV_IZ(d->x->actor->user_id), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有待审核的申请可以退回");
    json_t *ad = json_pack("{s:s}", "reason", d->reason);
    rc = audit_record(d->x, "mutual_aid.claim_reject", "mutual_aid_claim", d->c.id, d->c.org_id, "ok", ad, e);
    json_decref(ad);
    return rc;
}

static int pay_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *d = p;
    char ts[32], today[11];
    ts_now(ts);
    date_format(date_today_cn(), today);
    int64_t changed = 0;
    int rc = store_exec(db,
        "UPDATE mutual_aid_claims SET status = 'paid', paid_by = $2, paid_on = $3, updated_at = $4"
        " WHERE id = $1 AND status = 'approved'",
        SV_ARGS(SV_I(d->c.id), SV_IZ(d->x->actor->user_id), SV_T(today), SV_T(ts)), &changed, e);
    if (rc) return rc;
    if (!changed) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有已审核通过、尚未支付的申请可以支付");
    if (d->c.payable > 0) {
        int64_t pay, bank;
        rc = ledger_account(db, d->c.plan_org, "mutual_aid_payable", &pay, e);
        if (rc == 0) rc = ledger_account(db, d->c.plan_org, "bank", &bank, e);
        if (rc) return rc;
        char key[64];
        snprintf(key, sizeof key, "mutual_aid_claim:%lld:pay", (long long)d->c.id);
        ledger_leg leg = {.debit_account = pay, .credit_account = bank, .amount_fen = d->c.payable, .idem_key = key,
                          .ref_type = "mutual_aid_claim", .ref_id = d->c.id, .memo = "支付职工医疗互助金"};
        rc = ledger_post(d->x, key, &leg, 1, NULL, NULL, e);
        if (rc) return rc;
    }
    return audit_record(d->x, "mutual_aid.claim_pay", "mutual_aid_claim", d->c.id, d->c.org_id, "ok", NULL, e);
}

static int decide(gh_ctx *x, int64_t id, int kind, const char *reason, json_t **out, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role == ROLE_MEMBER) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "会员不能审核互助金申请");
    if (kind == 2 && !actor_has_duty(a, DUTY_FINANCE)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "支付须由有财务职责的工作人员办理");
    decide_ctx d = {.x = x, .kind = kind, .reason = reason};
    int rc = claim_load(x, id, &d.c, NULL, NULL, e);
    if (rc) return rc;
    if (kind != 1) {
        /* The plan's union holds the fund: approving books the expense in
         * its accounts and paying moves money out of its bank, so both need
         * that union in scope. A union below it (which sees the plan and its
         * own members' claims) may still turn a claim down. */
        char path[GH_PATH_MAX], name[200] = "";
        gh_err se;
        if (org_scope_path(x, d.c.plan_org, path, &se)) {
            store_res r;
            if (store_query(x->db, &r, "SELECT name FROM orgs WHERE id = $1", SV_ARGS(SV_I(d.c.plan_org)), NULL) == 0) {
                if (store_next(&r, NULL) > 0) snprintf(name, sizeof name, "%s", store_text(&r, 0));
                store_done(&r);
            }
            return err_set(e, ERR_FORBIDDEN, "not_plan_org", NULL, "互助金由互助计划所属的%s（或其上级）审核和支付",
                           name[0] ? name : "工会");
        }
    }
    if (kind == 0 && a->user_id && d.c.submitted_by == a->user_id)
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审核自己代为提交的申请，须由另一名工作人员审核");
    rc = store_tx(x->db, STORE_WRITE, kind == 0 ? approve_tx : kind == 1 ? reject_tx : pay_tx, &d, e);
    if (rc) return rc;
    return mutual_aid_claim_get(x, id, out, e);
}

int mutual_aid_claim_approve(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return decide(x, id, 0, NULL, out, e); }

int mutual_aid_claim_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写退回原因");
    return decide(x, id, 1, reason, out, e);
}

int mutual_aid_claim_pay(gh_ctx *x, int64_t id, json_t **out, gh_err *e) { return decide(x, id, 2, NULL, out, e); }
