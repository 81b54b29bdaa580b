/* fees_demo.c — demo enterprises, three years of fee payments and a paid
 * refund run, so the money pages show a living ledger. */
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
#include "domain/fees/fees.h"
#include "domain/enterprise/enterprise.h"
#include "domain/refund/refund.h"
#include "domain/core/ledger.h"
#include "domain/core/policy.h"

/* Enterprises of Jiangning with three years of union fees, the Jiangsu fee
 * split and refund policies, and a refund run for 2022H2 that was prepared,
 * approved, sent to the bank and paid. */
int fees_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e)
{
    FILE *out = d->out;
    (void)out;
    static const char *const names[] = {"金陵", "秦淮", "紫峰", "钟山", "栖霞", "雨花", "方山", "汤山", "禄口", "湖熟"};
    static const char *const trades[] = {"科技", "商贸", "餐饮管理", "物流", "印务", "建材", "软件", "家政服务"};
    static const char inds[] = "IFHGCEIO";
    int64_t jn = d->org(d, "jn"), js = d->org(d, "js"), nx = d->org(d, "nx"), hj = d->org(d, "huajian");
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
                              "account_number", acct, "contact_name", demo_given[i % 15], "contact_phone", "025-52100000");
        if (has_union) {
            json_object_set_new(b, "union_org_id", json_integer(hj));
            json_object_set_new(b, "union_founded_on", json_string("2019-06-01"));
        }
        rc = enterprise_create(x, b, &o, e);
        if (rc == 0 && i == 1) { /* the demo's enterprise account (企业自助) */
            json_t *u = json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", DEMO_ENTERPRISE_LOGIN, "display_name", name, "role",
                                  "enterprise", "enterprise_id", json_integer_value(json_object_get(o, "id")), "password",
                                  DEMO_PASSWORD);
            json_t *uo = NULL;
            rc = u ? user_create(x, u, &uo, e) : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
            json_decref(uo);
            json_decref(u);
        }
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
    rc = demo_act_as(x, "nj_officer", &nja, &njx, e);
    if (rc == 0) rc = demo_act_as(x, "js_officer", &jsa, &jsx, e);
    if (rc == 0) rc = refund_run(&njx, d->org(d, "nj"), "2022H2", 0, NULL, NULL, &o, e);
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
