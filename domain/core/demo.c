/* demo.c — the demo data set; see demo.h. Every record goes through the same
 * domain functions the API uses, so demo data obeys every rule. */
#include "domain/core/demo.h"

#include <string.h>

#include <stdlib.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/aid/aid.h"
#include "domain/auth/auth.h"
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "domain/refund/refund.h"
#include "domain/hardship/hardship.h"
#include "domain/member/joinreq.h"
#include "domain/lottery/lottery.h"
#include "domain/member/member.h"
#include "domain/mutual_aid/mutual_aid.h"
#include "domain/org/org.h"
#include "domain/core/policy.h"
#include "domain/provider/provider.h"
#include "domain/retreat/retreat.h"
#include "domain/auth/user.h"
#include "domain/voucher/voucher.h"

typedef struct demo_org {
    const char *key, *parent, *name, *level, *kind, *region, *contact, *phone;
} demo_org;

static const demo_org orgs[] = {
    {"acftu", NULL, "中华全国总工会", "national", "regional", "110000", "办公厅", "010-68590000"},
    {"js", "acftu", "江苏省总工会", "province", "regional", "320000", "组织部 王建平", "025-83300000"},
    {"nj", "js", "南京市总工会", "city", "regional", "320100", "组织部 李红梅", "025-84400000"},
    {"xw", "nj", "玄武区总工会", "county", "regional", "320102", "陈晓东", "025-84510000"},
    {"zijin", "xw", "南京紫金软件股份有限公司工会", "grassroots", "enterprise", "320102", "周静", "025-84520001"},
    {"xw_courier", "xw", "玄武区快递行业工会联合会", "county", "industry", "320102", "孙立强", "025-84520002"},
    {"jn", "nj", "江宁区总工会", "county", "regional", "320115", "赵国华", "025-52100000"},
    {"huajian", "jn", "江苏华建建设集团有限公司工会", "grassroots", "enterprise", "320115", "钱志刚", "025-52100101"},
    {"huajian_overseas", "huajian", "江苏华建建设集团有限公司海外项目部工会", "grassroots", "enterprise", "320115", "吴海波", "025-52100102"},
    {"huajian_plateau", "huajian", "江苏华建建设集团有限公司高海拔项目部工会（西藏）", "grassroots", "enterprise", "320115", "扎西平措", "025-52100103"},
    {"jn_newjob", "jn", "江宁区新就业形态劳动者联合工会", "grassroots", "regional", "320115", "刘春燕", "025-52100201"},
    {"sz", "js", "苏州市总工会", "city", "regional", "320500", "组织部 沈丽", "0512-65200000"},
    {"gs", "sz", "姑苏区总工会", "county", "regional", "320508", "顾文斌", "0512-65210000"},
    {"pingjiang", "gs", "苏州平江路文旅发展有限公司工会", "grassroots", "enterprise", "320508", "陆佳怡", "0512-65210101"},
    {"ks", "sz", "昆山市总工会", "county", "regional", "320583", "朱建明", "0512-57300000"},
    {"kselec", "ks", "昆山精密电子有限公司工会", "grassroots", "enterprise", "320583", "黄晓丽", "0512-57300101"},
    {"nx", "acftu", "宁夏回族自治区总工会", "province", "regional", "640000", "组织部 马文杰", "0951-6020000"},
    {"nx_dairy", "nx", "宁夏乳业工会联合会", "province", "industry", "640000", "杨立新", "0951-6020100"},
    {"saishang", "nx_dairy", "宁夏塞上乳业有限公司工会", "grassroots", "enterprise", "640100", "白玉兰", "0951-6020101"},
    {"yc", "nx", "银川市总工会", "city", "regional", "640100", "组织部 丁海燕", "0951-5030000"},
    {"xq", "yc", "兴庆区总工会", "county", "regional", "640104", "纳志强", "0951-5030100"},
    {"hongda", "xq", "银川宏达物流有限公司工会", "grassroots", "enterprise", "640104", "何建军", "0951-5030101"},
    {"xq_riders", "xq", "兴庆区外卖送餐员工会", "grassroots", "regional", "640104", "金小龙", "0951-5030102"},
    {"jf", "yc", "金凤区总工会", "county", "regional", "640106", "田慧", "0951-5030200"},
    {"jf_health", "jf", "金凤区社区卫生服务中心工会", "grassroots", "enterprise", "640106", "苏红", "0951-5030201"},
    {"szs", "nx", "石嘴山市总工会", "city", "regional", "640200", "组织部 冯涛", "0952-2010000"},
    {"dwk", "szs", "大武口区总工会", "county", "regional", "640202", "韩雪", "0952-2010100"},
    {"meiji", "dwk", "石嘴山煤机制造有限公司工会", "grassroots", "enterprise", "640202", "罗永刚", "0952-2010101"},
    {"wz", "nx", "吴忠市总工会", "city", "regional", "640300", "组织部 马兰", "0953-2020000"},
    {"lt", "wz", "利通区总工会", "county", "regional", "640302", "李永福", "0953-2020100"},
    {"muchang", "lt", "吴忠牧场乳品有限公司工会", "grassroots", "enterprise", "640302", "王秀英", "0953-2020101"},
};
#define NORGS (sizeof orgs / sizeof orgs[0])

typedef struct demo_user {
    const char *login, *name, *role, *org, *duties;
} demo_user;

static const demo_user users[] = {
    {"admin", "平台管理员", "admin", NULL, NULL},
    {"js_officer", "江苏省总 王建平", "officer", "js", "membership,hardship,finance,retreat,employment,rights,org"},
    {"nj_officer", "南京市总 李红梅", "officer", "nj", "membership,hardship,finance,retreat,org"},
    {"sz_officer", "苏州市总 沈丽", "officer", "sz", "membership,hardship,finance,retreat,org"},
    {"jn_officer", "江宁区总 赵国华", "officer", "jn", "membership,hardship,org"},
    {"huajian_officer", "华建工会 钱志刚", "officer", "huajian", "membership,hardship"},
    {"nx_officer", "宁夏区总 马文杰", "officer", "nx", "membership,hardship,finance,retreat,employment,rights,org"},
    {"yc_officer", "银川市总 丁海燕", "officer", "yc", "membership,hardship,finance,retreat,org"},
    {"auditor", "江苏省总审计 周敏", "auditor", "js", NULL},
};
#define NUSERS (sizeof users / sizeof users[0])

static int64_t find_id(const int64_t *ids, const char *key)
{
    for (size_t i = 0; i < NORGS; i++)
        if (strcmp(orgs[i].key, key) == 0) return ids[i];
    return 0;
}

/* Recuperation trips: providers, routes, departures, three years of trips
 * and today's bookings (the records themselves are in retreat_demo.c). */
static int64_t demo_org_id(void *ids, const char *key) { return find_id(ids, key); }

static int demo_retreat(gh_ctx *x, int64_t *ids, FILE *out, gh_err *e)
{
    return retreat_demo_load(x, demo_org_id, ids, out, e);
}

/* A valid ID number (GB 11643 check digit) for a made-up person. */
static void demo_id(int n, const char *region, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[] = "10X98765432";
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.6s%04d%02d%02d%03d", region, 1965 + n % 35, 1 + n % 12, 1 + n % 28, 100 + n % 900);
    memcpy(out, tmp, 17);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * w[i];
    out[17] = map[sum % 11];
    out[18] = '\0';
}

/* A valid 统一社会信用代码 (GB 32100 check character). */
static void demo_uscc(int n, const char *region, char out[19])
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char tmp[48];
    snprintf(tmp, sizeof tmp, "91%.6s%09d", region, 7300000 + n);
    memcpy(out, tmp, 17);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (int)(strchr(alpha, out[i]) - alpha) * w[i];
    int c = 31 - sum % 31;
    out[17] = alpha[c == 31 ? 0 : c];
    out[18] = '\0';
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "马", "孙", "朱", "胡", "郭"};
static const char *const given[] = {"建国", "秀英", "志强", "丽华", "海波", "春燕", "国庆", "晓东", "玉兰", "文斌", "红梅", "立新", "永刚", "晨曦", "佳怡"};

static int act_as(gh_ctx *x, const char *login, gh_actor *a, gh_ctx *out, gh_err *e)
{
    int rc = auth_actor_for_login(x->db, login, a, e);
    *out = *x;
    out->actor = a;
    return rc;
}

/* Members and join requests: a few dozen people across the demo unions. */
static int demo_members(gh_ctx *x, const int64_t *ids, FILE *out, gh_err *e)
{
    static const struct {
        const char *org, *region, *form, *employer;
        int n;
    } groups[] = {
        {"zijin", "320102", "employee", "南京紫金软件股份有限公司", 8},
        {"huajian", "320115", "employee", "江苏华建建设集团有限公司", 6},
        {"huajian_plateau", "320115", "employee", "江苏华建建设集团有限公司", 3},
        {"jn_newjob", "320115", "food_delivery", "美团", 4},
        {"jn_newjob", "320115", "courier", "顺丰速运", 3},
        {"pingjiang", "320508", "employee", "苏州平江路文旅发展有限公司", 5},
        {"hongda", "640104", "truck_driver", "银川宏达物流有限公司", 4},
        {"xq_riders", "640104", "food_delivery", "饿了么", 4},
        {"saishang", "640100", "employee", "宁夏塞上乳业有限公司", 5},
    };
    int n = 0, rc = 0;
    for (size_t g = 0; g < sizeof groups / sizeof *groups && rc == 0; g++) {
        for (int i = 0; i < groups[g].n && rc == 0; i++, n++) {
            char id[19], mobile[16], name[32], join[16];
            demo_id(n, groups[g].region, id);
            snprintf(mobile, sizeof mobile, "1391%07d", 2000000 + n);
            snprintf(name, sizeof name, "%s%s", surnames[n % 15], given[(n * 7) % 15]);
            snprintf(join, sizeof join, "%04d-%02d-%02d", 2019 + n % 6, 1 + n % 12, 1 + n % 27);
            json_t *b = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:s}", "name", name, "id_number", id, "mobile",
                                  mobile, "org_id", (json_int_t)find_id(ids, groups[g].org), "employment_form",
                                  groups[g].form, "employer", groups[g].employer, "frontline", n % 3 != 0, "join_date", join);
            if (n % 11 == 0) json_object_set_new(b, "model_worker", json_string(n % 2 ? "city" : "provincial"));
            json_t *o = NULL;
            rc = member_create(x, b, &o, e);
            json_decref(o);
            json_decref(b);
        }
    }
    /* Applications waiting for the Nanjing and Yinchuan officers. */
    for (int i = 0; i < 4 && rc == 0; i++, n++) {
        char id[19], mobile[16], name[32];
        demo_id(n, i < 2 ? "320115" : "640104", id);
        snprintf(mobile, sizeof mobile, "1381%07d", 3000000 + n);
        snprintf(name, sizeof name, "%s%s", surnames[(n + 3) % 15], given[(n * 5) % 15]);
        json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "name", name, "id_number", id, "mobile", mobile,
                              "employment_form", i % 2 ? "ride_hailing" : "food_delivery", "employer", i % 2 ? "滴滴出行" : "美团",
                              "city", i < 2 ? "南京" : "银川", "org_id",
                              (json_int_t)find_id(ids, i < 2 ? "jn_newjob" : "xq_riders"), "password", "Qishou2026");
        json_t *o = NULL;
        gh_actor anon = {0};
        snprintf(anon.client, sizeof anon.client, "demo");
        gh_ctx ax = *x;
        ax.actor = &anon;
        rc = join_submit(&ax, b, &o, e);
        json_decref(o);
        json_decref(b);
    }
    if (rc == 0) fprintf(out, "已写入演示会员 %d 人（含 4 份待审批的入会申请）\n", n - 4);
    return rc;
}

/* Enterprises of Jiangning with three years of union fees, the Jiangsu fee
 * split and refund policies, and a refund run for 2022H2 that was prepared,
 * approved, sent to the bank and paid. */
static int demo_money(gh_ctx *x, const int64_t *ids, FILE *out, gh_err *e)
{
    static const char *const names[] = {"金陵", "秦淮", "紫峰", "钟山", "栖霞", "雨花", "方山", "汤山", "禄口", "湖熟"};
    static const char *const trades[] = {"科技", "商贸", "餐饮管理", "物流", "印务", "建材", "软件", "家政服务"};
    static const char inds[] = "IFHGCEIO";
    int64_t jn = find_id(ids, "jn"), js = find_id(ids, "js"), nx = find_id(ids, "nx"), hj = find_id(ids, "huajian");
    json_t *split = json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "grassroots", 600, "county", 100, "city", 100,
                              "province", 150, "national", 50, "remainder_to", "province");
    json_t *refund = json_pack("{s:s, s:s, s:s, s:s, s:b, s:{s:b, s:[{s:s, s:i, s:I}]}}", "from", "2020-01-01", "to",
                               "2022-12-31", "share", "all", "mode", "automatic", "prep_fee_on_founding", 1, "qualify",
                               "small_scale", 1, "thresholds", "industry", "*", "max_headcount", 20, "max_revenue_fen",
                               (json_int_t)300000000);
    json_t *o = NULL;
    int rc = policy_set(x, "fee_split", js, "2020-01-01", split, "江苏省工会经费分成（基层60%，上级40%）", &o, e);
    json_decref(o);
    o = NULL;
    if (rc == 0) rc = policy_set(x, "fee_split", nx, "2020-01-01", split, "宁夏工会经费分成", &o, e);
    json_decref(o);
    o = NULL;
    if (rc == 0) rc = policy_set(x, "refund", js, "2020-01-01", refund, "小微企业工会经费全额返还（2020—2022 年）", &o, e);
    json_decref(o);
    json_decref(split);
    json_decref(refund);
    const int N = 24;
    buf pay = {0};
    buf_puts(&pay, "统一社会信用代码,所属期,工资总额,缴纳金额,缴款日期,类型\n");
    for (int i = 0; i < N && rc == 0; i++) {
        char uscc[19], name[64], acct[24];
        demo_uscc(i, "320115", uscc);
        snprintf(name, sizeof name, "南京%s%s有限公司", names[i % 10], trades[i % 8]);
        snprintf(acct, sizeof acct, "62220243010%08d", 31000 + i * 7);
        int has_union = i % 3 != 0;
        json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:b, s:I, s:s, s:s, s:s, s:s, s:s}", "uscc", uscc, "name",
                              name, "region_code", "320115", "industry", (char[]){inds[i % 8], 0}, "headcount", 6 + i % 30,
                              "annual_revenue_fen", (json_int_t)(80 + i * 23) * 1000000, "small_scale", i % 2 == 1,
                              "org_id", (json_int_t)jn, "bank_name", "中国工商银行南京江宁支行", "account_name", name,
                              "account_number", acct, "contact_name", given[i % 15], "contact_phone", "025-52100000");
        if (has_union) {
            json_object_set_new(b, "union_org_id", json_integer(hj));
            json_object_set_new(b, "union_founded_on", json_string("2019-06-01"));
        }
        rc = enterprise_create(x, b, &o, e);
        json_decref(o);
        json_decref(b);
        o = NULL;
        int64_t payroll = 1800000 + (int64_t)(i % 9) * 560000; /* fen per month */
        for (int m = 0; m < 36; m++) {
            int y = 2020 + m / 12, mo = m % 12 + 1;
            int64_t p = payroll + (int64_t)m * 1000;
            int64_t amt = fee_expected(p) + (i == 5 && m == 7 ? 1 : 0); /* one row off by a fen: flagged */
            buf_printf(&pay, "%s,%04d-%02d,%lld.%02lld,%lld.%02lld,%04d-%02d-15,%s\n", uscc, y, mo, (long long)(p / 100),
                       (long long)(p % 100), (long long)(amt / 100), (long long)(amt % 100), mo == 12 ? y + 1 : y,
                       mo == 12 ? 1 : mo + 1, has_union ? "工会经费" : "建会筹备金");
        }
    }
    if (rc == 0) rc = fee_import(x, jn, buf_str(&pay), pay.len, NULL, "江宁区2020-2022年工会经费代收明细.csv", 0, NULL, NULL, &o, e);
    if (rc == 0 && json_integer_value(json_object_get(o, "error_count")))
        rc = err_set(e, ERR_INTERNAL, "demo_payments", NULL, "演示缴费数据有误");
    json_decref(o);
    o = NULL;
    buf_free(&pay);
    if (rc) return rc;
    /* prepared by Nanjing, approved by the province, paid by the bank */
    gh_actor nja, jsa;
    gh_ctx njx, jsx;
    rc = act_as(x, "nj_officer", &nja, &njx, e);
    if (rc == 0) rc = act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc == 0) rc = refund_run(&njx, find_id(ids, "nj"), "2022H2", 0, NULL, NULL, &o, e);
    int64_t run = o ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o);
    o = NULL;
    if (rc == 0) rc = refund_approve(&jsx, run, &o, e);
    json_decref(o);
    o = NULL;
    char *file = NULL;
    size_t len = 0;
    if (rc == 0) rc = refund_bank_file(&jsx, run, "csv", &file, &len, e);
    free(file);
    if (rc) return rc;
    /* the bank pays every line */
    buf res = {0};
    buf_puts(&res, "参考号,结果,原因,日期\n");
    store_res r;
    rc = store_query(x->db, &r, "SELECT bank_ref FROM refund_lines WHERE run_id = $1 AND status = 'exported'",
                     SV_ARGS(SV_I(run)), e);
    if (rc == 0) {
        /* paid on the day the file went out (a result may not predate its file) */
        char paid[11];
        date_format(date_today_cn(), paid);
        while (store_next(&r, e) > 0) buf_printf(&res, "%s,成功,,%s\n", store_text(&r, 0), paid);
        store_done(&r);
        rc = refund_bank_result(&jsx, run, buf_str(&res), res.len, &o, e);
    }
    buf_free(&res);
    if (rc == 0 && json_integer_value(json_object_get(o, "error_count")))
        rc = err_set(e, ERR_INTERNAL, "demo_bank_result", NULL, "演示银行回单有误：%s",
                     json_string_value(json_object_get(json_array_get(json_object_get(o, "errors"), 0), "reason")));
    json_decref(o);
    if (rc == 0) fprintf(out, "已写入演示企业 %d 家、3 年工会经费缴费记录，以及已付款的 2022 年下半年返还批次\n", N);
    return rc;
}

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
    demo_id(500 + n * 3, "320115", id);
    json_array_append_new(fam, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", "李秀兰", "relation", "spouse", "id_number", id,
                                         "health", n % 2 ? "chronic" : "healthy", "school_or_work", "灵活就业",
                                         "income_fen", (json_int_t)(income / 3)));
    for (int c = 0; c < children; c++) {
        demo_id(501 + n * 3 + c, "320115", id);
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

static int demo_hardship(gh_ctx *x, const int64_t *ids, FILE *out, gh_err *e)
{
    int64_t js = find_id(ids, "js"), nx = find_id(ids, "nx"), nj = find_id(ids, "nj");
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
    rc = act_as(x, "huajian_officer", &hja, &hjx, e);
    if (rc == 0) rc = act_as(x, "jn_officer", &jna, &jnx, e);
    if (rc == 0) rc = act_as(x, "nj_officer", &nja, &njx, e);
    if (rc == 0) rc = act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc) return rc;
    /* Huajian members: opened by the enterprise union, confirmed by Jiangning. */
    int64_t members[8] = {0}, files[8] = {0};
    int nm = 0;
    store_res r;
    rc = store_query(x->db, &r, "SELECT id FROM members WHERE org_id = $1 ORDER BY id LIMIT 6",
                     SV_ARGS(SV_I(find_id(ids, "huajian"))), e);
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
    char old[11], due[11];
    date_format(date_add_months(now, -14), old);
    date_format(date_add_months(now, -2), due);
    rc = store_exec(x->db, "UPDATE hardship_files SET approved_on = $1, last_review_on = $1, review_due = $2 WHERE id IN ($3, $4)",
                    SV_ARGS(SV_T(old), SV_T(due), SV_I(files[0]), SV_I(files[2])), NULL, e);
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
    json_t *gbody = json_pack("{s:I, s:i, s:o}", "org_id", (json_int_t)find_id(ids, "huajian"), "staff_count", nm, "member_ids", mids);
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

/* Voucher lotteries: a Nanjing campaign whose sign-up closed last week
 * (backdated: a demo cannot wait for its window), drawn by RFC 3797 from a
 * 双色球 and a 排列5 result, with vouchers redeemed at two providers, one
 * declined and re-drawn in a second round; and a Jiangsu campaign for
 * frontline workers open for sign-up now. A winner and a provider's till get
 * log-ins. */
static int demo_lottery(gh_ctx *x, const int64_t *ids, FILE *out, gh_err *e)
{
    int64_t nj = find_id(ids, "nj"), js = find_id(ids, "js");
    static const struct {
        const char *name, *kind, *region, *address;
    } pv[] = {
        {"南京汤山颐尚温泉疗休养基地", "retreat_base", "320115", "南京市江宁区汤山街道温泉路8号"},
        {"溧水石山下村乡村民宿", "guesthouse", "320117", "南京市溧水区白马镇石山下村"},
        {"高淳慢城桠溪特色小镇", "themed_town", "320118", "南京市高淳区桠溪街道"},
    };
    int64_t prov[3] = {0};
    json_t *o = NULL;
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)nj, "kind", pv[i].kind, "name",
                              pv[i].name, "region_code", pv[i].region, "address", pv[i].address, "contact_name", "吴经理",
                              "contact_phone", "025-52120000", "partner_department", "南京市文化和旅游局");
        rc = provider_create(x, b, &o, e);
        json_decref(b);
        if (rc == 0) prov[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(o), o = NULL;
        if (rc == 0) rc = provider_set_status(x, prov[i], "admitted", "经市总工会与文旅局联合评定准入", &o, e);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    char now[32], d_from[11], d_to[11], drawn_day[11], later[11], opens[32], closes[32];
    ts_now(now);
    int32_t t = date_today_cn();
    date_format(t - 10, d_from);
    date_format(t + 80, d_to);
    date_format(t - 11, drawn_day); /* the sources' day: the day after the close */
    char soon[11];
    date_format(t + 2, soon); /* after the close day, whenever the demo runs */
    /* 1. Nanjing: created open now, entered by Nanjing members, then moved
     * into the past so it can be frozen and drawn. */
    ts_format_ms(ts_now_ms() + 3600000, closes);
    json_t *b = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i}],"
                          " s:[I, I]}",
                          "title", "2026年南京市职工疗休养消费券（第一期）", "description",
                          "面值200元，可在汤山温泉疗休养基地、溧水石山下村乡村民宿消费时抵扣。\n每名会员限报一次，公开抽取，结果可由任何人复核。",
                          "org_id", (json_int_t)nj, "face_value_fen", (json_int_t)20000, "voucher_count", (json_int_t)6,
                          "valid_from", d_from, "valid_to", d_to, "signup_opens_at", now, "signup_closes_at", closes,
                          "sources", "name", "中国福利彩票双色球第2026128期开奖号码", "draw_date", soon, "value_count", 7,
                          "note", "6 个红球号码和 1 个蓝球号码", "name", "中国体育彩票排列5第26308期开奖号码", "draw_date", soon,
                          "value_count", 5, "provider_ids", (json_int_t)prov[0], (json_int_t)prov[1]);
    rc = lottery_create(x, b, &o, e);
    json_decref(b);
    int64_t camp = rc == 0 ? json_integer_value(json_object_get(o, "id")) : 0;
    json_decref(o), o = NULL;
    if (rc) return rc;
    char lo[GH_PATH_MAX], hi[GH_PATH_MAX];
    rc = org_path(x->db, nj, lo, e);
    if (rc) return rc;
    store_prefix_bound(lo, hi, sizeof hi);
    int64_t mids[24];
    int nm = 0;
    store_res r;
    rc = store_query(x->db, &r,
                     "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path >= $1 AND o.path < $2"
                     " AND m.status = 'active' ORDER BY m.id LIMIT 24",
                     SV_ARGS(SV_T(lo), SV_T(hi)), e);
    if (rc) return rc;
    while (store_next(&r, e) > 0) mids[nm++] = store_int(&r, 0);
    store_done(&r);
    for (int i = 0; i < nm && rc == 0; i++) {
        gh_actor m = {.role = ROLE_MEMBER, .member_id = mids[i]};
        snprintf(m.login, sizeof m.login, "member:%lld", (long long)mids[i]);
        snprintf(m.client, sizeof m.client, "demo");
        gh_ctx mx = {x->db, &m, x->cfg};
        rc = lottery_enter(&mx, camp, &o, e);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    ts_format_ms(ts_now_ms() - 20LL * 86400000, opens);
    ts_format_ms(ts_now_ms() - 12LL * 86400000 - 3600000, closes);
    rc = store_exec(x->db, "UPDATE lottery_campaigns SET signup_opens_at = $2, signup_closes_at = $3 WHERE id = $1",
                    SV_ARGS(SV_I(camp), SV_T(opens), SV_T(closes)), NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_entries SET created_at = $2 WHERE campaign_id = $1", SV_ARGS(SV_I(camp), SV_T(opens)),
                        NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_sources SET draw_date = $2 WHERE campaign_id = $1",
                        SV_ARGS(SV_I(camp), SV_T(drawn_day)), NULL, e);
    if (rc) return rc;
    gh_actor nja;
    gh_ctx njx;
    rc = act_as(x, "nj_officer", &nja, &njx, e);
    json_t *vals = json_pack("[s, s]", "03 07 12 19 26 31 09", "5 8 2 6 0");
    if (rc == 0) rc = lottery_draw(&njx, camp, vals, &o, e);
    json_decref(vals);
    json_decref(o), o = NULL;
    if (rc) return rc;
    /* the tills: one login per provider of the campaign */
    static const char *const tills[] = {"tangshan_till", "shishanxia_till"};
    int64_t till_user[2] = {0};
    for (int i = 0; i < 2 && rc == 0; i++) {
        json_t *ub = json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", tills[i], "display_name", i ? "石山下村民宿前台" : "汤山温泉收银台",
                               "role", "provider", "provider_id", (json_int_t)prov[i], "password", DEMO_PASSWORD);
        rc = user_create(x, ub, &o, e);
        if (rc == 0) till_user[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(ub);
        json_decref(o), o = NULL;
    }
    if (rc) return rc;
    /* three winners use their vouchers, one declines, a second round
     * replaces the declined one */
    store_res w;
    int64_t winners[8];
    int nw = 0;
    rc = store_query(x->db, &w, "SELECT member_id FROM vouchers WHERE campaign_id = $1 ORDER BY id", SV_ARGS(SV_I(camp)), e);
    if (rc) return rc;
    while (store_next(&w, e) > 0 && nw < 8) winners[nw++] = store_int(&w, 0);
    store_done(&w);
    for (int i = 0; i < nw && i < 4 && rc == 0; i++) {
        gh_actor m = {.role = ROLE_MEMBER, .member_id = winners[i]};
        snprintf(m.client, sizeof m.client, "demo");
        gh_ctx mx = {x->db, &m, x->cfg};
        rc = voucher_mine(&mx, &o, e);
        json_t *v = rc == 0 ? json_array_get(json_object_get(o, "items"), 0) : NULL;
        if (rc == 0 && v && i < 3) {
            gh_actor p = {.role = ROLE_PROVIDER, .provider_id = prov[i == 2], .user_id = till_user[i == 2]};
            snprintf(p.login, sizeof p.login, "%s", tills[i == 2]);
            snprintf(p.client, sizeof p.client, "demo");
            gh_ctx px = {x->db, &p, x->cfg};
            json_t *res = NULL;
            rc = voucher_redeem(&px, json_string_value(json_object_get(v, "code")), &res, e);
            json_decref(res);
        } else if (rc == 0 && v) {
            json_t *res = NULL;
            rc = voucher_decline(&mx, json_integer_value(json_object_get(v, "id")), &res, e);
            json_decref(res);
        }
        json_decref(o), o = NULL;
    }
    if (rc == 0) rc = lottery_next_round(&njx, camp, 1, &o, e);
    json_decref(o), o = NULL;
    if (rc) return rc;
    /* the rest of the story in the past too: published before sign-up,
     * frozen at the close, drawn the day after the lottery, round two last
     * week (only the demo moves clocks) */
    char created[32], frozen[32], drawn[32], round2[32];
    ts_format_ms(ts_now_ms() - 22LL * 86400000, created);
    ts_format_ms(ts_now_ms() - 12LL * 86400000 - 3540000, frozen);
    ts_format_ms(ts_now_ms() - 10LL * 86400000, drawn);
    ts_format_ms(ts_now_ms() - 7LL * 86400000, round2);
    rc = store_exec(x->db, "UPDATE lottery_campaigns SET created_at = $2, frozen_at = $3 WHERE id = $1",
                    SV_ARGS(SV_I(camp), SV_T(created), SV_T(frozen)), NULL, e);
    if (rc == 0)
        rc = store_exec(x->db, "UPDATE lottery_draws SET created_at = $2 WHERE campaign_id = $1", SV_ARGS(SV_I(camp), SV_T(drawn)),
                        NULL, e);
    if (rc == 0)
        rc = store_exec(x->db,
                        "UPDATE lottery_rounds SET created_at = CASE WHEN round = 1 THEN $2 ELSE $3 END WHERE campaign_id = $1",
                        SV_ARGS(SV_I(camp), SV_T(drawn), SV_T(round2)), NULL, e);
    if (rc) return rc;
    /* a winner who has not used the voucher yet may log in to see it */
    int64_t shown = nw > 4 ? winners[4] : 0, has = 0;
    if (shown) rc = store_get_int(x->db, "SELECT COUNT(*) FROM users WHERE member_id = $1", SV_ARGS(SV_I(shown)), &has, e);
    if (rc == 0 && shown && !has) {
        member_rec mr;
        memset(&mr, 0, sizeof mr);
        char *sealed = NULL, *mobile = NULL, hash[128];
        rc = store_query(x->db, &r, "SELECT name, org_id, mobile_sealed FROM members WHERE id = $1", SV_ARGS(SV_I(shown)), e);
        if (rc == 0) {
            if (store_next(&r, e) > 0) {
                snprintf(mr.name, sizeof mr.name, "%s", store_text(&r, 0));
                mr.org_id = store_int(&r, 1);
                sealed = store_text(&r, 2) ? strdup(store_text(&r, 2)) : NULL;
            }
            store_done(&r);
        }
        if (rc == 0 && sealed) rc = crypto_open(x->cfg->data_key, sealed, &mobile, e);
        free(sealed);
        if (rc == 0 && mobile) {
            snprintf(mr.mobile, sizeof mr.mobile, "%s", mobile);
            rc = crypto_password_hash(DEMO_PASSWORD, hash, e);
            if (rc == 0) rc = member_create_account(x, shown, &mr, hash, e);
            if (rc == 0) fprintf(out, "消费券中签会员账号：%s（%s，密码同上，可在“我的消费券”出示二维码）\n", mr.mobile, mr.name);
        }
        free(mobile);
        if (rc) return rc;
    }
    /* 2. Jiangsu: frontline workers, sign-up open for three weeks */
    ts_format_ms(ts_now_ms() - 2LL * 86400000, opens);
    ts_format_ms(ts_now_ms() + 21LL * 86400000, closes);
    char src_day[11];
    date_format(t + 23, src_day);
    date_format(t + 25, d_from);
    date_format(t + 25 + 180, d_to);
    date_format(t + 24, later);
    b = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:b, s:s, s:s, s:[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i}], s:[I, I, I]}",
                  "title", "2026年江苏省一线职工疗休养消费券", "description",
                  "面向全省一线职工（含新就业形态劳动者），面值300元。报名截止后公布报名名单，按公告的彩票开奖号码公开抽取。",
                  "org_id", (json_int_t)js, "face_value_fen", (json_int_t)30000, "voucher_count", (json_int_t)2000, "valid_from",
                  d_from, "valid_to", d_to, "frontline_only", 1, "signup_opens_at", opens, "signup_closes_at", closes, "sources",
                  "name", "中国福利彩票双色球开奖号码（报名截止后第一期）", "draw_date", src_day, "value_count", 7, "note",
                  "以中国福利彩票发行管理中心公布的开奖公告为准", "name", "中国体育彩票超级大乐透开奖号码（报名截止后第一期）",
                  "draw_date", later, "value_count", 7, "provider_ids", (json_int_t)prov[0], (json_int_t)prov[1],
                  (json_int_t)prov[2]);
    rc = lottery_create(x, b, &o, e);
    json_decref(b);
    json_decref(o), o = NULL;
    if (rc == 0)
        fprintf(out, "已写入消费券抽取活动 2 个（南京已抽取并部分核销，江苏省正在报名）；服务机构核销账号：%s、%s（密码同上）\n", tills[0],
                tills[1]);
    return rc;
}

/* Versions scheduled for next New Year's Day, published by the province's
 * officer, so the 政策参数 page shows a version in force beside one that
 * is waiting: Jiangsu's higher minimum-living standard and a new fee split
 * (the province's share down, the counties' up). Future dates only: nothing
 * the demo or the tests compute today changes. */
static int demo_policies(gh_ctx *x, const int64_t *ids, FILE *out, gh_err *e)
{
    gh_actor jsa;
    gh_ctx jsx;
    int rc = act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc) return rc;
    char today[11], from[16];
    date_format(date_today_cn(), today);
    snprintf(from, sizeof from, "%04d-01-01", (atoi(today) + 1) % 10000);
    int64_t js = find_id(ids, "js");
    json_t *std = json_pack("{s:I, s:i}", "dibao_fen", (json_int_t)118000, "relative_multiple_pct", 200);
    json_t *split = json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "grassroots", 600, "county", 130, "city", 100,
                              "province", 120, "national", 50, "remainder_to", "province");
    json_t *o = NULL;
    rc = policy_set(&jsx, "hardship_standard", js, from, std, "江苏省城乡低保标准提高至每人每月1180元", &o, e);
    json_decref(o), o = NULL;
    if (rc == 0)
        rc = policy_set(&jsx, "fee_split", js, from, split, "省级分成下调3个百分点，增加县（区）总工会留成", &o, e);
    json_decref(o);
    json_decref(std);
    json_decref(split);
    if (rc == 0) fprintf(out, "已写入自 %s 起生效的政策参数新版本 2 个（低保标准、经费分成比例）\n", from);
    return rc;
}

static void print_logins(FILE *out)
{
    fprintf(out, "演示账号（密码均为 %s）：\n", DEMO_PASSWORD);
    for (size_t i = 0; i < NUSERS; i++) fprintf(out, "  %-16s %s\n", users[i].login, users[i].name);
}

int demo_load(gh_ctx *x, FILE *out, gh_err *e)
{
    int64_t n = 0;
    int rc = store_get_int(x->db, "SELECT COUNT(*) FROM orgs", SV_NONE, &n, e);
    if (rc) return rc;
    if (n > 0) {
        fprintf(out, "数据库中已有 %lld 个组织，不再写入演示数据\n", (long long)n);
        int64_t demo = 0;
        rc = store_get_int(x->db, "SELECT COUNT(*) FROM users WHERE login = 'admin'", SV_NONE, &demo, e);
        if (rc == 0 && demo) print_logins(out);
        return rc;
    }
    rc = store_begin(x->db, STORE_WRITE, e);
    if (rc) return rc;
    int64_t ids[NORGS] = {0};
    for (size_t i = 0; i < NORGS && rc == 0; i++) {
        const demo_org *d = &orgs[i];
        json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", d->name, "level", d->level, "kind",
                              d->kind, "region_code", d->region, "contact_name", d->contact,
                              "contact_phone", d->phone);
        if (d->parent) json_object_set_new(b, "parent_id", json_integer(find_id(ids, d->parent)));
        json_t *o = NULL;
        rc = org_create(x, b, &o, e);
        if (rc == 0) ids[i] = json_integer_value(json_object_get(o, "id"));
        json_decref(o);
        json_decref(b);
    }
    for (size_t i = 0; i < NUSERS && rc == 0; i++) {
        const demo_user *u = &users[i];
        json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "login", u->login, "display_name", u->name, "role",
                              u->role, "password", DEMO_PASSWORD);
        if (u->org) json_object_set_new(b, "org_id", json_integer(find_id(ids, u->org)));
        if (u->duties) {
            json_t *arr = json_array();
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%s", u->duties);
            char *save = NULL;
            for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save))
                json_array_append_new(arr, json_string(t));
            json_object_set_new(b, "duties", arr);
        }
        json_t *o = NULL;
        rc = user_create(x, b, &o, e);
        json_decref(o);
        json_decref(b);
    }
    /* All of it or none: a half-written demo would block a second try. */
    if (rc == 0) rc = demo_members(x, ids, out, e);
    if (rc == 0) rc = demo_money(x, ids, out, e);
    if (rc == 0) rc = demo_retreat(x, ids, out, e);
    if (rc == 0) rc = demo_lottery(x, ids, out, e);
    if (rc == 0) rc = demo_hardship(x, ids, out, e);
    if (rc == 0) rc = demo_policies(x, ids, out, e);
    if (rc) {
        store_rollback(x->db);
        return rc;
    }
    rc = store_commit(x->db, e);
    if (rc) return rc;
    fprintf(out, "已写入演示数据：%zu 个工会组织，%zu 个账号\n", NORGS, NUSERS);
    print_logins(out);
    return 0;
}
