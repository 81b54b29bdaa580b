/* hardship_demo.c — demo hardship files, aid grants, pairings and a
 * mutual-aid plan with claims. */
#include "domain/core/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "domain/core/module.h"
#include "domain/org/org.h"
#include "domain/hardship/hardship.h"
#include "domain/aid/aid.h"
#include "domain/mutual_aid/mutual_aid.h"
#include "domain/member/member.h"
#include "domain/core/policy.h"

/* Workers in hardship: the Jiangsu and Ningxia standards (低保, aid rules),
 * Nanjing's mutual-aid rules in two versions, files of members of the
 * Huajian and Zijin unions opened below and confirmed by the level above
 * (two already overdue for their yearly review), education and illness aid
 * through the ledger, a pairing with its visits, and this year's mutual-aid
 * plan with a group enrolment and a paid claim. One member gets a log-in to
 * see their own file. */
static json_t *demo_file_body(int64_t member_id, int n, const char *cat, int children, int64_t income, int64_t med)
{
    static const char *const causes[] = {"major_illness", "laid_off", "schooling", "accident", "disaster"};
    json_t *fam = json_array();
    char id[19];
    demo_id_number(500 + n * 3, "320115", id);
    json_array_append_new(fam, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", "李秀兰", "relation", "spouse", "id_number", id,
                                         "health", n % 2 ? "chronic" : "healthy", "school_or_work", "灵活就业",
                                         "income_fen", (json_int_t)(income / 3)));
    for (int c = 0; c < children; c++) {
        demo_id_number(501 + n * 3 + c, "320115", id);
        /* children born after 2000 so the ID numbers look like pupils' */
        memcpy(id + 6, c ? "2010" : "2006", 4);
        int sum = 0;
        static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        for (int i = 0; i < 17; i++) sum += (id[i] - '0') * w[i];
        id[17] = "10X98765432"[sum % 11];
        json_array_append_new(fam, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "name", c ? "王小宇" : "王晓婷", "relation", "child",
                                             "id_number", id, "health", "healthy", "school_or_work", c ? "江宁区东山小学" : "南京工业大学",
                                             "school_level", c ? "compulsory" : "college", "income_fen", 0));
    }
    int64_t own = income - income / 3;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:o, s:s, s:[s], s:b, s:i, s:b, s:s, s:s, s:s}",
                     "member_id", (json_int_t)member_id, "ethnicity", n % 4 == 3 ? "回族" : "汉族", "health",
                     n % 2 ? "serious_illness" : "chronic", "work_status", n % 3 ? "employed" : "flexible", "household_type",
                     n % 2 ? "urban" : "rural", "household_place", "江苏省南京市江宁区", "monthly_income_fen", (json_int_t)own,
                     "family_other_income_fen", (json_int_t)0, "family_income_fen", (json_int_t)(own + income / 3),
                     "medical_cost_fen", (json_int_t)med, "education_cost_fen", (json_int_t)(children * 40000),
                     "medical_insurance", "employee", "family", fam, "main_cause", causes[n % 5], "secondary_causes",
                     n % 5 == 2 ? "major_illness" : "schooling", "accident", strcmp(cat, "accident") == 0, "homes_owned", 1,
                     "employs_others", 0, "category", cat, "bank_name", "中国工商银行南京江宁支行", "bank_account",
                     n % 2 ? "6222024301000123456" : "6217856100012345678");
}

int hardship_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e)
{
    FILE *out = d->out;
    (void)out;
    int64_t js = d->org(d, "js"), nx = d->org(d, "nx"), nj = d->org(d, "nj");
    json_t *o = NULL;
    json_t *std = json_pack("{s:I, s:i}", "dibao_fen", (json_int_t)110000, "relative_multiple_pct", 200);
    json_t *std_nx = json_pack("{s:I, s:i}", "dibao_fen", (json_int_t)76000, "relative_multiple_pct", 200);
    json_t *rules = json_pack(
        "{s:{s:{s:[s,s], s:I, s:{s:{s:I, s:I}, s:{s:I, s:I}, s:{s:I, s:I}}},"
        " s:{s:[s,s,s], s:I, s:I}, s:{s:[s,s,s], s:I, s:I, s:I}, s:{s:[s,s,s], s:I, s:I, s:I}, s:{s:[s,s], s:I, s:I}}}",
        "kinds", "education", "eligible", "deep", "relative", "yearly_cap_fen", (json_int_t)750000, "amounts_fen",
        "college", "deep", (json_int_t)750000, "relative", (json_int_t)600000, "high_school", "deep", (json_int_t)600000,
        "relative", (json_int_t)450000, "compulsory", "deep", (json_int_t)300000, "relative", (json_int_t)200000,
        "illness", "eligible", "deep", "relative", "accident", "max_fen", (json_int_t)3000000, "yearly_cap_fen",
        (json_int_t)5000000, "living", "eligible", "deep", "relative", "accident", "standard_fen", (json_int_t)100000,
        "max_fen", (json_int_t)300000, "yearly_cap_fen", (json_int_t)600000, "holiday", "eligible", "deep", "relative",
        "accident", "standard_fen", (json_int_t)80000, "max_fen", (json_int_t)200000, "yearly_cap_fen", (json_int_t)300000,
        "training", "eligible", "deep", "relative", "max_fen", (json_int_t)300000, "yearly_cap_fen", (json_int_t)300000);
    json_t *ma1 = json_pack("{s:I, s:I, s:[{s:I, s:i}, {s:I, s:i}, {s:n, s:i}]}", "deductible_fen", (json_int_t)100000,
                            "yearly_cap_fen", (json_int_t)5000000, "bands", "upto_fen", (json_int_t)2000000, "ratio_pct", 50,
                            "upto_fen", (json_int_t)5000000, "ratio_pct", 60, "upto_fen", "ratio_pct", 70);
    json_t *ma2 = json_pack("{s:I, s:I, s:[{s:I, s:i}, {s:I, s:i}, {s:n, s:i}]}", "deductible_fen", (json_int_t)80000,
                            "yearly_cap_fen", (json_int_t)5000000, "bands", "upto_fen", (json_int_t)2000000, "ratio_pct", 60,
                            "upto_fen", (json_int_t)5000000, "ratio_pct", 70, "upto_fen", "ratio_pct", 80);
    int rc = policy_set(x, "hardship_standard", js, "2020-01-01", std, "江苏省城乡低保标准与相对困难认定倍数", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = policy_set(x, "hardship_standard", nx, "2020-01-01", std_nx, "宁夏城乡低保标准", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = policy_set(x, "aid_rules", js, "2020-01-01", rules, "江苏省帮扶救助标准（金秋助学：大学7500/6000元）", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = policy_set(x, "aid_rules", nx, "2020-01-01", rules, "宁夏帮扶救助标准", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = policy_set(x, "mutual_aid_benefit", nj, "2020-01-01", ma1, "南京市职工医疗互助待遇（起付线1000元）", &o, e);
    json_decref(o), o = NULL;
    char today[11], year_start[11];
    int32_t now = date_today_cn();
    date_format(now - 20, today);
    snprintf(year_start, sizeof year_start, "%.4s-07-01", today);
    if (rc == 0) rc = policy_set(x, "mutual_aid_benefit", nj, year_start, ma2, "起付线降至800元，各段比例提高10个百分点", &o, e);
    json_decref(o), o = NULL;
    json_decref(std);
    json_decref(std_nx);
    json_decref(rules);
    json_decref(ma1);
    json_decref(ma2);
    if (rc) return rc;
    gh_actor hja, jna, nja, jsa;
    gh_ctx hjx, jnx, njx, jsx;
    rc = demo_act_as(x, "huajian_officer", &hja, &hjx, e);
    if (rc == 0) rc = demo_act_as(x, "jn_officer", &jna, &jnx, e);
    if (rc == 0) rc = demo_act_as(x, "nj_officer", &nja, &njx, e);
    if (rc == 0) rc = demo_act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc) return rc;
    /* Huajian members: opened by the enterprise union, confirmed by Jiangning. */
    int64_t members[8] = {0}, files[8] = {0};
    int nm = 0;
    store_res r;
    rc = store_query(x->db, &r, "SELECT id FROM members WHERE org_id = $1 ORDER BY id LIMIT 6",
                     SV_ARGS(SV_I(d->org(d, "huajian"))), e);
    if (rc) return rc;
    while (store_next(&r, e) > 0 && nm < 6) members[nm++] = store_int(&r, 0);
    store_done(&r);
    static const struct {
        const char *cat;
        int children;
        int64_t income, med;
    } fx[] = {
        {"deep", 2, 320000, 120000}, {"relative", 1, 520000, 60000}, {"deep", 1, 260000, 50000},
        {"accident", 0, 700000, 300000}, {"relative", 2, 640000, 80000},
    };
    for (int i = 0; i < 5 && i < nm && rc == 0; i++) {
        json_t *b = demo_file_body(members[i], i, fx[i].cat, fx[i].children, fx[i].income, fx[i].med);
        if (strcmp(fx[i].cat, "accident") == 0) json_object_set_new(b, "accident_note", json_string("2024年工地外伤致残，工伤赔付后家庭仍困难"));
        rc = hardship_open(&hjx, b, &o, e);
        if (rc == 0) files[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(o), o = NULL;
        json_decref(b);
        if (rc == 0 && i < 4) {
            json_t *ab = json_pack("{s:s}", "note", "经入户核实，情况属实");
            rc = hardship_approve(&jnx, files[i], ab, &o, e);
            json_decref(ab);
            json_decref(o), o = NULL;
        }
    }
    if (rc) return rc;
    /* Two files confirmed more than a year ago: their yearly review is
     * overdue (the demo cannot wait a year, so their dates are set back). */
    char opened[11], old[11], due[11];
    date_format(date_add_months(now, -15), opened); /* opened a month before it was confirmed */
    date_format(date_add_months(now, -14), old);
    date_format(date_add_months(now, -2), due);
    rc = store_exec(x->db,
                    "UPDATE hardship_files SET opened_on = $5, approved_on = $1, last_review_on = $1, review_due = $2"
                    " WHERE id IN ($3, $4)",
                    SV_ARGS(SV_T(old), SV_T(due), SV_I(files[0]), SV_I(files[2]), SV_T(opened)), NULL, e);
    if (rc) return rc;
    /* 金秋助学 for the daughter at university; illness aid; a living-aid application waiting. */
    json_t *g1 = json_pack("{s:I, s:s, s:s, s:i, s:s}", "file_id", (json_int_t)files[0], "kind", "education", "school_level",
                           "college", "child_index", 1, "reason", "女儿就读南京工业大学，家庭无力负担学费");
    json_t *g2 = json_pack("{s:I, s:s, s:I, s:s}", "file_id", (json_int_t)files[1], "kind", "illness", "amount_fen",
                           (json_int_t)1500000, "reason", "本人尿毒症透析，医保报销后自付部分较大");
    json_t *g3 = json_pack("{s:I, s:s, s:s}", "file_id", (json_int_t)files[2], "kind", "living", "reason", "冬季生活困难");
    int64_t gid[3] = {0};
    json_t *gb[3] = {g1, g2, g3};
    for (int i = 0; i < 3 && rc == 0; i++) {
        rc = aid_apply(&hjx, gb[i], &o, e);
        if (rc == 0) gid[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(o), o = NULL;
    }
    for (int i = 0; i < 3; i++) json_decref(gb[i]);
    for (int i = 0; i < 2 && rc == 0; i++) {
        rc = aid_review(&hjx, gid[i], "材料齐全", &o, e);
        json_decref(o), o = NULL;
        if (rc == 0) rc = aid_approve(&jnx, gid[i], "同意", &o, e);
        json_decref(o), o = NULL;
    }
    if (rc == 0) rc = aid_pay(&njx, gid[0], &o, e);
    json_decref(o), o = NULL;
    /* Pairing: a Jiangning officer with the first household, two visits. */
    json_t *pb = json_pack("{s:I, s:s, s:s, s:s}", "file_id", (json_int_t)files[0], "partner_kind", "officer", "partner_name",
                           "江宁区总工会 赵国华", "started_on", old);
    if (rc == 0) rc = aid_pairing_create(&jnx, pb, &o, e);
    int64_t pairing = o ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o), o = NULL;
    json_decref(pb);
    for (int i = 0; i < 2 && rc == 0; i++) {
        char day[11];
        date_format(now - 90 + i * 60, day);
        json_t *vb = json_pack("{s:s, s:s}", "visited_on", day, "note",
                               i ? "送去米面油和慰问金，孩子开学在即，了解助学需求" : "入户走访，了解透析治疗和家庭收支情况");
        rc = aid_visit_add(&jnx, pairing, vb, &o, e);
        json_decref(o), o = NULL;
        json_decref(vb);
    }
    if (rc) return rc;
    /* This year's mutual-aid plan of Nanjing; Huajian joins as a group. */
    char y[5], ef[11], et[11], cf[11], ct[11];
    snprintf(y, sizeof y, "%.4s", today);
    snprintf(ef, sizeof ef, "%s-01-01", y);
    date_format(now + 60, et);
    snprintf(cf, sizeof cf, "%s-01-01", y);
    snprintf(ct, sizeof ct, "%s-12-31", y);
    json_t *plan = json_pack("{s:I, s:i, s:s, s:I, s:i, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)nj, "year", atoi(y), "name",
                             "南京市职工住院医疗互助", "contribution_fen", (json_int_t)6000, "min_group_share_pct", 80,
                             "enroll_from", ef, "enroll_to", et, "cover_from", cf, "cover_to", ct);
    rc = mutual_aid_plan_create(&njx, plan, &o, e);
    int64_t plan_id = o ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o), o = NULL;
    json_decref(plan);
    json_t *mids = json_array();
    for (int i = 0; i < nm; i++) json_array_append_new(mids, json_integer(members[i]));
    json_t *gbody = json_pack("{s:I, s:i, s:o}", "org_id", (json_int_t)d->org(d, "huajian"), "staff_count", nm, "member_ids", mids);
    if (rc == 0) rc = mutual_aid_group_enrol(&hjx, plan_id, gbody, &o, e);
    json_decref(o), o = NULL;
    json_decref(gbody);
    char dis[11];
    date_format(now - 8, dis);
    json_t *cb = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "plan_id", (json_int_t)plan_id, "member_id",
                           (json_int_t)members[1], "admission_date", today, "discharge_date", dis, "hospital",
                           "南京鼓楼医院", "diagnosis", "慢性肾功能衰竭", "total_cost_fen", (json_int_t)6000000,
                           "basic_insurance_fen", (json_int_t)2000000, "other_insurance_fen", (json_int_t)0,
                           "out_of_scope_fen", (json_int_t)0);
    if (rc == 0) rc = mutual_aid_claim_submit(&hjx, cb, &o, e);
    int64_t claim = o ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o), o = NULL;
    json_decref(cb);
    /* The plan is Nanjing's fund: the city approves and pays. */
    if (rc == 0) rc = mutual_aid_claim_approve(&njx, claim, &o, e);
    json_decref(o), o = NULL;
    if (rc == 0) rc = mutual_aid_claim_pay(&njx, claim, &o, e);
    json_decref(o), o = NULL;
    if (rc) return rc;
    /* The first household's member may log in to see their own file. */
    member_rec mr;
    memset(&mr, 0, sizeof mr);
    rc = store_query(x->db, &r, "SELECT name, org_id, mobile_sealed FROM members WHERE id = $1", SV_ARGS(SV_I(members[0])), e);
    if (rc) return rc;
    char *sealed = NULL;
    if (store_next(&r, e) > 0) {
        snprintf(mr.name, sizeof mr.name, "%s", store_text(&r, 0));
        mr.org_id = store_int(&r, 1);
        sealed = store_text(&r, 2) ? strdup(store_text(&r, 2)) : NULL;
    }
    store_done(&r);
    char *mobile = NULL, hash[128];
    if (sealed) rc = crypto_open(x->cfg->data_key, sealed, &mobile, e);
    free(sealed);
    if (rc == 0 && mobile) {
        snprintf(mr.mobile, sizeof mr.mobile, "%s", mobile);
        rc = crypto_password_hash(DEMO_PASSWORD, hash, e);
        if (rc == 0) rc = member_create_account(x, members[0], &mr, hash, e);
        if (rc == 0) fprintf(out, "困难职工会员账号：%s（%s，密码同上，可在手机上查看本人档案、申请救助和互助金）\n", mr.mobile, mr.name);
    }
    free(mobile);
    if (rc == 0) fprintf(out, "已写入困难职工档案 %d 份、帮扶救助 3 笔、结对帮扶 1 对、医疗互助计划 1 个（集体参加 %d 人，赔付 1 笔）\n", 5, nm);
    return rc;
}
