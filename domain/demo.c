/* demo.c — the demo data set; see demo.h. Every record goes through the same
 * domain functions the API uses, so demo data obeys every rule. */
#include "domain/demo.h"

#include <string.h>

#include <stdlib.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth.h"
#include "domain/fees.h"
#include "domain/joinreq.h"
#include "domain/member.h"
#include "domain/org.h"
#include "domain/policy.h"
#include "domain/user.h"

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
