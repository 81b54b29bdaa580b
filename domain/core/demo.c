/* demo.c — the demo data set; see demo.h. Every record goes through the same
 * domain functions the API uses, so demo data obeys every rule. */
#include "domain/core/demo.h"

#include <string.h>

#include <stdlib.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth/auth.h"
#include "domain/org/org.h"
#include "domain/core/ledger.h"
#include "domain/core/module.h"
#include "domain/core/policy.h"
#include "domain/auth/user.h"

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

static int64_t demo_env_org(const gh_demo_env *d, const char *key) { return find_id(d->octx, key); }

/* A valid ID number (GB 11643 check digit) for a made-up person. */
void demo_id_number(int n, const char *region, char out[19])
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
void demo_uscc(int n, const char *region, char out[19])
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

const char *const demo_surnames[15] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "马", "孙", "朱", "胡", "郭"};
const char *const demo_given[15] = {"建国", "秀英", "志强", "丽华", "海波", "春燕", "国庆", "晓东", "玉兰", "文斌", "红梅", "立新", "永刚", "晨曦", "佳怡"};

int demo_act_as(gh_ctx *x, const char *login, gh_actor *a, gh_ctx *out, gh_err *e)
{
    int rc = auth_actor_for_login(x->db, login, a, e);
    *out = *x;
    out->actor = a;
    return rc;
}






/* Versions scheduled for next New Year's Day, published by the province's
 * officer, so the 政策参数 page shows a version in force beside one that
 * is waiting: Jiangsu's higher minimum-living standard and a new fee split
 * (the province's share down, the counties' up). Future dates only: nothing
 * the demo or the tests compute today changes. */
int policy_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e)
{
    FILE *out = d->out;
    (void)out;
    gh_actor jsa;
    gh_ctx jsx;
    int rc = demo_act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc) return rc;
    char today[11], from[16];
    date_format(date_today_cn(), today);
    snprintf(from, sizeof from, "%04d-01-01", (atoi(today) + 1) % 10000);
    int64_t js = d->org(d, "js");
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

/* Opening balances: debit bank, credit 结余, dated 1 January three years
 * back (before the demo's first fee payment). */
static int opening_balances(gh_ctx *x, const int64_t *ids, gh_err *e)
{
    char today[11], day[16], key[64];
    date_format(date_today_cn(), today);
    snprintf(day, sizeof day, "%04d-01-01", (atoi(today) - 3) % 10000);
    int rc = 0;
    for (size_t i = 0; i < NORGS && rc == 0; i++) {
        const demo_org *d = &orgs[i];
        int64_t amount = strcmp(d->level, "province") == 0 ? 500000000 : strcmp(d->level, "city") == 0 ? 100000000
                                                                   : strcmp(d->level, "county") == 0 ? 20000000 : 0;
        if (!amount || strcmp(d->kind, "regional") != 0) continue;
        int64_t bank = 0, fund = 0;
        rc = ledger_account(x->db, ids[i], "bank", &bank, e);
        if (rc == 0) rc = ledger_account(x->db, ids[i], "fund_balance", &fund, e);
        snprintf(key, sizeof key, "demo-opening-%s", d->key);
        ledger_leg leg = {.debit_account = bank, .credit_account = fund, .amount_fen = amount, .idem_key = key,
                          .ref_type = "manual", .memo = "上年结余（演示数据期初余额）", .value_date = day};
        if (rc == 0) rc = ledger_post(x, key, &leg, 1, NULL, NULL, e);
    }
    return rc;
}

static void print_logins(FILE *out)
{
    fprintf(out, "演示账号（密码均为 %s）：\n", DEMO_PASSWORD);
    for (size_t i = 0; i < NUSERS; i++) fprintf(out, "  %-16s %s\n", users[i].login, users[i].name);
    fprintf(out, "  %-16s %s\n", DEMO_ENTERPRISE_LOGIN, "企业账号（江宁区一家小微企业，经费返还自助查询）");
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
    /* Every regional union above the grassroots starts with money in the
     * bank (its carried-over balance, 上年结余), before any record of the
     * modules moves money: no demo bank account goes negative. */
    if (rc == 0) rc = opening_balances(x, ids, e);
    /* Then each module's records, in the order of domain/modules.def. All of
     * it or none: a half-written demo would block a second try. */
    const gh_demo_env env = {demo_env_org, ids, out};
    for (const gh_module *const *m = gh_modules; rc == 0 && *m; m++)
        if ((*m)->demo) rc = (*m)->demo(x, &env, e);
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
