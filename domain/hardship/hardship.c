/* hardship.c — files of workers in hardship; rules in hardship.h. */
#include "domain/hardship/hardship.h"

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
#include "domain/core/list.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"

#define HS_MAX_FAMILY 12

const char *const hardship_categories[] = {"deep", "relative", "accident", NULL};
const char *const hardship_causes[] = {"no_work_ability", "unemployed", "laid_off", "uninsured", "insurance_arrears",
                                       "major_illness", "disaster", "accident", "schooling", "other", NULL};
const char *const hardship_close_reasons[] = {"out_of_hardship", "retired", "transferred", "deceased", "left_union",
                                              "other", NULL};
static const char *const category_cn[] = {"深度困难", "相对困难", "意外致困"};
static const char *const healths[] = {"healthy", "chronic", "serious_illness", "disabled", NULL};
static const char *const disabilities[] = {"none", "grade1", "grade2", "grade3", "grade4", NULL};
static const char *const work_statuses[] = {"employed", "flexible", "laid_off", "unemployed", "retired", NULL};
static const char *const household_types[] = {"urban", "rural", NULL};
static const char *const insurances[] = {"employee", "resident", "none", NULL};
static const char *const relations[] = {"spouse", "child", "parent", "sibling", "grandchild", "other", NULL};
static const char *const school_levels[] = {"none", "preschool", "compulsory", "high_school", "college", NULL};

/* The national form (全国困难职工档案) as a request body. */
static const jv_field rec_fields[] = {
    {"ethnicity", JV_STRING, JV_REQUIRED, "民族", .max = 20},
    {"health", JV_ENUM, JV_REQUIRED, "健康状况", .choices = healths},
    {"disability", JV_ENUM, 0, "残疾等级", .choices = disabilities},
    {"work_status", JV_ENUM, JV_REQUIRED, "就业状况", .choices = work_statuses},
    {"household_type", JV_ENUM, JV_REQUIRED, "户籍类型", .choices = household_types},
    {"household_place", JV_STRING, JV_REQUIRED, "户籍所在地", .max = 100},
    {"monthly_income_fen", JV_MONEY, JV_REQUIRED, "本人月收入"},
    {"family_other_income_fen", JV_MONEY, JV_REQUIRED, "家庭非工资性月收入"},
    {"family_income_fen", JV_MONEY, JV_REQUIRED, "家庭月总收入"},
    {"medical_cost_fen", JV_MONEY, 0, "月均医疗支出"},
    {"education_cost_fen", JV_MONEY, 0, "月均教育支出"},
    {"disability_cost_fen", JV_MONEY, 0, "月均残疾康复支出"},
    {"work_cost_fen", JV_MONEY, 0, "月均就业必要支出"},
    {"medical_insurance", JV_ENUM, JV_REQUIRED, "医疗保险", .choices = insurances},
    {"family", JV_ARRAY, 0, "家庭成员", .max = HS_MAX_FAMILY - 1},
    {"main_cause", JV_ENUM, JV_REQUIRED, "主要致困原因", .choices = hardship_causes},
    {"secondary_causes", JV_ENUMS, 0, "次要致困原因", .choices = hardship_causes},
    {"accident", JV_BOOL, 0, "突发意外、灾害或重大疾病"},
    {"accident_note", JV_STRING, JV_NULLABLE, "意外情况说明", .max = 200},
    {"homes_owned", JV_INT, JV_REQUIRED, "家庭拥有住房套数", .min = 0, .max = 99},
    {"employs_others", JV_BOOL, JV_REQUIRED, "经营企业并雇用他人"},
    {"category", JV_ENUM, JV_REQUIRED, "困难类别", .choices = hardship_categories},
    {"category_reason", JV_STRING, JV_NULLABLE, "类别与建议不同的理由", .max = 200},
    {"bank_name", JV_STRING, JV_NULLABLE, "开户银行", .max = 60},
    {"bank_account", JV_STRING, JV_NULLABLE, "银行账号", .max = 40},
    {"note", JV_STRING, JV_NULLABLE | JV_MULTILINE, "备注", .max = 500},
    {0},
};

static const jv_field family_fields[] = {
    {"name", JV_STRING, JV_REQUIRED, "家庭成员姓名", .max = 50},
    {"relation", JV_ENUM, JV_REQUIRED, "与本人关系", .choices = relations},
    {"id_number", JV_STRING, JV_REQUIRED, "家庭成员身份证号", .max = 18},
    {"health", JV_ENUM, JV_REQUIRED, "家庭成员健康状况", .choices = healths},
    {"school_or_work", JV_STRING, JV_NULLABLE, "就学或就业情况", .max = 100},
    {"school_level", JV_ENUM, 0, "就学阶段", .choices = school_levels},
    {"income_fen", JV_MONEY, 0, "家庭成员月收入"},
    {0},
};

/* ---- small helpers ---- */

static int not_found(gh_err *e) { return err_set(e, ERR_NOT_FOUND, "file_not_found", "id", "困难职工档案不存在"); }

static const char *cat_cn(const char *c)
{
    int i = c ? jv_choice_index(hardship_categories, c) : -1;
    return i >= 0 ? category_cn[i] : "不符合认定标准";
}

/* Same lookup key as members.id_hash, so a family member who is also a
 * member is the same person here. */
static void id_key(const gh_config *cfg, const char *id18, char out[65])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "id:%s", id18);
    crypto_keyed_hex(cfg->hash_key, tmp, out);
    out[32] = '\0';
}

static void yuan(int64_t fen, char *out, size_t n)
{
    if (money_format(fen, out, n)) snprintf(out, n, "?");
}

static void today_str(char out[11]) { date_format(date_today_cn(), out); }

static void year_later(const char *from, char out[11])
{
    int32_t d;
    if (date_parse(from, &d, NULL)) d = date_today_cn();
    date_format(date_add_months(d, 12), out);
}

static int seal_json(gh_ctx *x, const json_t *v, char **out, gh_err *e)
{
    char *s = json_dumps(v, JSON_COMPACT);
    if (!s) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    int rc = crypto_seal(x->cfg->data_key, s, out, e);
    free(s);
    return rc;
}

static int open_json(gh_ctx *x, const char *sealed, json_t **out, gh_err *e)
{
    *out = NULL;
    if (!sealed) return err_set(e, ERR_GONE, "file_purged", NULL, "档案内容已按保存期限清除");
    char *plain = NULL;
    int rc = crypto_open(x->cfg->data_key, sealed, &plain, e);
    if (rc) return rc;
    *out = json_loads(plain, 0, NULL);
    free(plain);
    return *out ? 0 : err_set(e, ERR_INTERNAL, "file_corrupt", NULL, "档案内容无法解析");
}

int hardship_standard_validate(const json_t *p, gh_err *e)
{
    static const jv_field f[] = {
        {"dibao_fen", JV_MONEY, JV_REQUIRED, "低保标准（元/人·月）", .min = 1, .max = 10000000},
        {"relative_multiple_pct", JV_INT, JV_REQUIRED, "相对困难倍数（%）", .min = 100, .max = 500},
        {0},
    };
    return jv_check(p, f, e);
}

/* ---- checking and assessing a record ---- */

typedef struct hs_rec {
    json_t *rec;    /* normalised record (owned) */
    json_t *assess; /* computed figures (owned) */
    char suggested[12], category[12], main_cause[24], secondary[96], exclusions[64];
    int size, nfam;
    char fam_hash[HS_MAX_FAMILY][65];
    int64_t policy_id;
} hs_rec;

static void rec_free(hs_rec *r)
{
    json_decref(r->rec);
    json_decref(r->assess);
    r->rec = r->assess = NULL;
}

static int64_t money_of(const json_t *o, const char *k) { return jv_int(o, k, 0); }

/* Check body as a whole file record for org_id (the standard's region) and
 * the member's own ID hash; fill r. need_category = 0 for a preview. */
static int rec_check(gh_ctx *x, const json_t *body, int64_t org_id, const char *member_hash, int need_category,
                     hs_rec *r, gh_err *e)
{
    memset(r, 0, sizeof *r);
    json_t *b = json_deep_copy(body);
    if (!b) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (!need_category && !json_object_get(b, "category")) json_object_set_new(b, "category", json_string("deep"));
    int rc = jv_check(b, rec_fields, e);
    if (rc) goto done;
    json_t *fam = json_object_get(b, "family");
    size_t i;
    json_t *m;
    int64_t fam_income = 0;
    json_array_foreach(fam, i, m) {
        if (!json_is_object(m)) {
            rc = err_set(e, ERR_INVALID, "invalid_type", "family", "家庭成员第 %zu 项应为对象", i + 1);
            goto done;
        }
        rc = jv_check(m, family_fields, e);
        if (rc) {
            if (e) {
                char f[64];
                snprintf(f, sizeof f, "family[%d].%.30s", (int)i, e->field);
                snprintf(e->field, sizeof e->field, "%s", f);
                char msg[sizeof e->message];
                snprintf(msg, sizeof msg, "家庭成员第 %zu 项：%.250s", i + 1, e->message);
                snprintf(e->message, sizeof e->message, "%s", msg);
            }
            goto done;
        }
        char id18[19];
        gh_err ie;
        if (valid_id_number(jv_str(m, "id_number"), id18, &ie)) {
            rc = err_set(e, ERR_INVALID, "invalid_id_number", NULL, "家庭成员第 %zu 项（%s）的身份证号无效：%s", i + 1,
                         jv_str(m, "name"), ie.message);
            if (e) snprintf(e->field, sizeof e->field, "family[%zu].id_number", i);
            goto done;
        }
        json_object_set_new(m, "id_number", json_string(id18));
        id_key(x->cfg, id18, r->fam_hash[i]);
        if (member_hash && strcmp(member_hash, r->fam_hash[i]) == 0) {
            rc = err_set(e, ERR_INVALID, "family_is_member", NULL, "家庭成员第 %zu 项是职工本人，不必重复填写", i + 1);
            if (e) snprintf(e->field, sizeof e->field, "family[%zu].id_number", i);
            goto done;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->fam_hash[j], r->fam_hash[i]) == 0) {
                rc = err_set(e, ERR_INVALID, "duplicate_family_member", NULL, "家庭成员第 %zu 项与第 %zu 项是同一人", i + 1, j + 1);
                if (e) snprintf(e->field, sizeof e->field, "family[%zu].id_number", i);
                goto done;
            }
        fam_income += money_of(m, "income_fen");
    }
    r->nfam = (int)json_array_size(fam);
    r->size = 1 + r->nfam;
    /* The figures must add up: total = own wage + other family members'
     * incomes + non-wage income. */
    int64_t own = money_of(b, "monthly_income_fen"), other = money_of(b, "family_other_income_fen"),
            total = money_of(b, "family_income_fen");
    if (own + other + fam_income != total) {
        char want[32], got[32];
        yuan(own + other + fam_income, want, sizeof want);
        yuan(total, got, sizeof got);
        rc = err_set(e, ERR_INVALID, "income_mismatch", "family_income_fen",
                     "家庭月总收入应等于本人月收入、其他家庭成员月收入与非工资性收入之和（应为 %s 元，填写的是 %s 元）", want, got);
        goto done;
    }
    /* Secondary causes: at most three, none the main cause. */
    const char *main = jv_str(b, "main_cause");
    json_t *sec = json_object_get(b, "secondary_causes");
    if (json_array_size(sec) > 3) {
        rc = err_set(e, ERR_INVALID, "too_many_items", "secondary_causes", "次要致困原因最多 3 项");
        goto done;
    }
    snprintf(r->secondary, sizeof r->secondary, ",");
    json_array_foreach(sec, i, m) {
        if (strcmp(json_string_value(m), main) == 0) {
            rc = err_set(e, ERR_INVALID, "duplicate_cause", "secondary_causes", "次要致困原因不能与主要原因相同");
            goto done;
        }
        size_t l = strlen(r->secondary);
        snprintf(r->secondary + l, sizeof r->secondary - l, "%s,", json_string_value(m));
    }
    snprintf(r->main_cause, sizeof r->main_cause, "%s", main);
    const char *acct = jv_str(b, "bank_account");
    if (acct && *acct) {
        char digits[VALID_ACCOUNT_MAX + 1];
        if ((rc = valid_bank_account(acct, "bank_account", digits, e))) goto done;
        json_object_set_new(b, "bank_account", json_string(digits));
    }
    int accident = jv_bool(b, "accident", 0);
    if (!json_object_get(b, "disability")) json_object_set_new(b, "disability", json_string("none"));
    /* Exclusions are flagged, not refused: the level above decides. */
    r->exclusions[0] = '\0';
    if (jv_int(b, "homes_owned", 0) >= 2) snprintf(r->exclusions, sizeof r->exclusions, "multiple_homes");
    if (jv_bool(b, "employs_others", 0)) {
        size_t l = strlen(r->exclusions);
        snprintf(r->exclusions + l, sizeof r->exclusions - l, "%sbusiness_owner", l ? "," : "");
    }
    /* The standard in force today for the file's region. */
    json_t *std = NULL;
    char today[11];
    today_str(today);
    gh_err pe;
    rc = policy_find(x->db, "hardship_standard", org_id, today, &std, &r->policy_id, &pe);
    if (rc == ERR_NOT_FOUND) {
        rc = err_set(e, ERR_CONFLICT, "no_hardship_standard", NULL,
                     "本地区尚未设置低保标准（政策参数 hardship_standard），请先由上级工会设置");
        goto done;
    }
    if (rc) {
        if (e) *e = pe;
        goto done;
    }
    int64_t dibao = jv_int(std, "dibao_fen", 0), mult = jv_int(std, "relative_multiple_pct", 200);
    json_decref(std);
    int64_t deductions = money_of(b, "medical_cost_fen") + money_of(b, "education_cost_fen") +
                         money_of(b, "disability_cost_fen") + money_of(b, "work_cost_fen");
    int64_t adjusted = total - deductions;
    if (adjusted < 0) adjusted = 0;
    int64_t per_head = 0, adj_head = 0, line = 0;
    money_ratio(total, 1, r->size, &per_head);
    money_ratio(adjusted, 1, r->size, &adj_head);
    money_ratio(dibao, mult, 100, &line);
    const char *s = NULL;
    if (adj_head < dibao) s = "deep";
    else if (accident) s = "accident";
    else if (adj_head < line) s = "relative";
    snprintf(r->suggested, sizeof r->suggested, "%s", s ? s : "");
    char a1[32], a2[32], a3[32], a4[32], a5[32], why[400];
    yuan(total, a1, sizeof a1);
    yuan(deductions, a2, sizeof a2);
    yuan(adj_head, a3, sizeof a3);
    yuan(dibao, a4, sizeof a4);
    yuan(line, a5, sizeof a5);
    snprintf(why, sizeof why, "家庭月总收入 %s 元，扣除医疗、教育、残疾康复、就业必要支出 %s 元后，%d 口之家人均 %s 元；低保标准 %s 元，%lld%% 为 %s 元。%s%s",
             a1, a2, r->size, a3, a4, (long long)mult, a5, s ? "建议认定为" : "不符合困难职工认定标准",
             s ? cat_cn(s) : "");
    r->assess = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s?, s:s, s:o}", "household_size", r->size,
                          "family_income_fen", (json_int_t)total, "deductions_fen", (json_int_t)deductions,
                          "adjusted_income_fen", (json_int_t)adjusted, "per_capita_fen", (json_int_t)per_head,
                          "adjusted_per_capita_fen", (json_int_t)adj_head, "dibao_fen", (json_int_t)dibao,
                          "relative_multiple_pct", (json_int_t)mult, "relative_line_fen", (json_int_t)line,
                          "policy_id", (json_int_t)r->policy_id, "suggested_category", s, "explanation", why,
                          "exclusions", json_array());
    if (r->exclusions[0]) {
        json_t *ex = json_object_get(r->assess, "exclusions");
        if (strstr(r->exclusions, "multiple_homes")) json_array_append_new(ex, json_string("multiple_homes"));
        if (strstr(r->exclusions, "business_owner")) json_array_append_new(ex, json_string("business_owner"));
    }
    if (need_category) {
        const char *cat = jv_str(b, "category");
        snprintf(r->category, sizeof r->category, "%s", cat);
        const char *reason = jv_str(b, "category_reason");
        if (strcmp(cat, "accident") == 0 && !accident) {
            rc = err_set(e, ERR_INVALID, "category_mismatch", "category", "意外致困须勾选“突发意外、灾害或重大疾病”并说明情况");
            goto done;
        }
        if (strcmp(cat, r->suggested) != 0 && (!reason || utf8_chars(reason) < 4)) {
            rc = err_set(e, ERR_INVALID, "category_reason_required", "category_reason",
                         "所选类别“%s”与平台建议（%s）不同，请填写理由（至少 4 个字）", cat_cn(cat), cat_cn(s));
            goto done;
        }
    }
    r->rec = b;
    b = NULL;
done:
    json_decref(b);
    if (rc) {
        json_decref(r->assess);
        r->assess = NULL;
    }
    return rc;
}

/* ---- loading ---- */

/* the export's words for the codes (as the pages show them) */
static const char *const words_file_status[] = {"pending", "待上级审核", "open", "在档", "rejected", "未通过", "closed", "已撤档", "purged", "已清除", NULL};
/* the export's words for the codes (as the pages show them) */
static const char *const words_categories[] = {"deep", "深度困难", "relative", "相对困难", "accident", "意外致困", NULL};

static const list_col file_cols[] = {
    {"id", "f.id", COL_INT, "档案编号"},
    {"org_id", "f.org_id", COL_INT},
    {"org_name", "o.name", COL_STR, "所属工会"},
    {"member_id", "f.member_id", COL_INT},
    {"member_name", "m.name", COL_STR},
    {"member_name_masked", NULL, COL_STR, "姓名"},
    {"id_number_masked", "m.id_mask", COL_STR, "身份证号"},
    {"gender", "m.gender", COL_STR, "性别"},
    {"status", "f.status", COL_STR, "档案状态", words_file_status},
    {"category", "f.category", COL_STR, "困难类别", words_categories},
    {"suggested_category", "f.suggested_category", COL_STR},
    {"ethnicity", "f.ethnicity", COL_STR},
    {"work_status", "f.work_status", COL_STR, "就业状况"},
    {"household_type", "f.household_type", COL_STR},
    {"medical_insurance", "f.medical_insurance", COL_STR},
    {"main_cause", "f.main_cause", COL_STR, "主要致困原因"},
    {"secondary_causes", "f.secondary_causes", COL_STR},
    {"household_size", "f.household_size", COL_INT, "家庭人口"},
    {"exclusions", "f.exclusions", COL_STR},
    {"opened_by", "f.opened_by", COL_INT_NULL},
    {"opened_on", "f.opened_on", COL_STR, "建档日期"},
    {"reviewed_by", "f.reviewed_by", COL_INT_NULL},
    {"approved_on", "f.approved_on", COL_STR, "审核日期"},
    {"last_review_on", "f.last_review_on", COL_STR, "上次复核"},
    {"review_due", "f.review_due", COL_STR, "复核到期"},
    {"review_overdue", NULL, COL_BOOL, "复核逾期"},
    {"closed_on", "f.closed_on", COL_STR, "销档日期"},
    {"close_reason", "f.close_reason", COL_STR},
    {"created_at", "f.created_at", COL_STR},
    {"updated_at", "f.updated_at", COL_STR},
    {"model_worker", "m.model_worker", COL_STR},
    {"opened_by_name", "uo.display_name", COL_STR, "建档人"},
    {"reviewed_by_name", "ur.display_name", COL_STR, "审核人"},
    {0},
};
#define FILE_FROM                                                                                         \
    "hardship_files f JOIN orgs o ON o.id = f.org_id JOIN members m ON m.id = f.member_id"               \
    " LEFT JOIN users uo ON uo.id = f.opened_by LEFT JOIN users ur ON ur.id = f.reviewed_by"

static json_t *split_list(const char *s)
{
    json_t *a = json_array();
    if (!s) return a;
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", s);
    char *save = NULL;
    for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (*t) json_array_append_new(a, json_string(t));
    return a;
}

typedef struct row_ctx {
    char today[11];
    int masked; /* lists show masked names */
} row_ctx;

/* Cause lists as arrays, the overdue flag as of today, and in lists the
 * member's name masked. */
static void file_post(json_t *o, void *p)
{
    row_ctx *c = p;
    if (c->masked) {
        char nm[64];
        mask_name(json_string_value(json_object_get(o, "member_name")), nm, sizeof nm);
        json_object_del(o, "member_name");
        json_object_set_new(o, "member_name_masked", json_string(nm));
    }
    json_object_set_new(o, "secondary_causes", split_list(json_string_value(json_object_get(o, "secondary_causes"))));
    json_object_set_new(o, "exclusions", split_list(json_string_value(json_object_get(o, "exclusions"))));
    const char *due = json_string_value(json_object_get(o, "review_due"));
    const char *st = json_string_value(json_object_get(o, "status"));
    json_object_set_new(o, "review_overdue", json_boolean(due && st && strcmp(st, "open") == 0 && strcmp(due, c->today) < 0));
}

static const char *const file_statuses[] = {"pending", "open", "rejected", "closed", "purged", NULL};

static const list_filter file_filters[] = {
    {FILTER_CHOICE, offsetof(hardship_query, status), "f.status = ?", "status", "档案状态", file_statuses},
    {FILTER_CHOICE, offsetof(hardship_query, category), "f.category = ?", "category", "困难类别", hardship_categories},
    /* checked only: the condition is added with its pattern */
    {FILTER_CHOICE, offsetof(hardship_query, cause), NULL, "cause", "致困原因", hardship_causes},
    {0},
};

static const list_spec file_spec = {file_cols, file_filters, file_post, "困难职工档案", "hardship.export"};

int hardship_ref_load(store_conn *db, int64_t id, hardship_ref *f, gh_err *e)
{
    memset(f, 0, sizeof *f);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT f.id, f.org_id, f.member_id, f.status, COALESCE(f.category, ''), o.path"
        " FROM hardship_files f JOIN orgs o ON o.id = f.org_id WHERE f.id = $1",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        f->id = store_int(&r, 0);
        f->org_id = store_int(&r, 1);
        f->member_id = store_int(&r, 2);
        snprintf(f->status, sizeof f->status, "%s", store_text(&r, 3));
        snprintf(f->category, sizeof f->category, "%s", store_text(&r, 4));
        snprintf(f->path, sizeof f->path, "%s", store_text(&r, 5));
        rc = 0;
    } else if (rc == 0) {
        rc = not_found(e);
    }
    store_done(&r);
    return rc;
}

int hardship_access(gh_ctx *x, const hardship_ref *f, int write, int self_write, const char *action, gh_err *e)
{
    const gh_actor *a = x->actor;
    int rc = 0;
    if (a->role == ROLE_MEMBER) {
        if (a->member_id != f->member_id) rc = not_found(e);
        else if (write && !self_write) rc = err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "会员本人只能查看自己的档案");
    } else if (!actor_is_staff(a) || !actor_in_scope(a, f->path)) {
        rc = not_found(e);
    } else if (!actor_has_duty(a, DUTY_HARDSHIP)) {
        rc = err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责，不能查看或办理困难职工档案");
    }
    if (rc) {
        /* A refused attempt on a sensitive file leaves a trace too. */
        gh_err ignore;
        audit_record(x, action, "hardship_file", f->id, f->org_id, "denied", NULL, &ignore);
    }
    return rc;
}

int hardship_scope_bounds(gh_ctx *x, int64_t org_id, char lo[GH_PATH_MAX], char hi[GH_PATH_MAX], gh_err *e)
{
    if (org_id) {
        int rc = org_scope_path(x, org_id, lo, e);
        if (rc) return rc;
    } else {
        snprintf(lo, GH_PATH_MAX, "%s", x->actor->scope);
    }
    if (!lo[0]) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有可查看的组织范围");
    store_prefix_bound(lo, hi, GH_PATH_MAX);
    return 0;
}

/* The file row and its opened record; no access check. */
static int load_full(gh_ctx *x, int64_t id, json_t **out, json_t **rec, gh_err *e)
{
    *out = NULL;
    if (rec) *rec = NULL;
    row_ctx c = {.masked = 0};
    today_str(c.today);
    int rc = list_one(x->db, &file_spec, &c, NULL, FILE_FROM " WHERE f.id = $1", SV_ARGS(SV_I(id)), out, NULL, e);
    if (rc == ERR_NOT_FOUND) return not_found(e);
    if (rc || !rec) return rc;
    char *sealed = NULL;
    store_res r;
    if ((rc = store_query(x->db, &r, "SELECT sealed FROM hardship_files WHERE id = $1", SV_ARGS(SV_I(id)), e)) == 0) {
        if ((rc = store_next(&r, e)) > 0) {
            sealed = store_text(&r, 0) ? strdup(store_text(&r, 0)) : NULL;
            rc = 0;
        }
        store_done(&r);
    }
    if (rc == 0 && !sealed) *rec = json_null();
    else if (rc == 0) rc = open_json(x, sealed, rec, e);
    free(sealed);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int hardship_record(gh_ctx *x, int64_t id, json_t **rec, gh_err *e)
{
    json_t *o = NULL, *blob = NULL;
    int rc = load_full(x, id, &o, &blob, e);
    json_decref(o);
    if (rc) return rc;
    if (!json_is_object(blob)) {
        json_decref(blob);
        return err_set(e, ERR_GONE, "file_purged", NULL, "档案内容已按保存期限清除");
    }
    *rec = json_incref(json_object_get(blob, "record"));
    json_decref(blob);
    return 0;
}

/* The record as people may see it: family ID numbers and the account masked. */
static json_t *masked_record(const json_t *rec)
{
    json_t *r = json_deep_copy(rec);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(r, "family"), i, m) {
        char mk[19];
        mask_id_number(jv_str(m, "id_number"), mk);
        json_object_del(m, "id_number");
        json_object_set_new(m, "id_number_masked", json_string(mk));
    }
    const char *acct = jv_str(r, "bank_account");
    if (acct) {
        char mk[48];
        mask_account(acct, mk, sizeof mk);
        json_object_set_new(r, "bank_account_masked", json_string(mk));
    }
    json_object_del(r, "bank_account");
    return r;
}

static int view(gh_ctx *x, int64_t id, const char *action, json_t **out, gh_err *e)
{
    json_t *o = NULL, *blob = NULL;
    int rc = load_full(x, id, &o, &blob, e);
    if (rc) return rc;
    if (json_is_object(blob)) {
        json_object_set_new(o, "record", masked_record(json_object_get(blob, "record")));
        json_object_set(o, "assessment", json_object_get(blob, "assessment"));
    } else {
        json_object_set_new(o, "record", json_null());
        json_object_set_new(o, "assessment", json_null());
    }
    json_decref(blob);
    /* Audited before the data leaves: no read without its trace. */
    json_t *d = json_pack("{s:s}", "member", json_string_value(json_object_get(o, "id_number_masked")));
    rc = audit_record(x, action, "hardship_file", id, json_integer_value(json_object_get(o, "org_id")), "ok", d, e);
    json_decref(d);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int hardship_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    hardship_ref f;
    int rc = hardship_ref_load(x->db, id, &f, e);
    if (rc == 0) rc = hardship_access(x, &f, 0, 0, "hardship.read", e);
    if (rc) return rc;
    return view(x, id, "hardship.read", out, e);
}

int hardship_me(gh_ctx *x, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_MEMBER || !x->actor->member_id)
        return err_set(e, ERR_NOT_FOUND, "file_not_found", NULL, "当前账号不是会员账号");
    int64_t id = 0;
    int rc = store_get_int(x->db,
        "SELECT id FROM hardship_files WHERE member_id = $1 AND status <> 'purged' ORDER BY id DESC LIMIT 1",
        SV_ARGS(SV_I(x->actor->member_id)), &id, e);
    if (rc == ERR_NOT_FOUND) return err_set(e, ERR_NOT_FOUND, "file_not_found", NULL, "您没有困难职工档案");
    if (rc) return rc;
    return view(x, id, "hardship.read", out, e);
}

/* ---- writing ---- */

/* Record everyone of a live file in hardship_people: one household, one
 * file. */
static int people_sync(gh_ctx *x, int64_t file_id, const char *member_hash, const hs_rec *r, gh_err *e)
{
    int rc = store_exec(x->db, "DELETE FROM hardship_people WHERE file_id = $1", SV_ARGS(SV_I(file_id)), NULL, e);
    for (int i = -1; rc == 0 && i < r->nfam; i++) {
        const char *h = i < 0 ? member_hash : r->fam_hash[i];
        rc = store_exec(x->db, "INSERT INTO hardship_people (id_hash, file_id) VALUES ($1, $2)",
                        SV_ARGS(SV_T(h), SV_I(file_id)), NULL, e);
        /* Which file holds the person is told after the rollback
         * (household_clash): PostgreSQL answers no query in a transaction
         * a unique violation has aborted. */
        if (rc == ERR_CONFLICT) {
            if (i < 0) return err_set(e, ERR_CONFLICT, "member_has_file", "member_id",
                                      "该职工已在另一份在档的困难职工档案中，一户只建一档");
            rc = err_set(e, ERR_CONFLICT, "person_in_other_file", NULL,
                         "家庭成员第 %d 项（%s）已在另一份在档的困难职工档案中，一户只建一档", i + 1,
                         jv_str(json_array_get(json_object_get(r->rec, "family"), (size_t)i), "name"));
            if (e) snprintf(e->field, sizeof e->field, "family[%d].id_number", i);
        }
    }
    return rc;
}

/* After a write refused because someone is in another live file: the
 * refusal goes into the audit log (entering ID numbers to learn who is in
 * hardship elsewhere must leave a trace), and the other file's number is
 * added to the message only when the actor's scope holds that file. */
static void household_clash(gh_ctx *x, const char *action, int64_t file_id, int64_t org_id, const hs_rec *r,
                            const char *member_hash, gh_err *e)
{
    if (!e || (strcmp(e->code, "member_has_file") != 0 && strcmp(e->code, "person_in_other_file") != 0)) return;
    const char *h = member_hash;
    int idx = -1;
    if (strncmp(e->field, "family[", 7) == 0) {
        idx = atoi(e->field + 7);
        if (idx >= 0 && idx < r->nfam) h = r->fam_hash[idx];
    }
    gh_err ignore;
    json_t *d = json_pack("{s:s, s:i}", "refused", e->code, "family_index", idx);
    audit_record(x, action, "hardship_file", file_id, org_id, "denied", d, &ignore);
    json_decref(d);
    store_res q;
    if (!h || store_query(x->db, &q,
                          "SELECT f.id, o.path FROM hardship_people p JOIN hardship_files f ON f.id = p.file_id"
                          " JOIN orgs o ON o.id = f.org_id WHERE p.id_hash = $1",
                          SV_ARGS(SV_T(h)), &ignore) != 0)
        return;
    if (store_next(&q, &ignore) > 0 && store_int(&q, 0) != file_id && actor_in_scope(x->actor, store_text(&q, 1))) {
        size_t n = strlen(e->message);
        snprintf(e->message + n, sizeof e->message - n, "（该档案编号 %lld）", (long long)store_int(&q, 0));
    }
    store_done(&q);
}

static int history_add(gh_ctx *x, int64_t file_id, int64_t org_id, const char *kind, const json_t *fields,
                       const char *reason, const json_t *blob, gh_err *e)
{
    char *snap = NULL, *fl = NULL, ts[32];
    int rc = 0;
    if (blob && (rc = seal_json(x, blob, &snap, e))) return rc;
    if (fields) fl = json_dumps(fields, JSON_COMPACT);
    ts_now(ts);
    rc = store_exec(x->db,
        "INSERT INTO hardship_history (file_id, org_id, kind, fields, reason, snapshot_sealed, actor_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        SV_ARGS(SV_I(file_id), SV_I(org_id), SV_T(kind), SV_T(fl), SV_T(reason), SV_T(snap),
                SV_IZ(x->actor->user_id), SV_T(ts)),
        NULL, e);
    free(snap);
    free(fl);
    return rc;
}

typedef struct open_ctx {
    gh_ctx *x;
    hs_rec r;
    int64_t member_id, org_id, id;
    char member_hash[65];
} open_ctx;

static json_t *blob_of(const hs_rec *r)
{
    return json_pack("{s:O, s:O}", "record", r->rec, "assessment", r->assess);
}

static int open_tx(store_conn *db, void *p, gh_err *e)
{
    open_ctx *c = p;
    char ts[32], today[11], *sealed = NULL;
    ts_now(ts);
    today_str(today);
    json_t *blob = blob_of(&c->r);
    int rc = seal_json(c->x, blob, &sealed, e);
    if (rc) goto done;
    store_res q;
    const json_t *b = c->r.rec;
    rc = store_query(db, &q,
        "INSERT INTO hardship_files (org_id, member_id, status, category, suggested_category, ethnicity, work_status,"
        " household_type, medical_insurance, main_cause, secondary_causes, household_size, exclusions, sealed,"
        " opened_by, opened_on, created_at, updated_at)"
        " VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
        SV_ARGS(SV_I(c->org_id), SV_I(c->member_id), SV_T(c->r.category), SV_T(c->r.suggested[0] ? c->r.suggested : NULL),
                SV_T(jv_str(b, "ethnicity")), SV_T(jv_str(b, "work_status")), SV_T(jv_str(b, "household_type")),
                SV_T(jv_str(b, "medical_insurance")), SV_T(c->r.main_cause), SV_T(c->r.secondary), SV_I(c->r.size),
                SV_T(c->r.exclusions), SV_T(sealed), SV_IZ(c->x->actor->user_id), SV_T(today), SV_T(ts)),
        e);
    free(sealed);
    if (rc == 0) {
        if ((rc = store_next(&q, e)) > 0) c->id = store_int(&q, 0);
        store_done(&q);
    }
    if (rc == ERR_CONFLICT) {
        rc = err_set(e, ERR_CONFLICT, "member_has_file", "member_id", "该职工已有在档（待审核或在档）的困难职工档案，一户只建一档");
        goto done;
    }
    if (rc < 0) goto done;
    rc = people_sync(c->x, c->id, c->member_hash, &c->r, e);
    if (rc) goto done;
    json_t *fields = json_pack("[s]", "*");
    rc = history_add(c->x, c->id, c->org_id, "opened", fields, NULL, blob, e);
    json_decref(fields);
    if (rc) goto done;
    json_t *d = json_pack("{s:s, s:s?, s:s}", "category", c->r.category, "suggested", c->r.suggested[0] ? c->r.suggested : NULL,
                          "exclusions", c->r.exclusions);
    rc = audit_record(c->x, "hardship.open", "hardship_file", c->id, c->org_id, "ok", d, e);
    json_decref(d);
done:
    json_decref(blob);
    return rc;
}

/* The member a file may be opened for: active, in scope; its union. */
static int member_for_file(gh_ctx *x, int64_t member_id, int64_t *org_id, char hash[65], gh_err *e)
{
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT m.org_id, m.id_hash, m.status, o.path FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1",
        SV_ARGS(SV_I(member_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) {
        if (!actor_in_scope(x->actor, store_text(&r, 3))) {
            rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
        } else if (strcmp(store_text(&r, 2), "active") != 0) {
            rc = err_set(e, ERR_CONFLICT, "member_not_active", "member_id", "只能为在会会员建立困难职工档案");
        } else {
            *org_id = store_int(&r, 0);
            snprintf(hash, 65, "%s", store_text(&r, 1));
            rc = 0;
        }
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "member_not_found", "member_id", "会员不存在");
    }
    store_done(&r);
    return rc;
}

int hardship_assess(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_HARDSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    json_t *b = json_deep_copy(body);
    int64_t member_id = jv_int(b, "member_id", 0), org_id = x->actor->org_id;
    json_object_del(b, "member_id");
    char hash[65] = "";
    int rc = 0;
    if (member_id) rc = member_for_file(x, member_id, &org_id, hash, e);
    if (rc == 0 && !org_id) rc = err_set(e, ERR_INVALID, "missing_field", "member_id", "请选择职工");
    hs_rec r;
    if (rc == 0) rc = rec_check(x, b, org_id, hash[0] ? hash : NULL, 0, &r, e);
    json_decref(b);
    if (rc) return rc;
    *out = json_incref(r.assess);
    rec_free(&r);
    return 0;
}

int hardship_open(gh_ctx *x, const json_t *body, json_t **out, gh_err *e)
{
    if (!actor_has_duty(x->actor, DUTY_HARDSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责");
    const json_t *mid = json_object_get(body, "member_id");
    if (!json_is_integer(mid) || json_integer_value(mid) <= 0)
        return err_set(e, ERR_INVALID, "missing_field", "member_id", "请选择要建档的职工（member_id）");
    open_ctx c = {.x = x, .member_id = json_integer_value(mid)};
    int rc = member_for_file(x, c.member_id, &c.org_id, c.member_hash, e);
    if (rc) return rc;
    json_t *b = json_deep_copy(body);
    json_object_del(b, "member_id");
    rc = rec_check(x, b, c.org_id, c.member_hash, 1, &c.r, e);
    json_decref(b);
    if (rc) return rc;
    rc = store_tx(x->db, STORE_WRITE, open_tx, &c, e);
    if (rc == ERR_CONFLICT) household_clash(x, "hardship.open", 0, c.org_id, &c.r, c.member_hash, e);
    rec_free(&c.r);
    if (rc) return rc;
    return view(x, c.id, "hardship.read", out, e);
}

typedef struct change_ctx {
    gh_ctx *x;
    hardship_ref f;
    hs_rec r;
    json_t *fields;
    const char *reason;
    char member_hash[65];
} change_ctx;

static int update_tx(store_conn *db, void *p, gh_err *e)
{
    change_ctx *c = p;
    char ts[32], *sealed = NULL;
    ts_now(ts);
    json_t *blob = blob_of(&c->r);
    int rc = seal_json(c->x, blob, &sealed, e);
    if (rc) goto done;
    int64_t changed = 0;
    const json_t *b = c->r.rec;
    rc = store_exec(db,
        "UPDATE hardship_files SET category = $2, suggested_category = $3, ethnicity = $4, work_status = $5,"
        " household_type = $6, medical_insurance = $7, main_cause = $8, secondary_causes = $9, household_size = $10,"
        " exclusions = $11, sealed = $12, updated_at = $13 WHERE id = $1 AND status IN ('pending', 'open')",
        SV_ARGS(SV_I(c->f.id), SV_T(c->r.category), SV_T(c->r.suggested[0] ? c->r.suggested : NULL),
                SV_T(jv_str(b, "ethnicity")), SV_T(jv_str(b, "work_status")), SV_T(jv_str(b, "household_type")),
                SV_T(jv_str(b, "medical_insurance")), SV_T(c->r.main_cause), SV_T(c->r.secondary), SV_I(c->r.size),
                SV_T(c->r.exclusions), SV_T(sealed), SV_T(ts)),
        &changed, e);
    free(sealed);
    if (rc) goto done;
    if (!changed) {
        rc = err_set(e, ERR_CONFLICT, "file_closed", NULL, "档案已撤档或未通过，只能查看，不能修改");
        goto done;
    }
    rc = people_sync(c->x, c->f.id, c->member_hash, &c->r, e);
    if (rc == 0) rc = history_add(c->x, c->f.id, c->f.org_id, "updated", c->fields, c->reason, blob, e);
    if (rc == 0) {
        json_t *d = json_pack("{s:O}", "fields", c->fields);
        rc = audit_record(c->x, "hardship.update", "hardship_file", c->f.id, c->f.org_id, "ok", d, e);
        json_decref(d);
    }
done:
    json_decref(blob);
    return rc;
}

static int require_live(const hardship_ref *f, gh_err *e)
{
    if (strcmp(f->status, "pending") == 0 || strcmp(f->status, "open") == 0) return 0;
    return err_set(e, ERR_CONFLICT, "file_closed", NULL, "档案已撤档、未通过或已清除，只能查看，不能办理");
}

static int member_hash_of(store_conn *db, int64_t member_id, char out[65], gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r, "SELECT id_hash FROM members WHERE id = $1", SV_ARGS(SV_I(member_id)), e);
    if (rc) return rc;
    rc = store_next(&r, e);
    if (rc > 0) snprintf(out, 65, "%s", store_text(&r, 0));
    store_done(&r);
    return rc > 0 ? 0 : rc < 0 ? rc : err_set(e, ERR_NOT_FOUND, "member_not_found", NULL, "会员不存在");
}

/* A confirmed category (it decides which aid a household gets, and how
 * much) changes only by the level above the file's union, as it was
 * confirmed: never by that union's own officers. */
static int category_change_allowed(gh_ctx *x, const hardship_ref *f, const char *category, gh_err *e)
{
    if (strcmp(f->status, "open") != 0 || !category || strcmp(category, f->category) == 0) return 0;
    if (x->actor->role != ROLE_OFFICER) return 0;
    char own[GH_PATH_MAX];
    int rc = org_path(x->db, x->actor->org_id, own, e);
    if (rc) return rc;
    if (strcmp(own, f->path) == 0)
        return err_set(e, ERR_FORBIDDEN, "needs_upper_level", "category",
                       "已确认档案的困难类别须由上级工会调整，本级工会不能自行改变");
    return 0;
}

int hardship_update(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    change_ctx c = {.x = x};
    int rc = hardship_ref_load(x->db, id, &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 0, "hardship.update", e);
    if (rc == 0) rc = require_live(&c.f, e);
    if (rc == 0) rc = jv_check_partial(body, rec_fields, e);
    if (rc == 0) rc = category_change_allowed(x, &c.f, jv_str(body, "category"), e);
    if (rc) return rc;
    if (json_object_size(body) == 0) return err_set(e, ERR_INVALID, "missing_field", NULL, "没有要修改的内容");
    json_t *cur = NULL;
    rc = hardship_record(x, id, &cur, e);
    if (rc) return rc;
    json_t *merged = json_deep_copy(cur);
    json_object_update(merged, (json_t *)body);
    /* Which fields really changed, for the history. */
    c.fields = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
        if (!json_equal(v, json_object_get(cur, k))) json_array_append_new(c.fields, json_string(k));
    json_decref(cur);
    c.reason = jv_str(body, "category_reason");
    rc = member_hash_of(x->db, c.f.member_id, c.member_hash, e);
    if (rc == 0) rc = rec_check(x, merged, c.f.org_id, c.member_hash, 1, &c.r, e);
    json_decref(merged);
    if (rc == 0) rc = store_tx(x->db, STORE_WRITE, update_tx, &c, e);
    if (rc == ERR_CONFLICT) household_clash(x, "hardship.update", c.f.id, c.f.org_id, &c.r, c.member_hash, e);
    rec_free(&c.r);
    json_decref(c.fields);
    if (rc) return rc;
    return view(x, id, "hardship.read", out, e);
}

typedef struct decide_ctx {
    gh_ctx *x;
    hardship_ref f;
    const char *category, *reason, *close_reason;
    int kind; /* 0 approve, 1 reject, 2 review-continue, 3 close */
} decide_ctx;

static int decide_tx(store_conn *db, void *p, gh_err *e)
{
    decide_ctx *c = p;
    char ts[32], today[11], due[11];
    ts_now(ts);
    today_str(today);
    year_later(today, due);
    int64_t changed = 0;
    int rc;
    const char *hkind, *action;
    switch (c->kind) {
    case 0:
        rc = store_exec(db,
            "UPDATE hardship_files SET status = 'open', category = $2, reviewed_by = $3, approved_on = $4,"
            " last_review_on = $4, review_due = $5, updated_at = $6 WHERE id = $1 AND status = 'pending'",
            SV_ARGS(SV_I(c->f.id), SV_T(c->category), SV_IZ(c->x->actor->user_id), SV_T(today), SV_T(due), SV_T(ts)),
            &changed, e);
        hkind = "approved", action = "hardship.approve";
        break;
    case 1:
        rc = store_exec(db,
            "UPDATE hardship_files SET status = 'rejected', reviewed_by = $2, closed_on = $3, close_reason = 'rejected',"
            " review_due = NULL, updated_at = $4 WHERE id = $1 AND status = 'pending'",
            SV_ARGS(SV_I(c->f.id), SV_IZ(c->x->actor->user_id), SV_T(today), SV_T(ts)), &changed, e);
        hkind = "rejected", action = "hardship.reject";
        break;
    case 2:
        rc = store_exec(db,
            "UPDATE hardship_files SET category = $2, last_review_on = $3, review_due = $4, updated_at = $5"
            " WHERE id = $1 AND status = 'open'",
            SV_ARGS(SV_I(c->f.id), SV_T(c->category), SV_T(today), SV_T(due), SV_T(ts)), &changed, e);
        hkind = "reviewed", action = "hardship.review";
        break;
    default:
        rc = store_exec(db,
            "UPDATE hardship_files SET status = 'closed', closed_on = $2, close_reason = $3, review_due = NULL,"
            " updated_at = $4 WHERE id = $1 AND status IN ('pending', 'open')",
            SV_ARGS(SV_I(c->f.id), SV_T(today), SV_T(c->close_reason), SV_T(ts)), &changed, e);
        hkind = "closed", action = "hardship.close";
    }
    if (rc) return rc;
    if (!changed)
        return err_set(e, ERR_CONFLICT, "wrong_status", NULL, c->kind <= 1 ? "只有待审核的档案可以审核" :
                       c->kind == 2 ? "只有在档的档案可以复核" : "档案已撤档");
    if (c->kind == 1 || c->kind == 3) {
        rc = store_exec(db, "DELETE FROM hardship_people WHERE file_id = $1", SV_ARGS(SV_I(c->f.id)), NULL, e);
        if (rc) return rc;
    }
    json_t *fields = json_array();
    if (c->category && strcmp(c->category, c->f.category) != 0) json_array_append_new(fields, json_string("category"));
    if (c->close_reason) json_array_append_new(fields, json_string(c->close_reason));
    rc = history_add(c->x, c->f.id, c->f.org_id, hkind, fields, c->reason, NULL, e);
    json_decref(fields);
    if (rc) return rc;
    json_t *d = json_pack("{s:s?, s:s?, s:s?}", "category", c->category, "reason", c->reason, "close_reason", c->close_reason);
    rc = audit_record(c->x, action, "hardship_file", c->f.id, c->f.org_id, "ok", d, e);
    json_decref(d);
    return rc;
}

static int decide(gh_ctx *x, decide_ctx *c, json_t **out, gh_err *e)
{
    int rc = store_tx(x->db, STORE_WRITE, decide_tx, c, e);
    if (rc) return rc;
    return view(x, c->f.id, "hardship.read", out, e);
}

/* A pending file is decided — confirmed or rejected — by the level above
 * the union that opened it, never by that union's own officers. */
static int upper_level_only(gh_ctx *x, const hardship_ref *f, gh_err *e)
{
    if (x->actor->role != ROLE_OFFICER) return 0;
    char own[GH_PATH_MAX];
    int rc = org_path(x->db, x->actor->org_id, own, e);
    if (rc) return rc;
    if (strcmp(own, f->path) == 0)
        return err_set(e, ERR_FORBIDDEN, "needs_upper_level", NULL,
                       "困难职工档案须由上级工会审核（确认或不予建档），本级工会不能审核自己建立的档案");
    return 0;
}

int hardship_approve(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"category", JV_ENUM, 0, "困难类别", .choices = hardship_categories},
        {"note", JV_STRING, JV_NULLABLE, "审核意见", .max = 200},
        {"exclusion_override_reason", JV_STRING, JV_NULLABLE, "排除情形的处理理由", .max = 200},
        {0},
    };
    decide_ctx c = {.x = x, .kind = 0};
    int rc = jv_check(body, f, e);
    if (rc == 0) rc = hardship_ref_load(x->db, id, &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 0, "hardship.approve", e);
    if (rc) return rc;
    const gh_actor *a = x->actor;
    rc = upper_level_only(x, &c.f, e);
    if (rc) return rc;
    json_t *file = NULL;
    rc = load_full(x, id, &file, NULL, e);
    if (rc) return rc;
    int64_t opener = json_integer_value(json_object_get(file, "opened_by"));
    int flagged = json_array_size(json_object_get(file, "exclusions")) > 0;
    json_decref(file);
    if (a->user_id && opener == a->user_id)
        return err_set(e, ERR_FORBIDDEN, "maker_checker", NULL, "不能审核自己建立的档案");
    const char *why = jv_str(body, "exclusion_override_reason");
    if (flagged && (!why || utf8_chars(why) < 4))
        return err_set(e, ERR_CONFLICT, "exclusion_flagged", "exclusion_override_reason",
                       "该户存在排除情形（多套住房或经营企业雇用他人），须填写核实后仍予建档的理由");
    c.category = jv_str(body, "category") ? jv_str(body, "category") : c.f.category;
    c.reason = why ? why : jv_str(body, "note");
    return decide(x, &c, out, e);
}

int hardship_reject(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e)
{
    decide_ctx c = {.x = x, .kind = 1, .reason = reason};
    if (!reason || utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "请填写不予建档的原因");
    int rc = hardship_ref_load(x->db, id, &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 0, "hardship.reject", e);
    if (rc == 0) rc = upper_level_only(x, &c.f, e);
    if (rc) return rc;
    return decide(x, &c, out, e);
}

int hardship_review(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    static const char *const outcomes[] = {"continue", "close", NULL};
    static const jv_field f[] = {
        {"outcome", JV_ENUM, JV_REQUIRED, "复核结论", .choices = outcomes},
        {"category", JV_ENUM, 0, "困难类别", .choices = hardship_categories},
        {"close_reason", JV_ENUM, 0, "撤档原因", .choices = hardship_close_reasons},
        {"note", JV_STRING, JV_NULLABLE, "复核意见", .max = 200},
        {0},
    };
    decide_ctx c = {.x = x, .kind = 2};
    int rc = jv_check(body, f, e);
    if (rc == 0) rc = hardship_ref_load(x->db, id, &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 0, "hardship.review", e);
    if (rc) return rc;
    if (strcmp(c.f.status, "open") != 0) return err_set(e, ERR_CONFLICT, "wrong_status", NULL, "只有在档的档案需要年度复核");
    c.reason = jv_str(body, "note");
    if (strcmp(jv_str(body, "outcome"), "close") == 0) {
        if (!jv_str(body, "close_reason")) return err_set(e, ERR_INVALID, "missing_field", "close_reason", "复核后撤档须选择撤档原因");
        c.kind = 3;
        c.close_reason = jv_str(body, "close_reason");
        return decide(x, &c, out, e);
    }
    c.category = jv_str(body, "category") ? jv_str(body, "category") : c.f.category;
    if (strcmp(c.category, c.f.category) != 0 && (!c.reason || utf8_chars(c.reason) < 4))
        return err_set(e, ERR_INVALID, "missing_field", "note", "复核调整困难类别须填写复核意见");
    rc = category_change_allowed(x, &c.f, c.category, e);
    if (rc) return rc;
    return decide(x, &c, out, e);
}

int hardship_close(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    static const jv_field f[] = {
        {"reason", JV_ENUM, JV_REQUIRED, "撤档原因", .choices = hardship_close_reasons},
        {"note", JV_STRING, JV_NULLABLE, "说明", .max = 200},
        {0},
    };
    decide_ctx c = {.x = x, .kind = 3};
    int rc = jv_check(body, f, e);
    if (rc == 0) rc = hardship_ref_load(x->db, id, &c.f, e);
    if (rc == 0) rc = hardship_access(x, &c.f, 1, 0, "hardship.close", e);
    if (rc == 0) rc = require_live(&c.f, e);
    if (rc) return rc;
    c.close_reason = jv_str(body, "reason");
    c.reason = jv_str(body, "note");
    if (strcmp(c.close_reason, "other") == 0 && (!c.reason || utf8_chars(c.reason) < 2))
        return err_set(e, ERR_INVALID, "missing_field", "note", "撤档原因为“其他”时须填写说明");
    return decide(x, &c, out, e);
}

/* ---- history ---- */

static json_t *diff(const json_t *before, const json_t *after)
{
    json_t *out = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)after, k, v) {
        const json_t *old = before ? json_object_get(before, k) : NULL;
        if (old && json_equal(old, v)) continue;
        if (!old && json_is_null(v)) continue;
        /* Family members and the account change as a whole, never in clear. */
        int hidden = strcmp(k, "family") == 0 || strcmp(k, "bank_account") == 0;
        json_array_append_new(out, json_pack("{s:s, s:O?, s:O?}", "field", k, "from", hidden || !old ? NULL : old,
                                             "to", hidden ? NULL : v));
    }
    return out;
}

int hardship_history(gh_ctx *x, int64_t id, json_t **out, gh_err *e)
{
    hardship_ref f;
    int rc = hardship_ref_load(x->db, id, &f, e);
    if (rc == 0) rc = hardship_access(x, &f, 0, 0, "hardship.history", e);
    if (rc) return rc;
    store_res r;
    rc = store_query(x->db, &r,
        "SELECT h.id, h.kind, h.fields, h.reason, h.snapshot_sealed, h.created_at, u.display_name"
        " FROM hardship_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.file_id = $1 ORDER BY h.id",
        SV_ARGS(SV_I(id)), e);
    if (rc) return rc;
    json_t *items = json_array(), *prev = NULL;
    while ((rc = store_next(&r, e)) > 0) {
        json_t *o = json_pack("{s:I, s:s, s:s?, s:s, s:s?}", "id", (json_int_t)store_int(&r, 0), "kind", store_text(&r, 1),
                              "reason", store_text(&r, 3), "created_at", store_text(&r, 5), "actor", store_text(&r, 6));
        json_t *fl = store_text(&r, 2) ? json_loads(store_text(&r, 2), 0, NULL) : NULL;
        json_object_set_new(o, "fields", fl ? fl : json_array());
        if (store_text(&r, 4)) {
            json_t *snap = NULL;
            gh_err ignore;
            if (open_json(x, store_text(&r, 4), &snap, &ignore) == 0) {
                json_t *rec = json_object_get(snap, "record");
                json_object_set_new(o, "changes", diff(prev, rec));
                json_decref(prev);
                prev = json_incref(rec);
                json_decref(snap);
            }
        }
        json_array_append_new(items, o);
    }
    store_done(&r);
    json_decref(prev);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    rc = audit_record(x, "hardship.history", "hardship_file", id, f.org_id, "ok", NULL, e);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

int hardship_reveal(gh_ctx *x, int64_t id, const json_t *body, json_t **out, gh_err *e)
{
    static const char *const fields[] = {"bank_account", "family_id_number", NULL};
    static const jv_field f[] = {
        {"field", JV_ENUM, JV_REQUIRED, "查看项目", .choices = fields},
        {"index", JV_INT, 0, "家庭成员序号", .min = 0, .max = HS_MAX_FAMILY},
        {"reason", JV_STRING, JV_REQUIRED, "事由", .max = 200},
        {0},
    };
    int rc = jv_check(body, f, e);
    if (rc) return rc;
    const char *reason = jv_str(body, "reason");
    if (utf8_chars(reason) < 2) return err_set(e, ERR_INVALID, "missing_field", "reason", "查看完整信息须填写事由");
    hardship_ref fr;
    rc = hardship_ref_load(x->db, id, &fr, e);
    if (rc == 0) rc = hardship_access(x, &fr, 0, 0, "hardship.reveal", e);
    if (rc) return rc;
    json_t *rec = NULL;
    rc = hardship_record(x, id, &rec, e);
    if (rc) return rc;
    const char *field = jv_str(body, "field"), *value = NULL;
    int64_t index = jv_int(body, "index", 0);
    if (strcmp(field, "bank_account") == 0) {
        value = jv_str(rec, "bank_account");
    } else {
        json_t *m = json_array_get(json_object_get(rec, "family"), (size_t)index);
        if (!m) {
            json_decref(rec);
            return err_set(e, ERR_INVALID, "out_of_range", "index", "没有第 %lld 位家庭成员", (long long)index + 1);
        }
        value = jv_str(m, "id_number");
    }
    json_t *d = json_pack("{s:s, s:I, s:s}", "field", field, "index", (json_int_t)index, "reason", reason);
    rc = audit_record(x, "hardship.reveal", "hardship_file", id, fr.org_id, "ok", d, e);
    json_decref(d);
    if (rc == 0) *out = json_pack("{s:s, s:s?}", "field", field, "value", value);
    json_decref(rec);
    return rc;
}

/* ---- lists ---- */

static int staff_with_duty(gh_ctx *x, gh_err *e)
{
    if (!actor_is_staff(x->actor)) return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有查看困难职工档案的权限");
    if (!actor_has_duty(x->actor, DUTY_HARDSHIP))
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "没有困难帮扶职责，不能查看困难职工档案");
    return 0;
}

int hardship_list(gh_ctx *x, const hardship_query *q, json_t **out, gh_err *e)
{
    int rc = staff_with_duty(x, e);
    if (rc) return rc;
    /* No name is longer (members.name), and a longer prefix would not fit
     * name_hi below: cut there, the bound is no longer UTF-8 text. */
    if (q->q && utf8_chars(q->q) > 50)
        return err_set(e, ERR_INVALID, "invalid_query", "q", "姓名搜索不能超过 50 个字");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    rc = hardship_scope_bounds(x, q->org_id, lo, hi, e);
    if (rc) return rc;
    row_ctx c = {.masked = 1};
    today_str(c.today);
    list_page pg;
    list_page_init(&pg, q->page, q->per_page);
    sqlw w;
    sqlw_init(&w, FILE_FROM " WHERE o.path >= ? AND o.path < ?", SV_ARGS(SV_T(lo), SV_T(hi)));
    char pat[40], name_hi[220];
    if (q->cause && *q->cause && jv_choice_index(hardship_causes, q->cause) >= 0) {
        snprintf(pat, sizeof pat, "%%,%s,%%", q->cause);
        SQLW_AND(&w, "f.main_cause = ? OR f.secondary_causes LIKE ?", SV_T(q->cause), SV_T(pat));
    }
    if (q->q && *q->q) {
        snprintf(name_hi, sizeof name_hi, "%s\xf4\x8f\xbf\xbf", q->q);
        SQLW_AND(&w, "m.name >= ? AND m.name < ?", SV_T(q->q), SV_T(name_hi));
    }
    char soon[11];
    if (q->review) {
        date_format(date_today_cn() + 30, soon);
        SQLW_AND(&w, "f.status = 'open' AND f.review_due <= ?", SV_T(soon));
    }
    rc = list_query(x, &file_spec, q, &w, q->review ? "f.review_due, f.id" : "f.id DESC", &pg, &c, out, e);
    if (rc || !*out) return rc; /* an export is audited as such */
    /* Who looked at which list, even masked; recorded under the org listed
     * (or the reader's own: an entry without an org is outside every
     * auditor's scope). */
    json_t *d = json_pack("{s:s?, s:s?, s:s?, s:I, s:I}", "status", q->status, "category", q->category, "cause", q->cause,
                          "org_id", (json_int_t)q->org_id, "shown", (json_int_t)json_array_size(json_object_get(*out, "items")));
    rc = audit_record(x, "hardship.list", "org", q->org_id, q->org_id ? q->org_id : x->actor->org_id, "ok", d, e);
    json_decref(d);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* Open files of the subtree due by a day (<=) or overdue before it (<),
 * counted union by union on the (org_id, status, review_due) index and, as
 * every list here, only up to LIST_COUNT_CAP (*exact = 0 beyond). */
static int due_count(store_conn *db, const char *lo, const char *hi, const char *op, const char *day, int64_t *n,
                     int *exact, gh_err *e)
{
    char sql[360];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM (SELECT 1 FROM orgs o JOIN hardship_files f ON f.org_id = o.id"
             " WHERE o.path >= $1 AND o.path < $2 AND f.status = 'open' AND f.review_due %s $3 LIMIT %d) capped",
             op, LIST_COUNT_CAP + 1);
    int rc = store_get_int(db, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(day)), n, e);
    *exact = *n <= LIST_COUNT_CAP;
    if (!*exact) *n = LIST_COUNT_CAP;
    return rc;
}

static int hardship_due_list_args(gh_ctx *x, int64_t org_id, int within_days, int page, int per_page, json_t **out, gh_err *e)
{
    int rc = staff_with_duty(x, e);
    if (rc) return rc;
    if (within_days < 0 || within_days > 366)
        return err_set(e, ERR_INVALID, "invalid_query", "within_days", "天数应在 0 到 366 之间");
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    rc = hardship_scope_bounds(x, org_id, lo, hi, e);
    if (rc) return rc;
    row_ctx c = {.masked = 1};
    today_str(c.today);
    char until[11];
    date_format(date_today_cn() + within_days, until);
    list_page pg;
    list_page_init(&pg, page, per_page);
    int64_t total = 0, overdue = 0;
    int total_exact = 1, overdue_exact = 1;
    rc = due_count(x->db, lo, hi, "<=", until, &total, &total_exact, e);
    if (rc == 0) rc = due_count(x->db, lo, hi, "<", c.today, &overdue, &overdue_exact, e);
    if (rc) return rc;
    buf sql = {0};
    buf_puts(&sql, "SELECT ");
    list_select(&sql, file_cols);
    buf_puts(&sql, " FROM " FILE_FROM " WHERE f.status = 'open' AND f.review_due <= $1 AND o.path >= $2"
                   " AND o.path < $3 ORDER BY f.review_due, f.id LIMIT $4 OFFSET $5");
    store_res r;
    rc = sql.oom ? err_set(e, ERR_NOMEM, NULL, NULL, NULL)
                 : store_query(x->db, &r, buf_str(&sql),
                               SV_ARGS(SV_T(until), SV_T(lo), SV_T(hi), SV_I(pg.limit), SV_I(pg.offset)), e);
    buf_free(&sql);
    if (rc) return rc;
    json_t *items = json_array();
    while ((rc = store_next(&r, e)) > 0) json_array_append_new(items, list_row(&r, &file_spec, &c));
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    *out = list_result(items, total, &pg);
    json_object_set_new(*out, "overdue", json_integer(overdue));
    if (!total_exact) json_object_set_new(*out, "total_exact", json_false());
    if (!overdue_exact) json_object_set_new(*out, "overdue_exact", json_false());
    json_object_set_new(*out, "due_until", json_string(until));
    json_object_set_new(*out, "today", json_string(c.today));
    json_t *d = json_pack("{s:I, s:i}", "org_id", (json_int_t)org_id, "within_days", within_days);
    rc = audit_record(x, "hardship.list", "org", org_id, org_id ? org_id : x->actor->org_id, "ok", d, e);
    json_decref(d);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int hardship_due_list(gh_ctx *x, const hardship_due_query *q, json_t **out, gh_err *e)
{
    int64_t w = q->within_days > 1000 ? 1000 : q->within_days < -1 ? -1 : q->within_days;
    return hardship_due_list_args(x, q->org_id, (int)w, q->page, q->per_page, out, e);
}

int hardship_summary(gh_ctx *x, json_t **out, gh_err *e)
{
    int rc = staff_with_duty(x, e);
    if (rc) return rc;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX], today[11], soon[11];
    rc = hardship_scope_bounds(x, 0, lo, hi, e);
    if (rc) return rc;
    today_str(today);
    date_format(date_today_cn() + 30, soon);
    /* Four counts on the (org_id, status, review_due) index, each capped
     * like every list count: a home page must not count a province. */
    static const char *const conds[] = {
        "f.status = 'open'", "f.status = 'pending'", "f.status = 'open' AND f.review_due < $3",
        "f.status = 'open' AND f.review_due >= $3 AND f.review_due <= $4"};
    static const char *const keys[] = {"open", "pending", "overdue", "due_30d"};
    json_t *o = json_object();
    int capped = 0;
    for (int i = 0; i < 4 && rc == 0; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM (SELECT 1 FROM orgs o JOIN hardship_files f ON f.org_id = o.id"
                 " WHERE o.path >= $1 AND o.path < $2 AND %s AND $3 <> $4 LIMIT %d) capped",
                 conds[i], LIST_COUNT_CAP + 1);
        int64_t n = 0;
        rc = store_get_int(x->db, sql, SV_ARGS(SV_T(lo), SV_T(hi), SV_T(today), SV_T(soon)), &n, e);
        if (n > LIST_COUNT_CAP) n = LIST_COUNT_CAP, capped = 1;
        json_object_set_new(o, keys[i], json_integer(n));
    }
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "exact", json_boolean(!capped));
    *out = o;
    return 0;
}

/* ---- purge ---- */

typedef struct purge_ctx {
    gh_ctx *x;
    json_t *items;
} purge_ctx;

static int purge_tx(store_conn *db, void *p, gh_err *e)
{
    purge_ctx *c = p;
    size_t i;
    json_t *it;
    int rc = 0;
    char ts[32];
    ts_now(ts);
    json_array_foreach(c->items, i, it) {
        int64_t id = json_integer_value(json_object_get(it, "id")), org = json_integer_value(json_object_get(it, "org_id"));
        int64_t changed = 0;
        rc = store_exec(db,
            "UPDATE hardship_files SET status = 'purged', sealed = NULL, ethnicity = NULL, household_type = NULL,"
            " updated_at = $2 WHERE id = $1 AND status IN ('closed', 'rejected')",
            SV_ARGS(SV_I(id), SV_T(ts)), &changed, e);
        if (rc == 0 && !changed) rc = err_set(e, ERR_RETRY, "purge_race", NULL, "档案状态已变化，请重试");
        if (rc == 0)
            rc = store_exec(db, "UPDATE hardship_history SET snapshot_sealed = NULL, reason = NULL WHERE file_id = $1",
                            SV_ARGS(SV_I(id)), NULL, e);
        if (rc == 0)
            rc = store_exec(db, "UPDATE aid_grants SET detail_sealed = NULL WHERE file_id = $1", SV_ARGS(SV_I(id)), NULL, e);
        if (rc == 0)
            rc = store_exec(db,
                "UPDATE aid_visits SET note_sealed = NULL WHERE pairing_id IN (SELECT id FROM aid_pairings WHERE file_id = $1)",
                SV_ARGS(SV_I(id)), NULL, e);
        if (rc == 0) rc = history_add(c->x, id, org, "purged", NULL, "保存期满十年，清除档案内容", NULL, e);
        if (rc == 0) rc = audit_record(c->x, "hardship.purge", "hardship_file", id, org, "ok", NULL, e);
        if (rc) return rc;
    }
    return 0;
}

int hardship_purge(gh_ctx *x, int apply, json_t **out, gh_err *e)
{
    if (x->actor->role != ROLE_SYSTEM && x->actor->role != ROLE_ADMIN)
        return err_set(e, ERR_FORBIDDEN, "forbidden", NULL, "只有系统管理员可以清除到期档案");
    char cutoff[11];
    date_format(date_add_months(date_today_cn(), -120), cutoff);
    store_res r;
    int rc = store_query(x->db, &r,
        "SELECT f.id, f.org_id, o.name, f.closed_on, f.close_reason FROM hardship_files f JOIN orgs o ON o.id = f.org_id"
        " WHERE f.status IN ('closed', 'rejected') AND f.closed_on < $1 ORDER BY f.closed_on, f.id",
        SV_ARGS(SV_T(cutoff)), e);
    if (rc) return rc;
    json_t *items = json_array();
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)store_int(&r, 0), "org_id",
                                               (json_int_t)store_int(&r, 1), "org_name", store_text(&r, 2), "closed_on",
                                               store_text(&r, 3), "close_reason", store_text(&r, 4)));
    store_done(&r);
    if (rc < 0) {
        json_decref(items);
        return rc;
    }
    if (apply && json_array_size(items)) {
        purge_ctx c = {x, items};
        rc = store_tx(x->db, STORE_WRITE, purge_tx, &c, e);
        if (rc) {
            json_decref(items);
            return rc;
        }
    }
    *out = json_pack("{s:s, s:I, s:b, s:o}", "closed_before", cutoff, "count", (json_int_t)json_array_size(items),
                     "purged", apply && json_array_size(items) > 0, "items", items);
    return 0;
}

/* Reminders for an officer with the hardship duty: each open file in their
 * scope whose yearly review falls due within 30 days (or is overdue) is a
 * notice to their union, once per file and due date. No name in the text:
 * the file's page shows it to those who may see it. */
int hardship_remind(gh_ctx *x, gh_err *e)
{
    const gh_actor *a = x->actor;
    if (a->role != ROLE_OFFICER || !(a->duties & DUTY_HARDSHIP) || !a->org_id || !a->scope[0]) return 0;
    char hi[GH_PATH_MAX], soon[11], ts[32];
    store_prefix_bound(a->scope, hi, sizeof hi);
    date_format(date_today_cn() + 30, soon);
    ts_now(ts);
    return store_exec(x->db,
        "INSERT INTO notices (org_id, duty, kind, title, body, link, ref_type, ref_id, created_at)"
        " SELECT $1, $2, 'review_due', '困难职工档案年度复核到期',"
        " '档案编号 ' || CAST(f.id AS TEXT) || ' 的年度复核截止日期为 ' || f.review_due || '，请及时入户复核。',"
        " '#/hardship/' || CAST(f.id AS TEXT), 'hardship_review:' || f.review_due, f.id, $3"
        " FROM hardship_files f JOIN orgs o ON o.id = f.org_id"
        " WHERE f.status = 'open' AND f.review_due IS NOT NULL AND f.review_due <= $4 AND o.path >= $5 AND o.path < $6"
        " ORDER BY f.review_due LIMIT 200 ON CONFLICT DO NOTHING",
        SV_ARGS(SV_I(a->org_id), SV_I(DUTY_HARDSHIP), SV_T(ts), SV_T(soon), SV_T(a->scope), SV_T(hi)), NULL, e);
}
