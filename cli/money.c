/* cli/money.c — operator commands for money: `gonghui ledger check`,
 * `gonghui import enterprises|fees FILE --org ID [--dry-run]`,
 * `gonghui refund run --period 2022H2 --org ID`, and
 * `gonghui policy set --kind K --org ID --from DATE --params JSON`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/enterprise/enterprise.h"
#include "domain/fees/fees.h"
#include "domain/refund/refund.h"
#include "domain/core/ledger.h"
#include "domain/core/policy.h"
#include "domain/core/settings.h"

typedef struct cli_env {
    store *db;
    gh_config cfg;
    gh_actor actor;
    gh_ctx x;
} cli_env;

static int env_open(cli_opts *o, cli_env *v, int keys, gh_err *e)
{
    memset(v, 0, sizeof *v);
    int rc = cli_open(o, &v->db, &v->cfg, e);
    if (rc == 0) rc = store_migrate(v->db, NULL, e);
    if (rc == 0 && keys) rc = settings_check_keys(store_conn_get(v->db, e), &v->cfg, e);
    if (rc) return rc;
    actor_system(&v->actor);
    v->x.db = store_conn_get(v->db, e);
    v->x.actor = &v->actor;
    v->x.cfg = &v->cfg;
    return 0;
}

int cli_ledger(cli_opts *o)
{
    if (o->nargs < 2 || strcmp(o->args[1], "check") != 0) {
        fprintf(stderr, "用法: gonghui ledger check [--checkpoints 文件] [--public-key 公钥] [--db URL] [--key-file 文件]\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    cli_verify v;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = cli_verify_open(o, &v, &e);
    json_t *rep = NULL;
    int cpbad = 0;
    if (rc == 0) {
        cpbad = cli_verify_print_checkpoints(&v, stdout);
        int crc = ledger_check(store_conn_get(v.db, &e), cli_verify_key(&v), &v.ledger, &rep, &e);
        size_t i;
        json_t *it;
        json_array_foreach(rep, i, it) {
            printf("%s %-20s %s\n", json_is_true(json_object_get(it, "ok")) ? "通过" : "失败",
                   json_string_value(json_object_get(it, "check")), json_string_value(json_object_get(it, "detail")));
            if (json_object_get(it, "partitions"))
                cli_chain_report(json_object_get(it, "partitions"), json_string_value(json_object_get(it, "root")), "笔",
                                 stdout);
        }
        rc = crc;
    }
    if (rc == 0 && cpbad)
        rc = err_set(&e, ERR_CONFLICT, "checkpoint_bad_signature", NULL, "检查点文件有 %d 行签名无效或格式不对",
                     v.cp_bad);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0) printf("账簿校验全部通过（用时 %.2f 秒）\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    else cli_fail(&e);
    json_decref(rep);
    cli_verify_close(&v);
    return rc ? 1 : 0;
}

static void print_report(json_t *out, int dry_run)
{
    size_t i;
    json_t *err;
    json_array_foreach(json_object_get(out, "errors"), i, err) {
        const char *field = json_string_value(json_object_get(err, "field"));
        printf("第 %lld 行%s%s%s：%s\n", (long long)json_integer_value(json_object_get(err, "line")),
               field ? "（" : "", field ? field : "", field ? "）" : "", json_string_value(json_object_get(err, "reason")));
    }
    json_array_foreach(json_object_get(out, "flagged"), i, err)
        printf("第 %lld 行（提示）：%s %s %s\n", (long long)json_integer_value(json_object_get(err, "line")),
               json_string_value(json_object_get(err, "uscc")), json_string_value(json_object_get(err, "month")),
               json_string_value(json_object_get(err, "reason")));
    int64_t rows = json_integer_value(json_object_get(out, "rows"));
    int64_t nerr = json_integer_value(json_object_get(out, "error_count"));
    if (nerr) printf("共 %lld 行，其中 %lld 行有错误；未写入任何数据\n", (long long)rows, (long long)nerr);
    else if (dry_run) printf("试导入通过：共 %lld 行，全部可以导入（未写入数据）\n", (long long)rows);
    else printf("导入完成：%lld 行\n", (long long)json_integer_value(json_object_get(out, "imported")));
    if (json_object_get(out, "skipped_existing") && json_integer_value(json_object_get(out, "skipped_existing")))
        printf("已导入过、内容相同而跳过：%lld 行\n", (long long)json_integer_value(json_object_get(out, "skipped_existing")));
    if (json_integer_value(json_object_get(out, "flagged_count")))
        printf("金额与工资总额 2%% 不符、已标记待核：%lld 行\n", (long long)json_integer_value(json_object_get(out, "flagged_count")));
}

int cli_import_money(cli_opts *o, const char *what)
{
    const char *org = cli_opt(o, "org");
    if (o->nargs < 3 || !org) {
        fprintf(stderr, "用法: gonghui import %s 文件.csv --org 组织编号 [--dry-run] [--db URL]\n", what);
        return 2;
    }
    gh_err e;
    err_clear(&e);
    cli_env v;
    json_t *out = NULL;
    int rc = env_open(o, &v, 1, &e);
    if (rc == 0) {
        if (strcmp(what, "enterprises") == 0)
            rc = enterprise_import(&v.x, strtoll(org, NULL, 10), NULL, 0, o->args[2], o->dry_run, NULL, NULL, &out, &e);
        else
            rc = fee_import(&v.x, strtoll(org, NULL, 10), NULL, 0, o->args[2], o->args[2], o->dry_run, NULL, NULL, &out, &e);
    }
    if (rc) cli_fail(&e);
    else print_report(out, o->dry_run);
    int bad = out && json_integer_value(json_object_get(out, "error_count"));
    json_decref(out);
    store_close(v.db);
    return rc || bad ? 1 : 0;
}

static void run_progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    fprintf(stderr, "\r已计算 %lld / %lld 户企业", (long long)done, (long long)total);
}

int cli_refund_cmd(cli_opts *o)
{
    const char *period = cli_opt(o, "period"), *org = cli_opt(o, "org");
    if (o->nargs < 2 || strcmp(o->args[1], "run") != 0 || !period || !org) {
        fprintf(stderr, "用法: gonghui refund run --period 2022H2 --org 组织编号 [--take-over] [--db URL]\n"
                        "  计算并记账；可随时中断，再次运行会从中断处继续，每户企业只返还一次。\n"
                        "  中断后两分钟内再运行会提示“正在运行”；确认原进程已不在时可加 --take-over 接管\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    cli_env v;
    json_t *out = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = env_open(o, &v, 0, &e);
    if (rc == 0) rc = refund_run(&v.x, strtoll(org, NULL, 10), period, cli_opt(o, "take-over") != NULL, run_progress, NULL, &out, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "\n");
    if (rc == 0) {
        char amt[32];
        snprintf(amt, sizeof amt, "%.2f", (double)json_integer_value(json_object_get(out, "amount_fen")) / 100.0);
        printf("返还批次 %lld（%s）：%s，%lld 户，合计 %s 元，用时 %.2f 秒\n",
               (long long)json_integer_value(json_object_get(out, "id")), period,
               json_string_value(json_object_get(out, "status")), (long long)json_integer_value(json_object_get(out, "lines")),
               amt, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    } else {
        cli_fail(&e);
    }
    json_decref(out);
    store_close(v.db);
    return rc ? 1 : 0;
}

int cli_policy(cli_opts *o)
{
    const char *kind = cli_opt(o, "kind"), *org = cli_opt(o, "org"), *from = cli_opt(o, "from"),
               *params = cli_opt(o, "params");
    if (o->nargs < 2 || strcmp(o->args[1], "set") != 0 || !kind || !org || !from || !params) {
        fprintf(stderr, "用法: gonghui policy set --kind 类型 --org 组织编号 --from 2023-01-01 --params '{…}' [--note 说明]\n"
                        "类型: fee_split refund retreat_booking hardship_standard aid_rules mutual_aid_benefit\n");
        return 2;
    }
    gh_err e;
    err_clear(&e);
    json_error_t je;
    json_t *p = json_loads(params, 0, &je);
    if (!p) {
        fprintf(stderr, "--params 不是有效的 JSON：%s\n", je.text);
        return 2;
    }
    cli_env v;
    json_t *out = NULL;
    int rc = env_open(o, &v, 0, &e);
    if (rc == 0) rc = policy_set(&v.x, kind, strtoll(org, NULL, 10), from, p, cli_opt(o, "note"), &out, &e);
    if (rc == 0) printf("已发布政策 %s（编号 %lld），%s 起生效\n", kind, (long long)json_integer_value(json_object_get(out, "id")), from);
    else cli_fail(&e);
    json_decref(out);
    json_decref(p);
    store_close(v.db);
    return rc ? 1 : 0;
}

static int import_enterprises(cli_opts *o) { return cli_import_money(o, "enterprises"); }
static int import_fees(cli_opts *o) { return cli_import_money(o, "fees"); }

const cli_verb cli_enterprise[] = {
    {"import", "enterprises", import_enterprises, "  import enterprises FILE  导入企业名录（--org 组织编号 [--dry-run]）\n"},
    {0},
};

const cli_verb cli_fees[] = {
    {"import", "fees", import_fees, "  import fees FILE      导入税务代收的工会经费（--org 组织编号 [--dry-run]）\n"},
    {0},
};

const cli_verb cli_refund[] = {
    {"refund", NULL, cli_refund_cmd, "  refund run            计算小微企业经费返还（--period 2022H2 --org 组织编号）\n"},
    {0},
};
